"""Django settings, read from the environment (documented in README.md)."""

import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

# Generic Django classes (ModelAdmin[Payment], QuerySet[Payment]…) can be subscripted, as
# the type checker wants them (mypy with django-stubs, `make lint`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# DEMO: the self-contained demonstration served by `make demo` (local-only defaults).
DEMO = env_bool("DEMO", False)
DEBUG = env_bool("DEBUG", False)
LOCAL = DEMO or DEBUG


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not LOCAL:
        raise ImproperlyConfigured("SECRET_KEY is required unless DEMO or DEBUG is true")
    # A local key that survives restarts, so demo sessions stay valid.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

LOCAL_HOSTS = ["localhost", ".localhost", "127.0.0.1"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOCAL_HOSTS if LOCAL else [])
# Hosts that show the list of landlords instead of one landlord's portal.
# They also serve the back office (/admin/), which landlords' hosts do not.
PLATFORM_HOSTS = [
    host.lower() for host in env_list("PLATFORM_HOSTS", ["localhost", "127.0.0.1"] if LOCAL else [])
]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Widgets render through TEMPLATES (FORM_RENDERER), so templates/ can override them.
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # The store apps' sign-in, activation, reset and sign-out (docs/api.md).
    "allauth.headless",
    "django_tasks",
    "django_tasks_db",
    "django_altcha",
    "csp",
    # Serves the API documentation's scripts itself rather than from a third-party CDN.
    "ninja",
    "django_tables2",
    "django_filters",
    "heroicons",
    "landlords",
    "tenancies",
    "billing",
    "documents",
    "payments",
    "accounts",
    "notifications",
    "audit",
    "staff",
    "servicerequests",
    "backoffice",
    "imports",
    "news",
    "api",
    "workers",
    "demo",
]

MIDDLEWARE = [
    # /sante/ for the load balancer: on every host, before the HTTPS redirect and host lookup.
    "core.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Every response, static files and error pages included, carries the policy.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "landlords.middleware.LandlordMiddleware",
    # Before the CSRF check, which would parse a form body.
    "core.http.SmallBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A session belongs to the landlord whose host issued it (before anyone is signed in).
    "landlords.scope.SessionScopeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.cache.PrivateResponsesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.staff.StaffMustUseMfaMiddleware",
    "backoffice.middleware.StaffAreaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
PLATFORM_URLCONF = "config.urls_platform"
# A landlord host of kind "espace agence" serves the back office instead of the portal.
BACKOFFICE_URLCONF = "config.urls_backoffice"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # On an espace agence host the back office's layout replaces a few shared
            # templates (backoffice/template_loader.py); then the usual cached loaders.
            "loaders": [
                "backoffice.template_loader.Loader",
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                ),
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "landlords.context_processors.landlord",
                "accounts.navigation.tenant_navigation",
                "backoffice.context_processors.backoffice",
            ],
        },
    },
]

# templates/altcha_widget.html serves the anti-robot widget's styles as a static file.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'espace.sqlite3'}"),
        # A new PostgreSQL connection per request divides throughput by 3.
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # While Redis does not answer, the database cache table takes over (core/fallback_cache.py).
    CACHES = {"default": {"BACKEND": "core.fallback_cache.FallbackCache", "LOCATION": REDIS_URL}}
else:
    # Shared by every process on the database: never per-process memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
# Each signs in only a login that may use this host (accounts.access.may_sign_in).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.EmailBackend",
    # Habitat Hauts-de-France's tenants sign in with their tenant code.
    "accounts.backends.AccountNumberBackend",
]

