"""The embedded default: SQLite, eager Celery tasks, console e-mail, debug on."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405

# Static files are served by runserver here; WhiteNoise serves the collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# SCORM content on its own origin: the platform is served at 127.0.0.1, its packages at
# localhost (another host, so another origin and site, on the same server and port).
PAN_PACKAGE_HOST = os.environ.get("PAN_PACKAGE_HOST", "localhost")  # noqa: F405
