"""A test-only task for the worker fault test: marks when it starts and when it finishes.

Loaded only by the workers that test starts (`--include tests.faults.slow_task`).
"""

import os
import time
from pathlib import Path

from localism.celery import app

NAME = "tests.faults.slow_task.slow_marker"


@app.task(name=NAME, acks_late=True, reject_on_worker_lost=True)
def slow_marker(directory, seconds):
    folder = Path(directory)
    with open(folder / "started", "a") as marker:
        marker.write(f"{os.getpid()}\n")
    time.sleep(seconds)
    with open(folder / "done", "a") as marker:
        marker.write(f"{os.getpid()}\n")
