"""Starting a group through the site, as an organiser would."""

import pytest
from django.urls import reverse

from groups.models import Group, Membership, Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("groups:create")


@pytest.fixture
def organiser_client(client):
    client.force_login(UserFactory(display_name="Olivia"))
    return client


def test_form_has_every_field_with_a_label(organiser_client):
    html = organiser_client.get(URL).content.decode()
    for field in (
        "name",
        "summary",
        "description",
        "place_name",
        "postcode_district",
        "area_kind",
        "population",
        "deprivation_decile",
        "region",
        "logo",
    ):
        assert f'for="id_{field}"' in html, field
    assert "<legend>Challenges you work on</legend>" in html
    assert 'enctype="multipart/form-data"' in html


def test_create_a_group_and_become_its_owner(organiser_client, group_data, area):
    response = organiser_client.post(URL, group_data(), follow=True)
    group = Group.objects.get()
    assert response.redirect_chain == [(group.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "Your group “Hook Norton Low Carbon” is on Localism. You are its owner." in html
    assert (group.slug, group.postcode_district, group.population, group.deprivation_decile) == (
        "hook-norton-low-carbon",
        "OX15",
        2500,
        8,
    )
    assert group.latitude == pytest.approx(51.996, abs=0.01)
    assert list(group.challenge_areas.all()) == [area]
    membership = Membership.objects.get(group=group)
    assert membership.role == Role.OWNER and membership.user.display_name == "Olivia"
    assert 'href="/groups/hook-norton-low-carbon/edit/"' in html


def test_full_postcode_is_stored_as_its_district(organiser_client, group_data):
    organiser_client.post(URL, group_data(postcode_district="ox15 5dx"))
    assert Group.objects.get().postcode_district == "OX15"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the name of your group."),
        ({"summary": ""}, "Enter a short summary of what your group does."),
        ({"place_name": ""}, "Enter the town, village or neighbourhood where your group works."),
        ({"area_kind": ""}, "Choose the kind of area you work in."),
        ({"region": ""}, "Choose your region or nation."),
        ({"population": ""}, "Enter roughly how many people live in the area you serve."),
        ({"population": "-5"}, "The population must be at least 1."),
        ({"population": "lots"}, "Enter the population as a whole number, for example 2500."),
        ({"deprivation_decile": "0"}, "The deprivation decile must be from 1 (most deprived) to 10 (least deprived)."),
        ({"deprivation_decile": "11"}, "The deprivation decile must be from 1 (most deprived) to 10 (least deprived)."),
        ({"postcode_district": "nowhere"}, "Enter a postcode district such as OX7 or SW9"),
        (
            {"place_name": "Atlantis", "postcode_district": ""},
            "We could not find “Atlantis”. Try the nearest town or your postcode district, e.g. OX7.",
        ),
    ],
)
def test_bad_input_is_shown_with_what_was_typed(organiser_client, group_data, overrides, message):
    data = group_data(name="Typed name kept", description="My *long* story, typed carefully.")
    data.update(overrides)
    response = organiser_client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    for value in overrides.values():
        if value:
            assert f'value="{value}"' in html or f">{value}<" in html
    assert "My *long* story, typed carefully." in html
    if overrides.get("name") != "":
        assert 'value="Typed name kept"' in html
    assert not Group.objects.exists()


def test_error_is_tied_to_its_field_for_screen_readers(organiser_client, group_data):
    html = organiser_client.post(URL, group_data(place_name="Atlantis", postcode_district="")).content.decode()
    assert 'id="id_place_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_place_name"' in html


def test_empty_post_gives_400_with_messages_not_500(organiser_client):
    response = organiser_client.post(URL, {})
    assert response.status_code == 400
    assert "Enter the name of your group." in response.content.decode()


def test_unverified_account_may_not_create(client, group_data):
    client.force_login(UserFactory(verified=False))
    response = client.post(URL, group_data())
    assert response.status_code == 403
    assert "verify your email address" in response.content.decode()
    assert not Group.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
