"""Why two groups are peers: machine-readable reasons (stored as JSON with each match) and sentences.

`reasons(a, b)` is the reference; `PairReasons` gives the same JSON for many pairs at once.

What is stored never depends on the language: kinds of area and regions are stored by their English
labels, stages by their codes. The sentences are built when shown, in the active language: each stored
label is looked up by its code and shown translated (`render_reasons`).
"""

import functools
import json

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from challenges.models import Stage
from groups.models import AreaKind, Region

from .features import AREA_KINDS, AREA_SIMILARITY, REGIONS, STAGES, english_labels

CLOSE_DECILES = 2
CLOSE_POPULATION_RATIO = 3.0
SHARED_TERMS = 3


def reasons(a, b):
    """Machine-readable reasons why b is a peer of a (GroupFeatures), from b's point of view."""
    out = {}
    ka, kb = AREA_KINDS.index(a.area_kind), AREA_KINDS.index(b.area_kind)
    if AREA_SIMILARITY[ka, kb] >= 0.5:
        out["area_kind"] = [_label(a.area_label, a.area_kind), _label(b.area_label, b.area_kind)]
    if abs(a.deprivation_decile - b.deprivation_decile) <= CLOSE_DECILES:
        out["deciles"] = [a.deprivation_decile, b.deprivation_decile]
    low, high = sorted((max(1, a.population), max(1, b.population)))
    if high / low <= CLOSE_POPULATION_RATIO:
        out["populations"] = [a.population, b.population]
    if a.region == b.region:
        out["region"] = _label(a.region_label, a.region)
    shared = sorted(set(a.challenges) & set(b.challenges))
    if shared:
        out["challenges"] = [a.challenges[i] for i in shared]
    shared = sorted(set(a.tags) & set(b.tags))
    if shared:
        out["tags"] = [a.tags[i] for i in shared]
    terms = shared_terms(a.terms, b.terms)
    if terms:
        out["terms"] = terms
    if b.progress.value - a.progress.value > 0:
        p = b.progress
        out["ahead"] = {
            "stage": STAGES[p.stage] if p.stage >= 0 else "",
            "updates": p.updates,
            "months": round(p.months),
            "metrics_moving": p.metrics_moving,
            "metrics_total": p.metrics_total,
        }
    return out


def shared_terms(terms_a, terms_b, limit=SHARED_TERMS):
    """Salient terms both texts use, most salient for a first."""
    in_b = set(terms_b)
    return [t for t in terms_a if t in in_b][:limit]


def _label(label, code):
    return label or code.replace("_", " ").capitalize()


