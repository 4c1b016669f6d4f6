import pytest

from ..factories import ChallengeAreaFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded logos go to a throw-away directory, not the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def area(db):
    return ChallengeAreaFactory(name="Climate", slug="climate")


@pytest.fixture
def group_data(area):
    """What a person fills in to describe a group, as the browser posts it; override any field."""

    def make(**overrides):
        data = {
            "name": "Hook Norton Low Carbon",
            "summary": "Villagers cutting the village's carbon footprint together.",
            "description": "We run a **car club** and insulate homes.",
            "place_name": "Hook Norton",
            "postcode_district": "OX15",
            "area_kind": "rural",
            "population": "2500",
            "deprivation_decile": "8",
            "region": "south_east",
            "challenge_areas": [str(area.pk)],
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make
