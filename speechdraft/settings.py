"""Settings for speechdraft: one file, read from the environment.

Every variable is listed in the README. Unset variables give a working local set-up on
the embedded SQLite database; a bad value stops the start with ImproperlyConfigured.
"""

import os
import secrets
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (the SQLite file, the generated secret key) lives here, git-ignored.
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int, *, minimum: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_trusted_proxies() -> int | list[IPv4Network | IPv6Network]:
    """DJANGO_TRUSTED_PROXIES: how many proxies stand in front of the app (``1`` for
    nginx), or their addresses and networks (``10.0.0.5,10.0.1.0/24``); none by default.

    DJANGO_TRUST_X_FORWARDED_FOR=1, its predecessor, means one proxy.
    """
    name, legacy = "DJANGO_TRUSTED_PROXIES", "DJANGO_TRUST_X_FORWARDED_FOR"
    value = os.environ.get(name, "").strip()
    if not value:
        return 1 if env_bool(legacy, False) else 0
    if os.environ.get(legacy, "").strip():
        raise ImproperlyConfigured(f"{name} replaces {legacy}: set only {name}")
    if value.isascii() and value.isdigit():
        return int(value)
    try:
        return [ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a number of proxies or a comma-separated list of their "
            f"addresses or networks (10.0.0.5,10.0.1.0/24), got {value!r}"
        ) from None


