"""What the matcher knows about a group, and the vocabularies of its structured fields.

The vocabularies are the models' choices, in the models' order: a vector's columns follow that order,
so adding a kind of area, a region or a stage changes the vectors' layout (run `manage.py rebuild_peers`).
"""

import functools
import math
from dataclasses import dataclass, field

import numpy as np
from django.utils import translation

from challenges.models import Stage
from groups.models import AreaKind, Region

AREA_KINDS = tuple(AreaKind.values)
REGIONS = tuple(Region.values)
STAGES = tuple(Stage.values)


@functools.cache
def english_labels(choices):
    """Code -> English label of a model's choices (AreaKind, Region): the labels the features and the
    stored reasons hold, whatever language is active, so what is stored never depends on it. The
    reasons are shown in the active language (`reasons.render_reasons`)."""
    with translation.override("en"):
        return {code: str(label) for code, label in choices.choices}


# How alike two kinds of area are. Rural, coastal and island places share sparse services, long
# journeys and small populations, so they are close to each other and far from urban. One row per
# kind of area, in AREA_KINDS order; the columns are in the same order as the rows.
_AREA_ROWS = {
    # columns: urban, suburban, small town, rural, coastal, island
    AreaKind.URBAN: (1.00, 0.60, 0.25, 0.00, 0.05, 0.00),
    AreaKind.SUBURBAN: (0.60, 1.00, 0.45, 0.10, 0.10, 0.00),
    AreaKind.SMALL_TOWN: (0.25, 0.45, 1.00, 0.40, 0.40, 0.20),
    AreaKind.RURAL: (0.00, 0.10, 0.40, 1.00, 0.55, 0.50),
    AreaKind.COASTAL: (0.05, 0.10, 0.40, 0.55, 1.00, 0.65),
    AreaKind.ISLAND: (0.00, 0.00, 0.20, 0.50, 0.65, 1.00),
}
if tuple(_AREA_ROWS) != AREA_KINDS or any(len(row) != len(AREA_KINDS) for row in _AREA_ROWS.values()):
    raise RuntimeError(
        "groups.models.AreaKind changed: learning.matching.features needs a row and a column for every kind "
        "of area, in the model's order."
    )
AREA_SIMILARITY = np.array(list(_AREA_ROWS.values()))


@dataclass
class Progress:
    """How far along a group is: its most advanced published solution, updates and metrics."""

    stage: int = -1  # index in STAGES; -1 when nothing is published
    updates: int = 0  # published updates
    months: float = 0.0  # between the first and the latest published update
    metrics_total: int = 0  # measured metrics with a target
    metrics_moving: int = 0  # of those, latest reading closer to the target than the first
    metrics_progress: float = 0.0  # mean share of the way from the first reading to the target

    @property
    def value(self):
        """0..1: stage counts most; then updates, time, and metrics moving toward target."""
        if self.stage < 0:
            return 0.0
        return (
            0.4 * self.stage / (len(STAGES) - 1)
            + 0.2 * min(1.0, math.log1p(self.updates) / math.log1p(12))
            + 0.2 * min(1.0, self.months / 24)
            + 0.2 * self.metrics_progress
        )


def ahead_scores(progress_a, progress_b):
    """How much further along b is than a (0 when it is not): arrays of Progress.value."""
    return np.clip(np.asarray(progress_b) - np.asarray(progress_a), 0, None)


@dataclass
class GroupFeatures:
    """Everything the matcher knows about a group. `terms` is filled from the text model."""

    id: int
    area_kind: str
    deprivation_decile: int
    population: int
    region: str
    challenges: dict = field(default_factory=dict)  # ChallengeArea id -> name
    tags: dict = field(default_factory=dict)  # ApproachTag id -> name
    text: str = ""
    progress: Progress = field(default_factory=Progress)
    terms: list = field(default_factory=list)  # salient text terms, most salient first
    area_label: str = ""
    region_label: str = ""

    def to_facts(self):
        """A JSON-able summary, stored so explanations need no re-reading of the group's text."""
        return {
            "area_kind": self.area_kind,
            "area_label": self.area_label,
            "decile": self.deprivation_decile,
            "population": self.population,
            "region": self.region,
            "region_label": self.region_label,
            "challenges": [[k, v] for k, v in sorted(self.challenges.items())],
            "tags": [[k, v] for k, v in sorted(self.tags.items())],
            "terms": list(self.terms),
            "progress": self.progress.__dict__.copy(),
        }

    @classmethod
    def from_facts(cls, group_id, facts):
        return cls(
            id=group_id,
            area_kind=facts["area_kind"],
            deprivation_decile=facts["decile"],
            population=facts["population"],
            region=facts["region"],
            challenges={int(k): v for k, v in facts["challenges"]},
            tags={int(k): v for k, v in facts["tags"]},
            progress=Progress(**facts["progress"]),
            terms=list(facts["terms"]),
            area_label=facts.get("area_label", ""),
            region_label=facts.get("region_label", ""),
        )
