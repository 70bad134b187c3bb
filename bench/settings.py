"""Production settings for benchmarks: the bench-only URLconf, loopback hosts, no HTTPS redirect.

Everything else (DATABASE_URL, DATABASE_CONN_MAX_AGE, REDIS_URL...) comes from the environment,
as in production.
"""

import os

# Production settings refuse to load without a secret key; a benchmark has nothing to protect.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key-never-use-in-production-0123")
# Production settings refuse to start without the public address; a benchmark serves loopback.
os.environ.setdefault("PAN_PUBLIC_URL", "http://127.0.0.1")

from config.settings.production import *  # noqa: E402, F403
from config.settings.production import STATIC_ROOT  # noqa: E402

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
# collectstatic goes to a scratch directory so that benchmarks leave the project tree alone.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)
# The load test signs in through the site's form over loopback HTTP: its cookies must travel
# without HTTPS there.
if os.environ.get("BENCH_PLAIN_HTTP") == "1":
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
