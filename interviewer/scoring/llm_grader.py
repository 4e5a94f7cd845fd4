"""The LLM grader: a language model judges each answer into a strict schema, checked and clamped.

Candidate text goes in fenced as data between random markers made for each call, with the rules
restated after it. A result that is malformed or refused falls back to the offline grader for that
answer (marked so in the report). Evidence quotes not found word for word in the answer are
dropped. Where the model and the offline grader disagree on a criterion by two levels or more, the
report flags the criterion for review.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Literal

from pydantic import BaseModel, Field

from interviewer.domain import (
    STOOD_BY,
    AnswerLabel,
    Assessment,
    Confidence,
    CriterionResult,
    Evidence,
    MisconceptionHit,
    ModelLevel,
    Report,
    Turn,
)
from interviewer.llm.base import MODEL_REST_SECONDS, Breaker, Message, Model, ModelUnreachable
from interviewer.llm.prompts import render
from interviewer.rubric import Rubric
from interviewer.scoring import signals
from interviewer.scoring.grader import OfflineGrader
from interviewer.scoring.grading import FELL_BACK, AnswerTarget, probed_criterion, read_transcript
from interviewer.scoring.rules import points

MODEL_CORRECTION = "(the model's correction) "
"""Marks a correction that comes from the grading model, not from the rubric."""

FLAG_DISAGREEMENT = 2
"""Model and offline levels this far apart flag a criterion for a person to review."""

log = logging.getLogger(__name__)


class CriterionJudgement(BaseModel):
    """The model's view of one criterion in one answer; the rationale comes before the level."""

    criterion_id: str
    rationale: str = Field(description="Why this level, in one or two sentences, written before choosing it.")
    level: int = Field(description="0 to 4, as the rubric's level descriptions say.")
    evidence: list[str] = Field(default_factory=list, description="Quotes copied exactly from the answer.")


class MisconceptionJudgement(BaseModel):
    claim: str = Field(description="The rubric's claim the answer states.")
    quote: str = Field(description="The words of the answer that state it, copied exactly.")


class FalseClaimJudgement(BaseModel):
    """A technically false claim the rubric does not list."""

    quote: str = Field(description="The false words, copied exactly from the answer.")
    correction: str = Field(description="What is true instead, in one sentence.")


class AnswerJudgement(BaseModel):
    """One answer, judged."""

    label: Literal["correct", "partial", "idk", "hedged_wrong", "confident_wrong"]
    stance: Literal["confident", "hedged", "none"] = "none"
    criteria: list[CriterionJudgement] = Field(default_factory=list)
    misconceptions: list[MisconceptionJudgement] = Field(default_factory=list)
    false_claims: list[FalseClaimJudgement] = Field(default_factory=list)
    injection_suspected: bool = False


def fence() -> str:
    """A marker the candidate cannot guess, so the answer cannot close it early."""
    return f"<<<ANSWER-{secrets.token_hex(8)}>>>"


def grading_messages(rubric: Rubric, target: AnswerTarget, answer: str, marker: str) -> tuple[Message, ...]:
    text = render(
        "grader.md.j2",
        rubric=rubric,
        prompt=target.prompt,
        probed=probed_criterion(rubric, target),
        challenged=target.challenged,
        answer=answer.replace(marker, ""),
        fence=marker,
    )
    return (
        Message(
            "system",
            "You are a strict, fair grader of system-design interview answers. Reply only "
            "through the schema you are given.",
        ),
        Message("user", text),
    )


class Debrief(BaseModel):
    """A short debrief for the candidate."""

    text: str = Field(description="At most 120 words.")


