import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import ChallengeAreaFactory, MetricFactory, SolutionFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def area(db):
    return ChallengeAreaFactory(name="Climate", slug="climate")


@pytest.fixture
def solution(group):
    return SolutionFactory(group=group, title="Warm homes", slug="warm-homes")


@pytest.fixture
def shared_metric(db):
    return MetricFactory(name="Homes insulated", unit="homes")


def png_upload(name="photo.png", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def solution_post(area, **overrides):
    """A complete, valid POST for the solution form."""
    data = {
        "title": "Street-by-street draught-proofing",
        "challenge_area": str(area.pk),
        "problem": "Old terraces leak heat.",
        "approach": "Volunteers fit draught strips.",
        "why_here": "Most homes here are Victorian.",
        "who_involved": "",
        "resources_needed": "",
        "stage": "pilot",
        "status": "published",
        "tags": "",
    }
    data.update(overrides)
    return data


def update_post(**overrides):
    data = {
        "title": "Forty homes done",
        "body": "We visited *forty* homes.",
        "status": "published",
        "what_worked": "",
        "what_didnt": "",
        "do_differently": "",
    }
    data.update(overrides)
    return data
