"""Every setting of the web application, from the environment, in one place.

Embedded default: SQLite and stored documents under `MEDREVIEW_HOME` (a folder in the user's
home), no other service. `DATABASE_URL=postgresql://…` switches to PostgreSQL. A bad value
stops the start with a message naming the variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from medreview.core.config import ConfigError, case_processes, fernet_keys, rule_thresholds

# Every file medreview writes (the database, the keys, the documents, the scratch folders of
# the reader) is its owner's alone: they hold patient data and the keys to it.
os.umask(0o077)


def _home() -> Path:
    raw = os.environ.get("MEDREVIEW_HOME") or str(Path.home() / ".medreview")
    home = Path(raw).expanduser()
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        if home.stat().st_uid == os.getuid():
            home.chmod(0o700)  # an older home, made with the default umask, closed too
            for name in ("medreview.sqlite3", "secret_key", "encryption_key", "audit_key"):
                if (home / name).is_file():
                    (home / name).chmod(0o600)
    except OSError as exc:
        raise ConfigError(f"MEDREVIEW_HOME={raw!r} cannot be created: {exc.strerror}") from exc
    return home


def _secret(path: Path, make: Any) -> str:
    """A secret kept in a file of MEDREVIEW_HOME, created (readable by its owner only) on first run."""
    if not path.exists():
        value = make()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(value)
    return path.read_text().strip()


def _secret_kept(variable: str, default: Path, *, in_use: Path, make: Any) -> str:
    """A key in the file `variable` names (which must exist), or in `default`, made on first
    run only: never again once `in_use` holds what the key protects."""
    named = os.environ.get(variable)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"{variable}={named!r} does not exist: medreview never makes a new key where"
                " one is named"
            )
        return path.read_text().strip()
    if not default.exists() and in_use.is_dir() and any(in_use.iterdir()):
        raise ConfigError(
            f"{default} is missing, and {in_use} holds what it protects: restore the key (or"
            f" name it with {variable}); a new one could not check it"
        )
    return _secret(default, make)


def _encryption_keys(home: Path) -> tuple[list[str], Path | None]:
    """The documents' keys, newest first, and the file they were read from (None for the
    variable): MEDREVIEW_ENCRYPTION_KEY (separated by commas), or the file
    MEDREVIEW_ENCRYPTION_KEY_FILE names, which must exist; or the home's own, made on first run
    only: a missing key where documents are stored already is never replaced by a new one,
    which could not read them. A file holds one key a line. Every key is checked here, at
    start, rather than when a document first fails to open."""
    if os.environ.get("MEDREVIEW_ENCRYPTION_KEY"):
        raw = os.environ["MEDREVIEW_ENCRYPTION_KEY"]
        return fernet_keys(raw, where="MEDREVIEW_ENCRYPTION_KEY", per_line=False), None
    named = os.environ.get("MEDREVIEW_ENCRYPTION_KEY_FILE")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"MEDREVIEW_ENCRYPTION_KEY_FILE={named!r} does not exist: medreview never makes"
                " a new key where one is named (the documents it encrypted would be lost)"
            )
        where = f"MEDREVIEW_ENCRYPTION_KEY_FILE={named!r}"
        return fernet_keys(path.read_text(), where=where, per_line=True), path
    path = home / "encryption_key"
    documents = home / "documents"
    if not path.exists() and documents.is_dir() and any(documents.iterdir()):
        raise ConfigError(
            f"{path} is missing, and {documents} holds encrypted documents: restore the key"
            " (or name it with MEDREVIEW_ENCRYPTION_KEY_FILE); a new one could not read them"
        )
    _secret(path, lambda: __import__("cryptography.fernet").fernet.Fernet.generate_key().decode())
    return fernet_keys(path.read_text(), where=str(path), per_line=True), path


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value (use 1 or 0)")


def _int(name: str, default: int, *, unit: str = "seconds") -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(f"{name}={raw!r} is not a whole number of {unit}")
    return int(raw)


HOME = _home()
BASE_DIR = Path(__file__).resolve().parent.parent
DOCUMENTS_DIR = HOME / "documents"

SECRET_KEY = os.environ.get("MEDREVIEW_SECRET_KEY") or _secret(
    HOME / "secret_key", lambda: secrets.token_urlsafe(50)
)
# Documents are encrypted at rest with these Fernet keys, newest first (`_encryption_keys`):
# the newest encrypts, every one decrypts, so that a key is replaced without losing what the
# old one encrypted (`medreview keys rotate`, which writes ENCRYPTION_KEY_FILE; None when the
# keys come from MEDREVIEW_ENCRYPTION_KEY, which medreview cannot change).
ENCRYPTION_KEYS, ENCRYPTION_KEY_FILE = _encryption_keys(HOME)
# The audit trail's hashes are keyed (HMAC-SHA256) with a key kept outside the database, and
# each chain's newest event is checkpointed outside it too (`audit/checkpoints.py`): whoever
# can write to the database can neither recompute the chain nor cut its end unseen.
AUDIT_CHECKPOINTS_DIR = Path(
    os.environ.get("MEDREVIEW_AUDIT_CHECKPOINTS") or HOME / "audit_heads"
).expanduser()
AUDIT_KEY = os.environ.get("MEDREVIEW_AUDIT_KEY") or _secret_kept(
    "MEDREVIEW_AUDIT_KEY_FILE",
    HOME / "audit_key",
    in_use=AUDIT_CHECKPOINTS_DIR,
    make=lambda: secrets.token_hex(32),
)
DEBUG = _flag("MEDREVIEW_DEBUG", False)
# This machine's names by default, as `serve` listens on this machine only by default.
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("MEDREVIEW_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h
]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("MEDREVIEW_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
SECURE_COOKIES = _flag("MEDREVIEW_SECURE_COOKIES", False)  # on behind HTTPS

# The rules' thresholds and the processes a case may use are read where the work is done;
# read here too, a bad value stops the server and its workers at start, not a referral later.
RULE_THRESHOLDS = rule_thresholds(os.environ)
CASE_PROCESSES = case_processes(os.environ)

INSTALLED_APPS = [
    # First: its `createsuperuser` (an administrator of the review desk) replaces Django's.
    "medreview.claims",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # its Swagger UI files, served from here: no page loads anything from elsewhere
    "django_tasks",
    "django_tasks_db",
    "medreview.audit",
    "medreview.outbox",
    "medreview.records",
    "medreview.triage",
    "medreview.network",
    "medreview.reviews",
    "medreview.reports",
    "medreview.exams",
    "medreview.web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "medreview.web.limits.RequestSizeLimit",
    "medreview.web.limits.RefuseNulCharacters",
    "csp.middleware.CSPMiddleware",
    "medreview.web.headers.NoStore",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # The jurisdiction rules' corrections are looked up at most once a request.
    "medreview.claims.rules.RulesOncePerRequest",
]
ROOT_URLCONF = "medreview.web.urls"
WSGI_APPLICATION = "medreview.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "medreview.sqlite3",
            # The server and the worker write to one file: wait for each other, never fail.
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    try:
        config = dict(
            dj_database_url.parse(url, conn_max_age=_int("MEDREVIEW_DB_CONN_MAX_AGE", 60))
        )
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is not a database address: {exc}") from exc
    if config.get("ENGINE") not in (
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    ):
        raise ConfigError("DATABASE_URL must be postgresql://… or sqlite:///…")
    # A connection kept across requests may have died with a database restart: checked
    # before each request's first query, and opened again, rather than failing it.
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "claims.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
# Long enough, not a common password, not all digits, not the email again.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# An API token stops working this many days after it was made (make a new one).
TOKEN_DAYS = _int("MEDREVIEW_TOKEN_DAYS", 90, unit="days")
# How often `medreview serve` queues the check of the turnaround clocks (`outbox.lateness.check_clocks`).
CLOCK_CHECK_MINUTES = _int("MEDREVIEW_CLOCK_CHECK_MINUTES", 15, unit="minutes")
if CLOCK_CHECK_MINUTES < 1:
    raise ConfigError("MEDREVIEW_CLOCK_CHECK_MINUTES must be at least 1 (minutes)")


def _mail_from() -> str:
    raw = os.environ.get("MEDREVIEW_MAIL_FROM") or "medreview@localhost"
    local, at, domain = raw.rpartition("@")
    if not (at and local and domain) or any(c.isspace() or c in "<>,;" for c in raw):
        raise ConfigError(f"MEDREVIEW_MAIL_FROM={raw!r} is not an e-mail address")
    return raw


# E-mail goes out through an SMTP server (Django's SMTP backend, `outbox.tasks.send_email`).
# Without MEDREVIEW_SMTP_HOST no e-mail is sent: each is kept as "not sent", and the outbox
# page says so.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("MEDREVIEW_SMTP_HOST", "").strip()
if any(c.isspace() or c in "/@" for c in EMAIL_HOST):
    raise ConfigError(f"MEDREVIEW_SMTP_HOST={EMAIL_HOST!r} is not a host name")
_port = os.environ.get("MEDREVIEW_SMTP_PORT") or "25"
if not (_port.isdigit() and 1 <= int(_port) <= 65535):
    raise ConfigError(f"MEDREVIEW_SMTP_PORT={_port!r} is not a port (a number from 1 to 65535)")
EMAIL_PORT = int(_port)
EMAIL_HOST_USER = os.environ.get("MEDREVIEW_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MEDREVIEW_SMTP_PASSWORD", "")
if bool(EMAIL_HOST_USER) != bool(EMAIL_HOST_PASSWORD):
    raise ConfigError(
        "MEDREVIEW_SMTP_USER and MEDREVIEW_SMTP_PASSWORD go together: set both or neither"
    )
EMAIL_USE_TLS = _flag("MEDREVIEW_SMTP_TLS", False)
EMAIL_TIMEOUT = 15  # seconds: a server that does not answer is tried again later
DEFAULT_FROM_EMAIL = SERVER_EMAIL = _mail_from()
# Webhooks go to https:// addresses; http:// only to this machine unless allowed here.
WEBHOOK_ALLOW_HTTP = _flag("MEDREVIEW_WEBHOOK_ALLOW_HTTP", False)
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

# Lockout after repeated failures (django-axes): by user name and address together.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form names the email so
# The sign-in page again, naming the lockout and its cool-off (axes' own page is unstyled).
AXES_LOCKOUT_CALLABLE = "medreview.claims.signin.locked_out"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (MEDREVIEW_SECURE_COOKIES=1): browsers come back over HTTPS only, for a year.
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SECURE_COOKIES else 0
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _flag("MEDREVIEW_BEHIND_PROXY", False) else None
)
# Content-Security-Policy (django-csp): nothing loads from another host; the pages' own
# inline style and the case page's refresh script are the only inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("MEDREVIEW_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("MEDREVIEW_TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True
# One way to show a date and a moment on every page, unambiguous in any country.
DATE_FORMAT = SHORT_DATE_FORMAT = "j M Y"  # 3 Dec 2026
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 3 Dec 2026, 14:05
TIME_FORMAT = "H:i"
FORMAT_MODULE_PATH = ["medreview.web.formats"]  # why: medreview/web/formats/en/formats.py
STATIC_URL = "/static/"
# waitress serves no static files and Django serves them only with DEBUG on: WhiteNoise does,
# straight from the installed packages (no collectstatic step, never stale after an upgrade).
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# A referral's 500 record files (`records.actions.MAX_FILES`) and the referral as a file part:
# Django's default of 100 refused a referral the API promises to take.
DATA_UPLOAD_MAX_NUMBER_FILES = 501
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# What one record file and one request may hold (`web/limits.py`, `records.actions`).
MAX_FILE_BYTES = _int("MEDREVIEW_MAX_FILE_MB", 200, unit="megabytes") * 1024 * 1024
MAX_REQUEST_BYTES = _int("MEDREVIEW_MAX_REQUEST_MB", 1024, unit="megabytes") * 1024 * 1024

# No patient data in logs: requests are logged by status only, errors without their locals.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MEDREVIEW_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
