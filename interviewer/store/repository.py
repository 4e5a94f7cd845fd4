"""Every query the app makes, in one place."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from interviewer import locations
from interviewer.rubric import RubricError, parse_rubric
from interviewer.rubric.model import Rubric
from interviewer.store.converters import (
    RubricSummary,
    StoredRubric,
    content_hash,
    rubric_from_row,
    summary_from_row,
    version_row,
)
from interviewer.store.database import Database
from interviewer.store.tables import AppMeta, RubricRow, RubricVersionRow

log = logging.getLogger(__name__)

_BUNDLED_KEY = "bundled_rubrics_hash"


@dataclass(frozen=True)
class RubricInput:
    """A validated rubric on its way into the database, with the text it was read from."""

    rubric: Rubric
    source: str
    source_name: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """What importing one rubric did: ``created`` is False when identical content was already there."""

    id: str
    version: int
    created: bool


class Repository:
    """Queries over an open database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # -- rubrics -------------------------------------------------------------------------------

    def import_rubrics(self, inputs: Sequence[RubricInput], *, bundled: bool = False) -> list[ImportResult]:
        """Store rubrics all together or not at all; changed content becomes a new version."""
        results = []
        with self.database.session() as session:
            for item in inputs:
                results.append(self._import_one(session, item, bundled))
        return results

    def _import_one(self, session: Session, item: RubricInput, bundled: bool) -> ImportResult:
        rubric = item.rubric
        owner = session.get(RubricRow, rubric.id)
        if owner is None:
            owner = RubricRow(id=rubric.id, bundled=bundled)
            session.add(owner)
            session.flush()
        latest = self._latest_version(session, rubric.id)
        if latest is not None and latest.content_hash == content_hash(rubric):
            return ImportResult(rubric.id, latest.version, created=False)
        version = 1 if latest is None else latest.version + 1
        session.add(version_row(rubric, version, item.source, item.source_name))
        session.flush()
        return ImportResult(rubric.id, version, created=True)

    @staticmethod
    def _latest_version(session: Session, rubric_id: str) -> RubricVersionRow | None:
        statement = (
            select(RubricVersionRow)
            .where(RubricVersionRow.rubric_id == rubric_id)
            .order_by(col(RubricVersionRow.version).desc())
            .limit(1)
        )
        return session.exec(statement).first()

    def list_rubrics(self) -> list[RubricSummary]:
        """The newest version of every rubric, ordered by topic then id."""
        newest = (
            select(RubricVersionRow.rubric_id, func.max(RubricVersionRow.version).label("version"))
            .group_by(col(RubricVersionRow.rubric_id))
            .subquery()
        )
        statement = (
            select(RubricVersionRow, RubricRow)
            .join(newest, (RubricVersionRow.rubric_id == newest.c.rubric_id) & (RubricVersionRow.version == newest.c.version))
            .join(RubricRow, RubricRow.id == RubricVersionRow.rubric_id)
            .order_by(col(RubricVersionRow.topic), col(RubricVersionRow.rubric_id))
        )
        with self.database.session() as session:
            return [summary_from_row(row, owner) for row, owner in session.exec(statement).all()]

    def get_rubric(self, rubric_id: str, version: int | None = None) -> StoredRubric | None:
        """A rubric's newest version, or the given one; None when there is no such rubric or version."""
        with self.database.session() as session:
            owner = session.get(RubricRow, rubric_id)
            if owner is None:
                return None
            if version is None:
                row = self._latest_version(session, rubric_id)
            else:
                statement = select(RubricVersionRow).where(
                    RubricVersionRow.rubric_id == rubric_id, RubricVersionRow.version == version
                )
                row = session.exec(statement).first()
            return None if row is None else rubric_from_row(row, owner)

    def rubric_versions(self, rubric_id: str) -> list[int]:
        """The version numbers a rubric has, oldest first."""
        statement = (
            select(RubricVersionRow.version)
            .where(RubricVersionRow.rubric_id == rubric_id)
            .order_by(col(RubricVersionRow.version))
        )
        with self.database.session() as session:
            return list(session.exec(statement).all())

    # -- bundled rubrics -----------------------------------------------------------------------

    def ensure_bundled_rubrics(self) -> list[ImportResult]:
        """Import the rubrics shipped with the app when they changed since the last run.

        Cheap when nothing changed: one hash over the files and one row read.
        """
        files = sorted((f for f in locations.bundled_rubrics().iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
        texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]
        digest = hashlib.sha256("\0".join(f"{name}\0{text}" for name, text in texts).encode()).hexdigest()
        with self.database.session() as session:
            meta = session.get(AppMeta, _BUNDLED_KEY)
            if meta is not None and meta.value == digest:
                return []
        inputs, problems = [], []
        for name, text in texts:
            try:
                inputs.append(RubricInput(parse_rubric(text, f"rubrics/{name}"), text, name))
            except RubricError as exc:  # a broken bundled file must not keep the app from starting
                problems.extend(exc.problems)
        for problem in problems:
            log.error("bundled rubric skipped: %s", problem)
        results = self.import_rubrics(inputs, bundled=True)
        with self.database.session() as session:
            session.merge(AppMeta(key=_BUNDLED_KEY, value=digest))
        return results

