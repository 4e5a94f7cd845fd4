"""Plain mode: time kept by a timer (warnings when due; at zero the lines typed so far are the last answer),
and commands told apart from answers."""

from __future__ import annotations

import asyncio
import io
import os
import threading
import time

from interviewer.domain import MoveKind, Role, TurnKind
from interviewer.engine import FakeClock, Interview
from interviewer.plain import PlainSession, run_plain

from .helpers import MemoryStore, bundled_rubric


class Pipe:
    """Standard input as a terminal feels: lines arrive while the program runs, and reading blocks."""

    def __init__(self) -> None:
        read, self._write = os.pipe()
        self.reader = os.fdopen(read, "r", encoding="utf-8")

    def type(self, text: str) -> None:
        os.write(self._write, text.encode())

    def close(self) -> None:
        os.close(self._write)


def _wait_until(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.01)


def _interview(clock: FakeClock, minutes: int = 10) -> tuple[MemoryStore, Interview]:
    store = MemoryStore()
    return store, Interview.begin(store, bundled_rubric("llm-support-assistant"), clock=clock, minutes=minutes)


def test_warnings_come_when_due_and_time_up_saves_the_lines_typed_so_far() -> None:
    clock = FakeClock()
    store, interview = _interview(clock)
    pipe, out = Pipe(), io.StringIO()
    session = PlainSession(interview, pipe.reader, out, talk=out, tick_seconds=0.01)
    done = threading.Event()

    def run() -> None:
        asyncio.run(session.run())
        done.set()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    _wait_until(lambda: len(store.turns[interview.session_id]) == 1)  # the question is asked
    pipe.type("We'd use Bedrock as a managed API behind API Gateway.\n\n")
    _wait_until(lambda: len(store.turns[interview.session_id]) == 3)
    clock.advance(5.5 * 60)  # nobody types: the five-minute warning comes anyway
    _wait_until(lambda: any(t.move and t.move.kind is MoveKind.TIME_WARNING for t in store.turns[interview.session_id]))
    pipe.type("Retrieval would use OpenSearch over the help articles\n")  # a message still being typed
    _wait_until(lambda: session.typed == ["Retrieval would use OpenSearch over the help articles"])
    clock.advance(5 * 60)
    assert done.wait(30), "time ran out but the interview did not end"
    pipe.close()
    turns = store.turns[interview.session_id]
    last_answer = [t for t in turns if t.role is Role.CANDIDATE][-1]
    assert last_answer.kind is TurnKind.ANSWER and "OpenSearch" in last_answer.text
    assert turns[-1].move.kind is MoveKind.CLOSE
    assert last_answer.seq in {g.turn for g in store.reports[interview.session_id].grades}
    assert "Report for session" in out.getvalue()


def test_time_up_with_nothing_typed_ends_without_an_answer() -> None:
    clock = FakeClock()
    store, interview = _interview(clock, minutes=5)
    pipe, out = Pipe(), io.StringIO()
    worker = threading.Thread(
        target=run_plain, args=(interview,), kwargs={"reader": pipe.reader, "writer": out, "tick_seconds": 0.01}
    )
    worker.start()
    _wait_until(lambda: len(store.turns[interview.session_id]) == 1)
    clock.advance(6 * 60)
    worker.join(30)
    assert not worker.is_alive()
    pipe.close()
    assert not [t for t in store.turns[interview.session_id] if t.role is Role.CANDIDATE]
    assert interview.finished


def test_an_answer_that_starts_with_a_slash_is_an_answer_and_a_lone_typo_gets_a_hint() -> None:
    store, interview = _interview(FakeClock())
    reader = io.StringIO(
        "/products and /categories are cached for an hour\nbecause they change rarely.\n\n/idj\n\n/idk\n\n"
    )
    out = io.StringIO()
    run_plain(interview, reader=reader, writer=out)
    answers = [t.text for t in store.turns[interview.session_id] if t.role is Role.CANDIDATE]
    assert answers == ["/products and /categories are cached for an hour\nbecause they change rarely.", "I don't know."]
    assert "unknown command /idj" in out.getvalue()


def test_an_answer_the_database_could_not_save_is_said_in_one_line_and_the_interview_goes_on(capsys) -> None:  # type: ignore[no-untyped-def]
    from interviewer.usecases import StoreError

    store, interview = _interview(FakeClock(), minutes=30)
    real = store.add_turn
    failures = iter([True])

    def flaky(session_id, turn, **kwargs):  # type: ignore[no-untyped-def]
        if turn.role is Role.CANDIDATE and next(failures, False):
            raise StoreError("cannot reach the database server at db.example")
        return real(session_id, turn, **kwargs)

    store.add_turn = flaky  # type: ignore[method-assign]
    out = io.StringIO()
    run_plain(interview, reader=io.StringIO("How many users?\n\nI don't know.\n\n"), writer=out)
    err = capsys.readouterr().err
    assert "NOT SAVED: your last answer (cannot reach the database server at db.example)" in err
    assert "(not saved) How many users?" in out.getvalue()  # repeated, so it can be sent again
    candidate = [t.text for t in store.turns[interview.session_id] if t.role is Role.CANDIDATE]
    assert candidate == ["I don't know."]  # the interview went on; nothing is stored twice or invented
