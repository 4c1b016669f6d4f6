"""Editing a group, including two people editing at once."""

import re

import pytest
from django.urls import reverse

from groups.models import Group

from ..factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(area):
    return GroupFactory(name="Totnes Transition", place_name="Totnes", postcode_district="TQ9", areas=[area])


def edit_url(group):
    return reverse("groups:edit", kwargs={"slug": group.slug})


def form_values(html):
    """The values a browser would post back from the edit form (text inputs, textareas, selects)."""
    values = dict(re.findall(r'<input type="(?:text|number|hidden)" name="(\w+)" value="([^"]*)"', html))
    values.update(re.findall(r'<textarea name="(\w+)"[^>]*>\n?(.*?)</textarea>', html, flags=re.S))
    for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', html, flags=re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = selected.group(1) if selected else ""
    values["challenge_areas"] = re.findall(r'name="challenge_areas" value="(\d+)"[^>]*checked', html)
    return values


def test_form_is_filled_in_with_the_group_as_saved(client, group):
    client.force_login(MembershipFactory(group=group, role="organiser").user)
    response = client.get(edit_url(group))
    assert response.status_code == 200
    values = form_values(response.content.decode())
    assert values["name"] == "Totnes Transition"
    assert values["postcode_district"] == "TQ9"
    assert values["version"] == "1"
    assert values["area_kind"] == "small_town"
    assert values["challenge_areas"] == [str(a.pk) for a in group.challenge_areas.all()]


def test_owner_edits_the_group(client, group, group_data):
    client.force_login(MembershipFactory(group=group, role="owner").user)
    old_slug = group.slug
    response = client.post(edit_url(group), group_data(name="Transition Town Totnes", version="1"), follow=True)
    assert response.redirect_chain == [(group.get_absolute_url(), 302)]
    assert "Your changes are saved." in response.content.decode()
    group.refresh_from_db()
    assert (group.name, group.version, group.postcode_district) == ("Transition Town Totnes", 2, "OX15")
    assert group.slug == old_slug  # links to the group keep working when it is renamed
    assert group.latitude == pytest.approx(51.996, abs=0.01)


