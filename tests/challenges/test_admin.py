"""The admin lists and searches every challenges model."""

import pytest
from django.urls import reverse

from tests.factories import MetricReadingFactory, UpdateFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = ["approachtag", "metric", "solution", "solutionmetric", "update", "updateimage", "metricreading"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_filters_and_search(client, model):
    MetricReadingFactory(update=UpdateFactory())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse(f"admin:challenges_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200
    assert 'id="searchbar"' in response.content.decode()


def test_update_admin_shows_its_readings_and_images(client):
    reading = MetricReadingFactory(update=UpdateFactory(), value=42)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:challenges_update_change", args=[reading.update.pk])).content.decode()
    assert 'name="readings-0-value" value="42' in html
    assert "images-TOTAL_FORMS" in html
