"""Whole-database backup and restore: pg_dump/pg_restore on PostgreSQL, the SQLite
backup API on SQLite. The commands `backup` and `restore` are thin wrappers."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    # The command is built from our own settings, never from user input.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")


def backup(path: Path, alias: str = "default") -> Path:
    connection = connections[alias]
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file", str(path), *args],
            env,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"unsupported database: {connection.vendor}")
    return path


def database_is_empty(alias: str = "default") -> bool:
    """True when no table holds a row (a fresh, possibly migrated, database)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
    return True


def restore(path: Path, alias: str = "default") -> None:
    """Replace the database's content with the backup's, in one transaction."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    connection = connections[alias]
    if connection.vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            env,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise BackupError(f"unsupported database: {connection.vendor}")
