"""SQLModel tables. Rows are not domain objects: ``converters`` turns them into those."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


class AppMeta(SQLModel, table=True):
    """Small facts about the database itself (e.g. which bundled rubric set was imported)."""

    __tablename__ = "app_meta"

    key: str = Field(primary_key=True)
    value: str


class RubricRow(SQLModel, table=True):
    """A rubric's identity; its content lives in versions."""

    __tablename__ = "rubric"

    id: str = Field(primary_key=True)
    bundled: bool = False
    """The content follows the bundled rubric set: updates of the app bring new versions."""
    replaces_bundled: bool = False
    """The user's rubric has the id of a bundled one: it wins, and bundled updates leave it alone."""
    created_at: datetime = Field(default_factory=utc_now)


class RubricVersionRow(SQLModel, table=True):
    """One immutable version of a rubric's content. Sessions point here, so history never changes."""

    __tablename__ = "rubric_version"
    __table_args__ = (
        UniqueConstraint("rubric_id", "version"),
        Index("ix_rubric_version_hash", "rubric_id", "content_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rubric_id: str = Field(foreign_key="rubric.id", ondelete="CASCADE")
    version: int
    content_hash: str
    title: str
    topic: str
    difficulty: str
    minutes: int
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    source: str
    source_name: str | None = None
    imported_at: datetime = Field(default_factory=utc_now)
    author: str | None = None  # who imported or saved this version


class SessionRow(SQLModel, table=True):
    """One interview. ``status`` is active until it ends; an active session nobody runs is interrupted."""

    __tablename__ = "interview_session"

    id: int | None = Field(default=None, primary_key=True)
    rubric_version_id: int = Field(foreign_key="rubric_version.id", index=True)
    status: str = Field(default="active", index=True)
    timed: bool = True
    minutes: int
    provider: str = "offline"
    model: str = "offline"
    persona: str = Field(default="neutral", sa_column_kwargs={"server_default": "neutral"})
    phase: str = "clarify"
    elapsed_seconds: float = 0.0
    phase_seconds: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    started_at: datetime = Field(default_factory=utc_now, index=True)
    ended_at: datetime | None = None
    heartbeat_at: datetime | None = None  # renewed by the owning process while the session is open
    owner: str | None = None  # the process holding the session's lease: "host:pid:token"
    draft: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # the answer being typed
    user: str | None = Field(default=None, index=True)  # who practised


class TurnRow(SQLModel, table=True):
    """One message of an interview, committed before the interviewer's next message is produced."""

    __tablename__ = "turn"
    __table_args__ = (UniqueConstraint("session_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="interview_session.id", ondelete="CASCADE", index=True)
    seq: int
    role: str
    kind: str
    text: str
    phase: str
    at_seconds: float = 0.0
    confidence: str | None = None
    intent: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    assessment: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    tokens_in: int | None = None
    tokens_out: int | None = None
    fallback: bool = False
    cut: bool = False
    created_at: datetime = Field(default_factory=utc_now)


class ReportRow(SQLModel, table=True):
    """One grading of a session. Re-grading adds a report; the newest is the session's score."""

    __tablename__ = "report"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="interview_session.id", ondelete="CASCADE", index=True)
    grader: str
    created_at: datetime = Field(default_factory=utc_now)
    sufficient_evidence: bool = True
    overall: float | None = None
    band: str | None = None
    confidence_total: float = 0.0
    honesty_rate: float | None = None
    asked_before_design: bool = False
    label_counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    clarifications: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    phase_seconds: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    calibration: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    study_next: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class CriterionResultRow(SQLModel, table=True):
    """A criterion's level 0-4 in one report, with evidence quoted verbatim from the transcript."""

    __tablename__ = "criterion_result"
    __table_args__ = (UniqueConstraint("report_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    criterion_id: str
    level: int
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    flagged: bool = False
    rationale: str | None = None


class TurnScoreRow(SQLModel, table=True):
    """One candidate turn's label and points in one report."""

    __tablename__ = "turn_score"
    __table_args__ = (UniqueConstraint("report_id", "turn_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    turn_id: int = Field(foreign_key="turn.id", ondelete="CASCADE", index=True)
    label: str
    points: float
    criterion_id: str | None = None
    stance: str | None = None
    grader: str
    misconceptions: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    concepts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class LabelOverrideRow(SQLModel, table=True):
    """A reviewer's label for one answer, with who and why; the newest per answer counts."""

    __tablename__ = "label_override"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="interview_session.id", ondelete="CASCADE", index=True)
    turn_seq: int
    label: str
    note: str | None = None
    reviewer: str
    created_at: datetime = Field(default_factory=utc_now)


class ReviewNoteRow(SQLModel, table=True):
    """A reviewer's note on one turn of a session (``turn_seq``), or on the whole session (no turn)."""

    __tablename__ = "review_note"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="interview_session.id", ondelete="CASCADE", index=True)
    turn_seq: int | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    reviewer: str
    created_at: datetime = Field(default_factory=utc_now)
