"""The matching signals and their weights: the defaults, the site's, and a lean's.

The one place the weights are written: settings.LEARNING_MATCH_WEIGHTS holds overrides only.
"""

from django.conf import settings

PLACE_SIGNALS = ("area_kind", "deprivation", "population", "region")
APPROACH_SIGNALS = ("challenges", "tags", "text", "meaning")
SIGNALS = PLACE_SIGNALS + APPROACH_SIGNALS

# Tuned with bench/learning_quality.py (docs/learning.md); override with settings.LEARNING_MATCH_WEIGHTS.
DEFAULT_WEIGHTS = {
    "area_kind": 1.0,
    "deprivation": 0.8,
    "population": 0.5,
    "region": 0.4,
    "challenges": 1.5,
    "tags": 1.2,
    "text": 0.6,
    "meaning": 1.2,
}
# How much the place and approach halves are multiplied by for each lean.
LEANS = {"place": (3.0, 1.0), "balanced": (1.0, 1.0), "approach": (1.0, 3.0)}


def resolve_weights(overrides=None):
    """The default weights updated with `overrides` (e.g. settings.LEARNING_MATCH_WEIGHTS)."""
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in (overrides or {}).items():
        if name not in weights:
            raise ValueError(f"Unknown matching signal {name!r}; known: {', '.join(SIGNALS)}.")
        weights[name] = float(value)
    if sum(weights.values()) <= 0:
        raise ValueError("At least one matching weight must be positive.")
    return weights


def match_weights():
    """The site's matching weights: defaults updated with settings.LEARNING_MATCH_WEIGHTS."""
    return resolve_weights(getattr(settings, "LEARNING_MATCH_WEIGHTS", None))


def lean_weights(weights, lean="balanced"):
    """Weights with the place or approach half scaled up for a lean."""
    if lean not in LEANS:
        raise ValueError(f"Unknown lean {lean!r}; use one of {', '.join(LEANS)}.")
    place_factor, approach_factor = LEANS[lean]
    return {
        name: value * (place_factor if name in PLACE_SIGNALS else approach_factor) for name, value in weights.items()
    }


def half_weights(weights):
    """(sum of place weights, sum of approach weights)."""
    return sum(weights[s] for s in PLACE_SIGNALS), sum(weights[s] for s in APPROACH_SIGNALS)
