import gc
import importlib
import os
import sys

from django.core.exceptions import ImproperlyConfigured


def load_settings_or_exit() -> None:
    """Import the settings once so that bad configuration stops start-up with one line."""
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(2)


def site_url_checked_or_exit() -> None:
    """Before gunicorn serves: the SITE_URL checks that runserver and migrate run
    (lddh.ward.checks). Each problem is one line on stderr; an error stops start-up."""
    from django.conf import settings
    from django.core.checks import ERROR

    from lddh.ward.checks import site_url_problems

    problems = site_url_problems(settings.SITE_URL, list(settings.ALLOWED_HOSTS), settings.DEBUG)
    for problem in problems:
        kind = "error" if problem.level >= ERROR else "warning"
        sys.stderr.write(f"Configuration {kind}: {problem.msg} ({problem.hint})\n")
    if any(problem.level >= ERROR for problem in problems):
        sys.exit(2)


def ready_to_serve() -> None:
    """Before a server process answers its first request:

    - the URLconf is loaded, and with it every view module, so the first requests (a
      bank feed's burst, say) do not wait for imports;
    - every object alive at that point (Django, the apps, the URLconf: about 150.000)
      is moved out of the cyclic garbage collector's reach (``gc.freeze``). A full
      collection then walks only what requests have left behind, a few ms instead of
      100–200 ms during which every thread of the process stops. Before a fork (gunicorn's
      ``--preload``) it also keeps the frozen objects' pages shared between workers.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the property loads the URLconf)
    gc.collect()
    gc.freeze()
