"""Server time of "Your page" (/groups/me/) at benchmark scale, for a person in 6 groups who follows 6 more.

    .venv/bin/python bench/your_page.py --database-url postgres://postgres@127.0.0.1:5432/localism_bench_learning

Reads a database seeded by bench/learning_speed.py or bench/pages.py; adds (once) the account
bench-me@bench.example with its memberships and follows. Times each selector of the page and the page itself
through Django's request handling (DEBUG off, no HTTP), median of 8 after 2 warm-up runs.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_ms(call, runs=10):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[2:])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")
    import django

    django.setup()
    from django.test import Client, override_settings

    from accounts.models import User
    from groups import selectors
    from groups.models import Follow, Group, Membership

    user, _ = User.objects.get_or_create(email="bench-me@bench.example", defaults={"display_name": "Bench"})
    spread = list(Group.objects.order_by("pk").values_list("pk", flat=True)[::9000])[:12]
    for group_id in spread[:6]:
        Membership.objects.get_or_create(user=user, group_id=group_id, defaults={"role": "organiser"})
    for group_id in spread[6:]:
        Follow.objects.get_or_create(user=user, group_id=group_id)
    print(f"# Your page, {Group.objects.count()} groups; the person is in 6 and follows 6")
    print(f"resident_groups: {median_ms(lambda: list(selectors.resident_groups(user=user))):.1f} ms")
    print(f"resident_signups: {median_ms(lambda: list(selectors.resident_signups(user=user))):.1f} ms")
    print(f"resident_news: {median_ms(lambda: selectors.resident_news(user=user)):.1f} ms")
    client = Client()
    client.force_login(user)
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        assert client.get("/groups/me/").status_code == 200
        print(f"the page, rendered: {median_ms(lambda: client.get('/groups/me/')):.1f} ms")


if __name__ == "__main__":
    main()
