"""Production serving: `gunicorn localism.wsgi` reads this file."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
max_requests = 2000
max_requests_jitter = 200
# Load the app (and warm it: localism/warmup.py) once in the master, so a worker started after
# max_requests serves its first request warm. A code change then needs a restart, not a HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
