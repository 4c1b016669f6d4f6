"""Match quality of the peer matcher on synthetic groups drawn from hidden local contexts.

    .venv/bin/python bench/learning_quality.py [--contexts 60] [--per-context 50] [--seeds 3]

Each hidden context fixes a kind of area, a deprivation decile, a population scale, a region, a
couple of challenges and approach tags, and a handful of words its groups tend to use. Groups are
drawn from a context with noise on every field; their text mixes the context's words with
background words. A peer is relevant when it comes from the same hidden context. We report
precision@10 and nDCG@10 of the combined matcher, of each single signal, and of random ranking,
through the same code the site uses (learning.matching). Exits non-zero if the combined matcher
does not beat every single signal. No database is needed.
"""

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")

SYLLABLES = [
    "ba",
    "be",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "ka",
    "ke",
    "ki",
    "ko",
    "la",
    "le",
    "li",
    "lo",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "ni",
    "no",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "va",
    "ve",
    "vi",
    "wa",
    "we",
]
N_CHALLENGES, N_TAGS = 8, 25
WORDS_PER_CHALLENGE, LOCAL_WORDS, N_BACKGROUND = 30, 4, 3000


def pseudo_words(rng, count):
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES, size=rng.integers(2, 5))))
    return sorted(words)


def make_groups(*, contexts, per_context, seed, context_word_share=0.2, text_words=25):
    """Groups from hidden contexts. A context's words are mostly the vocabulary of its challenges
    (shared with every other context tackling them) plus a few words of its own; a group's text
    draws `context_word_share` of its words from them and the rest from Zipf-distributed background
    words. One group in five writes only a line."""
    from learning import matching
    from learning.matching import GroupFeatures

    rng = np.random.default_rng(seed)
    vocabulary = pseudo_words(rng, N_CHALLENGES * WORDS_PER_CHALLENGE + contexts * LOCAL_WORDS + N_BACKGROUND)
    challenge_words = [vocabulary[i * WORDS_PER_CHALLENGE : (i + 1) * WORDS_PER_CHALLENGE] for i in range(N_CHALLENGES)]
    local_start = N_CHALLENGES * WORDS_PER_CHALLENGE
    background = vocabulary[local_start + contexts * LOCAL_WORDS :]
    zipf = 1 / np.arange(1, N_BACKGROUND + 1)
    zipf /= zipf.sum()
    hidden = []
    for c in range(contexts):
        challenges = rng.choice(N_CHALLENGES, size=2, replace=False)
        words = [w for a in challenges for w in rng.choice(challenge_words[a], size=6, replace=False)]
        words += vocabulary[local_start + c * LOCAL_WORDS : local_start + (c + 1) * LOCAL_WORDS]
        hidden.append(
            dict(
                kind=rng.integers(len(matching.AREA_KINDS)),
                decile=rng.integers(1, 11),
                log_population=rng.uniform(2, 5.5),
                region=rng.integers(len(matching.REGIONS)),
                challenges=challenges,
                tags=rng.choice(N_TAGS, size=2, replace=False),
                words=words,
            )
        )
    groups, labels = [], []
    for c, context in enumerate(hidden):
        for _ in range(per_context):
            kind = context["kind"] if rng.random() < 0.6 else rng.integers(len(matching.AREA_KINDS))
            region = context["region"] if rng.random() < 0.5 else rng.integers(len(matching.REGIONS))
            challenges = {int(a) for a in context["challenges"] if rng.random() < 0.7}
            if rng.random() < 0.3 or not challenges:
                challenges.add(int(rng.integers(N_CHALLENGES)))
            tags = {int(t) for t in context["tags"] if rng.random() < 0.5}
            if rng.random() < 0.4:
                tags.add(int(rng.integers(N_TAGS)))
            length = text_words if rng.random() < 0.8 else max(3, text_words // 4)
            from_context = rng.random(length) < context_word_share
            words = [
                context["words"][rng.integers(len(context["words"]))]
                if own
                else background[rng.choice(N_BACKGROUND, p=zipf)]
                for own in from_context
            ]
            groups.append(
                GroupFeatures(
                    id=len(groups) + 1,
                    area_kind=matching.AREA_KINDS[kind],
                    deprivation_decile=int(np.clip(round(context["decile"] + rng.normal(0, 1.2)), 1, 10)),
                    population=int(10 ** (context["log_population"] + rng.normal(0, 0.3))),
                    region=matching.REGIONS[region],
                    challenges={a + 1: f"Challenge {a}" for a in challenges},
                    tags={t + 1: f"Tag {t}" for t in tags},
                    text=" ".join(words),
                )
            )
            labels.append(c)
    return groups, np.array(labels)


def evaluate(ranked, labels, k=10):
    """Mean precision@k and nDCG@k; relevant = same hidden context."""
    relevant = labels[ranked] == labels[:, None]
    discounts = 1 / np.log2(np.arange(2, k + 2))
    dcg = (relevant[:, :k] * discounts).sum(axis=1)
    per_query = np.bincount(labels)[labels] - 1
    ideal = np.array([discounts[: min(k, r)].sum() for r in per_query])
    return relevant[:, :k].mean(), float(np.mean(dcg / ideal))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contexts", type=int, default=60)
    parser.add_argument("--per-context", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--context-word-share", type=float, default=0.2, help="share of a text from its context")
    parser.add_argument("--text-words", type=int, default=25)
    args = parser.parse_args()

    import django

    django.setup()
    from learning import matching
    from learning.services import match_weights

    weights = match_weights()
    only = lambda *names: {s: (weights[s] if s in names else 0.0) for s in matching.SIGNALS}  # noqa: E731
    matchers = {
        "combined (balanced)": weights,
        "combined, lean=place": matching.lean_weights(weights, "place"),
        "combined, lean=approach": matching.lean_weights(weights, "approach"),
        "structured context only": only(*matching.PLACE_SIGNALS, "challenges"),
        "place only": only(*matching.PLACE_SIGNALS),
        "challenges only": only("challenges"),
        "tags only": only("tags"),
        "text only": only("text"),
    }
    results = {name: [] for name in [*matchers, "random"]}
    for seed in range(args.seeds):
        groups, labels = make_groups(
            contexts=args.contexts,
            per_context=args.per_context,
            seed=seed,
            context_word_share=args.context_word_share,
            text_words=args.text_words,
        )
        _, text_vectors, terms = matching.TextModel.fit_transform([g.text for g in groups])
        vectors = matching.context_vectors(groups, text_vectors)
        for name, w in matchers.items():
            ranked, _ = matching.top_k(vectors, w, 10)
            results[name].append(evaluate(ranked, labels))
        rng = np.random.default_rng(seed)
        n = len(groups)
        ranked = np.array([rng.choice(np.delete(np.arange(n), i), size=10, replace=False) for i in range(n)])
        results["random"].append(evaluate(ranked, labels))

    print(
        f"# Match quality: {args.contexts} hidden contexts x {args.per_context} groups, "
        f"{args.text_words}-word texts, {args.context_word_share:.0%} from the context; mean of {args.seeds} seeds; "
        f"weights {weights}"
    )
    print("| matcher | precision@10 | nDCG@10 |")
    print("|---|---|---|")
    means = {}
    for name, values in results.items():
        p, g = np.mean(values, axis=0)
        means[name] = (p, g)
        print(f"| {name} | {p:.3f} | {g:.3f} |")
    combined = means["combined (balanced)"]
    singles = ["structured context only", "tags only", "text only"]
    beaten = [s for s in singles if means[s][0] >= combined[0] or means[s][1] >= combined[1]]
    if beaten:
        print(f"FAIL: the combined matcher does not beat {', '.join(beaten)}")
        sys.exit(1)
    print("OK: the combined matcher beats every single signal and random on both measures.")


if __name__ == "__main__":
    main()
