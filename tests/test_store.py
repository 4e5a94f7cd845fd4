"""The store: migrations, pragmas, rubric versions, and clear errors for unusable databases."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from interviewer.rubric import parse_rubric
from interviewer.store import Database, RubricInput, StoreError, open_repository
from interviewer.store.database import SCHEMA_HEAD, current_revision, known_revisions

from .conftest import DATA

VALID = (DATA / "valid_minimal.toml").read_text()


def rubric_input(text: str = VALID, name: str = "q.toml") -> RubricInput:
    return RubricInput(parse_rubric(text, name), text, name)


def test_schema_head_constant_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from interviewer.store.database import migrations_location

    assert ScriptDirectory(migrations_location()).get_current_head() == SCHEMA_HEAD
    assert SCHEMA_HEAD in known_revisions()


def test_blank_database_is_migrated_to_head(db_url: str) -> None:
    database = Database.open(db_url)
    assert current_revision(database.engine) == SCHEMA_HEAD
    tables = set(inspect(database.engine).get_table_names())
    assert {
        "rubric",
        "rubric_version",
        "interview_session",
        "turn",
        "report",
        "criterion_result",
        "turn_score",
    } <= tables


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    database = Database.open(f"sqlite:///{tmp_path / 'test.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_foreign_keys_are_enforced(db_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    from interviewer.store.tables import TurnRow

    database = Database.open(db_url)
    with pytest.raises(StoreError), database.session() as session:
        session.add(TurnRow(session_id=999, seq=1, role="candidate", kind="answer", text="x", phase="clarify"))
    assert IntegrityError  # the driver error is translated, not leaked


def test_up_to_date_database_opens_without_importing_alembic(db_url: str) -> None:
    Database.open(db_url).close()
    code = (
        "import sys; from interviewer.store import Database; "
        f"Database.open({db_url!r}); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.execute("INSERT INTO alembic_version VALUES ('9999')")
    with pytest.raises(StoreError, match="newer than this version"):
        Database.open(f"sqlite:///{path}")


def test_identical_content_makes_no_new_version(repository) -> None:
    first = repository.import_rubrics([rubric_input()])
    again = repository.import_rubrics([rubric_input("# a comment changes nothing\n" + VALID)])
    assert [(r.version, r.created) for r in first] == [(1, True)]
    assert [(r.version, r.created) for r in again] == [(1, False)]
    assert repository.rubric_versions("queue-basics") == [1]


def test_changed_content_makes_a_new_version_and_keeps_the_old(repository) -> None:
    repository.import_rubrics([rubric_input()])
    changed = VALID.replace("minutes = 30", "minutes = 35")
    [result] = repository.import_rubrics([rubric_input(changed)])
    assert (result.version, result.created) == (2, True)
    assert repository.get_rubric("queue-basics").rubric.minutes == 35
    assert repository.get_rubric("queue-basics", 1).rubric.minutes == 30
    assert repository.get_rubric("queue-basics", 3) is None
    assert repository.get_rubric("nope") is None


def test_import_is_all_or_nothing(repository, monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewer.store import repository as module

    real = module.version_row

    def fail_on_second(rubric, *args):
        if rubric.id == "other":
            raise OSError("disk full")
        return real(rubric, *args)

    monkeypatch.setattr(module, "version_row", fail_on_second)
    other = rubric_input(VALID.replace('id = "queue-basics"', 'id = "other"'))
    with pytest.raises(StoreError, match="disk full"):
        repository.import_rubrics([rubric_input(), other])
    assert repository.get_rubric("queue-basics") is None


def test_bundled_rubrics_are_imported_on_first_run_and_only_once(repository) -> None:
    summaries = repository.list_rubrics()
    bundled = sorted(p.stem for p in (Path(__file__).parent.parent / "rubrics").glob("*.toml"))
    assert sorted(s.id for s in summaries) == bundled
    assert all(s.bundled for s in summaries)
    assert repository.ensure_bundled_rubrics() == []  # nothing changed: nothing to do


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(StoreError, match="not an interviewer database"):
        open_repository(f"sqlite:///{path}")
    assert path.read_text() == "these are my notes, not a database\n"


def test_a_folder_given_as_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        open_repository(f"sqlite:///{tmp_path}")


def test_a_read_only_database_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    open_repository(f"sqlite:///{path}", bundled=False).database.close()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    repository = open_repository(url, bundled=False)
    with pytest.raises(StoreError, match="read-only"):
        repository.import_rubrics([rubric_input()])


def test_a_locked_database_gets_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_BUSY_TIMEOUT_MS", "100")
    path = tmp_path / "locked.db"
    repository = open_repository(f"sqlite:///{path}", bundled=False)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            repository.import_rubrics([rubric_input()])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert repository.import_rubrics([rubric_input()])[0].created


def test_database_errors_never_show_a_password() -> None:
    from interviewer.store.database import store_failure

    message = store_failure(RuntimeError("connection refused"), "postgresql://me:hunter2@db.local/interviews")
    assert "hunter2" not in message and "db.local" in message
