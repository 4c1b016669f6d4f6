"""Match quality of the peer matcher on synthetic groups drawn from hidden local contexts.

    .venv/bin/python bench/learning_quality.py [--contexts 60] [--per-context 30] [--seeds 3] [--weights ...]

Each hidden context fixes a kind of area, a deprivation decile, a population scale, a region, two
challenges, two approach tags and the situations its groups describe ("the last bus leaves at
six"). Contexts come in pairs of close contexts (same kind of area and challenges, deciles two
apart, another region, one situation and one tag in common). Each situation is written in three
voices (formal, colloquial, short) with different words for the same thing, and each approach tag
has a near-synonym a group may use instead ("insulation" / "draught-proofing"); a group writes a
long text (all its context's situations and a little filler) or a short one (one or two). Every
group has one structured field wrong (kind of area, decile a few off, main challenge not ticked or
region), on top of noisy population and tags. Relevance is graded: same context 2, close context 1.
We report precision@10 (same context) and nDCG@10 (graded) of the combined matcher, of each single
signal and of random ranking, through the same code the site uses (learning.matching). Exits
non-zero if the combined matcher does not beat every single signal. No database is needed.
"""

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")

# Situations by challenge, each in three voices: formal, colloquial, short. The voices of one
# situation share as few words as we could manage, as real groups describing the same thing do.
SITUATIONS = {
    "Transport": [
        (
            "Public transport services cease early in the evening, leaving residents without a way home.",
            "The last bus goes at six, so if you work late you're stuck.",
            "No buses after teatime.",
        ),
        (
            "Many older residents cannot reach the hospital for their appointments.",
            "Gran can't get to her clinic in town without begging a lift.",
            "Hard to get to hospital appointments.",
        ),
        (
            "Young people are unable to travel to college or apprenticeships.",
            "Our teenagers can't get to college because there's no way in.",
            "Students stranded, no route to college.",
        ),
        (
            "A volunteer driver scheme provides lifts for people without a car.",
            "We've got neighbours with cars who ferry folk about.",
            "Volunteer drivers give lifts.",
        ),
        (
            "The rail station has closed and the nearest stop is twelve miles away.",
            "They shut our train station years ago; now it's a long trek to the nearest one.",
            "Station closed, trains far off.",
        ),
    ],
    "Fuel poverty": [
        (
            "Households struggle to afford heating and many homes are poorly insulated.",
            "People are freezing indoors because the bills are through the roof.",
            "Cold homes, huge energy bills.",
        ),
        (
            "Older properties lose heat through single glazing and gaps around doors.",
            "The old cottages are draughty, the wind whistles through the windows.",
            "Draughts and old windows.",
        ),
        (
            "Residents on prepayment meters ration their energy use or self-disconnect.",
            "Folk on key meters just switch off when the credit runs out.",
            "Key meter families go without.",
        ),
        (
            "Damp and mould affect the health of children in rented housing.",
            "Kids in the rentals keep getting chesty from the black stuff on the walls.",
            "Mouldy, damp flats.",
        ),
        (
            "Homes are off the gas grid and rely on oil or electric storage heaters.",
            "We're not on mains gas out here, it's heating oil deliveries or nothing.",
            "No mains gas supply.",
        ),
    ],
    "Food insecurity": [
        (
            "A growing number of families cannot afford sufficient nutritious food.",
            "More and more parents are skipping meals so the kids can eat.",
            "Families going hungry.",
        ),
        (
            "The nearest supermarket is distant and the local shop charges high prices.",
            "The village shop is dear and the big store is miles off.",
            "Groceries too expensive nearby.",
        ),
        (
            "Surplus produce from local farms and retailers is redistributed to households in need.",
            "We pick up the leftover veg from farms and shops and hand it out.",
            "Sharing surplus food.",
        ),
        (
            "Children receive a free breakfast before school during term time.",
            "We feed the little ones toast and cereal before lessons start.",
            "Breakfast club for pupils.",
        ),
        (
            "During school holidays pupils lose access to free school meals.",
            "In the summer break the free dinners stop and parents panic.",
            "Holiday hunger.",
        ),
    ],
    "Loneliness": [
        (
            "Many older people live alone and experience social isolation.",
            "Lots of pensioners on their own don't see a soul all week.",
            "Isolated elderly residents.",
        ),
        (
            "A weekly lunch gathering brings residents together over a shared meal.",
            "Every Thursday we do a dinner in the hall and people have a natter.",
            "Community lunch.",
        ),
        (
            "Volunteers make regular telephone calls to check on housebound neighbours.",
            "We ring round the folk who can't get out, just to say hello.",
            "Phone befriending.",
        ),
        (
            "Recently bereaved residents lack support networks.",
            "When someone loses their husband or wife they're left with nobody.",
            "Widows and widowers alone.",
        ),
        (
            "New parents feel disconnected from the wider community.",
            "Mums with new babies say they go days without talking to another adult.",
            "Lonely new mothers.",
        ),
    ],
    "Youth provision": [
        (
            "There are no facilities or organised activities for teenagers in the area.",
            "There's nothing for the kids to do round here so they hang about.",
            "Nowhere for teens.",
        ),
        (
            "Antisocial behaviour has increased in the evenings around the park.",
            "Lads have been causing bother down the rec after dark.",
            "Trouble in the park at night.",
        ),
        (
            "Young people lack access to skills training and employment opportunities.",
            "School leavers can't find proper jobs or learn a trade.",
            "No jobs for school leavers.",
        ),
        (
            "A detached youth worker meets young people on the streets.",
            "Our worker goes out and chats with the kids where they hang out.",
            "Street-based youth work.",
        ),
        (
            "Mental health support for adolescents has long waiting lists.",
            "Teenagers who are struggling wait a year to see anyone.",
            "Long waits for young minds help.",
        ),
    ],
    "Flooding": [
        (
            "Properties along the river flood repeatedly after heavy rainfall.",
            "Every time it pours the beck bursts and the houses by the water get soaked.",
            "River floods homes.",
        ),
        (
            "Residents are unable to obtain affordable home insurance.",
            "Nobody will give us cover for the house any more, or it costs a fortune.",
            "Can't get insured.",
        ),
        (
            "A community flood warden network alerts vulnerable households.",
            "A few of us keep an eye on the water level and knock on doors when it rises.",
            "Flood wardens.",
        ),
        (
            "Drains and culverts are blocked and poorly maintained.",
            "The gullies are clogged with leaves and nobody clears them.",
            "Blocked drains.",
        ),
        (
            "Coastal erosion threatens roads and homes.",
            "The sea keeps eating the cliff and the lane is going over the edge.",
            "Cliffs crumbling.",
        ),
    ],
}
CHALLENGES = list(SITUATIONS)
# Approach tags in pairs of near-synonyms: a group may name its context's way of working either way.
TAG_PAIRS = [
    ("Insulation", "Draught-proofing"),
    ("Community transport", "Volunteer car scheme"),
    ("Food bank", "Community pantry"),
    ("Befriending", "Lunch club"),
    ("Youth club", "Detached youth work"),
    ("Flood wardens", "Natural flood management"),
    ("Energy advice", "Home energy checks"),
    ("Community fridge", "Surplus food sharing"),
    ("Men's shed", "Repair cafe"),
    ("Time bank", "Skills swap"),
    ("Community garden", "Allotments"),
    ("Debt advice", "Benefits advice"),
]
TAGS = [name for pair in TAG_PAIRS for name in pair]
SYNONYM = dict(TAG_PAIRS) | {b: a for a, b in TAG_PAIRS}
FILLER = [
    "We are a small group of volunteers.",
    "We meet once a month in the community centre.",
    "Anyone is welcome to join us.",
    "We started a couple of years ago.",
    "We are run entirely by local people.",
    "We have a small grant from the council.",
]
VOICES = ("formal", "colloquial", "short")
WRONG_FIELDS = ("area_kind", "decile", "challenge", "region")


