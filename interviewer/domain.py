"""The interview's own vocabulary as plain values, shared by the store, the engine, the models and the faces.

No behaviour lives here and nothing of ours is imported, so any layer may use these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class AnswerLabel(StrEnum):
    """The one label every answer gets, best first."""

    CORRECT = "correct"
    PARTIAL = "partial"
    IDK = "idk"
    HEDGED_WRONG = "hedged_wrong"
    CONFIDENT_WRONG = "confident_wrong"

    @property
    def is_wrong(self) -> bool:
        return self in (AnswerLabel.HEDGED_WRONG, AnswerLabel.CONFIDENT_WRONG)


class Phase(StrEnum):
    """The phases of an interview, in order."""

    CLARIFY = "clarify"
    DESIGN = "design"
    DEEP_DIVE = "deep_dive"
    WRAP_UP = "wrap_up"

    @property
    def heading(self) -> str:
        """The phase as people say it."""
        return {"clarify": "Clarify", "design": "High-level design", "deep_dive": "Deep dive", "wrap_up": "Wrap-up"}[
            self.value
        ]


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"


class TurnKind(StrEnum):
    """What a turn is. Candidate turns are clarifying questions or answers; the rest are the interviewer's."""

    QUESTION = "question"  # the opening question
    CLARIFICATION = "clarification"  # the candidate asks
    FACT = "fact"  # the interviewer answers a clarifying question
    ANSWER = "answer"  # the candidate answers
    PROBE = "probe"  # a follow-up on a criterion
    CHALLENGE = "challenge"  # "You said X - how sure are you?"
    ACKNOWLEDGE = "acknowledge"  # after an "I don't know"
    NOTICE = "notice"  # time warnings and other remarks
    WRAP_UP = "wrap_up"


class Persona(StrEnum):
    """The interviewer's manner: how often it challenges, how hard it pushes, its tone."""

    FRIENDLY = "friendly"
    NEUTRAL = "neutral"
    TOUGH = "tough"

    @property
    def described(self) -> str:
        """The persona as the Home screen and the report put it."""
        return {
            "friendly": "friendly: encouraging, challenges only clear mistakes",
            "neutral": "neutral: even-handed, follows up doubtful claims",
            "tough": "tough: terse, presses on every trade-off and doubtful claim",
        }[self.value]


class Confidence(StrEnum):
    """A stance the candidate states for an answer."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def probability(self) -> float:
        """The probability of being right this stance stands for (for the Brier score)."""
        return {"low": 0.25, "medium": 0.5, "high": 0.9}[self.value]


class SessionStatus(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"  # shown for an active session that nobody is running


class MoveKind(StrEnum):
    """What the director decided the interviewer does next."""

    OPEN = "open"
    ANSWER_CLARIFICATION = "answer_clarification"
    ASK_ASSUMPTION = "ask_assumption"
    PROBE = "probe"
    CURVEBALL = "curveball"
    CHALLENGE = "challenge"
    ACKNOWLEDGE_IDK = "acknowledge_idk"
    DECLINE_REVEAL = "decline_reveal"
    TIME_WARNING = "time_warning"
    WRAP_UP = "wrap_up"
    CLOSE = "close"


@dataclass(frozen=True)
class Move:
    """The director's decision: what to say next, with the rubric lines a model may voice."""

    kind: MoveKind
    criterion_id: str | None = None
    criterion_title: str | None = None
    fact: str | None = None
    follow_up: str | None = None
    claim: str | None = None
    quote: str | None = None
    minutes_left: float | None = None
    note: str | None = None
    heard: str | None = None  # a few words of the candidate's last answer the reply may refer to
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.value if isinstance(v, StrEnum) else v) for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Move | None:
        """The move a stored dict describes, or None when it names no known kind."""
        if data.get("kind") not in MoveKind._value2member_map_:
            return None
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["kind"] = MoveKind(fields["kind"])
        return cls(**fields)


@dataclass(frozen=True)
class Turn:
    """One message of an interview."""

    seq: int
    role: Role
    kind: TurnKind
    text: str
    phase: Phase
    at_seconds: float = 0.0
    confidence: Confidence | None = None
    move: Move | None = None  # the director's decision an interviewer turn voices
    id: int | None = None
    fallback: bool = False
    cut: bool = False
    tokens_in: int | None = None
    tokens_out: int | None = None


@dataclass(frozen=True)
class ConceptHit:
    """A concept of a criterion that an answer names, and the phrase that named it."""

    criterion_id: str
    concept: str
    phrase: str


@dataclass(frozen=True)
class MisconceptionHit:
    """A sentence of candidate text that states one of the rubric's misconceptions."""

    criterion_id: str
    claim: str
    correction: str
    sentence: str
    quote: str


@dataclass(frozen=True)
class ModelLevel:
    """A language model's level 0-4 for one criterion in one answer, with the quotes that show it."""

    criterion_id: str
    level: int
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """One answer's label with the signals that decided it; kept with the turn, so it is graded once."""

    label: AnswerLabel
    points: float
    criterion_id: str | None
    stance: str
    concepts: tuple[ConceptHit, ...] = ()
    misconceptions: tuple[MisconceptionHit, ...] = ()
    idk: bool = False
    notes: tuple[str, ...] = ()
    injection: bool = False
    grader: str = "offline"
    model_levels: tuple[ModelLevel, ...] = ()
    suspicions: tuple[MisconceptionHit, ...] = ()  # resemble a misconception; followed up, never penalised


