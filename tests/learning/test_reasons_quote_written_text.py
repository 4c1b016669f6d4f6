"""The phrases a reason quotes ("Both wrote about ‘youth club’") were written, word for word, by both groups."""

import re

import pytest
from django.core.management import call_command

from learning import services
from learning.matching.text import analyze
from learning.models import Peer

from .factories import FUEL_POVERTY, FUEL_POVERTY_2, YOUTH, YOUTH_2, local_group

pytestmark = pytest.mark.django_db

# Texts with stop words, numbers and one-letter words between the words that matter, as people write.
TEXTS = [
    "We run a youth club on Fridays for young people on the estate.",
    "Young people run youth sessions in the church hall.",
    "Second homes and holiday lets leave the village empty in winter.",
    "Many homes are holiday lets; families cannot afford to stay.",
    "Older people sat at home alone all winter, so we started a lunch club.",
    "People who sat home alone now meet at the lunch club.",
    "Families with roots in the valley are priced out by second homes.",
    "Local families and their roots: an oral history of the valley.",
    "We insulated 40 homes and fitted draught-proofing in residents' homes.",
    "Residents' homes leak heat; volunteers fit draught proofing to 12 homes a month.",
    "Food & fuel banks share a van; the food bank opens on Tuesdays.",
    "The food bank and the fuel bank work together across the town.",
    "A repair café fixes bikes, kettles and lamps once a month.",
    "Our repair cafe meets in the library to fix what would be thrown away.",
    "Street patrols with the police cut anti-social behaviour near the park.",
    "Parents walk the park at night with a street pastor to keep it safe.",
    "Tree planting along the river by schools and the parish council.",
    "Schools plant trees by the river to slow the flood water.",
    "We grow vegetables in a community garden and give them to the food bank.",
    "The community garden grows food for families on low incomes.",
    FUEL_POVERTY,
    FUEL_POVERTY_2,
    YOUTH,
    YOUTH_2,
]
GLUED = {"run youth", "homes holiday", "sat home", "families roots", "insulated homes", "food fuel"}


def written(phrase, text):
    """`phrase` stands in `text` with its words next to each other: any case, words joined only by
    spaces, hyphens or an apostrophe (the punctuation `analyze` reads as a space)."""
    words = [re.escape(word) for word in phrase.split()]
    return re.search(r"(?<!\w)" + r"[\s'\-\u2010\u2011]+".join(words) + r"(?!\w)", text, re.IGNORECASE) is not None


def quoted_phrases():
    """(phrase, group's text, peer's text) for every phrase quoted in every stored reason."""
    texts = {feature.id: feature.text for feature in services.load_features()}
    return [
        (phrase, texts[group_id], texts[peer_id])
        for group_id, peer_id, reasons in Peer.objects.values_list("group_id", "peer_id", "reasons")
        for phrase in reasons.get("terms", [])
    ]


def assert_every_quote_was_written(quotes):
    wrong = [(phrase, a, b) for phrase, a, b in quotes if not (written(phrase, a) and written(phrase, b))]
    assert wrong == []


def test_every_quoted_phrase_stands_word_for_word_in_both_groups_texts():
    kinds = ["rural", "urban", "coastal", "small_town"]
    groups = [
        local_group(kind=kinds[i % 4], decile=1 + i % 10, population=2000 + 900 * i, challenge="c" + str(i % 5), text=t)
        for i, t in enumerate(TEXTS)
    ]
    services.rebuild_all_peers()
    quotes = quoted_phrases()
    assert len(quotes) > 40 and any(" " in phrase for phrase, _, _ in quotes)
    assert_every_quote_was_written(quotes)
    assert not GLUED & {phrase for phrase, _, _ in quotes}

    # And after incremental updates, which quote from the stored model and facts.
    for group in groups[:6]:
        services.recompute_peers_for_group(group_id=group.pk)
    assert_every_quote_was_written(quoted_phrases())


def test_demo_groups_reasons_quote_only_what_both_wrote():
    call_command("seed_demo")
    services.rebuild_all_peers()
    quotes = quoted_phrases()
    assert len(quotes) > 30
    assert_every_quote_was_written(quotes)


def test_no_phrase_is_glued_across_a_dropped_word():
    assert analyze("We run a youth club") == ["run", "youth", "club", "youth club"]
    assert "run youth" in analyze("Young people run youth sessions")
    for text in ["We run a youth club", "second homes and holiday lets", "they sat at home", "families with roots"]:
        assert not GLUED & set(analyze(text))
    assert "insulated homes" not in analyze("We insulated 40 homes")
    assert "food fuel" not in analyze("Food & fuel banks")
    assert {"draught proofing", "residents homes"} <= set(analyze("draught-proofing in residents' homes"))


def test_two_groups_quote_only_the_phrase_both_wrote():
    club = local_group(kind="urban", decile=8, population=200_000, challenge="youth", text="We run a youth club.")
    sessions = local_group(kind="urban", decile=8, population=200_000, challenge="youth", text="We run youth sessions.")
    services.rebuild_all_peers()
    terms = Peer.objects.get(group=club, peer=sessions).reasons.get("terms", [])
    assert "run youth" not in terms
    assert set(terms) <= {"run", "youth"}  # words both wrote may still be quoted
