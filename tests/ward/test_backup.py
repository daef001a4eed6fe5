"""Backup and restore: the demo, backed up and restored into an empty database, comes
back identical, table by table and row by row (totals, receipts, audit events)."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _digest_rows(tables) -> dict[str, str]:
    return {
        name: hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        for name, rows in tables
    }


def sqlite_digest(path: Path) -> dict[str, str]:
    db = sqlite3.connect(path)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return _digest_rows((n, db.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names)
    finally:
        db.close()


def postgres_digest(url: str) -> dict[str, str]:
    import psycopg

    with psycopg.connect(url) as db:
        names = [
            r[0]
            for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        ]
        return _digest_rows((n, db.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names)


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LDDH_VAR_DIR"}}
    env.update(extra)
    return env


@pytest.mark.slow
def test_sqlite_backup_restores_the_demo_exactly(tmp_path):
    source = _env(LDDH_VAR_DIR=str(tmp_path / "a"))
    manage("migrate", "--noinput", env=source)
    manage("seed_demo", env=source)
    backup_file = tmp_path / "backup.sqlite3"
    manage("backup", "-o", str(backup_file), env=source)

    target = _env(LDDH_VAR_DIR=str(tmp_path / "b"))
    manage("restore", str(backup_file), env=target)

    before = sqlite_digest(tmp_path / "a" / "lddh.sqlite3")
    after = sqlite_digest(tmp_path / "b" / "lddh.sqlite3")
    assert before == after
    assert len(before) > 10


def test_restore_refuses_to_overwrite_data_without_force(tmp_path):
    env = _env(LDDH_VAR_DIR=str(tmp_path / "a"))
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", env=env)
    backup_file = tmp_path / "b.sqlite3"
    manage("backup", "-o", str(backup_file), env=env)
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "--force" in result.stderr


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_backup_restores_the_demo_exactly(tmp_path):
    import psycopg

    settings_dict = connection.settings_dict
    base = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}"
    )
    names = [f"lddh_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        source = _env(DATABASE_URL=f"{base}/{names[0]}")
        manage("migrate", "--noinput", env=source)
        manage("seed_demo", env=source)
        backup_file = tmp_path / "backup.dump"
        manage("backup", "-o", str(backup_file), env=source)
        manage("restore", str(backup_file), env=_env(DATABASE_URL=f"{base}/{names[1]}"))
        assert postgres_digest(f"{base}/{names[0]}") == postgres_digest(f"{base}/{names[1]}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