PASSWORD_HASHERS = [
    "config.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length and character kinds are each landlord's rule (landlords/passwords.py), never below
# the floor; these add what every password must pass.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# The PDFs (core/pdf.py): Typst templates, and the only fonts they may use (embedded in
# every PDF): DejaVu, from Debian's fonts-dejavu-core and fonts-dejavu-extra.
PDF_TEMPLATES_DIR = BASE_DIR / "templates" / "pdf"
PDF_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = LOCAL
WHITENOISE_AUTOREFRESH = LOCAL

S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    # Only here: botocore's configuration costs every process a seventh of a second to import.
    from botocore.config import Config as BotoConfig

    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            # A storage that is down answers within seconds, not after minutes of retries:
            # downloads then say the document is temporarily unavailable (docs/operations.md).
            "client_config": BotoConfig(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if LOCAL
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# In the demo every email and SMS lands in var/outbox/, listed at /outbox/.
OUTBOX_DIR = VAR_DIR / "outbox"
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "notifications.backends.OutboxEmailBackend"
    if DEMO
    else "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Espace Locataire <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# SMS: notifications.sms_backends.BrevoSmsBackend in production (Brevo's transactional SMS API).
SMS_BACKEND = env_str(
    "SMS_BACKEND",
    "notifications.sms_backends.OutboxSmsBackend"
    if DEMO
    else "notifications.sms_backends.BrevoSmsBackend",
)
BREVO_API_URL = env_str("BREVO_API_URL", "https://api.brevo.com")
BREVO_API_KEY = env_str("BREVO_API_KEY")
SMS_SENDER = env_str("SMS_SENDER", "Locataire")


# Web Push (docs/app.md#notifications): the deployment's VAPID key pair (RFC 8292). The
# private key (base64url of the raw 32 bytes, or of its DER) comes from the environment: `manage.py
# generate_vapid_key` prints one. Without it, notifications are off. The demo makes its own.
def _vapid_private_key() -> str:
    key = env_str("VAPID_PRIVATE_KEY")
    if key or not DEMO:
        return key
    key_file = VAR_DIR / "vapid_private_key"
    if not key_file.exists():
        from notifications.vapid import new_private_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(new_private_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


VAPID_PRIVATE_KEY = _vapid_private_key()
# Browsers' push services are on https; a local one (the tests') may be on http.
PUSH_ALLOW_HTTP_ENDPOINTS = env_bool("PUSH_ALLOW_HTTP_ENDPOINTS", LOCAL)
# Who the push services may contact about this deployment's messages.
VAPID_SUBJECT = env_str(
    "VAPID_SUBJECT", "mailto:" + DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">")
)

# Background work: a task row written in the same transaction as the change that
# needs it; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# `manage.py worker` writes a heartbeat this often; a task whose worker has not been seen for
# WORKER_STALE_SECONDS runs again on another worker (workers/reclaim.py).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 60)

# Online payments (docs/payments.md). The sandbox is a fake Systempay page served by the
# portal itself, for the demo and the tests: never turn it on in production.
PAYMENT_SANDBOX = env_bool("PAYMENT_SANDBOX", DEMO)
# Whether a provider's TEST mode may credit accounts: a production deployment refuses
# every TEST notification, whatever a landlord's configuration says (turn on for staging).
PAYMENT_TEST_MODE = env_bool("PAYMENT_TEST_MODE", LOCAL)

# Self-hosted proof-of-work anti-robot check (no image, no third party).
ALTCHA_HMAC_KEY = env_str("ALTCHA_HMAC_KEY") or f"altcha:{SECRET_KEY}"
ALTCHA_INCLUDE_TRANSLATIONS = True

# django-allauth: email verification, rate limits, enumeration prevention.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Reset links and email confirmation links open only on the host that sent them.
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "accounts.reset_tokens.LandlordPasswordResetTokenGenerator"  # noqa: S105
# A reset link expires within the hour (and is spent by the password change it makes).
PASSWORD_RESET_TIMEOUT = 3600
# Passkeys (WebAuthn, through allauth's fido2 dependency) or an authenticator app.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Its sign-in's question answered by the login's lookup (accounts/mfa_adapter.py).
MFA_ADAPTER = "accounts.mfa_adapter.MFAAdapter"
# Browsers allow WebAuthn on http://*.localhost; allauth must accept that origin locally.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = LOCAL
MFA_TOTP_ISSUER = "Espace Locataire"
# Store apps (docs/api.md): allauth's headless API for "app" clients only (the portal's own
# pages are server-rendered), with session tokens bound to the landlord whose host issued
# them (api/tokens.py). Emails keep linking to the portal's pages on that host.
HEADLESS_CLIENTS = ("app",)
HEADLESS_TOKEN_STRATEGY = "api.tokens.LandlordSessionTokenStrategy"  # noqa: S105
# allauth's OpenAPI document of those endpoints, at /_allauth/openapi.json (docs/api.md).
HEADLESS_SERVE_SPECIFICATION = True
# allauth's record of each session's activity is kept by accounts.middleware, at most
# every SESSION_REFRESH_SECONDS, rather than with a write on every request.
USERSESSIONS_TRACK_ACTIVITY = False
# Database sessions; a sign-in's new session is written once (accounts/session_store.py).
SESSION_ENGINE = "accounts.session_store"
# Sessions end after 30 minutes without activity and 12 hours after sign-in. The idle
# expiry is pushed ahead at most every SESSION_REFRESH_SECONDS (and at most a sixth of the
# idle lifetime): requests in between write nothing, and a session ends between 25 and 30
# minutes after its last request (accounts/middleware.py).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 5 * 60)
SESSION_MAX_AGE_SECONDS = env_int("SESSION_MAX_AGE_SECONDS", 12 * 3600)
# Staff on the espace agence: 15 minutes without activity, 8 hours after sign-in at most.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 15 * 60)
STAFF_SESSION_MAX_AGE_SECONDS = env_int("STAFF_SESSION_MAX_AGE_SECONDS", 8 * 3600)
# ERP files uploaded in the espace agence (docs/imports.md): larger ones are refused from
# the request's size, before anything is stored.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_MB", 100) * (1 << 20)
# Staff invitations (staff/invitations.py) expire after this.
STAFF_INVITATION_SECONDS = env_int("STAFF_INVITATION_SECONDS", 48 * 3600)
DJANGO_TABLES2_TEMPLATE = "backoffice/table.html"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# HTTPS is on unless running locally; a TLS-terminating proxy sets X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", not LOCAL)
# The port in the portal's addresses printed outside it (QR codes, letters); none: 443/80.
PUBLIC_PORT = env_int("PUBLIC_PORT", 0)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is the domain owner's commitment: off until they choose it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours stand in front (core/client.py): 0 reads REMOTE_ADDR; N takes the
# N-th address from the right of X-Forwarded-For. allauth's rate limits use the same count.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# A strict Content-Security-Policy on every response (django-csp; docs/security.md): no
# inline script, style or event handler anywhere. Pages that send a form to the payment
# provider add its site to form-action for that response only (core/csp.py).
CSP_REPORT_PATH = "/csp-rapport/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        # ALTCHA's proof of work runs in a web worker built from a blob.
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": [CSP_REPORT_PATH],
    }
}
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A database or cache outage is one line a minute (core/outage.py), not a traceback a request.
    "filters": {"outage": {"()": "core.outage.OutageLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"filters": ["outage"]}},
}
SIGNUP_SESSION_SECONDS = 30 * 60
