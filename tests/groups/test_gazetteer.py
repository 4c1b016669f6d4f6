import csv
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groups import gazetteer
from groups.gazetteer import Place, resolve_place

REQUIRED_DISTRICTS = [
    "PH42",
    "NP8",
    "SY9",
    "SY8",
    "OX2",
    "OX7",
    "OX15",
    "NG2",
    "FY8",
    "N1C",
    "B12",
    "E2",
    "CH3",
    "NR10",
    "CH1",
    "SA9",
    "TQ9",
    "SW9",
    "PA41",
    "OL14",
    "E3",
    "E5",
    "TQ5",
    "LA9",
    "EH6",
    "SY20",
    "LD3",
]


@pytest.mark.parametrize("query", ["bishops castle", "Bishop's Castle", "BISHOP’S CASTLE", "  bishop's  castle "])
def test_place_names_ignore_case_and_punctuation(query):
    place = resolve_place(query)
    assert place.name == "Bishop's Castle"
    assert place.kind == "place"
    assert place.latitude == pytest.approx(52.49, abs=0.05) and place.longitude == pytest.approx(-3.00, abs=0.05)


def test_saint_and_st_are_the_same_word():
    assert resolve_place("Lytham Saint Anne's").name == "Lytham St Annes"


def test_most_populous_place_wins_for_ambiguous_names():
    # Newport in Wales (about 150,000 people) rather than Newport on the Isle of Wight or in Shropshire.
    place = resolve_place("Newport")
    assert place.latitude == pytest.approx(51.59, abs=0.05)


def test_text_after_a_comma_is_ignored_when_the_whole_does_not_match():
    assert resolve_place("Totnes, Devon").name == "Totnes"


@pytest.mark.parametrize(
    ("query", "district", "name"),
    [
        ("OX7", "OX7", "Chipping Norton"),
        ("ox7 5", "OX7", "Chipping Norton"),
        ("OX7 5QH", "OX7", "Chipping Norton"),
        ("ox75qh", "OX7", "Chipping Norton"),
        ("n1c 4ab", "N1C", "London"),
        ("sy9", "SY9", "Bishop's Castle"),
    ],
)
def test_postcodes_resolve_to_their_district(query, district, name):
    place = resolve_place(query)
    assert place == Place(
        name=name, postcode_district=district, latitude=place.latitude, longitude=place.longitude, kind="postcode"
    )


def test_district_without_a_row_falls_back_to_its_area_post_town():
    place = resolve_place("OX99")
    assert (place.name, place.postcode_district) == ("Oxford", "OX99")
    assert place.latitude == pytest.approx(51.75, abs=0.05)


def test_eigg_uses_the_coordinates_in_our_table():
    place = resolve_place("PH42 4RL")
    assert (place.name, place.latitude, place.longitude) == ("Isle of Eigg", 56.90, -6.16)
    assert resolve_place("Eigg").name == "Isle of Eigg"


@pytest.mark.parametrize("query", ["", "   ", "Nowhere-on-the-Marsh-upon-Zzz", "ZZ9", "12345", "QQ1 1AA"])
def test_unknown_places_and_postcodes_give_none(query):
    assert resolve_place(query) is None


@pytest.mark.parametrize("district", REQUIRED_DISTRICTS)
def test_every_required_district_resolves_to_a_uk_position(district):
    place = resolve_place(district)
    assert place is not None and place.kind == "postcode" and place.postcode_district == district
    assert 49.8 < place.latitude < 60.9 and -8.7 < place.longitude < 1.8


def test_every_row_of_the_table_resolves():
    with gazetteer.DISTRICTS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.reader(line for line in handle if line.strip() and not line.startswith("#")))
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)), "a code appears twice"
    areas = [code for code in codes if code.isalpha()]
    assert len(areas) >= 120
    for code, *_ in rows:
        # Area rows ("OX") are not postcodes a person would type, so ask for the row directly.
        place = gazetteer._resolve_district(code)
        assert place is not None, code
        assert 49.0 < place.latitude < 61.0 and -8.7 < place.longitude < 2.0, code


@given(
    area=st.sampled_from(["OX", "B", "SW", "N", "PH", "EH"]),
    digit=st.integers(min_value=1, max_value=9),
    sector=st.integers(min_value=0, max_value=9),
    unit=st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
    spaced=st.booleans(),
    lower=st.booleans(),
)
def test_any_full_postcode_reduces_to_its_outward_code(area, digit, sector, unit, spaced, lower):
    postcode = f"{area}{digit}{' ' if spaced else ''}{sector}{unit}"
    assert gazetteer.postcode_district(postcode.lower() if lower else postcode) == f"{area}{digit}"


def test_works_with_the_network_unavailable(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the gazetteer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    # Load everything again from the files while the network is gone.
    gazetteer._build_place_index.cache_clear()
    gazetteer._district_rows.cache_clear()
    assert resolve_place("Crickhowell").name == "Crickhowell"
    assert resolve_place("NP8 1AA").name == "Crickhowell"
