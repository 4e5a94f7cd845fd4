"""The data folder, the database and the log are private; bad settings get one clear line."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from interviewer import locations
from interviewer.cli import main


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_database_and_log_are_owner_only(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "fresh" / "home"
    monkeypatch.setenv("INTERVIEWER_HOME", str(home))
    monkeypatch.delenv("INTERVIEWER_DB", raising=False)
    old = os.umask(0o022)
    try:
        assert main(["rubrics", "list"]) == 0
        logging.getLogger("interviewer.test").warning("a line for the log")
    finally:
        os.umask(old)
        for handler in logging.getLogger().handlers[:]:
            if isinstance(handler, logging.handlers.RotatingFileHandler):
                handler.close()
                logging.getLogger().removeHandler(handler)
    assert mode(home) == 0o700
    assert mode(home / "interviewer.db") == 0o600
    assert mode(home / "logs") == 0o700 and mode(home / "logs" / "interviewer.log") == 0o600


def test_the_log_is_bounded_in_size(tmp_path: Path) -> None:
    handler = locations.private_log_handler(tmp_path / "home" / "logs" / "interviewer.log")
    logger = logging.getLogger("interviewer.rotation-test")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for _ in range(3000):
            logger.warning("x" * 2000)
    finally:
        handler.close()
        logger.removeHandler(handler)
    files = list((tmp_path / "home" / "logs").iterdir())
    assert len(files) <= 1 + locations.LOG_BACKUPS
    assert all(f.stat().st_size <= locations.LOG_BYTES + 4096 for f in files)
    assert all(mode(f) == 0o600 for f in files)


@pytest.mark.parametrize(
    ("env", "value", "words"),
    [
        ("INTERVIEWER_BUSY_TIMEOUT_MS", "abc", "INTERVIEWER_BUSY_TIMEOUT_MS must be a whole number"),
        ("INTERVIEWER_BUSY_TIMEOUT_MS", "-5", "not '-5'"),
    ],
)
def test_a_bad_setting_is_one_clear_line(env: str, value: str, words: str, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(env, value)
    assert main(["rubrics", "list"]) == 1
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1 and "unexpected" not in err


def test_a_symlink_loop_and_a_missing_driver_are_one_clear_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert main(["--db", str(tmp_path / "a"), "rubrics", "list"]) == 1
    assert "symbolic link loop" in capsys.readouterr().err
    pytest.importorskip("sqlalchemy")
    try:
        import psycopg  # noqa: F401
    except ModuleNotFoundError:
        assert main(["--db", "postgresql://nobody@127.0.0.1:1/none", "rubrics", "list"]) == 1
        err = capsys.readouterr().err
        assert "pip install 'interviewer[postgres]'" in err and "unexpected" not in err


def test_credentials_in_a_base_url_are_never_shown(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from interviewer.config import redact
    from interviewer.llm.errors import model_failure

    assert (
        redact("at http://me:hunter2@host:8/v1 and https://x:y@z") == "at http://me:***@host:8/v1 and https://x:***@z"
    )
    assert "hunter2" not in model_failure(
        ConnectionError("refused"), "openai-compatible", "m", "http://me:hunter2@h/v1"
    )
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(tmp_path / "config.toml"))
    assert main(["config", "set", "openai_base_url", "http://me:hunter2@127.0.0.1:9/v1"]) == 0
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out and "http://me:***@127.0.0.1:9/v1" in out


def test_a_bad_environment_variable_is_named(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INTERVIEWER_PROVIDER", "gemini")
    assert main(["config", "show"]) == 1
    assert "the environment variable INTERVIEWER_PROVIDER: provider" in capsys.readouterr().err


def test_a_damaged_database_is_refused_and_not_written_to(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import hashlib
    import random
    import sqlite3

    db = tmp_path / "s.db"
    assert main(["--db", str(db), "rubrics", "list"]) == 0
    assert main(["--db", str(db), "backup", str(tmp_path / "copy.db")]) == 0
    with sqlite3.connect(db) as connection:  # everything in the main file, as after the program quits
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    rng = random.Random(7)
    middle = len(data) // 2
    data[middle : middle + 16384] = bytes(rng.randrange(256) for _ in range(16384))  # random bytes mid-file
    db.write_bytes(bytes(data))
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    capsys.readouterr()
    for command in (["rubrics", "list"], ["practice", "caching-strategy", "--plain"], ["history"]):
        assert main(["--db", str(db), *command]) == 1
        err = capsys.readouterr().err
        assert "is damaged" in err and "interviewer backup" in err and "unexpected" not in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # nothing was written
    assert main(["--db", str(tmp_path / "copy.db"), "rubrics", "list"]) == 0  # the backup is whole
    assert mode(tmp_path / "copy.db") == 0o600


def test_two_schema_versions_in_one_database_are_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    db = tmp_path / "s.db"
    assert main(["--db", str(db), "rubrics", "list"]) == 0
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO alembic_version VALUES ('9999')")
    capsys.readouterr()
    assert main(["--db", str(db), "rubrics", "list"]) == 1
    assert "2 schema versions" in capsys.readouterr().err


def test_a_provider_without_its_key_says_so(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("INTERVIEWER_PROVIDER", "openai")
    assert main(["practice", "caching-strategy", "--plain"]) == 1
    err = capsys.readouterr().err
    assert "needs a key and none is set" in err and "OPENAI_API_KEY" in err and "reach" not in err


def test_grading_with_an_unreachable_model_warns_and_counts_the_offline_grades(
    tmp_path: Path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    import io
    import socket

    with socket.socket() as probe:  # a local port nothing listens on: refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "config.toml"
    config.write_text("max_retries = 0\ntimeout = 5\n")
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(config))
    monkeypatch.setattr("sys.stdin", io.StringIO("Bedrock with retrieval over OpenSearch, streamed.\n\n/idk\n\n"))
    assert main(["practice", "llm-support-assistant", "--plain", "--provider", "offline"]) == 0
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "not-a-real-key")
    monkeypatch.setenv("INTERVIEWER_PROVIDER", "openai-compatible")
    capsys.readouterr()
    assert main(["grade", "1", "--grader", "llm"]) == 1
    err = capsys.readouterr().err
    assert "no usable grade for 2 of 2 answers" in err and "not-a-real-key" not in err
