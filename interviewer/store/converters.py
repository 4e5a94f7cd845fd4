"""The one place rows become domain objects (and back)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from interviewer.domain import (
    AnswerLabel,
    Assessment,
    ClarificationAsked,
    ConceptHit,
    Confidence,
    CriterionResult,
    Evidence,
    LabelOverride,
    MisconceptionHit,
    ModelLevel,
    Move,
    Persona,
    Phase,
    Report,
    Role,
    SessionRecord,
    SessionStatus,
    StudyItem,
    Turn,
    TurnGrade,
    TurnKind,
)
from interviewer.rubric import Rubric
from interviewer.rubric.versions import RubricSummary, StoredRubric
from interviewer.store.tables import (
    CriterionResultRow,
    LabelOverrideRow,
    ReportRow,
    RubricRow,
    RubricVersionRow,
    SessionRow,
    TurnRow,
    TurnScoreRow,
    utc_now,
)


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
        author=row.author,
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
        replaces_bundled=owner.replaces_bundled,
    )


def version_row(
    rubric: Rubric, version: int, source: str, source_name: str | None, author: str | None = None
) -> RubricVersionRow:
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
        author=author,
    )


# -- sessions, turns, reports -------------------------------------------------------------------

LEASE_SECONDS = 60.0
"""How long a session's lease lasts unrenewed: the owner renews it every ``LEASE_RENEW_SECONDS`` while the
session is open, so an active session is one a live process holds, and a dead one frees it within a minute."""
LEASE_RENEW_SECONDS = 15.0
HEARTBEAT_STALE_SECONDS = LEASE_SECONDS


def _aware(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite hands back naive datetimes)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def session_from_row(
    row: SessionRow, version: RubricVersionRow, report: ReportRow | None, now: datetime | None = None
) -> SessionRecord:
    status = SessionStatus(row.status)
    if status is SessionStatus.ACTIVE:
        beat = row.heartbeat_at or row.started_at
        if row.owner is None or ((now or utc_now()) - _aware(beat)).total_seconds() > LEASE_SECONDS:
            status = SessionStatus.INTERRUPTED
    return SessionRecord(
        id=row.id or 0,
        rubric_id=version.rubric_id,
        rubric_version=version.version,
        rubric_title=version.title,
        topic=version.topic,
        status=status,
        timed=row.timed,
        minutes=row.minutes,
        provider=row.provider,
        model=row.model,
        phase=Phase(row.phase),
        elapsed_seconds=row.elapsed_seconds,
        phase_seconds=dict(row.phase_seconds),
        started_at=row.started_at,
        ended_at=row.ended_at,
        overall=report.overall if report else None,
        band=report.band if report else None,
        honesty=report.honesty_rate if report else None,
        persona=Persona(row.persona) if row.persona in Persona._value2member_map_ else Persona.NEUTRAL,
        draft=row.draft or "",
        user=row.user or "",
    )


def turn_from_row(row: TurnRow) -> Turn:
    return Turn(
        seq=row.seq,
        role=Role(row.role),
        kind=TurnKind(row.kind),
        text=row.text,
        phase=Phase(row.phase),
        at_seconds=row.at_seconds,
        confidence=Confidence(row.confidence) if row.confidence else None,
        move=Move.from_dict(dict(row.intent)),
        id=row.id,
        fallback=row.fallback,
        cut=row.cut,
        tokens_in=row.tokens_in,
        tokens_out=row.tokens_out,
    )


def turn_row(session_id: int, turn: Turn) -> TurnRow:
    return TurnRow(
        session_id=session_id,
        seq=turn.seq,
        role=turn.role.value,
        kind=turn.kind.value,
        text=turn.text,
        phase=turn.phase.value,
        at_seconds=turn.at_seconds,
        confidence=turn.confidence.value if turn.confidence else None,
        intent=turn.move.as_dict() if turn.move else {},
        fallback=turn.fallback,
        cut=turn.cut,
        tokens_in=turn.tokens_in,
        tokens_out=turn.tokens_out,
    )


def report_rows(session_id: int, report: Report, turn_ids: dict[int, int]) -> tuple[ReportRow, list, list]:
    """The report as its row plus criterion results and turn scores (linked once the report has an id)."""
    row = ReportRow(
        session_id=session_id,
        grader=report.grader,
        sufficient_evidence=report.sufficient_evidence,
        overall=report.overall,
        band=report.band,
        confidence_total=report.confidence_total,
        honesty_rate=report.honesty_rate,
        label_counts=dict(report.label_counts),
        clarifications=[asdict(c) for c in report.clarifications],
        phase_seconds=dict(report.phase_seconds),
        calibration=report.calibration,
        study_next=[asdict(s) for s in report.study_next],
        asked_before_design=report.asked_before_design,
        notes=list(report.notes),
    )
    criteria = [
        CriterionResultRow(
            report_id=0,
            criterion_id=c.criterion_id,
            level=c.level,
            flagged=c.flagged,
            rationale=c.rationale,
            evidence=[asdict(e) for e in c.evidence],
        )
        for c in report.criteria
    ]
    scores = [
        TurnScoreRow(
            report_id=0,
            turn_id=turn_ids[g.turn],
            label=g.label.value,
            points=g.points,
            criterion_id=g.criterion_id,
            stance=g.stance,
            grader=g.grader,
            misconceptions=[dict(m) for m in g.misconceptions],
            concepts=list(g.concepts),
            notes=list(g.notes),
        )
        for g in report.grades
        if g.turn in turn_ids
    ]
    return row, criteria, scores


def report_from_rows(
    row: ReportRow,
    rubric_id: str,
    titles: dict[str, str],
    criteria: list[CriterionResultRow],
    scores: list[tuple[TurnScoreRow, int]],
) -> Report:
    return Report(
        session_id=row.session_id,
        rubric_id=rubric_id,
        grader=row.grader,
        sufficient_evidence=row.sufficient_evidence,
        overall=row.overall,
        band=row.band,
        criteria=tuple(
            CriterionResult(
                c.criterion_id,
                titles.get(c.criterion_id, c.criterion_id),
                c.level,
                tuple(Evidence(**e) for e in c.evidence),
                c.flagged,
                c.rationale,
            )
            for c in criteria
        ),
        grades=tuple(
            TurnGrade(
                seq,
                AnswerLabel(s.label),
                s.points,
                s.criterion_id,
                s.stance or "",
                tuple(s.concepts),
                tuple(s.misconceptions),
                tuple(s.notes),
                s.grader,
            )
            for s, seq in sorted(scores, key=lambda pair: pair[1])
        ),
        label_counts=dict(row.label_counts),
        confidence_total=row.confidence_total,
        honesty_rate=row.honesty_rate,
        clarifications=tuple(ClarificationAsked(**c) for c in row.clarifications),
        asked_before_design=row.asked_before_design,
        phase_seconds=dict(row.phase_seconds),
        calibration=row.calibration,
        study_next=tuple(StudyItem(**s) for s in row.study_next),
        notes=tuple(row.notes),
    )


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    """An answer's assessment as it is kept with its turn."""
    return asdict(assessment)


def assessment_from_json(data: dict[str, Any]) -> Assessment:
    return Assessment(
        label=AnswerLabel(data["label"]),
        points=data["points"],
        criterion_id=data.get("criterion_id"),
        stance=data.get("stance", ""),
        concepts=tuple(ConceptHit(**c) for c in data.get("concepts", ())),
        misconceptions=tuple(MisconceptionHit(**m) for m in data.get("misconceptions", ())),
        idk=data.get("idk", False),
        notes=tuple(data.get("notes", ())),
        injection=data.get("injection", False),
        grader=data.get("grader", "offline"),
        suspicions=tuple(MisconceptionHit(**m) for m in data.get("suspicions", ())),
        model_levels=tuple(
            ModelLevel(m["criterion_id"], m["level"], tuple(m.get("quotes", ()))) for m in data.get("model_levels", ())
        ),
    )


def override_from_row(row: LabelOverrideRow) -> LabelOverride:
    return LabelOverride(row.turn_seq, AnswerLabel(row.label), row.reviewer, row.note, row.created_at)
