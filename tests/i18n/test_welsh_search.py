"""Search finds Welsh words as written: PostgreSQL has no Welsh stemmer, and its English one both cuts Welsh
words ("cymdeithas" -> "cymdeitha") and drops those that are English stop words ("am")."""

import pytest
from django.db import connection

from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def names_found(client, query, prefix=""):
    page = client.get(f"{prefix}/groups/", {"q": query}).content.decode()
    return {name for name in ("Ynni Cymunedol Bro Dyfi", "Hook Norton Low Carbon", "Caffi Trwsio") if name in page}


@pytest.fixture
def groups(db):
    GroupFactory(
        name="Ynni Cymunedol Bro Dyfi",
        summary="Cymdeithas ynni gymunedol sy'n rhannu'r elw am byth.",
        language="cy",
    )
    GroupFactory(name="Hook Norton Low Carbon", summary="Community energy and warmer homes in a village.")
    GroupFactory(
        name="Machynlleth Repair Café",
        name_cy="Caffi Trwsio",
        summary="Monthly repair sessions.",
        summary_cy="Sesiynau trwsio bob mis.",
    )


@pytest.mark.parametrize(
    ("query", "found"), [("cymdeithas", {"Ynni Cymunedol Bro Dyfi"}), ("gymunedol", {"Ynni Cymunedol Bro Dyfi"})]
)
def test_welsh_words_are_found_as_written(client, groups, query, found):
    assert names_found(client, query) == found


def test_a_welsh_name_and_summary_are_searched_too(client, groups):
    assert "Machynlleth Repair Café" in client.get("/groups/", {"q": "trwsio"}).content.decode()


def test_english_words_are_still_found_by_their_stem(client, groups):
    if connection.vendor != "postgresql":
        pytest.skip("stems are PostgreSQL's: elsewhere words are matched as typed")
    assert names_found(client, "home") == {"Hook Norton Low Carbon"}  # "homes"


def test_a_welsh_word_that_is_an_english_stop_word_still_matches(client, groups):
    if connection.vendor != "postgresql":
        pytest.skip("stop words are PostgreSQL's")
    assert names_found(client, "am") == {"Ynni Cymunedol Bro Dyfi"}  # "am byth": for ever
