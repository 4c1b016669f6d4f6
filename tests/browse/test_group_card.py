"""The group list's cards are written in Python (groups/templatetags/group_cards.py) with the markup of
templates/groups/_group_card.html, character for character."""

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from groups.models import ChallengeArea, Group

from ..factories import ChallengeAreaFactory, GroupFactory

pytestmark = pytest.mark.django_db

THROUGH_TEMPLATE = '{% for group in groups %}{% include "groups/_group_card.html" %}{% endfor %}'
IN_PYTHON = "{% load group_cards %}{% for group in groups %}{% group_card group %}{% endfor %}"


def group(slug, areas=(), **fields):
    values = {
        "name": "Draughtbusters",
        "name_cy": "",
        "summary": "Draught-proofing homes",
        "summary_cy": "",
        "language": "en",
        "place_name": "Llanidloes",
        "postcode_district": "",
        "area_kind": "rural",
        "region": "wales",
    }
    made = Group(slug=slug, **{**values, **fields})
    made.area_list = [ChallengeArea(name=name, name_cy=name_cy) for name, name_cy in areas]
    return made


def groups():
    return [
        group("plain"),
        group(
            "marks",
            areas=[("Fuel <poverty> & cold", ""), ("Health", "Iechyd")],
            name='Tom & Jerry\'s "<Club>"',
            summary="Warm & <dry> homes",
            place_name="Bryn & <Dale>",
            postcode_district="SY18 <6>",
            area_kind="urban",
        ),
        group(
            "welsh",
            areas=[("Climate", "Hinsawdd")],
            name="Warm Homes",
            name_cy="Cartrefi Cynnes",
            summary="Warm homes",
            summary_cy="Cartrefi cynnes",
            region="london",
        ),
        group("welsh-only", name="Cymdeithas y Cwm", summary="Gwaith lleol", language="cy", area_kind="mixed"),
    ]


def render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_cards_equal_the_template(language):
    with translation.override(language):
        expected = render(THROUGH_TEMPLATE, groups=groups())
        written = render(IN_PYTHON, groups=groups())
    assert written == expected
    # The comparison covers what it should: escaping, postcodes, challenge areas, Welsh names.
    assert "Tom &amp; Jerry&#x27;s &quot;&lt;Club&gt;&quot;" in written
    assert "Bryn &amp; &lt;Dale&gt; (SY18 &lt;6&gt;)" in written
    assert written.count('<ul class="tags"') == 2
    assert ("Cartrefi Cynnes" in written) is (language == "cy")
    assert ("<li>Hinsawdd</li>" in written) is (language == "cy")


def test_the_group_list_shows_each_groups_card(client):
    health = ChallengeAreaFactory(name="Health & care")
    with_area = GroupFactory(name="Repair Café Hook Norton", place_name="Hook Norton", postcode_district="OX15")
    with_area.challenge_areas.add(health)
    GroupFactory(name="Warm Homes Llani")
    html = client.get(reverse("groups:list")).content.decode()
    link = f'<h3><a href="{with_area.get_absolute_url()}" lang="en-GB">Repair Café Hook Norton</a></h3>'
    assert link in html
    assert "Hook Norton (OX15)" in html
    assert "<li>Health &amp; care</li>" in html
    assert html.count('<article class="card group-card">') == 2
