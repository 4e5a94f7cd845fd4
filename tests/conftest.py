"""Every test runs with the user's environment isolated: its own data folder and database."""

from __future__ import annotations

import functools
import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

_USER_VARIABLES = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "INTERVIEWER_PROVIDER",
    "INTERVIEWER_MODEL",
    "INTERVIEWER_DB",
    "INTERVIEWER_HOME",
    "INTERVIEWER_BUSY_TIMEOUT_MS",
    "INTERVIEWER_PERSONA",
    "INTERVIEWER_USER",
    "INTERVIEWER_CONFIG",
)


@pytest.fixture(autouse=True)
def isolated_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app's data folder and database at a temporary folder; hide real keys."""
    for name in _USER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("INTERVIEWER_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return home


def default_signals() -> None:
    """For a child process (``preexec_fn``): the default signal handlers, as a terminal gives them. A test suite run
    as a background job starts with Ctrl-C ignored, and children would inherit that."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


POSTGRES = os.environ.get("INTERVIEWER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
"""The PostgreSQL server the second tier of store and engine tests runs on (each test in its own schema)."""


@functools.cache
def _postgres_missing() -> str | None:
    """Why the PostgreSQL tier cannot run here, in one line; None when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    try:
        psycopg.connect(POSTGRES, connect_timeout=2).close()
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server at {POSTGRES} ({first}); set INTERVIEWER_TEST_POSTGRES to use another"
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, then a schema of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    missing = _postgres_missing()
    if missing:
        pytest.skip(missing)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def repository(db_url: str):
    from interviewer.store import open_repository

    repo = open_repository(db_url)
    yield repo
    repo.database.close()