@dataclass(frozen=True)
class LabelOverride:
    """A reviewer's label for one answer, replacing the grader's, with who, when and why."""

    turn: int
    label: AnswerLabel
    reviewer: str
    note: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class ReviewNote:
    """A reviewer's note on one turn (``turn``), or on the whole session (``turn`` is None), with who and when."""

    turn: int | None
    text: str
    reviewer: str
    at: datetime | None = None


@dataclass(frozen=True)
class SessionRecord:
    """A session's header: what was practised, how long, and where it stands."""

    id: int
    rubric_id: str
    rubric_version: int
    rubric_title: str
    topic: str
    status: SessionStatus
    timed: bool
    minutes: int
    provider: str
    model: str
    phase: Phase
    elapsed_seconds: float
    phase_seconds: dict[str, float]
    started_at: datetime
    ended_at: datetime | None
    overall: float | None = None
    band: str | None = None
    honesty: float | None = None
    persona: Persona = Persona.NEUTRAL
    draft: str = ""
    """The answer the candidate was typing when the session was last saved (restored on resume)."""
    user: str = ""
    """Who practised (the ``user`` setting, else the login name)."""


@dataclass(frozen=True)
class Evidence:
    """A quote that appears verbatim in the transcript, and the turn it is in."""

    turn: int
    quote: str


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: str
    title: str
    level: int
    evidence: tuple[Evidence, ...] = ()
    flagged: bool = False
    rationale: str | None = None


UNANSWERED = "unanswered"
"""The note on an answer that made no point at all (empty, gibberish, a copy of the question, a list of
terms, off-topic): labelled idk with 0 points, but never counted as an honest "I don't know"."""
FACTS_SEPARATOR = "; "
"""Joins the names of several rubric facts that one clarifying question uncovered."""
REVIEWED = "label set by"
"""The note on an answer whose label a reviewer set (followed by who, and why)."""
STOOD_BY = "stood by a misconception after the challenge"
"""The note on a wrong answer that repeated a claim the interviewer had just questioned."""
CORRECTED_AFTER_CHALLENGE = "corrected after the challenge"
"""The note on an answer that withdrew a questioned claim and made the right point instead."""
WITHDREW_CLAIM = "withdrew the claim after the challenge"
"""The note on an answer that withdrew a questioned claim without making the point (the offline grader's view)."""
EARLY = "early"
"""The note of a wrap-up that comes before the clock calls for it (nothing is left to ask)."""
DEEP_DIVE = "deep dive"
"""The note of a probe that asks one of the rubric's deep-dive questions."""
RETURN = "return"
"""The note of a probe that returns, once, to a question the candidate left unanswered."""
PUSH = "trade-off"
"""The note of a probe that presses on the cost of a choice the candidate just made."""
SUSPECTED = "suspected"
"""The note of a challenge that follows up a suspicion (a resemblance the offline grader cannot verify)."""
NOT_VERIFIED = "not verified offline"
"""The note on an answer that resembles a misconception the offline grader cannot confirm. It is never
counted as wrong; a close paraphrase of a claim earns no points until a follow-up settles it."""


@dataclass(frozen=True)
class TurnGrade:
    """One candidate answer's grade."""

    turn: int
    label: AnswerLabel
    points: float
    criterion_id: str | None
    stance: str
    concepts: tuple[str, ...] = ()
    misconceptions: tuple[dict[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    grader: str = "offline"

    @property
    def unanswered(self) -> bool:
        notes = self.notes
        return self.label is AnswerLabel.IDK and any(n.startswith(UNANSWERED) for n in notes) and not self.unverified

    @property
    def unverified(self) -> bool:
        return self.label is AnswerLabel.IDK and any(note.startswith(NOT_VERIFIED) for note in self.notes)

    @property
    def reviewed(self) -> bool:
        return any(note.startswith(REVIEWED) for note in self.notes)

    @property
    def honest_idk(self) -> bool:
        """An answer that said plainly it did not know (not one that made no point, or one left unverified)."""
        return self.label is AnswerLabel.IDK and not self.unanswered and not self.unverified


@dataclass(frozen=True)
class ClarificationAsked:
    turn: int
    question: str
    uncovered: str | None  # the rubric facts' "about"s the question matched, joined by FACTS_SEPARATOR

    @property
    def facts(self) -> list[str]:
        return self.uncovered.split(FACTS_SEPARATOR) if self.uncovered else []

    before_design: bool


@dataclass(frozen=True)
class StudyItem:
    criterion_id: str
    title: str
    level: int
    topic: str
    why: str


@dataclass(frozen=True)
class Report:
    """Everything a session's score says: levels with evidence, honesty, clarifications, time, overall and band."""

    session_id: int | None
    rubric_id: str
    grader: str
    sufficient_evidence: bool
    overall: float | None
    band: str | None
    criteria: tuple[CriterionResult, ...]
    grades: tuple[TurnGrade, ...]
    label_counts: dict[str, int]
    confidence_total: float
    honesty_rate: float | None
    clarifications: tuple[ClarificationAsked, ...]
    asked_before_design: bool
    phase_seconds: dict[str, float]
    calibration: dict[str, Any] | None
    study_next: tuple[StudyItem, ...]
    notes: tuple[str, ...] = ()

    @property
    def answer_counts(self) -> dict[str, int]:
        """Answers by what they showed: the labels, with idk split into honest, unanswered and not verified."""
        counts = {label.value: self.label_counts.get(label.value, 0) for label in AnswerLabel}
        counts["unanswered"] = sum(1 for g in self.grades if g.unanswered)
        counts["not_verified"] = sum(1 for g in self.grades if g.unverified)
        counts["idk"] -= counts["unanswered"] + counts["not_verified"]
        return counts
