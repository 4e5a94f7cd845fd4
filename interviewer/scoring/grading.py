"""What a grader is, what an answer answers, and grading a whole transcript with any grader.

An answer is graded once: the interview keeps each assessment as it is made, and a report is
built from the assessments. ``grade_transcript`` assesses only the answers that have none yet
(all of them when a stored session is re-graded).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from rapidfuzz import fuzz

from interviewer.domain import (
    FACTS_SEPARATOR,
    REVIEWED,
    SUSPECTED,
    AnswerLabel,
    Assessment,
    ClarificationAsked,
    Confidence,
    LabelOverride,
    MoveKind,
    Report,
    Role,
    Turn,
    TurnKind,
)
from interviewer.rubric import Criterion, Rubric
from interviewer.scoring import signals
from interviewer.scoring.rules import points
from interviewer.scoring.text import normalise

MAX_GRADED_CHARS = 20_000
"""Longer messages are kept whole in the transcript but graded on their first part."""

FELL_BACK = "graded offline"
"""The note on an answer a model could not grade, so the offline grader graded it."""

PROMPT_MATCH = 80
"""rapidfuzz token-set ratio (0-100) at which a question is recognised as one of the rubric's follow-ups."""


@dataclass(frozen=True)
class AnswerTarget:
    """What an answer answers: the interviewer's words before it, and the criterion they probe (if any)."""

    prompt: str
    criterion_id: str | None = None
    challenged: str | None = None  # the misconception the prompt challenged ("You said X - how sure are you?")
    only_suspected: bool = False  # the challenge followed up a mere resemblance, not a matched misconception


def criterion_for_prompt(rubric: Rubric, prompt: str) -> Criterion | None:
    """The criterion a follow-up question probes, recognised from the rubric's own follow-up lines."""
    if not prompt.strip():
        return None
    best = max(
        ((fuzz.token_set_ratio(normalise(prompt), normalise(q)), c) for c in rubric.criteria for q in c.follow_ups),
        default=(0.0, None),
        key=lambda pair: pair[0],
    )
    return best[1] if best[0] >= PROMPT_MATCH else None


def probed_criterion(rubric: Rubric, target: AnswerTarget) -> Criterion | None:
    """The criterion an answer is judged against: the one named, else the one its prompt asks about."""
    if target.criterion_id:
        try:
            return rubric.criterion(target.criterion_id)
        except KeyError:
            pass
    return criterion_for_prompt(rubric, target.prompt)


def answer_target(rubric: Rubric, previous: Turn | None) -> AnswerTarget:
    """What an answer answers, from the interviewer's turn before it (the rubric's question when none)."""
    if previous is None:
        return AnswerTarget(rubric.question)
    move = previous.move
    criterion_id = move.criterion_id if move else None
    if criterion_id is None:
        found = criterion_for_prompt(rubric, previous.text)
        criterion_id = found.id if found else None
    challenge = move is not None and move.kind is MoveKind.CHALLENGE
    return AnswerTarget(
        previous.text,
        criterion_id,
        move.claim if challenge and move is not None else None,
        challenge and move is not None and move.note == SUSPECTED,
    )


def graded_text(text: str) -> str:
    """The part of a message a grader reads (``MAX_GRADED_CHARS``)."""
    return text[:MAX_GRADED_CHARS]


@dataclass(frozen=True)
class TranscriptReading:
    """A transcript as a grader sees it: each answer with what it answers, and the clarifying questions."""

    answers: tuple[tuple[Turn, AnswerTarget], ...]
    clarifications: tuple[ClarificationAsked, ...]


def read_transcript(rubric: Rubric, turns: Sequence[Turn]) -> TranscriptReading:
    """The answers with their targets, and the clarifying questions with the facts they uncovered."""
    answers: list[tuple[Turn, AnswerTarget]] = []
    clarifications: list[ClarificationAsked] = []
    first_answer = next((t.seq for t in turns if t.role is Role.CANDIDATE and t.kind is TurnKind.ANSWER), None)
    previous: Turn | None = None
    for turn in turns:
        if turn.role is Role.CANDIDATE and turn.kind is TurnKind.CLARIFICATION:
            facts = signals.match_clarifications(turn.text, rubric)
            before = first_answer is None or turn.seq < first_answer
            uncovered = FACTS_SEPARATOR.join(fact.about for fact in facts) or None
            clarifications.append(ClarificationAsked(turn.seq, turn.text, uncovered, before))
        elif turn.role is Role.CANDIDATE and turn.kind is TurnKind.ANSWER:
            answers.append((turn, answer_target(rubric, previous)))
        if turn.role is Role.INTERVIEWER:
            previous = turn
    return TranscriptReading(tuple(answers), tuple(clarifications))


class Grader(Protocol):
    """Grades answers one at a time, then builds a session's report from those assessments."""

    name: str

    async def assess(
        self, rubric: Rubric, answer: str, target: AnswerTarget, confidence: Confidence | None = None
    ) -> Assessment:
        """Label one answer relative to what it answers."""
        ...

    async def report(
        self,
        rubric: Rubric,
        turns: Sequence[Turn],
        assessments: Mapping[int, Assessment],
        *,
        phase_seconds: Mapping[str, float],
        session_id: int | None,
    ) -> Report:
        """The session's report from the assessment of every answer (keyed by turn number)."""
        ...


async def grade_transcript(
    grader: Grader,
    rubric: Rubric,
    turns: Sequence[Turn],
    *,
    assessments: Mapping[int, Assessment] | None = None,
    overrides: Mapping[int, LabelOverride] | None = None,
    phase_seconds: Mapping[str, float] | None = None,
    session_id: int | None = None,
) -> Report:
    """Assess each answer that has no assessment yet, once, apply the reviewers' labels, then build the report."""
    kept = dict(assessments or {})
    for turn, target in read_transcript(rubric, turns).answers:
        if turn.seq not in kept:
            kept[turn.seq] = await grader.assess(rubric, graded_text(turn.text), target, turn.confidence)
    for seq, override in (overrides or {}).items():
        if seq in kept:
            kept[seq] = overridden(kept[seq], override, rubric)
    return await grader.report(rubric, turns, kept, phase_seconds=phase_seconds or {}, session_id=session_id)


def overridden(assessment: Assessment, override: LabelOverride, rubric: Rubric) -> Assessment:
    """The assessment with a reviewer's label: points follow the label; a label that is not wrong drops the
    misconceptions the grader saw, so they no longer cap the criterion."""
    when = f" on {override.at:%Y-%m-%d %H:%M}" if override.at else ""
    why = f"{REVIEWED} {override.reviewer}{when}" + (f": {override.note}" if override.note else "")
    kept_notes = tuple(n for n in assessment.notes if not n.startswith(REVIEWED))
    return replace(
        assessment,
        label=override.label,
        points=points(override.label, rubric.confidence_target),
        misconceptions=assessment.misconceptions if override.label.is_wrong else (),
        suspicions=(),
        idk=override.label is AnswerLabel.IDK,
        notes=(*kept_notes, why),
    )
