"""Uploaded images are served at MEDIA_URL with DEBUG off, as in production (they were 404)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from groups.models import Group

from .uploads import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@override_settings(DEBUG=False)
def test_an_uploaded_logo_is_served_with_debug_off(client, user, group_data):
    client.force_login(user)
    client.post(reverse("groups:create"), {**group_data(), "logo": image_upload("logo.png")})
    group = Group.objects.get()
    assert group.logo.url.startswith("/media/")
    client.logout()
    response = client.get(group.logo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "max-age=" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    unchanged = client.get(group.logo.url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert unchanged.status_code == 304


@pytest.mark.parametrize("path", ["/media/../localism/settings.py", "/media/%2e%2e/manage.py", "/media/..%2fmanage.py"])
def test_nothing_outside_the_uploads_is_served(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "SECRET_KEY" not in response.content.decode() and "<main" in response.content.decode()


def test_a_missing_upload_is_our_404(client):
    response = client.get("/media/missing.png")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_uploads_are_only_read(client, user):
    client.force_login(user)
    assert client.post("/media/logo.png").status_code == 405