def make_contexts(rng, pairs):
    """2 * pairs hidden contexts; contexts 2p and 2p + 1 are close to each other."""
    from learning.matching.features import AREA_KINDS, REGIONS

    contexts = []
    for _ in range(pairs):
        challenges = rng.choice(len(CHALLENGES), size=2, replace=False)
        chosen = [rng.permutation(len(SITUATIONS[CHALLENGES[c]])) for c in challenges]
        tags = rng.choice(len(TAG_PAIRS), size=3, replace=False)
        kind = rng.integers(len(AREA_KINDS))
        decile = int(rng.integers(1, 9))
        log_population = rng.uniform(2.5, 5.5)
        regions = rng.choice(len(REGIONS), size=2, replace=False)
        for twin in (0, 1):
            # The first context says situations 0-2 of each challenge, its twin 2-4: one in common.
            situations = [
                (c, int(s)) for c, order in zip(challenges, chosen, strict=True) for s in order[2 * twin : 2 * twin + 3]
            ]
            contexts.append(
                dict(
                    kind=kind,
                    decile=decile + 2 * twin,
                    log_population=log_population + rng.normal(0, 0.2) * twin,
                    region=regions[twin],
                    challenges=[int(c) for c in challenges],
                    tags=[TAG_PAIRS[tags[0]][0], TAG_PAIRS[tags[1 + twin]][0]],
                    situations=situations,
                )
            )
    return contexts


