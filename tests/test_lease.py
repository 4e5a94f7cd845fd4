"""One live owner per session: a second window is refused, a dead owner's session is taken over, and the status
shown is always true (the same across processes: tests/test_cli_sessions.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interviewer.domain import Phase, Role, SessionStatus, Turn, TurnKind
from interviewer.store import open_repository
from interviewer.store.repository import LeaseLost, SessionBusy


def _turn(seq: int, text: str = "How many users?") -> Turn:
    return Turn(seq, Role.CANDIDATE, TurnKind.CLARIFICATION, text, Phase.CLARIFY)


@pytest.fixture
def two_processes(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two repositories on one database file: as two programs (or two machines) see it."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = open_repository(url), open_repository(url)
    yield first, second, tmp_path / "shared.db"
    first.database.close()
    second.database.close()


def _age_lease(db: Path, session_id: int, seconds: float) -> None:
    when = (datetime.now(UTC) - timedelta(seconds=seconds)).replace(tzinfo=None)
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE interview_session SET heartbeat_at = ? WHERE id = ?", (when.isoformat(" "), session_id)
        )


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
