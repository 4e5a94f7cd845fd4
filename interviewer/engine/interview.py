"""An interview as a state machine: phases, the clock, the director's moves, and persistence.

Every candidate turn is committed before the interviewer's reply is produced, and every
interviewer turn is committed when it has been said, so killing the process loses at most the
message being typed. Faces (the TUI, plain mode) drive it through ``opening``, ``respond``,
``tick`` and ``finish`` and render the events it yields.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from interviewer.domain import (
    Confidence,
    Move,
    MoveKind,
    Phase,
    Report,
    Role,
    SessionRecord,
    SessionStatus,
    Turn,
    TurnKind,
)
from interviewer.engine.clock import Clock, Countdown, SystemClock
from interviewer.engine.policy import FollowUpPolicy, InterviewState
from interviewer.llm.base import Model, ReplyRequest
from interviewer.llm.offline import OfflineModel
from interviewer.scoring.grader import OfflineGrader
from interviewer.scoring.signals import is_clarifying_question
from interviewer.store import Repository, StoredRubric

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 20_000
"""Longer messages are kept whole in the transcript but graded on their first part."""

IDK_TEXT = "I don't know."

_TURN_KIND = {
    MoveKind.OPEN: TurnKind.QUESTION,
    MoveKind.ANSWER_CLARIFICATION: TurnKind.FACT,
    MoveKind.ASK_ASSUMPTION: TurnKind.FACT,
    MoveKind.DECLINE_REVEAL: TurnKind.FACT,
    MoveKind.PROBE: TurnKind.PROBE,
    MoveKind.CHALLENGE: TurnKind.CHALLENGE,
    MoveKind.ACKNOWLEDGE_IDK: TurnKind.ACKNOWLEDGE,
    MoveKind.TIME_WARNING: TurnKind.NOTICE,
    MoveKind.WRAP_UP: TurnKind.WRAP_UP,
    MoveKind.CLOSE: TurnKind.WRAP_UP,
}


class InterviewError(RuntimeError):
    """Something the user asked for cannot be done (the message says why)."""


@dataclass(frozen=True)
class ReplyStarted:
    kind: MoveKind


@dataclass(frozen=True)
class ReplyChunk:
    text: str


@dataclass(frozen=True)
class ReplyFinished:
    turn: Turn


@dataclass(frozen=True)
class CandidateSaved:
    turn: Turn


@dataclass(frozen=True)
class InterviewEnded:
    report: Report


Event = ReplyStarted | ReplyChunk | ReplyFinished | CandidateSaved | InterviewEnded


class Interview:
    """One interview session, live."""

    def __init__(
        self,
        repository: Repository,
        stored: StoredRubric,
        record: SessionRecord,
        turns: list[Turn],
        *,
        model: Model | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.repository = repository
        self.stored = stored
        self.rubric = stored.rubric
        self.record = record
        self.turns = list(turns)
        self.model: Model = model or OfflineModel()
        self.fallback = OfflineModel()
        self.grader = OfflineGrader()
        self.policy = FollowUpPolicy(self.rubric)
        self.state = InterviewState(phase=record.phase)
        self.countdown = Countdown(
            clock or SystemClock(), record.minutes, timed=record.timed, elapsed=record.elapsed_seconds
        )
        self.phase_seconds = {p.value: record.phase_seconds.get(p.value, 0.0) for p in Phase}
        self._phase_mark = record.elapsed_seconds
        self.report: Report | None = None
        self.notices: list[str] = []
        self._replay()

    # -- construction ----------------------------------------------------------------------------

    @classmethod
    def begin(
        cls,
        repository: Repository,
        stored: StoredRubric,
        *,
        minutes: int | None = None,
        timed: bool = True,
        model: Model | None = None,
        clock: Clock | None = None,
    ) -> Interview:
        """Create a new session on a rubric version."""
        model = model or OfflineModel()
        if minutes is not None and not 1 <= minutes <= 240:
            raise InterviewError("--minutes must be between 1 and 240")
        record = repository.create_session(
            stored, minutes=minutes or stored.rubric.minutes, timed=timed, provider=model.provider, model=model.name
        )
        return cls(repository, stored, record, [], model=model, clock=clock)

    @classmethod
    def resume(
        cls, repository: Repository, session_id: int, *, model: Model | None = None, clock: Clock | None = None
    ) -> Interview:
        """Go on with an interrupted session, clock included (time while nothing ran is not counted)."""
        record = repository.get_session(session_id)
        if record is None:
            raise InterviewError(f"no session {session_id}; 'interviewer history' lists them")
        if record.status is SessionStatus.FINISHED:
            raise InterviewError(f"session {session_id} is finished; 'interviewer show {session_id}' shows it")
        stored = repository.session_rubric(session_id)
        if stored is None:
            raise InterviewError(f"the rubric of session {session_id} is missing from the database")
        repository.reopen_session(session_id)
        return cls(repository, stored, record, repository.session_turns(session_id), model=model, clock=clock)

    def _replay(self) -> None:
        """Rebuild the director's memory from a saved transcript."""
        previous: Turn | None = None
        for turn in self.turns:
            if turn.role is Role.INTERVIEWER and turn.intent.get("kind") in MoveKind._value2member_map_:
                self.state.note_move(_move_from_intent(turn.intent))
            elif turn.kind is TurnKind.CLARIFICATION:
                self.state.clarifications += 1
            elif turn.kind is TurnKind.ANSWER:
                self.state.note_answer(self._assess(turn.text, previous, turn.confidence))
            if turn.role is Role.INTERVIEWER:
                previous = turn
        self.state.phase = self.record.phase if self.turns else Phase.CLARIFY

    # -- what faces ask ----------------------------------------------------------------------------

    @property
    def session_id(self) -> int:
        return self.record.id

    @property
    def phase(self) -> Phase:
        return self.state.phase

    @property
    def finished(self) -> bool:
        return self.state.closed or self.report is not None

    @property
    def awaiting_reply(self) -> bool:
        """True when the last saved turn is the candidate's (e.g. the app died before answering it)."""
        return bool(self.turns) and self.turns[-1].role is Role.CANDIDATE

    def time_left(self) -> str:
        return f"{self.countdown.describe()}; phase: {self.phase.heading}"

    def clarifications_asked(self) -> list[str]:
        return [t.text for t in self.turns if t.kind is TurnKind.CLARIFICATION]

    def pause(self) -> None:
        self.countdown.pause()
        self._save_clock()

    def unpause(self) -> None:
        self.countdown.resume()

    # -- the conversation --------------------------------------------------------------------------

    async def opening(self) -> AsyncIterator[Event]:
        """Ask the question (or, on resume, answer what is pending); starts the clock."""
        self.countdown.start()
        if not self.turns:
            async for event in self._say(Move(MoveKind.OPEN, seed=self._seed())):
                yield event
        elif self.awaiting_reply:
            last = self.turns[-1]
            async for event in self._react(last):
                yield event

    async def respond(self, text: str, *, confidence: Confidence | None = None) -> AsyncIterator[Event]:
        """Take a candidate message: save it, then let the interviewer react."""
        if self.finished:
            raise InterviewError("the interview has ended")
        self.countdown.start()
        text = text.strip()
        if not text:
            raise InterviewError("an empty message; type an answer, or /idk")
        async for event in self._time_events():
            yield event
        if self.finished:
            return
        kind = TurnKind.CLARIFICATION if is_clarifying_question(text[:MAX_ANSWER_CHARS]) else TurnKind.ANSWER
        turn = self._save(
            Turn(
                self._next_seq(),
                Role.CANDIDATE,
                kind,
                text,
                self.phase,
                self.countdown.elapsed,
                confidence=confidence if kind is TurnKind.ANSWER else None,
            )
        )
        yield CandidateSaved(turn)
        async for event in self._react(turn):
            yield event

    async def idk(self) -> AsyncIterator[Event]:
        """The candidate says plainly they do not know."""
        async for event in self.respond(IDK_TEXT):
            yield event

    async def tick(self) -> AsyncIterator[Event]:
        """Give due time warnings and end the interview when time is up (call it periodically)."""
        async for event in self._time_events():
            yield event

    async def finish(self) -> Report:
        """End the session: grade it, store the report, mark it finished."""
        if self.report is not None:
            return self.report
        self.countdown.stop()
        self._mark_phase()
        report = self.grader.grade_session(
            self.rubric, self.turns, phase_seconds=self.phase_seconds, session_id=self.session_id
        )
        self.repository.finish_session(
            self.session_id, report, elapsed=self.countdown.elapsed, phase=self.phase, phase_seconds=self.phase_seconds
        )
        self.state.closed = True
        self.report = report
        return report

    # -- internals ---------------------------------------------------------------------------------

    async def _react(self, turn: Turn) -> AsyncIterator[Event]:
        seed = self._seed()
        if turn.kind is TurnKind.CLARIFICATION:
            move = self.policy.after_clarification(self.state, turn.text, seed)
        else:
            previous = next((t for t in reversed(self.turns[:-1]) if t.role is Role.INTERVIEWER), None)
            assessment = self._assess(turn.text, previous, turn.confidence)
            self.state.note_answer(assessment)
            move = self.policy.after_answer(self.state, assessment, wrap_up_due=self.countdown.wrap_up_due, seed=seed)
        async for event in self._say(move):
            yield event
        if move.kind is MoveKind.CLOSE:
            yield InterviewEnded(await self.finish())

    def _assess(self, text: str, previous: Turn | None, confidence: Confidence | None):  # type: ignore[no-untyped-def]
        prompt = previous.text if previous else self.rubric.question
        criterion = previous.intent.get("criterion_id") if previous else None
        return self.grader.grade_answer(
            self.rubric, text[:MAX_ANSWER_CHARS], prompt=prompt, criterion_id=criterion, confidence=confidence
        )

    async def _time_events(self) -> AsyncIterator[Event]:
        if self.finished:
            return
        if self.countdown.expired:
            async for event in self._say(Move(MoveKind.CLOSE, seed=self._seed())):
                yield event
            yield InterviewEnded(await self.finish())
            return
        for seconds_left in self.countdown.due_warnings():
            async for event in self._say(
                Move(MoveKind.TIME_WARNING, minutes_left=seconds_left / 60, seed=self._seed())
            ):
                yield event
        if self.countdown.wrap_up_due and not self.state.wrapping_up and self.state.answers:
            async for event in self._say(Move(MoveKind.WRAP_UP, seed=self._seed())):
                yield event

    async def _say(self, move: Move) -> AsyncIterator[Event]:
        """Voice a move through the model (the offline model if it fails), then commit the turn."""
        self._advance_phase(move)
        yield ReplyStarted(move.kind)
        request = ReplyRequest(move=move, transcript=tuple(self.turns), context=self._context())
        parts: list[str] = []
        fallback = cut = False
        try:
            async for chunk in self.model.stream(request):
                parts.append(chunk)
                yield ReplyChunk(chunk)
        except Exception as exc:  # a provider failure must not end the interview
            log.warning(
                "model %s/%s failed (%s); the offline interviewer takes this turn",
                self.model.provider,
                self.model.name,
                exc,
            )
            fallback, cut = True, bool(parts)
            self.notices.append(str(exc))
            notice = ("\n\n[reply cut off]" if parts else "") + (
                f"\n\n(The {self.model.provider} model did not answer; the built-in interviewer goes on.)\n\n"
            )
            parts.append(notice)
            yield ReplyChunk(notice)
            async for chunk in self.fallback.stream(request):
                parts.append(chunk)
                yield ReplyChunk(chunk)
        usage = None if fallback else getattr(self.model, "last_usage", None)
        self.state.note_move(move)
        turn = self._save(
            Turn(
                self._next_seq(),
                Role.INTERVIEWER,
                _TURN_KIND[move.kind],
                "".join(parts).strip(),
                self.phase,
                self.countdown.elapsed,
                intent=move.as_dict(),
                fallback=fallback,
                cut=cut,
                tokens_in=usage.tokens_in if usage else None,
                tokens_out=usage.tokens_out if usage else None,
            )
        )
        yield ReplyFinished(turn)

    def _context(self) -> dict[str, object]:
        """What a language model needs besides the move: the rubric's headline and the clock."""
        return {
            "question": self.rubric.question,
            "title": self.rubric.title,
            "topic": self.rubric.topic,
            "difficulty": self.rubric.difficulty,
            "phase": self.phase.heading,
            "minutes_left": self.countdown.remaining / 60 if self.record.timed else None,
        }

    def usage(self) -> tuple[int, int]:
        """Tokens in and out so far, over the interviewer's turns."""
        return (sum(t.tokens_in or 0 for t in self.turns), sum(t.tokens_out or 0 for t in self.turns))

    def _advance_phase(self, move: Move) -> None:
        if move.kind in (MoveKind.WRAP_UP, MoveKind.CLOSE):
            target = Phase.WRAP_UP
        elif self.state.answers == 0:
            target = Phase.CLARIFY
        else:
            order = list(Phase)
            by_time = self.countdown.phase_by_time() if self.record.timed else Phase.DESIGN
            target = max(self.state.phase, by_time, key=order.index)
            if target is Phase.WRAP_UP and not self.state.wrapping_up:
                target = Phase.DEEP_DIVE  # wrap-up starts with the interviewer's wrap-up move
        if target is not self.state.phase:
            self._mark_phase()
            self.state.phase = target

    def _mark_phase(self) -> None:
        now = self.countdown.elapsed
        self.phase_seconds[self.state.phase.value] += max(0.0, now - self._phase_mark)
        self._phase_mark = now

    def _save(self, turn: Turn) -> Turn:
        self._mark_phase()
        saved = self.repository.add_turn(
            self.session_id, turn, elapsed=self.countdown.elapsed, phase=self.phase, phase_seconds=self.phase_seconds
        )
        self.turns.append(saved)
        return saved

    def _save_clock(self) -> None:
        self._mark_phase()
        self.repository.save_clock(
            self.session_id, elapsed=self.countdown.elapsed, phase=self.phase, phase_seconds=self.phase_seconds
        )

    def _next_seq(self) -> int:
        return self.turns[-1].seq + 1 if self.turns else 1

    def _seed(self) -> int:
        return self.session_id * 1000 + self._next_seq()


def _move_from_intent(intent: dict) -> Move:  # type: ignore[type-arg]
    fields = {k: v for k, v in intent.items() if k in Move.__dataclass_fields__}
    fields["kind"] = MoveKind(fields["kind"])
    return Move(**fields)