def _lower_first(text):
    # "Fuel poverty" -> "fuel poverty", but "NHS referrals" stays.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _and(items):
    items = list(items)
    if len(items) == 1:
        return items[0]
    # Translators: the end of a list, e.g. "fuel poverty, health and energy": %(items)s is the start of
    # the list, already joined by commas, %(last)s its last item.
    return pgettext("list", "%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


_COMPASS = {"North", "South", "East", "West"}


@functools.cache
def _codes(choices):
    """Stored label -> code of a model's choices: the English label, or the label made from the code."""
    english = english_labels(choices)
    codes = {_label("", code): code for code in english}
    codes.update({label: code for code, label in english.items()})
    return codes


def _shown(stored, choices):
    """A stored label (English) as the active language names it; a label of no known code as it is."""
    code = _codes(choices).get(stored)
    return stored if code is None else str(choices(code).label)


def _stage(code):
    """A stage's name within a sentence, in the active language (stored by its code)."""
    return _lower_first(str(Stage(code).label)) if code in Stage.values else code


def render_reasons(data, area_names=None):
    """Readable reasons, one string each, in the active language, from reasons() output (stored as JSON).

    `area_names` maps the challenge areas' names as stored (English) to the page's language (the Welsh
    names the site's staff gave them); without it they are shown as stored."""
    out = []
    if "area_kind" in data:
        a, b = data["area_kind"]
        if a == b:
            # Translators: %(kind)s is a kind of area ("rural", "small town"): both groups work in one.
            out.append(_("Both %(kind)s") % {"kind": _lower_first(_shown(a, AreaKind))})
        else:
            # Translators: two kinds of area ("Rural and coastal"): one group's, then the other's.
            kinds = pgettext("kinds of area", "%(kind)s and %(other_kind)s")
            out.append(kinds % {"kind": _shown(a, AreaKind), "other_kind": _lower_first(_shown(b, AreaKind))})
    if "deciles" in data:
        a, b = data["deciles"]
        if a == b:
            out.append(_("Both in deprivation decile %(decile)s") % {"decile": a})
        else:
            out.append(_("Deprivation deciles %(decile)s and %(other_decile)s") % {"decile": a, "other_decile": b})
    if "populations" in data:
        a, b = data["populations"]
        # Translators: the numbers of people the two groups serve, e.g. "Populations 4,000 and 6,500".
        populations = _("Populations %(population)s and %(other_population)s")
        out.append(populations % {"population": f"{a:,}", "other_population": f"{b:,}"})
    if "region" in data:
        region = data["region"]
        shown = _shown(region, Region)
        if region.split()[0] in _COMPASS:
            # Translators: a region named by a point of the compass ("the North West").
            out.append(_("Both in the %(region)s") % {"region": shown})
        else:
            # Translators: a region or nation ("Wales", "London", "Yorkshire and the Humber").
            out.append(_("Both in %(region)s") % {"region": shown})
    if data.get("challenges"):
        # Translators: %(challenges)s lists challenge areas, e.g. "fuel poverty and health".
        tackling = _("Both tackling %(challenges)s")
        names = [(area_names or {}).get(name, name) for name in data["challenges"]]
        out.append(tackling % {"challenges": _and(_lower_first(name) for name in names)})
    if data.get("tags"):
        # Translators: %(tags)s lists approaches, e.g. "energy advice and draught-proofing".
        out.append(_("Both using %(tags)s") % {"tags": _and(_lower_first(t) for t in data["tags"])})
    if data.get("terms"):
        # Translators: %(terms)s lists phrases both groups wrote, each in quotes: "‘youth club’ and ‘winter’".
        out.append(_("Both wrote about %(terms)s") % {"terms": _and(f"‘{t}’" for t in data["terms"])})
    if "ahead" in data:
        out.append(_ahead_phrase(data["ahead"]))
    return out


def _ahead_phrase(ahead):
    parts = []
    if ahead.get("stage"):
        # Translators: %(stage)s is the name of a stage of a solution ("pilot", "growing").
        parts.append(_("at the %(stage)s stage") % {"stage": _stage(ahead["stage"])})
    if ahead.get("updates"):
        updates = ahead["updates"]
        months = ahead.get("months") or 0
        phrase = ngettext("%(count)s update", "%(count)s updates", updates) % {"count": updates}
        if months >= 2:
            # Translators: %(updates)s is a number of updates ("6 updates"), %(count)s a number of months.
            phrase = ngettext("%(updates)s over %(count)s month", "%(updates)s over %(count)s months", months) % {
                "updates": phrase,
                "count": months,
            }
        parts.append(phrase)
    if ahead.get("metrics_total"):
        total = ahead["metrics_total"]
        moving = ngettext(
            # Translators: how many of the group's measures (metrics with a target) move toward their target,
            # e.g. "1 of 3 measures moving toward target". English says "measures" after any number.
            "%(moving)s of %(count)s measures moving toward target",
            "%(moving)s of %(count)s measures moving toward target",
            total,
        )
        parts.append(moving % {"moving": ahead["metrics_moving"], "count": total})
    if not parts:
        return _("Further along")
    # Translators: %(details)s says how: "at the growing stage, 6 updates over 18 months".
    return _("Further along: %(details)s") % {"details": ", ".join(parts)}


def explain(a, b):
    """Readable reasons why b (GroupFeatures) is a peer of a."""
    return render_reasons(reasons(a, b))


def reason_sentence(items):
    """One sentence from readable reasons (or from the stored reasons dict)."""
    if isinstance(items, dict):
        items = render_reasons(items)
    if not items:
        return ""
    return "; ".join([items[0]] + [_lower_first(item) for item in items[1:]]) + "."


def _json(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def reasons_json(a, b):
    """reasons(a, b) as the compact JSON text that is stored."""
    return _json(reasons(a, b))


class PairReasons:
    """reasons_json() for many pairs at once: the tests hold the two to the same output.

    Comparisons run on arrays; only joining the JSON fragments of each pair is a Python loop, which
    is linear in the number of stored matches (K per group), never in the number of pairs compared.
    """

    def __init__(self, features):
        self.kind = np.array([AREA_KINDS.index(f.area_kind) for f in features], dtype=np.int64)
        self.decile = np.array([f.deprivation_decile for f in features], dtype=np.int64)
        self.population = np.array([max(1, f.population) for f in features], dtype=np.float64)
        self.region = np.array([REGIONS.index(f.region) for f in features], dtype=np.int64)
        self.progress = np.array([f.progress.value for f in features])
        area_labels = {f.area_kind: _label(f.area_label, f.area_kind) for f in features}
        region_labels = {f.region: _label(f.region_label, f.region) for f in features}
        kinds = [area_labels.get(k, _label("", k)) for k in AREA_KINDS]
        self.area_fragment = [[f'"area_kind":{_json([x, y])}' for y in kinds] for x in kinds]
        self.decile_fragment = [[f'"deciles":[{x},{y}]' for y in range(11)] for x in range(11)]
        self.population_text = [str(f.population) for f in features]
        self.region_fragment = [f'"region":{_json(region_labels.get(r, _label("", r)))}' for r in REGIONS]
        self.challenges, self.challenge_names = self._masks([f.challenges for f in features])
        self.tags, self.tag_names = self._masks([f.tags for f in features])
        self.ahead_fragment = [_ahead_fragment(f.progress) for f in features]
        vocabulary = {}
        width = max([len(f.terms) for f in features] + [1])
        self.terms = np.full((len(features), width), -1, dtype=np.int64)
        for row, f in enumerate(features):
            for col, term in enumerate(f.terms):
                self.terms[row, col] = vocabulary.setdefault(term, len(vocabulary))
        self.term_json = [_json(term) for term in vocabulary]
        self._cache = {}

    @staticmethod
    def _masks(dicts):
        """Each group's ids as one integer bitmask, and each bit's name."""
        ids = sorted({i for d in dicts for i in d})
        bit = {i: n for n, i in enumerate(ids)}
        names = [""] * len(ids)
        for d in dicts:
            for i, name in d.items():
                names[bit[i]] = name
        masks = np.array([sum(1 << bit[i] for i in d) for d in dicts] + [0], dtype=object)[:-1]
        return masks, names

    def _names_fragment(self, key, mask, names):
        cached = self._cache.get((key, mask))
        if cached is None:
            chosen = [names[b] for b in range(mask.bit_length()) if mask >> b & 1]
            cached = self._cache[(key, mask)] = f'"{key}":{_json(chosen)}'
        return cached

    def json(self, a_rows, b_rows, *, chunk=50_000):
        """JSON reasons for the pairs (a_rows[i], b_rows[i]) (row numbers into the features)."""
        a_rows, b_rows = np.asarray(a_rows), np.asarray(b_rows)
        out = []
        for start in range(0, len(a_rows), chunk):
            out += self._json(a_rows[start : start + chunk], b_rows[start : start + chunk])
        return out

    def _json(self, a, b):
        ka, kb = self.kind[a], self.kind[b]
        close_kind = AREA_SIMILARITY[ka, kb] >= 0.5
        da, db = self.decile[a], self.decile[b]
        close_decile = np.abs(da - db) <= CLOSE_DECILES
        pa, pb = self.population[a], self.population[b]
        close_population = np.maximum(pa, pb) / np.minimum(pa, pb) <= CLOSE_POPULATION_RATIO
        same_region = self.region[a] == self.region[b]
        shared_challenges = self.challenges[a] & self.challenges[b]
        shared_tags = self.tags[a] & self.tags[b]
        ta, tb = self.terms[a], self.terms[b]
        shared = ((ta[:, :, None] == tb[:, None, :]) & (ta[:, :, None] >= 0)).any(axis=2)
        ahead = self.progress[b] - self.progress[a] > 0
        out = []
        for i in range(len(a)):
            parts = []
            if close_kind[i]:
                parts.append(self.area_fragment[ka[i]][kb[i]])
            if close_decile[i]:
                parts.append(self.decile_fragment[da[i]][db[i]])
            if close_population[i]:
                parts.append(f'"populations":[{self.population_text[a[i]]},{self.population_text[b[i]]}]')
            if same_region[i]:
                parts.append(self.region_fragment[self.region[a[i]]])
            if shared_challenges[i]:
                parts.append(self._names_fragment("challenges", shared_challenges[i], self.challenge_names))
            if shared_tags[i]:
                parts.append(self._names_fragment("tags", shared_tags[i], self.tag_names))
            if shared[i].any():
                terms = ta[i][shared[i]][:SHARED_TERMS]
                parts.append('"terms":[' + ",".join(self.term_json[t] for t in terms) + "]")
            if ahead[i]:
                parts.append(self.ahead_fragment[b[i]])
            out.append("{" + ",".join(parts) + "}")
        return out


def _ahead_fragment(p):
    return '"ahead":' + _json(
        {
            "stage": STAGES[p.stage] if p.stage >= 0 else "",
            "updates": p.updates,
            "months": round(p.months),
            "metrics_moving": p.metrics_moving,
            "metrics_total": p.metrics_total,
        }
    )