def test_stale_edit_is_refused_and_text_kept(client, group):
    """Two organisers open the form, both save: the second is told, and keeps their text."""
    first, second = (MembershipFactory(group=group, role=role).user for role in ("owner", "organiser"))
    client.force_login(first)
    first_form = form_values(client.get(edit_url(group)).content.decode())
    client.force_login(second)
    second_form = form_values(client.get(edit_url(group)).content.decode())

    client.force_login(first)
    first_form["summary"] = "Summary saved by the first editor."
    assert client.post(edit_url(group), first_form).status_code == 302

    client.force_login(second)
    second_form["summary"] = "My careful rewrite that must not be lost."
    response = client.post(edit_url(group), second_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this group while you were editing. Your changes have not been saved" in html
    # What they typed is in the form; what is saved now is shown to compare with.
    assert "My careful rewrite that must not be lost." in form_values(html)["summary"]
    assert "Summary saved by the first editor." in html
    group.refresh_from_db()
    assert group.summary == "Summary saved by the first editor."
    assert group.version == 2

    # The form now carries the current version, so saving again (a deliberate choice) works.
    assert form_values(html)["version"] == "2"
    assert client.post(edit_url(group), form_values(html)).status_code == 302
    group.refresh_from_db()
    assert (group.summary, group.version) == ("My careful rewrite that must not be lost.", 3)


def saved_note(html, field):
    """The "saved now" note at a field of the conflict page, or None if the field is not marked."""
    found = re.search(rf'<div class="saved-now" id="id_{field}_saved">(.*?)</div>\s*<p', html, flags=re.S)
    return found.group(1) if found else None


def test_conflict_page_marks_only_the_fields_that_differ_from_the_saved_version(client, group):
    """The saved value sits at each field that differs, above what this person typed; a list at the
    top links to those fields; fields that are the same carry no mark."""
    first, second = (MembershipFactory(group=group, role=role).user for role in ("owner", "organiser"))
    client.force_login(first)
    first_form = form_values(client.get(edit_url(group)).content.decode())
    client.force_login(second)
    second_form = form_values(client.get(edit_url(group)).content.decode())

    client.force_login(first)
    first_form.update(summary="Summary saved by the first editor.", population="3100")
    assert client.post(edit_url(group), first_form).status_code == 302

    client.force_login(second)
    second_form["summary"] = "My careful rewrite that must not be lost."
    response = client.post(edit_url(group), second_form)
    assert response.status_code == 409
    html = response.content.decode()

    # The summary: the saved text at the field, and theirs in the box.
    assert "Summary saved by the first editor." in saved_note(html, "summary")
    assert "Not the same as the version saved now." in saved_note(html, "summary")
    assert form_values(html)["summary"] == "My careful rewrite that must not be lost."
    # The population they did not touch: what is saved now is shown, their old value is kept in the box.
    assert "3100" in saved_note(html, "population")
    assert form_values(html)["population"] == second_form["population"] != "3100"
    # Everything else is the same on both sides, so it is not marked.
    for same in ("name", "description", "place_name", "postcode_district", "area_kind", "region", "challenge_areas"):
        assert saved_note(html, same) is None, same
    assert html.count('class="saved-now"') == 2
    # The list at the top names the two fields and links to them; the notes describe the inputs.
    summary_list = re.search(r'<ul class="conflict-fields">(.*?)</ul>', html, flags=re.S).group(1)
    assert re.findall(r'<a href="#(\w+)">([^<]+)</a>', summary_list) == [
        ("id_summary_saved", "Summary"),
        ("id_population_saved", "Population served"),
    ]
    assert "2 fields differ from the version saved now" in html
    assert re.search(r'<textarea name="summary"[^>]*aria-describedby="id_summary_saved id_summary_helptext"', html)
    assert "Save my version" in html


def test_conflict_page_shows_choices_by_their_names(client, group, area):
    other_area = type(area).objects.create(name="Food", slug="food")
    first, second = (MembershipFactory(group=group, role=role).user for role in ("owner", "organiser"))
    client.force_login(second)
    second_form = form_values(client.get(edit_url(group)).content.decode())
    client.force_login(first)
    first_form = form_values(client.get(edit_url(group)).content.decode())
    first_form.update(area_kind="rural", challenge_areas=[str(other_area.pk)])
    assert client.post(edit_url(group), first_form).status_code == 302

    client.force_login(second)
    html = client.post(edit_url(group), second_form).content.decode()
    assert "Rural" in saved_note(html, "area_kind")
    assert "Food" in saved_note(html, "challenge_areas") and "Climate" not in saved_note(html, "challenge_areas")
    assert saved_note(html, "name") is None


def test_saving_again_after_a_conflict_saves_this_persons_version(client, group):
    first, second = (MembershipFactory(group=group, role=role).user for role in ("owner", "organiser"))
    client.force_login(second)
    second_form = form_values(client.get(edit_url(group)).content.decode())
    client.force_login(first)
    first_form = form_values(client.get(edit_url(group)).content.decode())
    first_form["name"] = "Totnes Transition Town"
    assert client.post(edit_url(group), first_form).status_code == 302

    client.force_login(second)
    second_form["description"] = "Line one.\r\nLine two."
    refused = client.post(edit_url(group), second_form)
    assert refused.status_code == 409
    assert "Totnes Transition Town" in saved_note(refused.content.decode(), "name")

    again = client.post(edit_url(group), form_values(refused.content.decode()))
    assert again.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.version) == ("Totnes Transition", 3)  # their version, chosen deliberately
    assert group.description.splitlines() == ["Line one.", "Line two."]


def test_bad_edit_is_shown_with_what_was_typed(client, group, group_data):
    client.force_login(MembershipFactory(group=group, role="owner").user)
    response = client.post(
        edit_url(group), group_data(name="New name typed", deprivation_decile="11", population="-5", version="1")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The deprivation decile must be from 1 (most deprived) to 10 (least deprived)." in html
    assert "The population must be at least 1." in html
    assert 'value="New name typed"' in html and 'value="11"' in html and 'value="-5"' in html
    group.refresh_from_db()
    assert (group.name, group.version) == ("Totnes Transition", 1)


def test_unknown_place_on_edit_is_a_form_error(client, group, group_data):
    client.force_login(MembershipFactory(group=group, role="organiser").user)
    response = client.post(edit_url(group), group_data(place_name="Narnia", postcode_district="", version="1"))
    assert response.status_code == 400
    assert (
        "We could not find “Narnia”. Try the nearest town or your postcode district, e.g. OX7."
        in response.content.decode()
    )
    assert Group.objects.get(pk=group.pk).place_name == "Totnes"


def test_missing_version_is_a_400_not_a_500(client, group, group_data):
    client.force_login(MembershipFactory(group=group, role="organiser").user)
    response = client.post(edit_url(group), group_data())
    assert response.status_code == 400
    assert Group.objects.get(pk=group.pk).version == 1


def test_unknown_group_is_404(client, group):
    client.force_login(MembershipFactory(group=group, role="owner").user)
    assert client.get(reverse("groups:edit", kwargs={"slug": "no-such-group"})).status_code == 404
