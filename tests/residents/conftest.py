import pytest

from ..factories import GroupFactory
from .factories import ActionFactory


@pytest.fixture
def kendal_group(db):
    return GroupFactory(
        name="Kendal Green Streets", place_name="Kendal", postcode_district="LA9", latitude=54.328, longitude=-2.745
    )


@pytest.fixture
def action(group):
    return ActionFactory(group=group)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the code queued for after commit (mail tasks) when the block ends,
    as a real commit would; tests run inside a transaction that never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
