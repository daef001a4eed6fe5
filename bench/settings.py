"""Settings for `make bench`: the application's settings, plus a bare "ok" view
(bench/urls.py) and a timing middleware (bench/middleware.py). Nothing here is used by
the application itself: the "ok" view stays out of lddh/urls.py.

bench/run.py sets the environment (DEBUG=false, CONN_MAX_AGE, DATABASE_URL...) before
gunicorn imports this module, so the pages are measured as production serves them.
"""

from lddh.settings import *  # noqa: F403
from lddh.settings import MIDDLEWARE, STORAGES

ROOT_URLCONF = "bench.urls"
# Outermost, so that it times the whole middleware stack as well as the view.
MIDDLEWARE = ["bench.middleware.ServerTiming", *MIDDLEWARE]
# Production serves hashed names from a manifest made by collectstatic; the lookups cost
# the same, and the benchmark does not need a collectstatic run.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
