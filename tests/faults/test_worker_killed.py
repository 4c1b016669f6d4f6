"""A Celery worker killed in the middle of a task does not lose it (acks_late, Redis visibility timeout).

Our own Redis as the broker; a worker (solo pool) picks up a slow test-only task, is SIGKILLed while
it runs, and a second worker started afterwards gets the unacknowledged task back once the short
CELERY_VISIBILITY_TIMEOUT has passed and completes it, once. (The test-only task lives in slow_task.py.)
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from celery import Celery

from .conftest import ROOT, stop
from .slow_task import NAME

VISIBILITY_TIMEOUT = 6
TASK_SECONDS = 2  # shorter than the visibility timeout, so a live worker's task is never handed out twice


def lines(path):
    return path.read_text().split() if path.exists() else []


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout} s")


@pytest.fixture
def start_worker(own_redis, tmp_path):
    env = {
        **os.environ,
        "REDIS_URL": own_redis.url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    started = []

    def start(name):
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "localism", "worker", "--pool=solo", "--loglevel=INFO"]
            + ["--without-gossip", "--without-mingle", "--include", "tests.faults.slow_task", "-n", f"{name}@faults"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


def test_task_of_a_killed_worker_is_done_once_by_the_next(own_redis, start_worker, tmp_path):
    client = Celery("faults-client", broker=own_redis.url, set_as_current=False)
    client.conf.broker_transport_options = {"visibility_timeout": VISIBILITY_TIMEOUT}
    markers = tmp_path / "markers"
    markers.mkdir()

    first = start_worker("first")
    client.send_task(NAME, args=[str(markers), TASK_SECONDS])
    wait_until(lambda: lines(markers / "started"), 60, "the first worker did not start the task")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert lines(markers / "done") == [], "the task finished before the worker was killed"

    # A worker sweeps for unacknowledged tasks older than the visibility timeout when it starts (and
    # every ~100 s after, kombu's default): start the next one once the timeout has passed, as after a crash.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    second = start_worker("second")
    wait_until(lambda: lines(markers / "done"), 90, "the task was lost: no worker finished it")
    assert lines(markers / "done") == [str(second.pid)]
    assert len(lines(markers / "started")) == 2

    # And it is not handed out again afterwards.
    time.sleep(VISIBILITY_TIMEOUT + 4)
    assert lines(markers / "done") == [str(second.pid)]
    client.close()
