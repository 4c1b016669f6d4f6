"""Server time of the group map at benchmark scale: the page (clusters for the whole country plus the list of
up to 1,000 groups for readers without JavaScript) and the cluster data for views at three zooms.

    .venv/bin/python bench/map_clusters.py --database-url postgres://postgres@127.0.0.1:5432/localism_bench_learning

Reads a database seeded by bench/learning_speed.py or bench/pages.py (seed_scale); writes nothing. Each URL is
requested 12 times through Django's request handling (DEBUG off, no page cache, no HTTP); the first two warm up.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

URLS = [
    ("map page", "/groups/map/"),
    ("map page, rural groups", "/groups/map/?area_kind=rural"),
    ("cluster data, zoom 5, the UK", "/groups/map/data/?zoom=5&bbox=-11,49,3,61"),
    ("cluster data, zoom 8, the north west", "/groups/map/data/?zoom=8&bbox=-3.6,53.3,-2.0,54.6"),
    ("cluster data, zoom 12, Kendal", "/groups/map/data/?zoom=12&bbox=-2.80,54.30,-2.70,54.36"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["ANONYMOUS_PAGE_CACHE_SECONDS"] = "0"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")
    import django

    django.setup()
    from django.test import Client, override_settings

    from groups.models import Group

    print(f"# Group map, {Group.objects.filter(latitude__isnull=False).count()} groups with a place")
    client = Client()
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        for label, url in URLS:
            times = []
            for _ in range(12):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            extra = ""
            if "/data/" in url:
                data = json.loads(response.content)
                shown = sum(cluster[2] for cluster in data["clusters"]) + len(data["groups"])
                extra = f"; {len(data['clusters'])} clusters and {len(data['groups'])} pins for {shown} groups"
            print(f"{label}: median {statistics.median(times[2:]):.1f} ms{extra}")


if __name__ == "__main__":
    main()
