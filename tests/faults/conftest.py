"""Throw-away Redis and PostgreSQL servers for fault tests: own ports, own temp dirs, never the shared ones."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}: {_output(process)}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing answered on 127.0.0.1:{port} within {timeout} s")


def _output(process):
    try:
        return process.stdout.read() if process.stdout else ""
    except ValueError:
        return ""


def stop(process, sig=signal.SIGTERM, timeout=20):
    """Stop a process this test started, by its own id only."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


class OwnRedis:
    """A redis-server on a free port with no persistence; start() / kill() as often as needed."""

    def __init__(self, binary, directory):
        self.binary, self.directory = binary, directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.directory), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)

    def freeze(self):
        """Stop the server without closing its sockets: connections stay open and nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)

    def kill(self):
        if self.process is not None:
            stop(self.process, signal.SIGKILL)
            self.process = None


@pytest.fixture
def own_redis(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed: cannot start a throw-away Redis for the fault test")
    redis = OwnRedis(binary, tmp_path)
    redis.start()
    yield redis
    redis.kill()


def postgres_bin():
    """The server binaries' directory: the newest /usr/lib/postgresql/<version>/bin, else pg_ctl's on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class OwnPostgres:
    """A PostgreSQL cluster in a temp dir on a free port, trust auth on 127.0.0.1 only.

    PostgreSQL refuses to run as root: then every server command runs as the `postgres` system
    user through `runuser`, and the temp dir is handed to that user.
    """

    def __init__(self, bindir, directory):
        self.bindir, self.directory = bindir, Path(directory)
        self.data = self.directory / "data"
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.skip("running as root and `runuser` is missing: PostgreSQL cannot run as root")
            self.as_user = [runuser, "-u", "postgres", "--"]
            shutil.chown(self.directory, user="postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/localism_faults"

    def _run(self, *command, check=True):
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stdout}{done.stderr}")
        return done

    def init(self):
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run(
            str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "localism_faults"
        )

    def _pg_ctl(self, action, *extra):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        return self._run(
            str(self.bindir / "pg_ctl"),
            action,
            "-D",
            str(self.data),
            "-w",
            "-t",
            "60",
            "-m",
            "fast",
            "-o",
            options,
            "-l",
            str(self.directory / "server.log"),
            *extra,
        )

    def start(self):
        self._pg_ctl("start")

    def restart(self):
        self._pg_ctl("restart")

    def stop(self):
        self._run(str(self.bindir / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", check=False)



def reset_broker_connections():
    """Drop the Celery app's connection and producer pools (what Celery does after a fork), so the
    next publish connects to the broker configured now."""
    from localism.celery import app as celery_app

    celery_app._after_fork()


@pytest.fixture
def site_on_own_redis(settings, transactional_db, own_redis):
    """The site's cache and broker on our own Redis with the production client options, shared pages,
    figures and list counts cached, tasks really enqueued (not eager)."""
    from core.redis_cache import breaker
    from localism.celery import app as celery_app

    original_caches = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.ResilientRedisCache",
            "LOCATION": own_redis.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": settings.REDIS_CLIENT_OPTIONS,
        }
    }
    settings.REDIS_URL = own_redis.url
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 60
    settings.FIGURES_CACHE_SECONDS = 60
    settings.LIST_COUNT_CACHE_SECONDS = 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = own_redis.url
    celery_app.conf.task_always_eager = False
    reset_broker_connections()
    breaker.reset()
    yield own_redis
    own_redis.thaw()
    breaker.reset()
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
    reset_broker_connections()
    # Before the shared cache fixture clears "the" cache on teardown: not our (dead or frozen) Redis.
    settings.CACHES = original_caches

@pytest.fixture
def own_postgres():
    bindir = postgres_bin()
    if bindir is None or not (bindir / "initdb").exists():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found: cannot start a throw-away cluster")
    # Not under pytest's tmp_path: its parents are private to this user, and the server may run as another.
    directory = Path(tempfile.mkdtemp(prefix="localism-faults-pg-"))
    cluster = OwnPostgres(bindir, directory)
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def manage(*args, env, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
