"""The solution list's cards are written in Python (challenges/templatetags/solution_cards.py) with the markup
of templates/challenges/_solution_card.html, character for character."""

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from challenges.models import ApproachTag, Solution
from groups.models import ChallengeArea, Group

from ..factories import SolutionFactory

pytestmark = pytest.mark.django_db

THROUGH_TEMPLATE = '{% for solution in solutions %}{% include "challenges/_solution_card.html" %}{% endfor %}'
IN_PYTHON = "{% load solution_cards %}{% for solution in solutions %}{% solution_card solution %}{% endfor %}"


def solution(slug, tags=(), group=None, area=("Fuel poverty", ""), **fields):
    values = {"title": "Warm homes", "approach": "Draught-proofing visits.", "stage": "pilot"}
    group_values = {"name": "Draughtbusters", "name_cy": "", "language": "en", "place_name": "Llanidloes"}
    made = Solution(
        slug=slug,
        group=Group(slug=f"group-{slug}", area_kind="rural", region="wales", **{**group_values, **(group or {})}),
        challenge_area=ChallengeArea(name=area[0], name_cy=area[1]),
        **{**values, **fields},
    )
    made.tag_names = list(tags)
    return made


def solutions():
    long_approach = " ".join(f"word{number}" for number in range(40)) + " <end> & more"
    return [
        solution("plain"),
        solution(
            "marks",
            tags=["Energy <advice>", "Draught-proofing & repairs"],
            group={"name": 'Tom & Jerry\'s "<Club>"', "place_name": "Bryn & <Dale>"},
            area=("Health & <care>", ""),
            title="Warm <homes> & dry",
            approach=long_approach,
            stage="running",
        ),
        solution(
            "welsh",
            tags=["Insulation"],
            group={"name": "Warm Homes", "name_cy": "Cartrefi Cynnes"},
            area=("Climate", "Hinsawdd"),
            stage="idea",
        ),
        solution("welsh-only", group={"name": "Cymdeithas y Cwm", "language": "cy"}, approach="Gwaith\nlleol"),
    ]


def render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_cards_equal_the_template(language):
    with translation.override(language):
        expected = render(THROUGH_TEMPLATE, solutions=solutions())
        written = render(IN_PYTHON, solutions=solutions())
    assert written == expected
    # The comparison covers what it should: escaping, shortened approaches, tags, stages, Welsh names.
    assert "Tom &amp; Jerry&#x27;s &quot;&lt;Club&gt;&quot;" in written
    assert "word29 …</p>" in written and "&lt;end&gt;" not in written
    assert "<li>Energy &lt;advice&gt;</li>" in written
    assert written.count('<ul class="tags"') == 2
    assert ("Cartrefi Cynnes" in written) is (language == "cy")
    assert ("Hinsawdd" in written) is (language == "cy")


def test_the_solution_list_shows_each_solutions_card(client):
    shown = SolutionFactory(title="Repair café", approach="Fix it together.")
    tag = ApproachTag.objects.create(name="Repair & reuse", slug="repair-reuse")
    shown.approach_tags.add(tag)
    SolutionFactory(title="Warm homes")
    html = client.get(reverse("challenges:solution_list")).content.decode()
    assert f'<a href="{shown.get_absolute_url()}">Repair café</a></h3>' in html
    assert "<li>Repair &amp; reuse</li>" in html
    assert '<p lang="en-GB">Fix it together.</p>' in html
    assert html.count('<article class="card">') == 2