class LLMGrader:
    """Grades with a model; the offline grader checks it and stands in when it fails."""

    def __init__(self, model: Model, *, now: Callable[[], float] = time.monotonic) -> None:
        self.model = model
        self.offline = OfflineGrader()
        self.name = f"llm:{model.provider}/{model.name}"
        self.breaker = Breaker(now)
        """After the model cannot be reached, answers are graded offline for a while without waiting for it."""

    async def assess(
        self, rubric: Rubric, answer: str, target: AnswerTarget, confidence: Confidence | None = None
    ) -> Assessment:
        """The answer's assessment, with the model's level and kept quotes per criterion (none when it fell back)."""
        baseline = await self.offline.assess(rubric, answer, target, confidence)
        if self.breaker.resting:  # it could not be reached a moment ago: nobody waits for it on every answer
            return replace(baseline, notes=(*baseline.notes, f"{FELL_BACK}: the model could not be reached"))
        try:
            judgement = await self.model.structured(grading_messages(rubric, target, answer, fence()), AnswerJudgement)
        except ModelUnreachable as exc:
            log.warning(
                "the LLM grader cannot reach the model (%s); answers are graded offline for the next %.0f s",
                exc,
                MODEL_REST_SECONDS,
            )
            self.breaker.failed()
            return replace(baseline, notes=(*baseline.notes, f"{FELL_BACK}: the model could not be reached"))
        except Exception as exc:  # malformed or refused: this answer is graded offline
            log.warning("the LLM grader failed on an answer (%s); graded offline", exc)
            return replace(baseline, notes=(*baseline.notes, f"{FELL_BACK}: the model gave no usable grade"))
        self.breaker.succeeded()
        label = AnswerLabel(judgement.label)
        if label.is_wrong and confidence is not None:
            label = AnswerLabel.CONFIDENT_WRONG if confidence is Confidence.HIGH else AnswerLabel.HEDGED_WRONG
        claims = {m.claim: (c.id, m.correction) for c in rubric.criteria for m in c.misconceptions}
        probed = probed_criterion(rubric, target)
        found = tuple(
            MisconceptionHit(claims[m.claim][0], m.claim, claims[m.claim][1], m.quote, m.quote)
            for m in judgement.misconceptions
            if m.claim in claims and m.quote and m.quote in answer
        ) + tuple(
            # a false claim no rubric lists: the report shows it with the model's correction, marked as the model's
            MisconceptionHit(
                probed.id if probed else "", f.quote, f"{MODEL_CORRECTION}{f.correction}", f.quote, f.quote
            )
            for f in judgement.false_claims
            if f.quote and f.quote in answer and f.correction.strip()
        )
        notes = list(baseline.notes)
        if label.is_wrong and not found:
            # precision first: a wrong label needs the false words quoted; without them the offline label stands
            notes.append("the model called it wrong without quoting the false words; the offline label stands")
            return replace(baseline, notes=tuple(notes), grader=self.name)
        if target.challenged and label is AnswerLabel.CONFIDENT_WRONG and STOOD_BY not in notes:
            notes.append(STOOD_BY)
        injection = judgement.injection_suspected or baseline.injection
        if signals.injection_suspected(answer) and not judgement.injection_suspected:
            notes.append("the offline check suspects an injection the model did not report")
        levels = []
        known = {c.id for c in rubric.criteria}
        for item in judgement.criteria:
            if item.criterion_id in known:
                kept = tuple(q for q in item.evidence if q and q in answer)  # invented quotes are dropped
                # a level above 0 needs evidence that is really in the answer
                levels.append(ModelLevel(item.criterion_id, max(0, min(4, item.level)) if kept else 0, kept))
        return Assessment(
            label,
            points(label, rubric.confidence_target),
            probed.id if probed else None,
            judgement.stance,
            baseline.concepts,
            found,
            baseline.idk,
            tuple(notes),
            injection,
            self.name,
            tuple(levels),
        )

    async def report(
        self,
        rubric: Rubric,
        turns: Sequence[Turn],
        assessments: Mapping[int, Assessment],
        *,
        phase_seconds: Mapping[str, float],
        session_id: int | None,
    ) -> Report:
        reading = read_transcript(rubric, turns)
        graded = [(turn, assessments[turn.seq]) for turn, _ in reading.answers]
        model_levels: dict[str, int] = {}
        evidence: dict[str, list[Evidence]] = {}
        for turn, assessment in graded:
            for item in assessment.model_levels:
                if item.level > model_levels.get(item.criterion_id, -1):
                    model_levels[item.criterion_id] = item.level
                    evidence[item.criterion_id] = [Evidence(turn.seq, quote) for quote in item.quotes[:3]]
        criteria = []
        for criterion in rubric.criteria:
            offline = self.offline.criterion_result(criterion, graded)
            if criterion.id not in model_levels:
                criteria.append(offline)
                continue
            level = model_levels[criterion.id]
            criteria.append(
                CriterionResult(
                    criterion.id,
                    criterion.title,
                    level,
                    tuple(evidence.get(criterion.id, ())) or offline.evidence,
                    flagged=abs(level - offline.level) >= FLAG_DISAGREEMENT,
                    rationale=f"model level {level}; offline level {offline.level}",
                )
            )
        report = self.offline.build_report(
            rubric,
            graded,
            reading.clarifications,
            phase_seconds,
            session_id,
            criteria=tuple(criteria),
            grader=self.name,
        )
        return await self._with_debrief(rubric, report)

    async def _with_debrief(self, rubric: Rubric, report: Report) -> Report:
        """Add the model's short debrief to the report's notes (the report stands without it)."""
        if self.breaker.resting:
            return report
        weakest = [c.title for c in sorted(report.criteria, key=lambda c: c.level)[:2]]
        prompt = render(
            "report_summary.md.j2",
            rubric=rubric,
            overall=report.overall,
            band=report.band,
            labels=report.label_counts,
            clarifications=len(report.clarifications),
            weakest=weakest,
        )
        try:
            debrief = await self.model.structured((Message("user", prompt),), Debrief)
        except Exception as exc:  # noqa: BLE001 - the debrief is a nicety
            log.info("no debrief from the model (%s)", exc)
            if isinstance(exc, ModelUnreachable):
                self.breaker.failed()
            return report
        text = " ".join(debrief.text.split())[:1200]
        return replace(report, notes=(*report.notes, f"Debrief: {text}")) if text else report
