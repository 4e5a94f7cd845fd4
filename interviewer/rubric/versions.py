"""Rubrics as the database keeps them: versions of a rubric's content, and the lines of the rubric list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from interviewer.rubric.model import Rubric


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
    author: str | None = None

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
    replaces_bundled: bool = False

    @property
    def origin(self) -> str:
        """Where the rubric comes from, in the words the rubric list uses."""
        if self.bundled:
            return "bundled"
        return "yours, replaces bundled" if self.replaces_bundled else "yours"


@dataclass(frozen=True)
class RubricInput:
    """A validated rubric on its way into the database, with the text it was read from."""

    rubric: Rubric
    source: str
    source_name: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """What importing one rubric did: ``created`` is False when identical content was already there."""

    id: str
    version: int
    created: bool
    replaced_bundled: bool = False
    """This import made a rubric of the user's take the place of the bundled question of the same id."""
    kept_yours: bool = False
    """A bundled update was not applied because the user's rubric of that id wins."""