def describe(rng, situations, *, long):
    """A group's text: every situation (long) or one or two (short), each in a random voice."""
    if long:
        chosen = list(rng.permutation(len(situations)))
        filler = rng.choice(len(FILLER), size=2, replace=False)
    else:
        chosen = list(rng.choice(len(situations), size=int(rng.integers(1, 3)), replace=False))
        filler = rng.choice(len(FILLER), size=1)
    sentences = []
    for i in chosen:
        c, s = situations[i]
        sentences.append(SITUATIONS[CHALLENGES[c]][s][rng.integers(len(VOICES))])
    sentences += [FILLER[f] for f in filler]
    return " ".join(sentences[j] for j in rng.permutation(len(sentences)))


def make_groups(*, contexts, per_context, seed, long_share=0.6):
    """(groups, context of each group, close context of each group)."""
    from learning.matching.features import AREA_KINDS, REGIONS, GroupFeatures

    rng = np.random.default_rng(seed)
    hidden = make_contexts(rng, contexts // 2)
    tag_ids = {name: i + 1 for i, name in enumerate(TAGS)}
    groups, labels = [], []
    n_kinds, n_regions = len(AREA_KINDS), len(REGIONS)
    for c, context in enumerate(hidden):
        for _ in range(per_context):
            kind, region, decile = (
                context["kind"],
                context["region"],
                context["decile"] + int(round(rng.normal(0, 0.6))),
            )
            challenges = list(context["challenges"])
            if rng.random() < 0.3:
                challenges.append(int(rng.integers(len(CHALLENGES))))
            wrong = WRONG_FIELDS[rng.integers(len(WRONG_FIELDS))]
            if wrong == "area_kind":
                kind = (kind + rng.integers(1, n_kinds)) % n_kinds
            elif wrong == "decile":
                decile += int(rng.choice([-3, -2, 2, 3]))
            elif wrong == "challenge":
                challenges = [a for a in challenges if a != context["challenges"][0]] or [context["challenges"][1]]
            else:
                region = (region + rng.integers(1, n_regions)) % n_regions
            tags = set()
            for name in context["tags"]:
                if rng.random() < 0.7:
                    tags.add(SYNONYM[name] if rng.random() < 0.5 else name)
            if rng.random() < 0.3:
                tags.add(TAGS[rng.integers(len(TAGS))])
            groups.append(
                GroupFeatures(
                    id=len(groups) + 1,
                    area_kind=AREA_KINDS[kind],
                    deprivation_decile=int(np.clip(decile, 1, 10)),
                    population=int(10 ** (context["log_population"] + rng.normal(0, 0.3))),
                    region=REGIONS[region],
                    challenges={a + 1: CHALLENGES[a] for a in challenges},
                    tags={tag_ids[name]: name for name in tags},
                    text=describe(rng, context["situations"], long=rng.random() < long_share),
                )
            )
            labels.append(c)
    labels = np.array(labels)
    return groups, labels, labels ^ 1


def evaluate(ranked, labels, close, k=10):
    """Mean precision@k (same context) and nDCG@k with gains 2 (same context) and 1 (close context)."""
    same = labels[ranked] == labels[:, None]
    near = labels[ranked] == close[:, None]
    discounts = 1 / np.log2(np.arange(2, k + 2))
    dcg = ((2 * same + near)[:, :k] * discounts).sum(axis=1)
    counts = np.bincount(labels, minlength=labels.max() + 2)
    n_same, n_near = counts[labels] - 1, counts[close]
    ideal_gains = np.zeros((len(labels), k))
    positions = np.arange(k)[None, :]
    ideal_gains[positions < n_same[:, None]] = 2
    ideal_gains[(positions >= n_same[:, None]) & (positions < (n_same + n_near)[:, None])] = 1
    ideal = (ideal_gains * discounts).sum(axis=1)
    return same[:, :k].mean(), float(np.mean(dcg / ideal))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--contexts", type=int, default=60, help="hidden contexts (an even number: pairs of close ones)"
    )
    parser.add_argument("--per-context", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--long-share", type=float, default=0.6, help="share of groups writing a long text")
    parser.add_argument(
        "--weights",
        default="",
        help="weights to change, e.g. meaning=2,text=0.6 (starting with 'defaults': from learning.matching.weights.DEFAULT_WEIGHTS "
        "alone, e.g. defaults,meaning=0); "
        "default: the site's (settings.LEARNING_MATCH_WEIGHTS over the defaults)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from learning.matching.search import top_k
    from learning.matching.text import TextModel
    from learning.matching.vectors import context_vectors
    from learning.matching.weights import (
        APPROACH_SIGNALS,
        PLACE_SIGNALS,
        SIGNALS,
        lean_weights,
        match_weights,
        resolve_weights,
    )

    items = [item for item in args.weights.split(",") if item]
    start = {} if items[:1] == ["defaults"] else match_weights()
    weights = resolve_weights({**start, **dict(item.split("=") for item in items if item != "defaults")})
    # A signal's own row ranks by it alone, even when the weights switch it off.
    only = lambda *names: {s: (weights[s] or 1.0 if s in names else 0.0) for s in SIGNALS}  # noqa: E731
    matchers = {
        "combined (balanced)": weights,
        "combined, lean=place": lean_weights(weights, "place"),
        "combined, lean=approach": lean_weights(weights, "approach"),
        "structured context only (place + challenges)": only(*PLACE_SIGNALS, "challenges"),
        "place only": only(*PLACE_SIGNALS),
    }
    for signal in APPROACH_SIGNALS:
        matchers[f"{signal} only"] = only(signal)
    results = {name: [] for name in [*matchers, "random"]}
    for seed in range(args.seeds):
        groups, labels, close = make_groups(
            contexts=args.contexts, per_context=args.per_context, seed=seed, long_share=args.long_share
        )
        _, text_vectors, _ = TextModel.fit_transform([g.text for g in groups])
        vectors = context_vectors(groups, text_vectors)
        for name, w in matchers.items():
            ranked, _ = top_k(vectors, w, 10)
            results[name].append(evaluate(ranked, labels, close))
        rng = np.random.default_rng(seed)
        n = len(groups)
        ranked = np.array([rng.choice(np.delete(np.arange(n), i), size=10, replace=False) for i in range(n)])
        results["random"].append(evaluate(ranked, labels, close))

    print(
        f"# Match quality: {args.contexts} hidden contexts ({args.contexts // 2} close pairs) x {args.per_context} "
        f"groups, {args.long_share:.0%} long texts; mean of {args.seeds} seeds; weights {weights}"
    )
    print("| matcher | precision@10 | nDCG@10 (graded) |")
    print("|---|---|---|")
    means = {}
    for name, values in results.items():
        p, g = np.mean(values, axis=0)
        means[name] = (p, g)
        print(f"| {name} | {p:.3f} | {g:.3f} |")
    combined = means["combined (balanced)"]
    singles = ["structured context only (place + challenges)", *(f"{s} only" for s in APPROACH_SIGNALS)]
    beaten = [s for s in singles if means[s][0] >= combined[0] or means[s][1] >= combined[1]]
    if beaten:
        print(f"FAIL: the combined matcher does not beat {', '.join(beaten)}")
        sys.exit(1)
    print("OK: the combined matcher beats every single signal and random on both measures.")


if __name__ == "__main__":
    main()