def local_secret_key() -> str:
    """A key generated once for a local run and kept in var/, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    # First, so that its createsuperuser (the password rules for --noinput too) is the
    # one manage.py runs; it has no templates or static files that could shadow others.
    "drafts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "drafts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The page's scripts get JSON, not the login page, when the session has ended.
    "drafts.middleware.JsonAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out account or address before the password is
# even checked (等级保护: login-failure handling).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, fetching the user's unit and roles with the user.
    "drafts.access.UserWithRolesBackend",
]
# An account locks after AXES_FAILURE_LIMIT failures; an address only after
# LOCKOUT_ADDRESS_FAILURES failures across accounts, so one person's typos never lock
# the colleagues who share the office's address (drafts/lockout.py). Both counts cover
# the last AXES_COOLOFF_TIME, and a lock lasts as long.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=3)
LOCKOUT_ADDRESS_FAILURES = env_int("DJANGO_LOGIN_FAILURES_PER_ADDRESS", 30, minimum=10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_HANDLER = "drafts.lockout.AccountFirstHandler"
AXES_USERNAME_CALLABLE = "drafts.lockout.attempted_username"
# What a successful login forgives: that account's failures from that address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The address is read the way the audit log reads it (X-Forwarded-For only behind a
# trusted proxy), so a lockout and the log name the same client.
AXES_CLIENT_IP_CALLABLE = "drafts.audit.client_ip"

ROOT_URLCONF = "speechdraft.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "drafts.context_processors.roles",
                "drafts.context_processors.trash",
                "drafts.context_processors.todo_count",
            ],
        },
    },
]

WSGI_APPLICATION = "speechdraft.wsgi.application"

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'speechdraft.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file: WAL lets readers run beside a writer,
    # and the busy timeout makes a writer wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DJANGO_DB_PREPARED_STATEMENTS", True
):
    # PostgreSQL plans a query each time it is sent, unless it is a prepared statement:
    # with server-side binding, psycopg prepares a query from its fifth run on one
    # connection, which halves the time of the queries every page runs (session, user,
    # speech). Set DJANGO_DB_PREPARED_STATEMENTS=0 behind PgBouncer in transaction mode.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Ten spaces passed all of the above.
    {"NAME": "drafts.passwords.NotOnlyWhitespaceValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Django's messages where its own Chinese is missing or wrong (the password that is too
# short, a NUL character): locale/zh_Hans/LC_MESSAGES/django.po, compiled beside it.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "drafts:home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Budgets: how much work one request may ask for (issue 13). A real speech is far below
# every one of them; a runaway paste or a hostile file is refused before the work starts,
# with a Chinese message that names the limit and the figure (drafts/budgets.py reads
# these; each has a README row).
BUDGETS = {
    # characters of one text field (a lead, a body, the opening…); a field stored in a
    # column of fixed width (a part heading, the occasion) is limited by its column
    "field_chars": env_int("DJANGO_MAX_FIELD_CHARS", 20_000, minimum=1_000),
    "title_chars": env_int("DJANGO_MAX_TITLE_CHARS", 200, minimum=50),
    "comment_chars": env_int("DJANGO_MAX_COMMENT_CHARS", 2_000, minimum=100),
    # items in one list (achievements of a part, lessons, shortcomings, measures)
    "items_per_list": env_int("DJANGO_MAX_ITEMS_PER_LIST", 50, minimum=10),
    # characters of a whole speech, every field together
    "speech_chars": env_int("DJANGO_MAX_SPEECH_CHARS", 200_000, minimum=20_000),
    # an import: pasted or file text, its paragraphs, the uploaded file, and the
    # uncompressed size of the .docx parts that are read (a zip bomb is refused unread)
    "import_chars": env_int("DJANGO_MAX_IMPORT_CHARS", 200_000, minimum=20_000),
    "import_paragraphs": env_int("DJANGO_MAX_IMPORT_PARAGRAPHS", 3_000, minimum=100),
    "upload_bytes": env_int("DJANGO_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024 * 1024),
    "docx_xml_bytes": env_int("DJANGO_MAX_DOCX_XML_BYTES", 16 * 1024 * 1024, minimum=1024 * 1024),
    # the tags of those parts, counted before parsing: parsing costs per element (about
    # 1 µs and 100 bytes each), and a real speech has well under one tag per character
    "docx_xml_tags": env_int("DJANGO_MAX_DOCX_XML_TAGS", 400_000, minimum=20_000),
    # the parts (files) a .docx holds, counted from its directory before it is opened:
    # Python's zipfile reads every entry of the directory (100,000 took 1.8 s)
    "docx_parts": env_int("DJANGO_MAX_DOCX_PARTS", 1_000, minimum=100),
    # a JSON document (import, restore): nesting depth and digits of one number
    "json_depth": env_int("DJANGO_MAX_JSON_DEPTH", 32, minimum=8),
    "json_number_digits": env_int("DJANGO_MAX_JSON_NUMBER_DIGITS", 20, minimum=10),
    # one comparison of two versions: characters diffed by character and the time it may
    # take; past either it shows 差异过大，已按段落显示 (changed paragraphs whole)
    "compare_chars": env_int("DJANGO_MAX_COMPARE_CHARS", 200_000, minimum=10_000),
    "compare_milliseconds": env_int("DJANGO_MAX_COMPARE_MILLISECONDS", 2_000, minimum=100),
    # the three-way merge of one save (its character diffs), run while the speech is
    # locked for the save; past it the field is a conflict the drafter resolves
    "merge_milliseconds": env_int("DJANGO_MAX_MERGE_MILLISECONDS", 200, minimum=20),
}
# The request body itself: a little above the largest upload, so a too-large file gets
# the budget's message rather than Django's bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = BUDGETS["upload_bytes"] + 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Django's database sessions, read without the ORM's per-query cost (drafts/sessions.py).
SESSION_ENGINE = "drafts.sessions"
# Sessions end after 30 minutes without activity and when the browser closes; activity
# renews the expiry at most once a minute (drafts/middleware.py).
SESSION_COOKIE_AGE = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# A script's save with a stale token (a login rotates it) gets JSON and retries.
CSRF_FAILURE_VIEW = "drafts.views.session.csrf_failure"

# DJANGO_HTTPS=1 where the app is reached over HTTPS (usually through nginx).
HTTPS = env_bool("DJANGO_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts anywhere: every script is a static file of the app itself. Styles
# allow inline attributes (the outline's length bars are widths set in the template).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The preview keeps whole rendered pages in the cache (drafts/views/page_cache.py);
# benchmarks/load.py measures with it off (0) to show what it still buys.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)

# Several app servers share sessions (in the database) and, with REDIS_URL, the cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

# Sessions, CSRF tokens and the cached pages' forms are signed with this key. The key
# generated into var/ is one per machine: where a second app server is possible (the
# database or the cache is a server both can reach), each would sign with its own, and a
# session or a form from one would be refused by the other. DJANGO_DEBUG=1 is a
# developer's machine, never production.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    shared = [
        name
        for name, is_shared in (
            ("DATABASE_URL is PostgreSQL", DATABASES["default"]["ENGINE"].endswith("postgresql")),
            ("REDIS_URL is set", bool(REDIS_URL)),
        )
        if is_shared
    ]
    if shared and not DEBUG:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is not set, and {' and '.join(shared)}: another app server "
            "may share this one's sessions, and each would sign them with a key of its own. "
            "Set DJANGO_SECRET_KEY to the same long random value on every app server, e.g. "
            "the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = local_secret_key()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "speechdraft.log_filters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Who may write X-Forwarded-For: the client's address is the right-most hop that is not
# one of these proxies (drafts/audit.py); the audit log and the lockout both read it.
TRUSTED_PROXIES = env_trusted_proxies()

# Deleted speeches and items stay in the trash (回收站) this many days, restorable by
# whoever deleted them, the speech's owner or an administrator; `manage.py purge_trash`,
# run daily, deletes older ones for good. Issue 11 asks for at least 30 days.
TRASH_DAYS = env_int("DJANGO_TRASH_DAYS", 30, minimum=1)
