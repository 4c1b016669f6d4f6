"""The learning page's peer cards are written in Python (learning/templatetags/peer_cards.py) with the markup of
templates/learning/_peer_card.html, character for character."""

import pytest
from django.template import engines
from django.utils import translation

from groups.models import Group
from learning.selectors import PeerMatch

pytestmark = pytest.mark.django_db

THROUGH_TEMPLATE = '{% for match in matches %}{% include "learning/_peer_card.html" %}{% endfor %}'
IN_PYTHON = "{% load peer_cards %}{% for match in matches %}{% peer_card match with_score %}{% endfor %}"


def peer(slug, **fields):
    values = {
        "name": "Draughtbusters",
        "name_cy": "",
        "language": "en",
        "place_name": "Llanidloes",
        "area_kind": "rural",
        "region": "wales",
        "example_source": "",
    }
    return Group(slug=slug, **{**values, **fields})


def matches():
    return [
        PeerMatch(peer(slug="plain"), 0.5, 0.4, 0.6, 0.0, ["Both rural", "Same challenge: fuel poverty"]),
        PeerMatch(
            peer(slug="marks", name='Tom & Jerry\'s "<Club>"', place_name="Bryn & <Dale>", area_kind="urban"),
            0.123456,
            0.1,
            0.2,
            0.3,
            ["Both wrote about <insulation> & draughts"],
            historical=True,
        ),
        PeerMatch(peer(slug="welsh", name="Warm Homes", name_cy="Cartrefi Cynnes", region="london"), 1, 1, 1, 0, []),
        PeerMatch(
            peer(slug="welsh-only", name="Cymdeithas y Cwm", language="cy", area_kind="mixed"),
            0.9999,
            0.5,
            0.5,
            0,
            ["x"],
        ),
    ]


def render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("with_score", [True, False])
@pytest.mark.parametrize("can_manage", [True, False])
@pytest.mark.parametrize(("show_all", "few"), [(False, 2), (True, 2), (False, None)])
def test_the_cards_equal_the_template(language, with_score, can_manage, show_all, few):
    context = {
        "matches": matches(),
        "with_score": with_score,
        "can_manage": can_manage,
        "show_all": show_all,
        "few": few,
        "group": peer(slug="reader-group"),
    }
    with translation.override(language):
        expected = render(THROUGH_TEMPLATE, **context)
        written = render(IN_PYTHON, **context)
    assert written == expected
    # The comparison covers what it should: escaping, the badge, the score, the question link, phones.
    assert "Tom &amp; Jerry&#x27;s &quot;&lt;Club&gt;&quot;" in written
    assert written.count('class="badge"') == 1
    assert ("beyond-phone" in written) is (not show_all and few is not None)
    assert ("?from=reader-group" in written) is can_manage
    assert ("0.12<" in written) is with_score
