"""A world with something of every kind the API publishes, and of every kind it must never publish.

Everything the public must not see carries SECRET in its text (and people's emails end @private.test), so
a test can walk the API and look for it in every answer.
"""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from challenges.models import ChallengeStage, EntryStatus, PublishEntries, Status
from groups.models import ActionStatus, Role
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    MetricReadingFactory,
    SolutionFactory,
    SolutionMetricFactory,
    UpdateFactory,
    UserFactory,
    similar_and_different_groups,
)
from tests.funders.factories import AwardFactory, ChallengeFactory, EntryFactory, ScoreFactory
from tests.residents.factories import ActionFactory, SignupFactory

SECRET = "SECRET"


@dataclass
class World:
    group: object
    solution: object
    update: object
    action: object
    challenge: object
    entry: object
    hidden_group: object
    hidden_solution: object
    draft_solution: object
    hidden_update: object
    draft_update: object
    hidden_action: object
    draft_challenge: object
    unpublished_entry: object
    award: object
    peers: tuple


@pytest.fixture
def world(db):
    mine, twin, far = similar_and_different_groups()
    organiser = UserFactory(email="organiser@private.test", display_name=f"Organiser {SECRET}")
    MembershipFactory(group=mine, user=organiser, role=Role.OWNER)
    solution = mine.solutions.get()
    metric = SolutionMetricFactory(solution=solution, target=50)
    update = UpdateFactory(solution=solution, author=organiser, what_worked="Door-knocking.")
    MetricReadingFactory(solution_metric=metric, value=12, update=update)
    hidden_update = UpdateFactory(solution=solution, title=f"Hidden {SECRET}", hidden_at=timezone.now())
    MetricReadingFactory(solution_metric=metric, value=999_999, update=hidden_update)
    draft_update = UpdateFactory(solution=solution, title=f"Draft {SECRET}", status=Status.DRAFT, published_at=None)
    draft_solution = SolutionFactory(group=mine, title=f"Draft {SECRET}", status=Status.DRAFT)
    hidden_solution = SolutionFactory(group=mine, title=f"Hidden {SECRET}", hidden_at=timezone.now())

    hidden_group = GroupFactory(name=f"Hidden {SECRET}", hidden_at=timezone.now())
    SolutionFactory(group=hidden_group, title=f"Of a hidden group {SECRET}")
    ActionFactory(group=hidden_group, title=f"Of a hidden group {SECRET}")

    action = ActionFactory(group=mine, title="Repair café", status=ActionStatus.SCHEDULED)
    SignupFactory(action=action, user=UserFactory(email="resident@private.test", display_name=f"Resident {SECRET}"))
    hidden_action = ActionFactory(group=mine, title=f"Hidden {SECRET}", hidden_at=timezone.now())

    challenge = ChallengeFactory(stage=ChallengeStage.FINALISTS, publish_entries=PublishEntries.SHORTLISTED)
    entry = EntryFactory(challenge=challenge, solution=solution, status=EntryStatus.FINALIST)
    ScoreFactory(entry=entry, note=f"Reviewer note {SECRET}")
    unpublished_entry = EntryFactory(
        challenge=challenge, solution=SolutionFactory(title="Entered, not shortlisted"), status=EntryStatus.ENTERED
    )
    award = AwardFactory(entry=entry, title="Development grant", description="To grow the scheme.")
    hidden_entry = EntryFactory(
        challenge=challenge, solution=twin.solutions.get(), status=EntryStatus.FINALIST, hidden_at=timezone.now()
    )
    AwardFactory(entry=hidden_entry, title=f"Award to a hidden entry {SECRET}")
    draft_challenge = ChallengeFactory(stage=ChallengeStage.DRAFT, title=f"Draft {SECRET}")
    EntryFactory(challenge=draft_challenge, solution=twin.solutions.get())
    return World(
        group=mine,
        solution=solution,
        update=update,
        action=action,
        challenge=challenge,
        entry=entry,
        hidden_group=hidden_group,
        hidden_solution=hidden_solution,
        draft_solution=draft_solution,
        hidden_update=hidden_update,
        draft_update=draft_update,
        hidden_action=hidden_action,
        draft_challenge=draft_challenge,
        unpublished_entry=unpublished_entry,
        award=award,
        peers=(twin, far),
    )
