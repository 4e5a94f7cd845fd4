"""Scoring a stored session again: the same rubric version, a new report beside the old ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from interviewer.domain import Report, SessionRecord, Turn
from interviewer.rubric import Rubric
from interviewer.store import Repository, StoredRubric

GradeSession = Callable[..., Report]
"""``grade(rubric, turns, *, phase_seconds=..., session_id=...) -> Report``, as the graders offer."""


def regrade_session(
    repository: Repository, session_id: int, grade: GradeSession
) -> tuple[SessionRecord, StoredRubric, Report]:
    """Grade a session with the rubric version it was run with and store the new report."""
    session = repository.get_session(session_id)
    stored = repository.session_rubric(session_id)
    if session is None or stored is None:
        raise LookupError(f"no session {session_id}")
    turns: Sequence[Turn] = repository.session_turns(session_id)
    rubric: Rubric = stored.rubric
    extra: dict[str, Any] = {"phase_seconds": session.phase_seconds, "session_id": session_id}
    report = grade(rubric, turns, **extra)
    repository.save_report(session_id, report)
    return session, stored, report
