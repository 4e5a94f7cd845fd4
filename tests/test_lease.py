"""One live owner per session: a second window is refused, a dead owner's session is taken over, and the status
shown is always true (the same across processes: tests/test_cli_sessions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interviewer.domain import Phase, Role, SessionStatus, Turn, TurnKind
from interviewer.store import open_repository
from interviewer.store.repository import LeaseLost, Repository, SessionBusy


def _turn(seq: int, text: str = "How many users?") -> Turn:
    return Turn(seq, Role.CANDIDATE, TurnKind.CLARIFICATION, text, Phase.CLARIFY)


@pytest.fixture
def two_processes(db_url: str):  # type: ignore[no-untyped-def]
    """Two repositories on one database (a SQLite file, then a PostgreSQL server): as two programs, or two
    machines, see it."""
    first, second = open_repository(db_url), open_repository(db_url)
    yield first, second, first
    first.database.close()
    second.database.close()


def _age_lease(repository: Repository, session_id: int, seconds: float) -> None:
    """Make the session's last sign of life seconds old, as if its owner had stopped renewing."""
    from sqlalchemy import update

    from interviewer.store.tables import SessionRow

    when = datetime.now(UTC) - timedelta(seconds=seconds)
    with repository.database.session() as session:
        session.execute(update(SessionRow).where(SessionRow.id == session_id).values(heartbeat_at=when))


def test_a_second_window_is_refused_while_the_first_holds_the_session(two_processes) -> None:  # type: ignore[no-untyped-def]
    first, second, _ = two_processes
    record = first.create_session(
        first.get_rubric("caching-strategy"), minutes=30, timed=True, provider="offline", model="offline"
    )
    first.add_turn(record.id, _turn(1), elapsed=1.0, phase=Phase.CLARIFY, phase_seconds={})
    with pytest.raises(SessionBusy, match=rf"session {record.id} is open in another window \(host .+, process \d+\)"):
        second.reopen_session(record.id)
    first.add_turn(record.id, _turn(2, "And the peak?"), elapsed=2.0, phase=Phase.CLARIFY, phase_seconds={})
    assert [t.seq for t in second.session_turns(record.id)] == [1, 2]
    assert second.get_session(record.id).status is SessionStatus.ACTIVE


def test_a_lapsed_lease_is_taken_over_and_the_old_owner_can_no_longer_write(two_processes) -> None:  # type: ignore[no-untyped-def]
    first, second, db = two_processes
    record = first.create_session(
        first.get_rubric("caching-strategy"), minutes=30, timed=True, provider="offline", model="offline"
    )
    first.add_turn(record.id, _turn(1), elapsed=1.0, phase=Phase.CLARIFY, phase_seconds={})
    _age_lease(db, record.id, 120)  # the first program stopped renewing: frozen, or on a machine that died
    assert second.get_session(record.id).status is SessionStatus.INTERRUPTED
    second.reopen_session(record.id)
    assert second.get_session(record.id).status is SessionStatus.ACTIVE
    with pytest.raises(LeaseLost, match="taken over by another window"):
        first.add_turn(record.id, _turn(2, "lost?"), elapsed=2.0, phase=Phase.CLARIFY, phase_seconds={})
    second.add_turn(record.id, _turn(2, "And the peak?"), elapsed=2.0, phase=Phase.CLARIFY, phase_seconds={})
    assert [t.text for t in first.session_turns(record.id)] == [
        "How many users?",
        "And the peak?",
    ]  # none lost, none twice


def test_a_renewed_lease_keeps_an_idle_session_active_and_leaving_frees_it_at_once(two_processes) -> None:  # type: ignore[no-untyped-def]
    first, second, db = two_processes
    record = first.create_session(
        first.get_rubric("caching-strategy"), minutes=30, timed=True, provider="offline", model="offline"
    )
    _age_lease(db, record.id, 45)
    first.renew_lease(record.id)  # the timer, while the candidate thinks
    _age_lease(db, record.id, 40)
    assert second.get_session(record.id).status is SessionStatus.ACTIVE  # idle, but its owner lives
    first.release_session(record.id)
    assert second.get_session(record.id).status is SessionStatus.INTERRUPTED  # quit a moment ago: not "active"
    second.reopen_session(record.id)


def test_thinking_time_survives_a_crash_to_within_one_renewal(repository) -> None:  # type: ignore[no-untyped-def]
    from interviewer.engine import FakeClock, Interview
    from interviewer.engine.interview import LEASE_RENEW_SECONDS

    from .engine.helpers import collect

    clock = FakeClock()
    interview = Interview.begin(repository, repository.get_rubric("caching-strategy"), clock=clock)
    collect(interview.opening())
    for _ in range(10):  # four minutes of thinking, nothing sent; the timer ticks
        clock.advance(24)
        interview.keep_alive()
    saved = repository.get_session(interview.session_id).elapsed_seconds  # what a kill -9 now would keep
    assert interview.timekeeper.elapsed - saved <= LEASE_RENEW_SECONDS
    assert saved >= 200
