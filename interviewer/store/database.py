"""Opening the database: SQLite pragmas, clear errors for unusable files, migrations when behind."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

log = logging.getLogger(__name__)

SCHEMA_HEAD = "0009"
"""The newest migration. A test keeps it equal to Alembic's head, so start-up needs no Alembic import."""

DEFAULT_BUSY_TIMEOUT_MS = 5_000
_SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(RuntimeError):
    """The database cannot be used; the message says why and what to do, in one line."""


MAX_BUSY_TIMEOUT_MS = 10 * 60 * 1000


def _busy_timeout_ms() -> int:
    raw = os.environ.get("INTERVIEWER_BUSY_TIMEOUT_MS", "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT_MS
    if not raw.isdigit() or not 0 <= int(raw) <= MAX_BUSY_TIMEOUT_MS:
        raise StoreError(
            f"INTERVIEWER_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 0 to {MAX_BUSY_TIMEOUT_MS}, "
            f"not {raw!r}; unset it to use {DEFAULT_BUSY_TIMEOUT_MS}"
        )
    return int(raw)


def _describe(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "the in-memory database"
    return parsed.render_as_string(hide_password=True)


def store_failure(exc: BaseException, url: str) -> str:
    """A one-line, user-facing account of a database failure (never a password)."""
    where = _describe(url)
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "locked" in text or "busy" in text:
        return f"the database {where} is locked by another program; close it or wait, then try again"
    if "readonly" in text or "read-only" in text:
        return f"the database {where} is read-only; point --db at a writable file"
    if "not a database" in text or "malformed" in text:
        return f"{where} is not an interviewer database (not a valid SQLite file); point --db elsewhere"
    if "unable to open" in text:
        return f"cannot open the database {where}: check that the folder exists and is writable"
    return f"database error on {where}: {getattr(exc, 'orig', None) or exc}"


@contextlib.contextmanager
def translated_errors(url: str) -> Iterator[None]:
    """Turn driver errors into StoreError with a message a user can act on."""
    try:
        yield
    except StoreError:
        raise
    except (SQLAlchemyError, OSError) as exc:
        raise StoreError(store_failure(exc, url)) from exc


def _check_sqlite_file(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    if parsed.database.startswith("file:"):
        return  # a URI filename; SQLite itself reports what is wrong with it
    path = Path(parsed.database)
    try:
        path = path.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        raise StoreError(
            f"{parsed.database} cannot be resolved (a symbolic link loop?); point --db at a file"
        ) from None
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file; point --db at a file")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                raise StoreError(f"{path} is not an interviewer database (not a SQLite file); point --db elsewhere")
    else:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # transcripts are private
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # SQLite's WAL files copy these permissions
        except OSError as exc:
            raise StoreError(f"cannot create the database {path}: {exc.strerror}") from None


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql":  # psycopg 3 (the postgres extra), not SQLAlchemy's psycopg2 default
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            backend = parsed.get_backend_name()
            hint = " (pip install 'interviewer[postgres]')" if backend == "postgresql" else ""
            raise StoreError(f"no driver for {backend} databases is installed: {exc.name} is missing{hint}") from None
    timeout_ms = _busy_timeout_ms()
    connect_args: dict[str, object] = {"timeout": timeout_ms / 1000, "check_same_thread": False}
    if parsed.query.get("uri") in ("true", "1"):
        connect_args["uri"] = True
    in_memory = parsed.database in (None, "", ":memory:")
    engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool if in_memory else None)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except Exception:  # a read-only file keeps its journal mode; writes then fail clearly
            log.debug("could not switch %s to WAL", _describe(url), exc_info=True)
        cursor.close()

    return engine


def migrations_location() -> str:
    return str(resources.files("interviewer.store") / "migrations")


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, or None for a blank database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):  # any database: SQLite, PostgreSQL
            return None
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    if len(rows) > 1:  # two schema versions at once: someone edited the table; guessing could corrupt it
        versions = ", ".join(sorted(str(row[0]) for row in rows))
        raise StoreError(f"the database records {len(rows)} schema versions ({versions}) where there must be one")
    return rows[0][0] if rows else None


_MIGRATION_LOCK = 0x696E7476
"""The PostgreSQL advisory lock that lets one program at a time migrate a database."""


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations with Alembic (imported only when the database is behind)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", migrations_location())
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two programs starting on a blank server database must not both create the tables: the second
            # waits here, then finds the schema the first made (Alembic reads the version inside the lock).
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(migrations_location()).walk_revisions()}


def _check_integrity(engine: Engine, url: str) -> None:
    """Refuse a damaged SQLite file before anything is written to it (``quick_check``: once per open, cheap)."""
    if engine.dialect.name != "sqlite" or make_url(url).database in (None, "", ":memory:"):
        return
    try:
        with engine.connect() as connection:
            rows = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check").fetchmany(3)]
    except DatabaseError as exc:
        if "malformed" not in str(exc.orig).lower():
            raise  # locked, not a database at all, unreadable: said elsewhere in their own words
        rows = [str(exc.orig)]
    if rows != ["ok"]:
        where = _describe(url)
        raise StoreError(
            f"the database {where} is damaged ({'; '.join(rows)[:160]}); nothing was written to it. Restore a "
            f"copy made with 'interviewer backup', or salvage it with: sqlite3 {where} .recover | sqlite3 salvaged.db"
        )


def backup(url: str, target: Path) -> None:
    """A consistent copy of a SQLite database, safe while it is in use (SQLite's online backup, WAL included)."""
    import sqlite3

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise StoreError("backup copies SQLite files; back up a server database with its own tools (pg_dump)")
    if target.exists():
        raise StoreError(f"{target} exists; choose a new file name (a backup never overwrites)")
    try:
        source = sqlite3.connect(f"file:{parsed.database}?mode=ro", uri=True)
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # transcripts are private
            os.close(descriptor)
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot back up {_describe(url)} to {target}: {exc}") from None


class Database:
    """An open, migrated database. Create with ``Database.open(url)``."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Database:
        """Open url, creating and migrating the schema when it is missing or behind."""
        _check_sqlite_file(url)
        with translated_errors(url):
            engine = _make_engine(url)
            _check_integrity(engine, url)
            revision = current_revision(engine)
            if revision != SCHEMA_HEAD:
                if revision is not None and revision not in known_revisions():
                    raise StoreError(
                        f"the database {_describe(url)} has schema {revision!r}, newer than this version of "
                        "interviewer knows; upgrade interviewer"
                    )
                log.info("migrating %s from %s to %s", _describe(url), revision, SCHEMA_HEAD)
                upgrade(engine)
        return cls(url, engine)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        with translated_errors(self.url), Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def one_at_a_time(self, session: Session) -> None:
        """Hold, until the session's transaction ends, the lock that lets one program at a time set the database
        up (migrations, the bundled rubrics). On PostgreSQL an advisory lock; SQLite's write lock does it there."""
        if self.engine.dialect.name == "postgresql":
            session.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))

    def close(self) -> None:
        self.engine.dispose()
