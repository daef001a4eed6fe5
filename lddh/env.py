"""Strict, typed readers of environment variables for settings.py.

Every reader raises ConfigError with a one-line message that names the variable, so a
bad deployment stops at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class ConfigError(ImproperlyConfigured):
    pass


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, environ=None) -> str | None:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ=None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}: expected true or false, got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, environ=None) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name}: must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str], *, environ=None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: Mapping[str, str], default: str, *, environ=None) -> str:
    """One of a few named values (`choices` maps the name to the value it stands for)."""
    value = _raw(name, environ)
    key = default if value is None else value.lower()
    if key not in choices:
        raise ConfigError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return choices[key]


def env_networks(name: str, default: list[str], *, environ=None) -> list[str]:
    """A comma-separated list of IP addresses or networks (10.0.0.0/8), each checked."""
    import ipaddress

    items = env_list(name, default, environ=environ)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ConfigError(
                f"{name}: expected IP addresses or networks like 10.0.0.0/8, got {item!r}"
            ) from None
    return items


def env_database(name: str, default_sqlite_path: str, *, environ=None) -> dict:
    """DATABASE_URL: postgres://user:pass@host:port/name, or sqlite:////abs/path.db."""
    import dj_database_url

    value = _raw(name, environ)
    if value is None:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite_path}
    parts = urlsplit(value)
    if parts.scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ConfigError(
            f"{name}: expected postgres://user:password@host:5432/name or sqlite:///path, "
            f"got scheme {parts.scheme or '(none)'!r}"
        )
    try:
        config = dj_database_url.parse(value)
        if parts.port is not None and not 0 < parts.port < 65536:
            raise ValueError
    except ValueError:
        raise ConfigError(f"{name}: malformed database URL") from None
    if not config.get("NAME"):
        raise ConfigError(f"{name}: the URL names no database")
    return config


LOCMEM_MAX_ENTRIES = 5_000


def env_cache(name: str, *, environ=None) -> dict:
    """CACHE_URL: redis://host:6379/0 for a shared cache; unset for per-process memory."""
    value = _raw(name, environ)
    if value is None:
        # Django's default of 300 entries is soon full here: every search, list filter and
        # throttled address keeps an entry, and culling could drop the public figures
        # (a rebuild of ~1 s at 1.000.000 donations). Entries are small (keys, counts).
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": LOCMEM_MAX_ENTRIES},
        }
    if urlsplit(value).scheme not in {"redis", "rediss"}:
        raise ConfigError(f"{name}: expected redis://host:6379/0, got {value!r}")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
