import pytest

from ..factories import MembershipFactory, SolutionFactory, UserFactory
from .factories import ChallengeFactory, FunderFactory, FunderMembershipFactory


@pytest.fixture
def funder(db):
    return FunderFactory()


@pytest.fixture
def funder_user(funder):
    return FunderMembershipFactory(funder=funder).user


@pytest.fixture
def other_reviewer(funder):
    return FunderMembershipFactory(funder=funder).user


@pytest.fixture
def challenge(funder):
    return ChallengeFactory(funder=funder)


@pytest.fixture
def entrant(group):
    """The owner of `group`, which has one published solution."""
    return MembershipFactory(group=group, role="owner").user


@pytest.fixture
def solution(group):
    return SolutionFactory(group=group)


@pytest.fixture
def stranger(db):
    return UserFactory()
