"""Test settings: fast hashing, in-memory e-mail and files, eager Celery tasks."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-with-enough-length-for-checks-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests of several processes (a real worker beside the test process) share files on disk.
if os.environ.get("PAN_TEST_MEDIA_ROOT"):  # noqa: F405
    _root = Path(os.environ["PAN_TEST_MEDIA_ROOT"])  # noqa: F405
    STORAGES["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _root / "media"},
    }
    STORAGES["private"] = {
        "BACKEND": "network.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": _root / "private"},
    }
WAGTAILADMIN_BASE_URL = "http://testserver"
PAN_PUBLIC_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "packages.testserver"]
# SCORM content's origin: packages.testserver for the test client; the browser journeys' live
# server, at 127.0.0.1, sets localhost.
PAN_PACKAGE_HOST = "packages.testserver"
# Tasks run in-process; tests marked `worker` switch this off and start a real worker.
CELERY_TASK_ALWAYS_EAGER = True

# Static files are served by runserver here; WhiteNoise serves the collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# Page cache off: tests that exercise it switch it on themselves.
PAN_PAGE_CACHE_SECONDS = 0

# SQLite: the test database is a file rather than memory, so that the live server of the browser
# journeys gives each of its threads a connection of its own (an in-memory database is one
# connection shared by every thread, whose transactions then run into each other).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    # In memory all the same where the machine offers a RAM disk.
    _shm = Path("/dev/shm")  # noqa: F405, S108 (a test database named after this process)
    _folder = _shm if _shm.is_dir() else Path(tempfile.gettempdir())  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(_folder / f"pan-test-{os.getpid()}.sqlite3")  # noqa: F405
    }
