"""Settings for the test suite: the production settings with test-only defaults."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-outside-the-test-suite-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,testserver")
os.environ.setdefault("PLATFORM_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("PAYMENT_SANDBOX", "true")
os.environ.setdefault("PAYMENT_TEST_MODE", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One process (the live server is a thread of it), so a local cache is shared enough.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SMS_BACKEND = "notifications.sms_backends.OutboxSmsBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
