import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lddh.env import (
    ConfigError,
    env_bool,
    env_cache,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_networks,
    env_str,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("YES", True), ("off", False), ("0", False), ("False", False)],
)
def test_env_bool_reads_true_and_false_words(raw, expected):
    assert env_bool("DEBUG", not expected, environ={"DEBUG": raw}) is expected


def test_env_bool_rejects_other_words_naming_the_variable():
    with pytest.raises(ConfigError, match="^DEBUG: expected true or false, got 'maybe'$"):
        env_bool("DEBUG", True, environ={"DEBUG": "maybe"})


def test_unset_and_blank_values_take_the_default():
    assert env_bool("DEBUG", True, environ={}) is True
    assert env_str("X", "d", environ={"X": "  "}) == "d"
    assert env_int("N", 5, environ={}) == 5
    assert env_list("L", ["a"], environ={}) == ["a"]


def test_env_int_rejects_text_and_too_small_values():
    with pytest.raises(ConfigError, match="^EMAIL_PORT: expected a whole number"):
        env_int("EMAIL_PORT", 1, environ={"EMAIL_PORT": "25a"})
    with pytest.raises(ConfigError, match="^CONN_MAX_AGE: must be at least 0"):
        env_int("CONN_MAX_AGE", 0, minimum=0, environ={"CONN_MAX_AGE": "-1"})


def test_env_list_splits_on_commas():
    assert env_list("H", [], environ={"H": "a.vn, b.vn,,"}) == ["a.vn", "b.vn"]


def test_env_networks_reads_addresses_and_networks_and_rejects_names():
    environ = {"P": "127.0.0.1, ::1, 10.0.0.0/8"}
    assert env_networks("P", [], environ=environ) == ["127.0.0.1", "::1", "10.0.0.0/8"]
    with pytest.raises(ConfigError, match="^P: expected IP addresses"):
        env_networks("P", [], environ={"P": "127.0.0.1, proxy.local"})


def test_database_defaults_to_sqlite_file():
    config = env_database("DATABASE_URL", "/tmp/x.sqlite3", environ={})
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.sqlite3"}


def test_database_reads_a_postgres_url():
    config = env_database(
        "DATABASE_URL", "", environ={"DATABASE_URL": "postgres://u:p@db.local:5433/lddh"}
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["HOST"], config["PORT"]) == (
        "lddh",
        "u",
        "db.local",
        5433,
    )


@pytest.mark.parametrize(
    "url",
    [
        "mysql://u@h/db",
        "postgres//nohost",
        "not a url",
        "postgres://u@h:99999/db",
        "postgres://u@h:5432/",
    ],
)
def test_database_rejects_malformed_urls_naming_the_variable(url):
    with pytest.raises(ConfigError, match="^DATABASE_URL: "):
        env_database("DATABASE_URL", "", environ={"DATABASE_URL": url})


def test_cache_url_is_redis_or_nothing():
    memory = env_cache("CACHE_URL", environ={})
    assert memory["BACKEND"].endswith("LocMemCache")
    assert memory["OPTIONS"]["MAX_ENTRIES"] >= 5_000  # Django's 300 would drop the figures
    assert env_cache("CACHE_URL", environ={"CACHE_URL": "redis://127.0.0.1:6379/1"})[
        "BACKEND"
    ].endswith("RedisCache")
    with pytest.raises(ConfigError, match="^CACHE_URL: "):
        env_cache("CACHE_URL", environ={"CACHE_URL": "memcached://x"})


def test_env_choice_maps_a_name_and_rejects_others_naming_them():
    choices = {"database": "db.Backend", "immediate": "imm.Backend"}
    assert env_choice("TASKS_BACKEND", choices, "database", environ={}) == "db.Backend"
    assert (
        env_choice("TASKS_BACKEND", choices, "database", environ={"TASKS_BACKEND": "Immediate"})
        == "imm.Backend"
    )
    with pytest.raises(
        ConfigError, match="^TASKS_BACKEND: expected one of database, immediate, got 'celery'$"
    ):
        env_choice("TASKS_BACKEND", choices, "database", environ={"TASKS_BACKEND": "celery"})


def _start(**env):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "postgres//broken"}, "DATABASE_URL"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"TRUSTED_PROXIES": "nginx"}, "TRUSTED_PROXIES"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND"),
        ({"DEBUG": "false", "SECRET_KEY": "k" * 60}, "LEDGER_SIGNING_KEY"),
        (
            {"DEBUG": "false", "SECRET_KEY": "k" * 60, "LEDGER_SIGNING_KEY": "short"},
            "LEDGER_SIGNING_KEY",
        ),
        (
            {"DEBUG": "false", "SECRET_KEY": "k" * 60, "LEDGER_SIGNING_KEY": "k" * 60},
            "LEDGER_SIGNING_KEY",
        ),
    ],
)
def test_bad_configuration_stops_start_up_with_one_line(env, variable):
    result = _start(**env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {variable}:")


# ---------------------------------------------------------------- every setting declared

APP_DIRS = ("lddh", "campaigns", "donations", "households", "bench")
NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def _python_files():
    for folder in APP_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def environment_read_by_settings() -> set[str]:
    """Every variable settings.py reads through lddh/env.py (env_*("NAME", ...))."""
    tree = ast.parse((ROOT / "lddh" / "settings.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def environment_in_example() -> set[str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return {m.group(1) for line in lines if (m := re.match(r"([A-Z][A-Z0-9_]*)=", line))}


def environment_in_readme() -> set[str]:
    """The names in the first column of the README's "Environment variables" table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Environment variables", 1)[1]
    names = set()
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def test_settings_env_example_and_readme_name_the_same_variables():
    in_settings = environment_read_by_settings()
    assert len(in_settings) > 20  # the parser found the reads
    assert environment_in_example() == in_settings, (
        f".env.example lacks {sorted(in_settings - environment_in_example())}, "
        f"has unread {sorted(environment_in_example() - in_settings)}"
    )
    assert environment_in_readme() == in_settings, (
        f"README lacks {sorted(in_settings - environment_in_readme())}, "
        f"has unread {sorted(environment_in_readme() - in_settings)}"
    )


def test_no_code_reads_a_setting_with_a_fallback_default():
    """A setting read as getattr(settings, "X", default) can be missing from settings.py
    while the code quietly runs on a default nobody sees: every one is declared, and read
    as settings.X."""
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"getattr", "hasattr"}
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "settings"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_every_setting_the_code_reads_is_defined():
    from django.conf import settings

    missing = set()
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "settings"
                and NAME.fullmatch(node.attr)
                and isinstance(node.ctx, ast.Load)
                and not hasattr(settings, node.attr)
            ):
                missing.add(f"{path.relative_to(ROOT)}:{node.lineno} {node.attr}")
    assert missing == set()
