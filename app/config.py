"""Configuration read from the environment; nothing secret lives in the repository."""

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(
    os.environ.get("INSTANCE_PATH", Path(__file__).resolve().parent.parent / "instance")
)


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, else one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database_url(url: str | None) -> str:
    """Normalise a DATABASE_URL so that PostgreSQL uses the psycopg 3 driver."""
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'agora.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    SECRET_KEY = None  # filled in by load()
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Browser websocket connections must come from here (HOST and PORT are those of `make run`).
    SITE_ORIGIN = os.environ.get("SITE_ORIGIN") or (
        f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
    )
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # Redis pub/sub ignores the database number: processes sharing a channel share rooms.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "agora-socketio")
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "threading")
    # Proxies in front whose X-Forwarded-For/-Proto/-Host are trusted (1 behind deploy/'s nginx).
    PROXY_COUNT = _int("PROXY_COUNT", 0)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    # Responses compressed for slow links (Flask-Compress): brotli, else gzip; text types only
    # (its default list: never images, fonts in woff2, PDF or DOCX, which are compressed
    # already), and not bodies under 500 bytes, where the headers would outweigh the gain.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]
    COMPRESS_MIN_SIZE = 500
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024)
    # argon2id at RFC 9106 "low memory" strength, above OWASP's 19 MiB / t=2 floor.
    ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = _int("ARGON2_PARALLELISM", 4)
    PASSWORD_MIN_LENGTH = 10
    # Amendments
    AMENDMENT_MAX_TEXT = _int("AMENDMENT_MAX_TEXT", 20_000)
    # Co-editing limits (docs/coedit-protocol.md defaults)
    COEDIT_MAX_DELTA = _int("COEDIT_MAX_DELTA", 256 * 1024)
    COEDIT_MAX_TEXT = _int("COEDIT_MAX_TEXT", 2 * 1024 * 1024)
    COEDIT_MAX_SYNCS_PER_SECOND = _int("COEDIT_MAX_SYNCS_PER_SECOND", 20)
    COEDIT_DIFF_TIMEOUT = float(os.environ.get("COEDIT_DIFF_TIMEOUT", "0.5"))
    COEDIT_CHANGED_COALESCE = float(os.environ.get("COEDIT_CHANGED_COALESCE", "0.03"))
    # Push followers' windows: this many seconds apart per thousand push followers of a process
    # (never closer than COEDIT_CHANGED_COALESCE, never more than a second apart).
    COEDIT_FOLLOWER_SPACING = float(os.environ.get("COEDIT_FOLLOWER_SPACING", "0.25"))
    # Seconds the first sync of a group commit waits for others to share its transaction.
    COEDIT_GROUP_WINDOW = float(os.environ.get("COEDIT_GROUP_WINDOW", "0.002"))
    # Presence is sent at most once per this many seconds per room (a cursor flood coalesces).
    COEDIT_PRESENCE_COALESCE = float(os.environ.get("COEDIT_PRESENCE_COALESCE", "0.1"))
    # Multiplies the per-user and per-address event budgets (a load test from one address).
    COEDIT_LIMIT_SCALE = float(os.environ.get("COEDIT_LIMIT_SCALE", "1"))
    # Translations
    XLIFF_MAX_BYTES = _int("XLIFF_MAX_BYTES", 4 * 1024 * 1024)
    # Documents in and out: upload size, the uncompressed size a DOCX may unpack to, fonts.
    IMPORT_MAX_BYTES = _int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
    IMPORT_MAX_UNPACKED = _int("IMPORT_MAX_UNPACKED", 50 * 1024 * 1024)
    EXPORT_FONTS_DIR = os.environ.get(
        "EXPORT_FONTS_DIR",
        str(Path(__file__).resolve().parent.parent / "node_modules" / "@fontsource"),
    )
    # Discussions
    MESSAGE_EDIT_WINDOW_MINUTES = _int("MESSAGE_EDIT_WINDOW_MINUTES", 15)
    # Mail: without MAIL_URL, mail is written as .eml files under instance/mail/.
    MAIL_URL = os.environ.get("MAIL_URL") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "Agora <noreply@localhost>")
    LIST_DOMAIN = os.environ.get("LIST_DOMAIN", "lists.localhost")
    MAIL_INBOUND = os.environ.get("MAIL_INBOUND", "127.0.0.1:2525")
    MAIL_INBOUND_MAX_BYTES = _int("MAIL_INBOUND_MAX_BYTES", 10 * 1024 * 1024)
    MAIL_DIR = os.environ.get("MAIL_DIR") or str(INSTANCE_DIR / "mail")
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)
    MAIL_BOUNCE_LIMIT = _int("MAIL_BOUNCE_LIMIT", 3)
    MAIL_TOKEN_MAX_AGE = _int("MAIL_TOKEN_MAX_AGE", 2 * 3600)

    # Security (app/security): over HTTPS, SECURE_COOKIES=1 (or PREFERRED_URL_SCHEME=https)
    # makes cookies Secure with __Host- names and sends HSTS.
    SECURE_COOKIES = (
        os.environ.get("SECURE_COOKIES", "") == "1"
        or os.environ.get("PREFERRED_URL_SCHEME") == "https"
    )
    # Rate limits: counted in Redis when one is configured (REDIS_URL or the message queue).
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or None
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "agora-limits")
    RATELIMIT_HEADERS_ENABLED = False  # Retry-After comes with the 429 itself
    RATELIMIT_SWALLOW_ERRORS = True  # a Redis outage must not take the site down
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5/minute;20/hour")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20/minute;100/hour")
    REGISTER_LIMIT = os.environ.get("REGISTER_LIMIT", "10/minute;30/hour")
    CREDENTIALS_LIMIT = os.environ.get("CREDENTIALS_LIMIT", "10/hour")  # wrong current passwords
    POST_LIMIT = os.environ.get("POST_LIMIT", "20/minute;200/hour")
    PROPOSE_LIMIT = os.environ.get("PROPOSE_LIMIT", "10/minute;60/hour")
    PREVIEW_LIMIT = os.environ.get("PREVIEW_LIMIT", "120/minute")
    # Markdown preview: visitors who cannot edit the live draft get a small size; every
    # preview renders within a time budget (later paragraphs are shown as plain text).
    PREVIEW_MAX_TEXT_ANONYMOUS = _int("PREVIEW_MAX_TEXT_ANONYMOUS", 100_000)
    PREVIEW_TIME_BUDGET = float(os.environ.get("PREVIEW_TIME_BUDGET", "0.5"))

    @classmethod
    def load(cls) -> dict:
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        values["SECRET_KEY"] = _secret_key()
        values["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ.get("DATABASE_URL"))
        return values


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    SITE_ORIGIN = "http://localhost"
    RATELIMIT_ENABLED = False  # on in the throttling tests (tests/security)
    RATELIMIT_STORAGE_URI = "memory://"
    SECURE_COOKIES = False

    @classmethod
    def load(cls) -> dict:
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        values["SECRET_KEY"] = "test-only-" + secrets.token_hex(8)
        values["SQLALCHEMY_DATABASE_URI"] = database_url(
            os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        )
        return values
