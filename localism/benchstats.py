"""Benchmarks only (settings.BENCH_STATS_DIR): each request's server time, number of SQL queries and SQL
time, appended by each worker process to a file of its own, which bench/pages.py reads after a run.

First in the middleware, so the time is all of Django's handling of the request (not gunicorn's or the
network's). Off unless BENCH_STATS_DIR is set: production never loads it.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.db import connections


class _SqlTimer:
    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - started


class RequestStatsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.directory = Path(settings.BENCH_STATS_DIR)
        self.directory.mkdir(parents=True, exist_ok=True)

    def __call__(self, request):
        timer = _SqlTimer()
        started = time.perf_counter()
        with connections["default"].execute_wrapper(timer):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        # One short line per request: status, server ms, queries, SQL ms, path.
        with open(self.directory / f"{os.getpid()}.tsv", "a") as log:
            log.write(f"{response.status_code}\t{elapsed * 1000:.3f}\t{timer.queries}\t{timer.seconds * 1000:.3f}\t{request.path}\n")
        return response
