"""Addresses for spread traffic (bench/pages.py --spread): thousands of different pages of each kind, as
real visitors spread over 100,000 groups would ask for them, and signed-in sessions to ask with.

    DATABASE_URL=... .venv/bin/python bench/spread_urls.py --out DIR --count 3000 --people 200

Writes one file per kind of page into DIR, a line per request: the path, then (signed in) a tab and the
value of the Cookie header. Signed-in lines use `--people` benchmark accounts (bench-person-N@bench.example), each a
member of 3 random groups and following 3 more, signed in with a session of their own. Same seed, same
addresses.
"""

import argparse
import base64
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=3000, help="addresses per kind of page")
    parser.add_argument("--people", type=int, default=200, help="signed-in benchmark accounts")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from accounts.models import User
    from challenges.models import Solution
    from groups.models import AreaKind, ChallengeArea, Follow, FollowMail, Group, Membership, Region, Role

    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    group_ids = list(Group.objects.visible().values_list("pk", flat=True))
    chosen = rng.sample(group_ids, min(args.count, len(group_ids)))
    slugs = list(Group.objects.filter(pk__in=chosen).values_list("slug", flat=True))
    solutions = list(
        Solution.objects.filter(group_id__in=chosen, status="published")
        .select_related("group")
        .only("slug", "group__slug")
    )
    solution_paths = [solution.get_absolute_url() for solution in solutions][: args.count]
    areas = list(ChallengeArea.objects.values_list("slug", flat=True))

    def group_list():
        query = {}
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["area_kind", "region", "deprivation_max", "challenge", "sort"])
            if kind == "area_kind":
                query["area_kind"] = rng.choice(AreaKind.values)
            elif kind == "region":
                query["region"] = rng.choice(Region.values)
            elif kind == "deprivation_max":
                query["deprivation_max"] = rng.randint(2, 10)
            elif kind == "challenge":
                query["challenge"] = rng.choice(areas)
            else:
                query["sort"] = rng.choice(["name", "newest", "population", "deprivation"])
        page = rng.choice([1, 1, 1, 2, 3, 5])
        if page > 1:
            query["page"] = page
        return urlencode(query)

    # The API (anonymous only: it has no sessions): its lists with the same random filters, each at a random
    # cursor position (a cursor is base64 of "p=<the last id seen>", as the API's `next` links carry it).
    top_group = max(group_ids)
    top_solution = Solution.objects.order_by("-pk").values_list("pk", flat=True).first() or 1

    def api_list(path, top):
        query = group_list().replace("sort=", "unsorted=")
        query = "&".join(part for part in query.split("&") if part and not part.startswith(("unsorted=", "page=")))
        cursor = base64.b64encode(f"p={rng.randint(0, top)}".encode()).decode()
        return f"{path}?{query}{'&' if query else ''}cursor={cursor}"

    kinds = {
        "groups": [f"/groups/{slug}/" for slug in slugs],
        "solutions": solution_paths,
        "learning": [f"/learning/groups/{slug}/" for slug in slugs],
        "group-list": [f"/groups/?{group_list()}" for _ in range(args.count)],
        "solution-list": [
            f"/challenges/solutions/?{group_list().replace('sort=name', 'sort=title').replace('sort=newest', 'sort=updated').replace('sort=population', 'sort=stage').replace('sort=deprivation', 'sort=updated')}"
            for _ in range(args.count)
        ],
        "api-groups": [api_list("/api/v1/groups/", top_group) for _ in range(args.count)],
        "api-solutions": [api_list("/api/v1/solutions/", top_solution) for _ in range(args.count)],
        "api-group": [f"/api/v1/groups/{slug}/" for slug in slugs],
    }

    # Signed-in people: members of some groups, following others, each with a session.
    engine = import_string(settings.SESSION_ENGINE + ".SessionStore")
    cookies = []
    for number in range(args.people):
        person, created = User.objects.get_or_create(
            email=f"bench-person-{number}@bench.example", defaults={"display_name": f"Bench person {number}"}
        )
        if created:
            picked = rng.sample(group_ids, 6)
            Membership.objects.bulk_create(
                [Membership(group_id=pk, user=person, role=Role.MEMBER) for pk in picked[:3]], ignore_conflicts=True
            )
            Follow.objects.bulk_create(
                [Follow(group_id=pk, user=person, mail=FollowMail.WEEKLY) for pk in picked[3:]], ignore_conflicts=True
            )
        session = engine()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")

    for kind, paths in kinds.items():
        (out / f"{kind}.txt").write_text("\n".join(paths) + "\n")
        signed_in = [f"{path}\t{rng.choice(cookies)}" for path in paths]
        (out / f"{kind}-signed-in.txt").write_text("\n".join(signed_in) + "\n")
    (out / "your-page-signed-in.txt").write_text("\n".join(f"/groups/me/\t{cookie}" for cookie in cookies) + "\n")
    for path in sorted(out.glob("*.txt")):
        print(f"{path.name}: {sum(1 for _ in path.open())} requests to choose from")


if __name__ == "__main__":
    main()
