"""Drive interviews in tests: a fake clock, a scripted run, and the events as text."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from interviewer import locations
from interviewer.domain import Assessment, Confidence, Persona, Phase, Report, SessionRecord, SessionStatus, Turn
from interviewer.engine import FakeClock, Interview, InterviewEnded, ReplyFinished, SessionStore
from interviewer.rubric import StoredRubric, parse_rubric
from interviewer.scoring.grader import OfflineGrader


def collect(events) -> list:  # type: ignore[no-untyped-def]
    async def gather():  # type: ignore[no-untyped-def]
        return [event async for event in events]

    return asyncio.run(gather())


def said(events: list) -> list[str]:
    """The interviewer turns in a list of events."""
    return [e.turn.text for e in events if isinstance(e, ReplyFinished)]


def run_script(
    repository: SessionStore,
    rubric_id: str,
    messages: Sequence[str | tuple[str, Confidence]],
    *,
    clock: FakeClock | None = None,
    step: float = 60.0,
    minutes: int | None = None,
    persona: Persona = Persona.NEUTRAL,
) -> tuple[Interview, Report]:
    """Run a whole interview: the opening, each message a `step` of seconds apart, then finish."""
    clock = clock or FakeClock()
    get_rubric = getattr(repository, "get_rubric", None)
    stored = get_rubric(rubric_id) if get_rubric else bundled_rubric(rubric_id)
    assert stored is not None
    interview = Interview.begin(repository, stored, clock=clock, minutes=minutes, persona=persona)
    collect(interview.opening())
    for message in messages:
        if interview.finished:
            break
        clock.advance(step)
        text, confidence = message if isinstance(message, tuple) else (message, None)
        events = collect(interview.respond(text, confidence=confidence))
        if any(isinstance(e, InterviewEnded) for e in events):
            break
    report = interview.report or asyncio.run(interview.finish())
    return interview, report


class MemoryStore:
    """The engine's SessionStore port kept in memory: an interview with no database at all."""

    def __init__(self) -> None:
        self.records: dict[int, SessionRecord] = {}
        self.turns: dict[int, list[Turn]] = {}
        self.assessments: dict[int, dict[int, Assessment]] = {}
        self.reports: dict[int, Report] = {}

    def create_session(
        self,
        rubric: StoredRubric,
        *,
        minutes: int,
        timed: bool,
        provider: str,
        model: str,
        persona: Persona = Persona.NEUTRAL,
        user: str | None = None,
    ) -> SessionRecord:
        session_id = len(self.records) + 1
        record = SessionRecord(
            session_id, rubric.id, rubric.version, rubric.rubric.title, rubric.rubric.topic, SessionStatus.ACTIVE,
            timed, minutes, provider, model, Phase.CLARIFY, 0.0, {}, datetime.now(UTC), None, persona=persona,
            user=user or "",
        )  # fmt: skip
        self.records[session_id], self.turns[session_id], self.assessments[session_id] = record, [], {}
        return record

    def add_turn(self, session_id: int, turn: Turn, *, elapsed, phase, phase_seconds, assessed=()) -> Turn:  # type: ignore[no-untyped-def]
        saved = replace(turn, id=sum(len(t) for t in self.turns.values()) + 1)
        self.turns[session_id].append(saved)
        self.assessments[session_id].update(assessed)
        self.save_clock(session_id, elapsed=elapsed, phase=phase, phase_seconds=phase_seconds)
        return saved

    def renew_lease(self, session_id: int) -> None:
        self.renewals = getattr(self, "renewals", 0) + 1

    def release_session(self, session_id: int) -> None:
        self.released = session_id

    def save_clock(self, session_id: int, *, elapsed, phase, phase_seconds, draft=None) -> None:  # type: ignore[no-untyped-def]
        record = self.records[session_id]
        self.records[session_id] = replace(
            record,
            elapsed_seconds=elapsed,
            phase=phase,
            phase_seconds=dict(phase_seconds),
            draft=record.draft if draft is None else draft,
        )

    def finish_session(self, session_id: int, report: Report, *, elapsed, phase, phase_seconds, assessed=()):  # type: ignore[no-untyped-def]
        self.assessments[session_id].update(assessed)
        self.save_clock(session_id, elapsed=elapsed, phase=phase, phase_seconds=phase_seconds)
        self.reports[session_id] = report
        self.records[session_id] = replace(self.records[session_id], status=SessionStatus.FINISHED)
        return self.records[session_id]


def bundled_rubric(rubric_id: str) -> StoredRubric:
    """A bundled rubric as version 1, read from its file (no database)."""
    path = Path(str(locations.bundled_rubrics())) / f"{rubric_id}.toml"
    text = path.read_text(encoding="utf-8")
    return StoredRubric(parse_rubric(text, path.name), 1, 1, True, text, path.name, datetime.now(UTC))


class CountingGrader(OfflineGrader):
    """The offline grader, counting how many answers it is asked to assess."""

    def __init__(self) -> None:
        self.assessed: list[str] = []

    async def assess(self, rubric, answer, target, confidence=None):  # type: ignore[no-untyped-def]
        self.assessed.append(answer)
        return await super().assess(rubric, answer, target, confidence)
