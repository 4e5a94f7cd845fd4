"""Drive interviews in tests: a fake clock, a scripted run, and the events as text."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from interviewer.domain import Confidence, Report
from interviewer.engine import FakeClock, Interview, InterviewEnded, ReplyFinished
from interviewer.store import Repository


def collect(events) -> list:  # type: ignore[no-untyped-def]
    async def gather():  # type: ignore[no-untyped-def]
        return [event async for event in events]

    return asyncio.run(gather())


def said(events: list) -> list[str]:
    """The interviewer turns in a list of events."""
    return [e.turn.text for e in events if isinstance(e, ReplyFinished)]


def run_script(
    repository: Repository,
    rubric_id: str,
    messages: Sequence[str | tuple[str, Confidence]],
    *,
    clock: FakeClock | None = None,
    step: float = 60.0,
    minutes: int | None = None,
) -> tuple[Interview, Report]:
    """Run a whole interview: the opening, each message a `step` of seconds apart, then finish."""
    clock = clock or FakeClock()
    stored = repository.get_rubric(rubric_id)
    assert stored is not None
    interview = Interview.begin(repository, stored, clock=clock, minutes=minutes)
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
