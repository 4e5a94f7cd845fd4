"""An interview as a state machine: phases, the clock, the director's moves, and persistence.

Every candidate turn is committed before the interviewer's reply is produced, and every
interviewer turn is committed when it has been said, so killing the process loses at most the
message being typed. Each answer is graded once, when it is given; its assessment is committed
with the interviewer's reply and the report is built from the assessments. Faces (the TUI, plain
mode) drive it through ``opening``, ``respond``, ``tick`` and ``finish`` and render the events it
yields. Storage goes through the ``SessionStore`` port.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from interviewer.config import redact
from interviewer.domain import (
    Assessment,
    Confidence,
    Move,
    MoveKind,
    Persona,
    Phase,
    Report,
    Role,
    SessionRecord,
    Turn,
    TurnKind,
)
from interviewer.engine.clock import Clock, SystemClock, Timekeeper
from interviewer.engine.policy import FollowUpPolicy, InterviewState
from interviewer.engine.port import Assessed, SessionStore
from interviewer.llm.base import MODEL_REST_SECONDS, Breaker, Model, ReplyRequest
from interviewer.llm.offline import OfflineModel
from interviewer.rubric import StoredRubric
from interviewer.scoring.grader import OfflineGrader
from interviewer.scoring.grading import Grader, answer_target, grade_transcript, graded_text
from interviewer.scoring.signals import is_clarifying_question

log = logging.getLogger(__name__)


class _ModelResting(Exception):
    """The model is resting after a failure; the offline interviewer takes the turn."""


LEASE_RENEW_SECONDS = 15.0
"""How often a live session renews its lease (the store lets a lease lapse after a minute unrenewed)."""

MIN_MINUTES, MAX_MINUTES = 1, 240
"""The shortest and longest interview the clock allows."""

IDK_TEXT = "I don't know."

_TURN_KIND = {
    MoveKind.OPEN: TurnKind.QUESTION,
    MoveKind.ANSWER_CLARIFICATION: TurnKind.FACT,
    MoveKind.ASK_ASSUMPTION: TurnKind.FACT,
    MoveKind.DECLINE_REVEAL: TurnKind.FACT,
    MoveKind.PROBE: TurnKind.PROBE,
    MoveKind.CURVEBALL: TurnKind.PROBE,
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
        store: SessionStore,
        stored: StoredRubric,
        record: SessionRecord,
        turns: list[Turn],
        *,
        assessments: dict[int, Assessment] | None = None,
        model: Model | None = None,
        grader: Grader | None = None,
        clock: Clock | None = None,
    ) -> None:
        """A session as stored: its turns, and the assessments kept with its answers (a resume passes them)."""
        self.store = store
        self.stored = stored
        self.rubric = stored.rubric
        self.record = record
        self.turns = list(turns)
        self.assessments: dict[int, Assessment] = dict(assessments or {})
        self.model: Model = model or OfflineModel()
        self.fallback = OfflineModel()
        self.grader: Grader = grader or OfflineGrader()
        self.policy = FollowUpPolicy(self.rubric, record.persona)
        self.state = InterviewState(phase=record.phase)
        self.timekeeper = Timekeeper(
            clock or SystemClock(), record.minutes, timed=record.timed, elapsed=record.elapsed_seconds
        )
        self.phase_seconds = {p.value: record.phase_seconds.get(p.value, 0.0) for p in Phase}
        self._phase_mark = record.elapsed_seconds
        self._unsaved: list[Assessed] = []
        self.report: Report | None = None
        self.notices: list[str] = []
        self._renewed = self.timekeeper.clock.now()
        self._breaker = Breaker(self.timekeeper.clock.now)
        """After the model fails, the offline interviewer voices the turns for a while (MODEL_REST_SECONDS)."""
        self._replay()

    @classmethod
    def begin(
        cls,
        store: SessionStore,
        stored: StoredRubric,
        *,
        minutes: int | None = None,
        timed: bool = True,
        model: Model | None = None,
        grader: Grader | None = None,
        clock: Clock | None = None,
        persona: Persona = Persona.NEUTRAL,
        user: str | None = None,
    ) -> Interview:
        """Create a new session on a rubric version, for a person (``user``)."""
        voice: Model = model or OfflineModel()
        if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise InterviewError(f"an interview lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes, not {minutes}")
        record = store.create_session(
            stored,
            minutes=minutes or stored.rubric.minutes,
            timed=timed,
            provider=voice.provider,
            model=voice.name,
            persona=persona,
            user=user,
        )
        return cls(store, stored, record, [], model=voice, grader=grader, clock=clock)

    def _replay(self) -> None:
        """Rebuild the director's memory from a saved transcript and the assessments kept with it."""
        for turn in self.turns:
            if turn.role is Role.INTERVIEWER and turn.move is not None:
                self.state.note_move(turn.move)
            elif turn.kind is TurnKind.CLARIFICATION:
                self.policy.hear_clarification(self.state, turn.text)
            elif turn.kind is TurnKind.ANSWER and turn.seq in self.assessments:
                self.state.note_answer(self.assessments[turn.seq])
        self.state.phase = self.record.phase if self.turns else Phase.CLARIFY

    async def _assess_unassessed(self) -> None:
        """Grade the answers a session saved without an assessment (the reply to them was never said)."""
        for index, turn in enumerate(self.turns):
            pending = turn is self.turns[-1] and self.awaiting_reply  # _react grades the one awaiting a reply
            if turn.kind is TurnKind.ANSWER and turn.seq not in self.assessments and not pending:
                self.state.note_answer(await self._assess(turn, self._interviewer_before(index)))

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
        return f"{self.timekeeper.describe()}; phase: {self.phase.heading}"

    def clarifications_asked(self) -> list[str]:
        return [t.text for t in self.turns if t.kind is TurnKind.CLARIFICATION]

    def keep_alive(self) -> None:
        """Renew the session's lease when it is due, saving the clock with it, so a crash loses at most
        ``LEASE_RENEW_SECONDS`` of thinking and typing time (call it often, e.g. every second, from a timer)."""
        now = self.timekeeper.clock.now()
        if self.finished or now - self._renewed < LEASE_RENEW_SECONDS:
            return
        self._renewed = now
        self._save_clock()  # renews the lease in the same transaction

    @property
    def draft(self) -> str:
        """The answer that was being typed when the session was last saved (to restore on resume)."""
        return self.record.draft

    def save_draft(self, text: str) -> None:
        """Keep the answer being typed with the session, and its clock with it (a face calls this as the
        candidate types, debounced), so a crash or a quit loses neither."""
        if not self.finished:
            self._save_clock(draft=text)

    def leave(self) -> None:
        """The face is closing with the session unfinished: let go of it, so it can be resumed at once."""
        if not self.finished:
            self._save_clock()
            self.store.release_session(self.session_id)

    def pause(self) -> None:
        self.timekeeper.pause()
        self._save_clock()

    def unpause(self) -> None:
        self.timekeeper.resume()

    # -- the conversation --------------------------------------------------------------------------

    async def opening(self) -> AsyncIterator[Event]:
        """Ask the question (or, on resume, answer what is pending); starts the clock."""
        self.timekeeper.start()
        await self._assess_unassessed()
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
        self.timekeeper.start()
        text = text.strip()
        if not text:
            raise InterviewError("an empty message: say something, or say that you do not know")
        async for event in self._time_events(draft=text, confidence=confidence):
            yield event
        if self.finished:
            return
        kind = TurnKind.CLARIFICATION if is_clarifying_question(graded_text(text)) else TurnKind.ANSWER
        turn = self._save_candidate(text, kind, confidence)
        yield CandidateSaved(turn)
        async for event in self._react(turn):
            yield event

    async def idk(self) -> AsyncIterator[Event]:
        """The candidate says plainly they do not know."""
        async for event in self.respond(IDK_TEXT):
            yield event

    async def tick(self, draft: str = "") -> AsyncIterator[Event]:
        """Give due time warnings and end the interview when time is up (call it periodically, by a timer).

        ``draft`` is what the candidate is typing: if time is up, it is saved and graded as the last answer.
        """
        async for event in self._time_events(draft=draft):
            yield event

    async def finish(self) -> Report:
        """End the session: build the report from the answers' assessments, store it, mark it finished."""
        if self.report is not None:
            return self.report
        self.timekeeper.stop()
        self._mark_phase()
        report = await grade_transcript(
            self.grader,
            self.rubric,
            self.turns,
            assessments=self.assessments,
            phase_seconds=self.phase_seconds,
            session_id=self.session_id,
        )
        self.record = self.store.finish_session(
            self.session_id,
            report,
            elapsed=self.timekeeper.elapsed,
            phase=self.phase,
            phase_seconds=self.phase_seconds,
            assessed=self._unsaved,
        )
        self._unsaved = []
        self.state.closed = True
        self.report = report
        return report

    # -- internals ---------------------------------------------------------------------------------

    async def _react(self, turn: Turn) -> AsyncIterator[Event]:
        seed = self._seed()
        if turn.kind is TurnKind.CLARIFICATION:
            move = self.policy.after_clarification(self.state, turn.text, seed)
        else:
            assessment = await self._assess(turn, self._interviewer_before(len(self.turns) - 1))
            self.state.note_answer(assessment)
            timekeeper = self.timekeeper
            move = self.policy.after_answer(
                self.state,
                assessment,
                wrap_up_due=timekeeper.wrap_up_due,
                seed=seed,
                answer=turn.text,
                progress=timekeeper.elapsed / timekeeper.total if timekeeper.timed and timekeeper.total else None,
            )
        async for event in self._say(move):
            yield event
        if move.kind is MoveKind.CLOSE:
            yield InterviewEnded(await self.finish())

    def _interviewer_before(self, index: int) -> Turn | None:
        return next((t for t in reversed(self.turns[:index]) if t.role is Role.INTERVIEWER), None)

    async def _assess(self, turn: Turn, previous: Turn | None) -> Assessment:
        """Grade one answer, once; the assessment is kept and committed with the next turn."""
        target = answer_target(self.rubric, previous)
        assessment = await self.grader.assess(self.rubric, graded_text(turn.text), target, turn.confidence)
        self.assessments[turn.seq] = assessment
        self._unsaved.append((turn.seq, assessment))
        return assessment

    async def _time_events(self, draft: str = "", confidence: Confidence | None = None) -> AsyncIterator[Event]:
        if self.finished:
            return
        if self.timekeeper.expired:
            if draft.strip():  # what was being typed when time ran out is the last answer, graded
                turn = self._save_candidate(draft.strip(), TurnKind.ANSWER, confidence)
                yield CandidateSaved(turn)
                self.state.note_answer(await self._assess(turn, self._interviewer_before(len(self.turns) - 1)))
            async for event in self._say(Move(MoveKind.CLOSE, seed=self._seed())):
                yield event
            yield InterviewEnded(await self.finish())
            return
        for seconds_left in self.timekeeper.due_warnings():
            async for event in self._say(
                Move(MoveKind.TIME_WARNING, minutes_left=seconds_left / 60, seed=self._seed())
            ):
                yield event
        if self.timekeeper.wrap_up_due and not self.state.wrapping_up and self.state.answers:
            async for event in self._say(Move(MoveKind.WRAP_UP, seed=self._seed())):
                yield event

    async def _say(self, move: Move) -> AsyncIterator[Event]:
        """Voice a move through the model (the offline model if it fails), then commit the turn."""
        self._advance_phase(move)
        yield ReplyStarted(move.kind)
        request = ReplyRequest(move=move, transcript=tuple(self.turns), context=self._context())
        parts: list[str] = []
        fallback = cut = False
        resting = self._breaker.resting
        try:
            if resting:  # the model failed a moment ago: no one waits for it again on every turn
                raise _ModelResting
            async for chunk in self.model.stream(request):
                parts.append(chunk)
                yield ReplyChunk(chunk)
            self._breaker.succeeded()
        except Exception as exc:  # a provider failure must not end the interview
            fallback, cut = True, bool(parts)
            if not resting:
                log.warning(
                    "model %s/%s failed (%s); the offline interviewer goes on and the model is tried again in %.0f s",
                    self.model.provider,
                    self.model.name,
                    redact(str(exc)),
                    MODEL_REST_SECONDS,
                )
                self._breaker.failed()
                self.notices.append(redact(str(exc)))
                notice = ("\n\n[reply cut off]" if parts else "") + (
                    f"\n\n(The {self.model.provider} model did not answer; the built-in interviewer goes on. "
                    "It tries the model again in a minute.)\n\n"
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
                self.timekeeper.elapsed,
                move=move,
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
            "minutes_left": self.timekeeper.remaining / 60 if self.record.timed else None,
            "persona": self.record.persona.value,
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
            by_time = self.timekeeper.phase_by_time() if self.record.timed else Phase.DESIGN
            target = max(self.state.phase, by_time, key=order.index)
            if target is Phase.WRAP_UP and not self.state.wrapping_up:
                target = Phase.DEEP_DIVE  # wrap-up starts with the interviewer's wrap-up move
        if target is not self.state.phase:
            self._mark_phase()
            self.state.phase = target

    def _mark_phase(self) -> None:
        now = self.timekeeper.elapsed
        self.phase_seconds[self.state.phase.value] += max(0.0, now - self._phase_mark)
        self._phase_mark = now

    def _save(self, turn: Turn) -> Turn:
        self._mark_phase()
        saved = self.store.add_turn(
            self.session_id,
            turn,
            elapsed=self.timekeeper.elapsed,
            phase=self.phase,
            phase_seconds=self.phase_seconds,
            assessed=self._unsaved,
        )
        self._unsaved = []
        self.turns.append(saved)
        return saved

    def _save_candidate(self, text: str, kind: TurnKind, confidence: Confidence | None) -> Turn:
        """Commit a candidate message (a stated confidence belongs to answers only)."""
        turn = Turn(
            self._next_seq(),
            Role.CANDIDATE,
            kind,
            text,
            self.phase,
            self.timekeeper.elapsed,
            confidence=confidence if kind is TurnKind.ANSWER else None,
        )
        return self._save(turn)

    def _save_clock(self, draft: str | None = None) -> None:
        self._mark_phase()
        self.store.save_clock(
            self.session_id,
            elapsed=self.timekeeper.elapsed,
            phase=self.phase,
            phase_seconds=self.phase_seconds,
            draft=draft,
        )

    def _next_seq(self) -> int:
        return self.turns[-1].seq + 1 if self.turns else 1

    def _seed(self) -> int:
        return self.session_id * 1000 + self._next_seq()
