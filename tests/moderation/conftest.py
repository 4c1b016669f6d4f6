import pytest

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory, UserFactory


@pytest.fixture
def moderator(db):
    return UserFactory(is_moderator=True, display_name="Mo Moderator")


@pytest.fixture
def world(db):
    """A group with an owner, a published solution and an update; a resident outside the group."""

    class World:
        group = GroupFactory(name="Hilltop Energy")
        owner = MembershipFactory(group=group, role="owner").user
        solution = SolutionFactory(group=group)
        update = UpdateFactory(solution=solution, title="Our first month", body="We insulated 12 lofts.")
        resident = UserFactory(display_name="Rita Resident")

    return World
