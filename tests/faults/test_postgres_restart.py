"""PostgreSQL restarts under a running site: persistent connections are health-checked and renewed.

Our own cluster on a free port in a temp dir (see conftest.py; as root it runs as the `postgres`
system user via `runuser`), the site under gunicorn with the project's gunicorn.conf.py (one sync
worker, so every request reuses the same persistent connection, DATABASE_CONN_MAX_AGE=600).
"""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from .conftest import ROOT, free_port, manage, stop, wait_for_port

pytestmark = pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import gunicorn"], capture_output=True).returncode != 0,
    reason="gunicorn is not installed",
)


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own 127.0.0.1 site)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def site_on_own_postgres(own_postgres):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": own_postgres.url,
        "DATABASE_CONN_MAX_AGE": "600",
        "DEBUG": "1",
        "REDIS_URL": "",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
    }
    manage("migrate", "--no-input", env=env)
    manage("seed_demo", env=env)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "localism.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, timeout=60, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def test_site_reconnects_after_postgres_restart(site_on_own_postgres, own_postgres):
    pages = [site_on_own_postgres + path for path in ("/", "/groups/", "/healthz")]
    for url in pages:
        assert status_of(url) == 200, url

    own_postgres.restart()

    answers = [status_of(url) for url in pages * 3]
    # At most the first request after the restart may fail; every one after it succeeds.
    assert all(status == 200 for status in answers[1:]), answers
