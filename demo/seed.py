"""Builds the demo data set. Every step is keyed by a natural key, so running it twice changes nothing."""

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from challenges.models import ApproachTag, Metric, MetricReading, Solution, SolutionMetric, Status, Update
from groups.models import ChallengeArea, Group, Membership, Role
from learning.services import rebuild_all_peers

from .actions import seed_demo_actions
from .data import CHALLENGE_AREAS, DEMO_GROUPS, EXAMPLES, SHARED_METRICS
from .funders import seed_demo_funder

DEMO_PASSWORD = "localism-demo"
DEMO_USERS = [
    # email, display name, home area, role ("admin" is staff, "moderator" works the moderation queue)
    ("admin@localism.example", "Alex Admin", "", "admin"),
    ("organiser@localism.example", "Olivia Organiser", "LA9", ""),
    # Runs Ulverston Cosy Homes, one of Kendal's peers: sign in as them to answer Kendal's questions.
    ("peer@localism.example", "Priya Peer", "LA12", ""),
    ("resident@localism.example", "Ravi Resident", "Kendal", ""),
    ("funder@localism.example", "Fatima Funder", "", ""),
    ("moderator@localism.example", "Morgan Moderator", "", "moderator"),
]


DEMO_ACCOUNT_AGE = dt.timedelta(days=365)


def _user(email, name, home_area, role):
    staff = role == "admin"
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "display_name": name,
            "home_area": home_area,
            "is_staff": staff,
            "is_superuser": staff,
            "is_moderator": role == "moderator",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        # The demo users already had their welcome; the seed must not send mail.
        user.welcome_sent_at = timezone.now()
    # Established members of the site, as their seeded history says, not accounts made a moment ago:
    # the posting rules' limits for new accounts (core/posting.py) would refuse the README's steps.
    user.date_joined = min(user.date_joined, timezone.now() - DEMO_ACCOUNT_AGE)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _group(spec, areas, tags, metrics, owner):
    group, _ = Group.objects.update_or_create(
        slug=spec["slug"],
        defaults=dict(
            name=spec["name"],
            summary=spec["summary"],
            place_name=spec["place"],
            postcode_district=spec["postcode"],
            latitude=spec["lat"],
            longitude=spec["lon"],
            area_kind=spec["kind"],
            population=spec["population"],
            deprivation_decile=spec["decile"],
            region=spec["region"],
            example_source=spec["source"],
            language=spec.get("language", "en-gb"),
            name_cy=spec.get("name_cy", ""),
            summary_cy=spec.get("summary_cy", ""),
            # The group's own words only: the page itself says whether it is a historical example
            # (example_source) or fictional ("(demo)" in the name), and the matcher reads this text.
            description=f"{spec['summary']}\n\n{spec['solution']['problem']}",
        ),
    )
    group.challenge_areas.set([areas[slug] for slug in spec["areas"]])
    if owner is not None:
        Membership.objects.get_or_create(group=group, user=owner, defaults={"role": Role.OWNER})

    sol = spec["solution"]
    solution, _ = Solution.objects.update_or_create(
        group=group,
        slug=slugify(sol["title"])[:160],
        defaults=dict(
            title=sol["title"],
            challenge_area=areas[sol["area"]],
            problem=sol["problem"],
            approach=sol["approach"],
            why_here=sol["why_here"],
            stage=sol["stage"],
            status=Status.PUBLISHED,
            who_involved="Local residents and volunteers.",
        ),
    )
    solution.approach_tags.set([tags[name] for name in spec["tags"]])
    metric = metrics[sol["metric"]]
    sm, _ = SolutionMetric.objects.update_or_create(
        solution=solution, metric=metric, defaults={"target": Decimal(str(sol["target"]))}
    )
    worked, didnt, differently = spec["lesson"]
    last = len(sol["readings"]) - 1
    for index, (year, month, value) in enumerate(sol["readings"]):
        measured_on = dt.date(year, month, 1)
        published_at = timezone.make_aware(dt.datetime(year, month, 15, 12, 0))
        title = f"{metric.name}: {value:g} {metric.unit} by {measured_on:%B %Y}"
        update, _ = Update.objects.update_or_create(
            solution=solution,
            title=title,
            defaults=dict(
                body=f"Our latest measurement of **{metric.name.lower()}** for *{sol['title']}*: "
                f"{value:g} {metric.unit} (target {sol['target']:g}).",
                status=Status.PUBLISHED,
                published_at=published_at,
                author=owner,
                what_worked=worked if index == last else "",
                what_didnt=didnt if index == last else "",
                do_differently=differently if index == last else "",
            ),
        )
        MetricReading.objects.update_or_create(
            solution_metric=sm, measured_on=measured_on, defaults={"value": Decimal(str(value)), "update": update}
        )
    return group


def ensure_reference_data():
    """Challenge areas, shared metrics and approach tags: the lists every group chooses from."""
    areas = {}
    for name, slug, description, name_cy, description_cy in CHALLENGE_AREAS:
        areas[slug], _ = ChallengeArea.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "name_cy": name_cy, "description_cy": description_cy},
        )
    metrics = {}
    for name, unit, description in SHARED_METRICS:
        metrics[(name, unit)], _ = Metric.objects.update_or_create(
            name=name, unit=unit, group=None, defaults={"description": description}
        )
    tag_names = {tag for spec in EXAMPLES + DEMO_GROUPS for tag in spec["tags"]}
    tags = {
        name: ApproachTag.objects.update_or_create(slug=slugify(name), defaults={"name": name})[0] for name in tag_names
    }
    return areas, metrics, tags


@transaction.atomic
def _demo_report(*, reporter, organiser):
    """One open report, so the moderation queue shows what moderators work with."""
    from moderation import services as moderation
    from moderation.models import Report

    update = (
        Update.objects.filter(solution__group__memberships__user=organiser, status="published")
        .exclude(solution__group__memberships__user=reporter)
        .order_by("pk")
        .first()
    )
    if update is None or Report.objects.filter(reporter=reporter, case__update=update).exists():
        return
    moderation.report(
        reporter=reporter,
        kind="update",
        pk=update.pk,
        reason="misinformation",
        details="This figure does not match what our residents' association counted. Could someone check it?",
    )


def seed_demo():
    """Create or refresh the demo data set. Returns a summary of what exists afterwards."""
    users = {email: _user(email, name, home, role) for email, name, home, role in DEMO_USERS}
    areas, metrics, tags = ensure_reference_data()

    for spec in EXAMPLES:
        _group(spec, areas, tags, metrics, owner=None)
    organiser = users["organiser@localism.example"]
    for spec in DEMO_GROUPS:
        _group(spec, areas, tags, metrics, owner=users[spec.get("owner", organiser.email)])
    resident = users["resident@localism.example"]
    Membership.objects.get_or_create(group=Group.objects.get(slug=DEMO_GROUPS[0]["slug"]), user=resident)
    seed_demo_funder()
    seed_demo_actions()
    _demo_report(reporter=resident, organiser=organiser)
    # Peers for every demo group, so learning pages are alive from the start (as the nightly rebuild would).
    rebuild_all_peers()
    return {
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "solutions": Solution.objects.count(),
        "updates": Update.objects.count(),
        "readings": MetricReading.objects.count(),
    }
