"""The engine's port to storage: the few writes an interview makes, as a protocol the store implements.

The engine never imports the store; a test can run a whole interview on an in-memory double.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from interviewer.domain import Assessment, Persona, Phase, Report, SessionRecord, Turn
from interviewer.rubric import StoredRubric

Assessed = tuple[int, Assessment]
"""An answer's turn number and its assessment."""


class SessionStore(Protocol):
    """Where a live interview keeps its session, turns, clock and report."""

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
        """Start a session on one rubric version, for a person."""
        ...

    def add_turn(
        self,
        session_id: int,
        turn: Turn,
        *,
        elapsed: float,
        phase: Phase,
        phase_seconds: dict[str, float],
        assessed: Sequence[Assessed] = (),
    ) -> Turn:
        """Commit a turn with the clock (and earlier answers' assessments) before anything else happens."""
        ...

    def save_clock(
        self,
        session_id: int,
        *,
        elapsed: float,
        phase: Phase,
        phase_seconds: dict[str, float],
        draft: str | None = None,
    ) -> None:
        """Record the session's clock, and the answer being typed when one is given ("" clears it)."""
        ...

    def renew_lease(self, session_id: int) -> None:
        """Keep holding the session while it is open here; raises when another process took it over."""
        ...

    def release_session(self, session_id: int) -> None:
        """Let go of a session left unfinished, so it can be resumed elsewhere at once."""
        ...

    def finish_session(
        self,
        session_id: int,
        report: Report,
        *,
        elapsed: float,
        phase: Phase,
        phase_seconds: dict[str, float],
        assessed: Sequence[Assessed] = (),
    ) -> SessionRecord:
        """Mark the session finished and store its report, together; the session as it now stands."""
        ...
