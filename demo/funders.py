"""A demo funder running a challenge modelled on NESTA's Big Green Challenge (2007–2010).

"Green Futures Fund" is fictional, as are the groups that enter; the stages, criteria and amounts
follow the real challenge (see the research notes: £1m prize fund, entries → shortlist → finalists
with up to £20,000 each → winners judged on the CO2 cut achieved). Keyed by slugs, so running it
twice changes nothing.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from challenges.funding.services import record_award, refresh_score_figures
from challenges.models import (
    Answer,
    Challenge,
    ChallengeStage,
    Criterion,
    Entry,
    EntryStatus,
    Funder,
    FunderMembership,
    Question,
    Score,
    Solution,
    StageChange,
)
from groups.models import ChallengeArea

FUNDER_EMAIL = "funder@localism.example"
CHALLENGE_SLUG = "green-futures-community-carbon-challenge"
CRITERIA = [
    ("CO2 cut achieved", 4, "The measured cut in the community's carbon emissions over the year."),
    ("Local ownership", 2, "Run by and for local people; community engagement."),
    ("Learning shared", 1, "Lessons written up so others can copy what works."),
    ("Value for money", 2, "What the money and volunteer time achieve; longevity and scalability."),
]
QUESTIONS = [
    ("Who in your community is involved, and how many people?", "Volunteers, households, partners."),
    ("How will you measure the carbon you cut?", "Which shared metric, and your baseline."),
]


def seed_demo_funder():
    """The demo funder, its member funder@localism.example, and one challenge at "Shortlisting" with
    entries from the fictional demo groups and some reviewer scores."""
    user = User.objects.get(email=FUNDER_EMAIL)
    funder, _ = Funder.objects.update_or_create(
        slug="green-futures-fund",
        defaults={
            "name": "Green Futures Fund (demo)",
            "description": "A fictional funder for the demo, running challenge prizes for community-led action.",
        },
    )
    FunderMembership.objects.get_or_create(funder=funder, user=user)
    seed_demo_past_round(funder=funder, user=user)
    now = timezone.now()
    challenge, created = Challenge.objects.get_or_create(
        slug=CHALLENGE_SLUG,
        defaults=dict(
            funder=funder,
            title="Community Carbon Challenge",
            summary="£1m for communities that cut their own carbon emissions, judged on the results they achieve.",
            description=(
                "Modelled on NESTA's **Big Green Challenge** (2007–2010), where 355 community groups entered, "
                "100 were shortlisted, 10 finalists each received up to £20,000 and support, and three joint "
                "winners cut their community's emissions by 10–32% in a year.\n\n"
                "Enter a solution your group has already published, with the shared metrics you measure."
            ),
            offer="Up to £20,000 and expert support for each finalist; £1m in prizes for the biggest measured cuts.",
            offer_total=1_000_000,
            entry_deadline=now - dt.timedelta(days=7),
            shortlist_on=(now + dt.timedelta(days=21)).date(),
            finalists_on=(now + dt.timedelta(days=60)).date(),
            winners_on=(now + dt.timedelta(days=425)).date(),
            stage=ChallengeStage.SHORTLISTING,
            publish_entries="all",
            dashboard_public=True,
            created_by=user,
        ),
    )
    if not created:
        return challenge
    challenge.challenge_areas.set(ChallengeArea.objects.filter(slug__in=["climate", "fuel-poverty"]))
    criteria = [
        Criterion.objects.create(challenge=challenge, name=name, weight=weight, description=text, position=index)
        for index, (name, weight, text) in enumerate(CRITERIA)
    ]
    questions = [
        Question.objects.create(challenge=challenge, text=text, help_text=hint, position=index)
        for index, (text, hint) in enumerate(QUESTIONS)
    ]
    for from_stage, to_stage in [("draft", "open"), ("open", "shortlisting")]:
        StageChange.objects.create(challenge=challenge, from_stage=from_stage, to_stage=to_stage, changed_by=user)
    # Fictional demo groups only: real organisations shown as historical examples never enter.
    solutions = Solution.objects.filter(group__example_source="", status="published").order_by("group__name")
    for index, solution in enumerate(solutions):
        entry = Entry.objects.create(
            challenge=challenge,
            solution=solution,
            status=EntryStatus.SHORTLISTED if index == 0 else EntryStatus.ENTERED,
        )
        for question in questions:
            Answer.objects.create(
                entry=entry, question=question, text=f"{solution.group.name}: {solution.who_involved}"
            )
        if index < 2:
            for offset, criterion in enumerate(criteria):
                Score.objects.create(
                    entry=entry,
                    criterion=criterion,
                    reviewer=user,
                    value=min(5, 3 + (index + offset) % 3),
                    note="Demo note: promising measured results.",
                )
    refresh_score_figures(entries=challenge.entries.all())
    return challenge


# --- A past round, with its winners and what the fund awarded --------------------------------------------
# Like the Big Green Challenge's finalists (up to £20,000 each to develop their plans) and its winners (a
# share of the prize fund), so the challenge page shows its awards and their 360Giving data.

PAST_ROUND_SLUG = "green-futures-pilot-round"
FINALIST_GRANT = Decimal("20000")
WINNERS_PRIZE = Decimal("300000")


def seed_demo_past_round(*, funder: Funder, user: User) -> Challenge:
    """The fund's pilot round, begun about two years ago and now at "Winners announced": the first fictional
    demo solution won, the next two were finalists; each finalist got a development grant and the winner its
    prize too, recorded through the same service as on the site."""
    today = timezone.localdate()
    began = timezone.now() - dt.timedelta(days=700)
    finalists_on = today - dt.timedelta(days=420)
    winners_on = today - dt.timedelta(days=60)
    challenge, created = Challenge.objects.get_or_create(
        slug=PAST_ROUND_SLUG,
        defaults=dict(
            funder=funder,
            title="Community Carbon Challenge: pilot round",
            summary="The pilot round: ten villages and towns cutting their own carbon, judged on measured results.",
            description=(
                "The fund's first round, before the Community Carbon Challenge. Finalists each received a "
                "development grant of £20,000 and a year of expert support; the winner shared in the prize fund."
            ),
            offer="£20,000 and support for each finalist; £300,000 for the winner.",
            offer_total=340_000,
            entry_deadline=began + dt.timedelta(days=60),
            finalists_on=finalists_on,
            winners_on=winners_on,
            stage=ChallengeStage.WINNERS,
            publish_entries="shortlisted",
            created_by=user,
        ),
    )
    if not created:
        return challenge
    # A past round: created when it began, not today (lists show the newest challenge first).
    Challenge.objects.filter(pk=challenge.pk).update(created_at=began)
    challenge.challenge_areas.set(ChallengeArea.objects.filter(slug="climate"))
    Criterion.objects.create(challenge=challenge, name="CO2 cut achieved", weight=1, position=0)
    moves = [("draft", "open", 700), ("open", "shortlisting", 640), ("shortlisting", "finalists", 420)]
    for from_stage, to_stage, days in [*moves, ("finalists", "winners", 60)]:
        change = StageChange.objects.create(
            challenge=challenge, from_stage=from_stage, to_stage=to_stage, changed_by=user
        )
        StageChange.objects.filter(pk=change.pk).update(changed_at=timezone.now() - dt.timedelta(days=days))
    solutions = Solution.objects.filter(group__example_source="", status="published").order_by("group__name")[:3]
    for index, solution in enumerate(solutions):
        entry = Entry.objects.create(
            challenge=challenge,
            solution=solution,
            status=EntryStatus.WINNER if index == 0 else EntryStatus.FINALIST,
        )
        record_award(
            entry=entry,
            amount=FINALIST_GRANT,
            awarded_on=finalists_on,
            title="Finalist development grant",
            description="To develop the plan and measure a baseline, with a year of expert support.",
            by=user,
        )
        if entry.status == EntryStatus.WINNER:
            record_award(entry=entry, amount=WINNERS_PRIZE, awarded_on=winners_on, title="Winner's prize", by=user)
    # Entered while the round was open, not today (the entry page says when).
    challenge.entries.update(created_at=began + dt.timedelta(days=30))
    return challenge


# --- Bulk entries for benchmarks ------------------------------------------------------------------------
# Every synthetic group's solution (see `scale.py`) entered into one challenge, a third of them scored by
# two reviewers. Running it again only adds what is missing.

BENCH_CHALLENGE_SLUG = "bench-challenge"
ENTRY_BATCH = 5000


def bench_challenge() -> tuple[Challenge, list[User]]:
    funder, _ = Funder.objects.get_or_create(slug="bench-funder", defaults={"name": "Benchmark funder"})
    reviewers = []
    for number in (1, 2):
        user, _ = User.objects.get_or_create(
            email=f"reviewer{number}@bench.example", defaults={"display_name": f"Reviewer {number}"}
        )
        funder.memberships.get_or_create(user=user)
        reviewers.append(user)
    challenge, created = Challenge.objects.get_or_create(
        slug=BENCH_CHALLENGE_SLUG,
        defaults=dict(
            funder=funder,
            title="Benchmark challenge",
            summary="Many entries.",
            description="For benchmarks.",
            offer="Nothing.",
            stage=ChallengeStage.SHORTLISTING,
        ),
    )
    if created:
        for index, (name, weight) in enumerate(
            [("Impact", 4), ("Local ownership", 2), ("Learning shared", 1), ("Value for money", 2)]
        ):
            Criterion.objects.create(challenge=challenge, name=name, weight=weight, position=index)
    return challenge, reviewers


def seed_entries(*, entries: int, seed: int = 2008) -> int:
    """Make sure the benchmark challenge has `entries` entries. Returns how many this call created."""
    from .scale import SLUG_PREFIX  # scale imports seed, which imports this module

    challenge, reviewers = bench_challenge()
    existing = Entry.objects.filter(challenge=challenge).count()
    missing = max(0, entries - existing)
    if not missing:
        return 0
    solution_ids = list(
        Solution.objects.filter(group__slug__startswith=SLUG_PREFIX)
        .exclude(entries__challenge=challenge)
        .order_by("pk")
        .values_list("pk", flat=True)[:missing]
    )
    if len(solution_ids) < missing:
        raise ValueError(
            f"Only {existing + len(solution_ids)} synthetic solutions exist: run seed_scale with more groups."
        )
    criteria = list(challenge.criteria.all())
    rng = random.Random(seed + existing)
    statuses = [EntryStatus.ENTERED] * 8 + [EntryStatus.SHORTLISTED, EntryStatus.NOT_SELECTED]
    for start in range(0, len(solution_ids), ENTRY_BATCH):
        with transaction.atomic():
            made = Entry.objects.bulk_create(
                [
                    Entry(challenge=challenge, solution_id=pk, status=rng.choice(statuses))
                    for pk in solution_ids[start : start + ENTRY_BATCH]
                ]
            )
            Score.objects.bulk_create(
                [
                    Score(entry=entry, criterion=criterion, reviewer=reviewer, value=rng.randint(1, 5))
                    for entry in made
                    if rng.random() < 0.33
                    for reviewer in reviewers
                    for criterion in criteria
                ]
            )
            refresh_score_figures(entries=Entry.objects.filter(pk__in=[entry.pk for entry in made]))
    return len(solution_ids)
