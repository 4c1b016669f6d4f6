"""Settings come from environment variables. Each case starts a fresh interpreter with its own environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k9$Zq2!vX7mP4wL8nR1tY6uB3cE5gH0jA_production-like-secret-for-tests",
    "ALLOWED_HOSTS": "localism.example,www.localism.example",
    "DATABASE_URL": "postgres://app:pw@db.internal:5432/localism",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_HOST": "smtp.internal",
    "EMAIL_PORT": "2525",
    "EMAIL_HOST_USER": "mailer",
    "EMAIL_HOST_PASSWORD": "mail-secret",
    "DEFAULT_FROM_EMAIL": "Localism <noreply@localism.example>",
}
PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from localism.celery import app
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG, "SECRET_KEY": s.SECRET_KEY, "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]), "HOST": db.get("HOST"), "CONN_MAX_AGE": db["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS"),
    "CACHE": s.CACHES["default"]["BACKEND"], "CACHE_LOCATION": s.CACHES["default"].get("LOCATION"),
    "BROKER": app.conf.broker_url, "EAGER": app.conf.task_always_eager, "ACKS_LATE": app.conf.task_acks_late,
    "EMAIL_BACKEND": s.EMAIL_BACKEND, "EMAIL_HOST": s.EMAIL_HOST, "EMAIL_PORT": s.EMAIL_PORT,
    "EMAIL_HOST_USER": s.EMAIL_HOST_USER, "EMAIL_HOST_PASSWORD": s.EMAIL_HOST_PASSWORD,
    "DEFAULT_FROM_EMAIL": s.DEFAULT_FROM_EMAIL,
    "SSL_REDIRECT": s.SECURE_SSL_REDIRECT, "HSTS": s.SECURE_HSTS_SECONDS,
    "SESSION_SECURE": s.SESSION_COOKIE_SECURE, "CSRF_SECURE": s.CSRF_COOKIE_SECURE,
}))
"""
# DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in this process; a deployment never has it.
VARIABLES = [*PRODUCTION, "DATABASE_CONN_MAX_AGE", "EMAIL_BACKEND", "EMAIL_USE_TLS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"]


def run_with(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "localism.settings"
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def settings_with(env_overrides):
    result = run_with(env_overrides, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_defaults_need_no_server():
    s = settings_with({})
    assert s["DEBUG"] is True
    assert s["ENGINE"] == "django.db.backends.sqlite3"
    assert s["NAME"].endswith("db.sqlite3")
    assert s["CACHE"].endswith("LocMemCache")
    assert s["EAGER"] is True
    assert s["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert s["SSL_REDIRECT"] is False


def test_production_values_are_read():
    s = settings_with(PRODUCTION)
    assert s["DEBUG"] is False
    assert s["SECRET_KEY"] == PRODUCTION["SECRET_KEY"]
    assert s["ALLOWED_HOSTS"] == ["localism.example", "www.localism.example"]
    assert s["ENGINE"] == "django.db.backends.postgresql"
    assert (s["NAME"], s["HOST"]) == ("localism", "db.internal")
    assert s["CONN_MAX_AGE"] == 60 and s["CONN_HEALTH_CHECKS"] is True
    assert s["CACHE"].endswith("RedisCache") and s["CACHE_LOCATION"] == PRODUCTION["REDIS_URL"]
    assert s["BROKER"] == PRODUCTION["REDIS_URL"]
    assert s["EAGER"] is False and s["ACKS_LATE"] is True
    assert s["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"]) == ("smtp.internal", 2525)
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("mailer", "mail-secret")
    assert s["DEFAULT_FROM_EMAIL"] == PRODUCTION["DEFAULT_FROM_EMAIL"]
    assert s["SSL_REDIRECT"] and s["SESSION_SECURE"] and s["CSRF_SECURE"]
    assert s["HSTS"] >= 31536000


def test_connection_age_is_configurable():
    assert settings_with({**PRODUCTION, "DATABASE_CONN_MAX_AGE": "0"})["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_check_deploy_fails_without_production_values(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    if missing == "ALLOWED_HOSTS":
        env["ALLOWED_HOSTS"] = ""
    result = run_with(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_check_deploy_is_clean_with_production_values():
    result = run_with(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_readme_configuration_table_lists_every_variable_the_settings_read():
    """A variable the code reads but the README does not name is a setting nobody can find."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    source = "".join((root / name).read_text() for name in ("localism/settings.py", "localism/wsgi.py", "gunicorn.conf.py"))
    read = set(re.findall(r"""(?:environ(?:\.get)?[\[(]|env_\w+\(|getenv\()\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    assert {"DEBUG", "REDIS_TIMEOUT_SECONDS", "GUNICORN_BIND"} <= read
    readme = (root / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert not missing, f"README's configuration table does not list {missing}"
