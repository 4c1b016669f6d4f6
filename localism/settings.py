"""Localism settings: one module, read from environment variables.

Every default is for a developer's laptop and needs no server: a SQLite file,
a local-memory cache, Celery tasks run inline and mail printed to the console.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The fallback is for development only; `check --deploy` flags it (security.W009).
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-localism-development-key-not-for-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Adds /bench/bare, the baseline view the page benchmarks compare against (bench/pages.py).
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", False)
# Benchmarks only: where each worker writes every request's server time and SQL (localism/benchstats.py).
BENCH_STATS_DIR = os.environ.get("BENCH_STATS_DIR", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "core",
    "accounts",
    "groups",
    "challenges",
    "learning",
    "moderation",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may answer: every /api/ response, a 404 or 429 too, carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "localism.language.RememberedLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "localism.middleware.CacheOutageMiddleware",
]

if BENCH_STATS_DIR:
    MIDDLEWARE.insert(0, "localism.benchstats.RequestStatsMiddleware")

ROOT_URLCONF = "localism.urls"
WSGI_APPLICATION = "localism.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} with slugs and numbers from a pattern resolved once (core/templatetags/fast_url.py).
            "builtins": ["core.templatetags.fast_url"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "localism.language.languages",
            ],
        },
    },
]
# Our own field and form markup (labels, errors tied to inputs with aria-describedby).
FORM_RENDERER = "core.forms.LocalismFormRenderer"

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file database shared by runserver and inline tasks: wait for locks instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis answers in well under a millisecond: a connection or reply that takes longer than this means
# it is down or frozen, and the outage paths take over (fail open for shared pages, closed for rate
# limits) instead of every request waiting on it. After such an error a process leaves Redis alone
# for REDIS_OUTAGE_RETRY_SECONDS (core/redis_cache.py).
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS") or 0.5)
REDIS_OUTAGE_RETRY_SECONDS = float(os.environ.get("REDIS_OUTAGE_RETRY_SECONDS") or 5)
REDIS_CLIENT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
    "health_check_interval": 30,
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "localism"),
            "TIMEOUT": 300,
            "OPTIONS": REDIS_CLIENT_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous visitors share rendered public pages for this long (core/caching.py); 0 is off.
ANONYMOUS_PAGE_CACHE_SECONDS = env_int("ANONYMOUS_PAGE_CACHE_SECONDS", 0 if DEBUG else 60)
# Costly public figures (the home page's counts) are shared by everyone for this long; 0 is off.
FIGURES_CACHE_SECONDS = env_int("FIGURES_CACHE_SECONDS", 0 if DEBUG else 60)
# How long a public list's filter form, rendered for a language and a query, is shared (0: never).
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 0 if DEBUG else 60)
# How long a public list's count for one set of filters is shared (0: never). Saving or deleting a group, a
# challenge area, a solution or an update retires every count at once (core.caching); writes that send no
# model signal (bulk loads), or that find Redis unreachable for a moment, show within this time.
LIST_COUNT_CACHE_SECONDS = env_int("LIST_COUNT_CACHE_SECONDS", 0 if DEBUG else 60)

# With Redis, sessions are stored in the database and read from the cache for this long (core/sessions.py): a
# signed-in request then costs no session query. 0: read from the database every time. A logout that finds
# Redis unreachable leaves an old copy readable elsewhere for this long at most. Without Redis (a cache per
# process), sessions are read from the database.
SESSION_ENGINE = "core.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_CACHE_SECONDS = env_int("SESSION_CACHE_SECONDS", 60)

# Moderation: an item this many different people report is hidden until a moderator looks at it.
MODERATION_AUTO_HIDE_REPORTS = env_int("MODERATION_AUTO_HIDE_REPORTS", 3)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker the work runs inline, in the request that asked for it.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task not acknowledged within this time is handed to another worker (Redis transport). Publishing
# uses the same short timeouts as the cache and retries once: with the broker frozen, the work runs
# inline within about a second (localism.celery.InlineWhenBrokerDownTask) instead of hanging the request.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    # Mondays 08:00 UK time: last week's activity to followers who chose a weekly digest.
    "weekly-digests": {
        "task": "groups.tasks.queue_weekly_digests",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    # Nightly: recompute every group's peers (incremental updates run as groups change).
    "rebuild-peers-nightly": {"task": "learning.tasks.rebuild_all_peers", "schedule": crontab(hour=3, minute=15)},
}

# Peer matching: overrides of learning.matching.weights.DEFAULT_WEIGHTS, which bench/learning_quality.py tunes
# (docs/learning.md), e.g. {"text": 1.0}; empty, the tuned defaults apply.
LEARNING_MATCH_WEIGHTS = {}

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# A URL name, not "/": reversed in the language of the page logged out from (/cy/ for Welsh).
LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Localism] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# allauth's own defaults, written out so they are visible and testable.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# Number of proxies (load balancers) in front of the site whose X-Forwarded-For is trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Where the file backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend) writes mails.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Localism <hello@localism.example>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Admin", a) for a in env_list("ADMINS", [])]

# --- Security -------------------------------------------------------------
SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE)
LANGUAGE_COOKIE_SECURE = CSRF_COOKIE_SECURE
CSRF_FAILURE_VIEW = "localism.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Map background tiles (Leaflet). Empty: markers on a plain background, nothing fetched from elsewhere.
# e.g. MAP_TILE_URL=https://tile.openstreetmap.org/{z}/{x}/{y}.png
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# The Content-Security-Policy allows images from the tile server's origin ("{s}." subdomains become "*.").
_tiles = urlsplit(MAP_TILE_URL.replace("{s}.", "*."))
MAP_TILE_ORIGINS = [f"{_tiles.scheme}://{_tiles.netloc}"] if MAP_TILE_URL else []

# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MAP_TILE_ORIGINS],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------
# English and Welsh (Cymraeg). English pages keep their addresses; Welsh ones start with /cy/
# (i18n_patterns in urls.py), so a shared address keeps its language. Language names are written in
# their own language, as the switch shows them. Our catalogues are in locale/ (locale/allauth/ for
# allauth's pages, which ship no Welsh; locale/django/ for what Django's own Welsh leaves untranslated);
# `make messages` compiles them.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth", BASE_DIR / "locale" / "django"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}


# Open data: the read-only JSON API under /api/v1/ (the api app, docs/api.md). It shows only what the
# site shows anyone: no authentication at all, so a signed-in browser sees no more than a script.
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
# Requests per client address ("300/minute"): enough to page through 100,000 groups in ten minutes.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    # Per client address (behind TRUSTED_PROXY_COUNT proxies), counted in the cache (Redis in production).
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 0) or None,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Localism open data API",
    "DESCRIPTION": (
        "Read-only JSON over everything Localism shows the public: community groups with their local "
        "context, their solutions with metrics, targets and readings, progress updates and lessons, actions, "
        "funders' challenges with their public entries and awards, and each group's peers with the reasons "
        "they were matched. Lists are in a stable order and paged by cursor: follow `next` until it is null."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.allow_empty_filters"],
    "ENUM_NAME_OVERRIDES": {
        "SolutionStageEnum": "challenges.models.Stage",
        "ChallengeStageEnum": "challenges.models.ChallengeStage",
        "EntryStatusEnum": "challenges.models.EntryStatus",
        "ActionStatusEnum": "groups.models.ActionStatus",
    },
}
# Any site may read the API from a browser: GET only, never with cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
# The 360Giving publisher prefix of this site's grant and organisation identifiers (docs/funders.md).
THREESIXTYGIVING_PREFIX = os.environ.get("THREESIXTYGIVING_PREFIX", "360G-localism")
