import pytest
from django.urls import reverse

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("accounts:profile")


def test_profile_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_shows_and_saves_name_and_home_area(client):
    user = UserFactory(display_name="Kim", home_area="")
    client.force_login(user)
    assert b'value="Kim"' in client.get(URL).content
    response = client.post(URL, {"display_name": "Kim from Totnes", "home_area": "TQ9"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.home_area) == ("Kim from Totnes", "TQ9")


def test_profile_refuses_empty_name_and_keeps_typing(client):
    user = UserFactory(display_name="Kim")
    client.force_login(user)
    response = client.post(URL, {"display_name": "", "home_area": "Todmorden"})
    assert response.status_code == 400
    assert b'value="Todmorden"' in response.content
    assert b"This field is required" in response.content
    user.refresh_from_db()
    assert user.display_name == "Kim"
