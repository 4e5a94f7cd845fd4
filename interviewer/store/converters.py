"""The one place rows become domain objects (and back)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from interviewer.rubric import Rubric
from interviewer.store.tables import RubricRow, RubricVersionRow


@dataclass(frozen=True)
class StoredRubric:
    """A rubric as the database holds it: one version of its content and where it came from."""

    rubric: Rubric
    version: int
    version_id: int
    bundled: bool
    source: str
    source_name: str | None
    imported_at: datetime

    @property
    def id(self) -> str:
        return self.rubric.id


@dataclass(frozen=True)
class RubricSummary:
    """A line of the rubric list: the newest version of one rubric."""

    id: str
    version: int
    title: str
    topic: str
    difficulty: str
    minutes: int
    tags: tuple[str, ...]
    bundled: bool


def content_hash(rubric: Rubric) -> str:
    """A hash of what the rubric says, not how its file is laid out: comments and order of keys don't count."""
    canonical = json.dumps(rubric.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def rubric_from_row(row: RubricVersionRow, owner: RubricRow) -> StoredRubric:
    return StoredRubric(
        rubric=Rubric.model_validate(row.document),
        version=row.version,
        version_id=row.id or 0,
        bundled=owner.bundled,
        source=row.source,
        source_name=row.source_name,
        imported_at=row.imported_at,
    )


def summary_from_row(row: RubricVersionRow, owner: RubricRow) -> RubricSummary:
    return RubricSummary(
        id=row.rubric_id,
        version=row.version,
        title=row.title,
        topic=row.topic,
        difficulty=row.difficulty,
        minutes=row.minutes,
        tags=tuple(row.tags),
        bundled=owner.bundled,
    )


def version_row(rubric: Rubric, version: int, source: str, source_name: str | None) -> RubricVersionRow:
    return RubricVersionRow(
        rubric_id=rubric.id,
        version=version,
        content_hash=content_hash(rubric),
        title=rubric.title,
        topic=rubric.topic,
        difficulty=rubric.difficulty,
        minutes=rubric.minutes,
        tags=list(rubric.tags),
        document=rubric.model_dump(mode="json", by_alias=True),
        source=source,
        source_name=source_name,
    )
