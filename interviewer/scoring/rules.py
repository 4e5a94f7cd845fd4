"""The scoring rule (confidence-target scoring) and the bands of the overall score."""

from __future__ import annotations

import math
from collections.abc import Sequence

from interviewer.domain import AnswerLabel, CriterionResult
from interviewer.rubric import Rubric

BANDS = ((80.0, "strong hire"), (65.0, "hire"), (50.0, "lean hire"), (35.0, "lean no hire"), (0.0, "no hire"))
"""The floor of each hiring band of the overall score."""

COVERAGE_WEIGHT = 0.6
"""Share of the overall score for what the candidate showed of the rubric's criteria: the substance."""
ACCURACY_WEIGHT = 0.25
"""Share for the confidence-target points, rescaled to 0..1: being right, and not bluffing."""
CURIOSITY_WEIGHT = 0.15
"""Share for asking before designing and for the rubric facts the questions uncovered."""

LEVEL_CUTS = (0.3, 0.5, 0.75)
"""Shares of a criterion's concepts shown for levels 2, 3 and 4; any concept shown is level 1."""
CORRECTED_LEVEL_CAP = 3
"""A criterion with a misconception the candidate later corrected reaches at most this level."""
UNCORRECTED_LEVEL_CAP = 1
"""A criterion with a misconception left standing reaches at most this level."""

MIN_ANSWERS = 3
"""Fewer answers that say something than this is too little evidence for an overall score, unless
they reach every criterion."""

STRONG_HIRE_FLOOR = next(floor for floor, name in BANDS if name == "strong hire")
"""The lowest overall score of "strong hire"; it is out of reach for a candidate who stood by a wrong claim
once the interviewer questioned it (real interviewers weigh that more than any number of right answers)."""
HIRE_FLOOR = next(floor for floor, name in BANDS if name == "hire")
"""The lowest overall score of the "hire" band; reaching it needs every heavy criterion covered."""
COVERED_LEVEL = 3
"""A heavy criterion counts as covered from this level (most of its concepts shown, no misconception left)."""


def points(label: AnswerLabel, confidence_target: float) -> float:
    """Points for one answer: +1, +0.5, 0, -k/3, -k with k = t/(1-t).

    With t in (0, 1) the order correct > partial > idk > hedged_wrong > confident_wrong always holds,
    and guessing pays only above confidence t.
    """
    if not 0 < confidence_target < 1:
        raise ValueError("confidence_target must be in (0, 1)")
    k = confidence_target / (1 - confidence_target)
    return {
        AnswerLabel.CORRECT: 1.0,
        AnswerLabel.PARTIAL: 0.5,
        AnswerLabel.IDK: 0.0,
        AnswerLabel.HEDGED_WRONG: -k / 3,
        AnswerLabel.CONFIDENT_WRONG: -k,
    }[label]


def band(overall: float) -> str:
    """The hiring band of an overall score 0-100."""
    for floor, name in BANDS:
        if overall >= floor:
            return name
    return BANDS[-1][1]


def level(shown: int, concepts: int) -> int:
    """A criterion's level 0-4 from how many of its concepts were shown (``LEVEL_CUTS``)."""
    if shown == 0:
        return 0
    share = shown / concepts
    return 1 + sum(share >= cut for cut in LEVEL_CUTS)


def overall(coverage: float, accuracy: float, curiosity: float) -> float:
    """The overall score 0-100 from its three parts, each 0..1, weighted by the ``*_WEIGHT`` constants."""
    score = COVERAGE_WEIGHT * coverage + ACCURACY_WEIGHT * accuracy + CURIOSITY_WEIGHT * curiosity
    if not math.isfinite(score):  # NaN would be clamped to a perfect score: refuse it
        raise ValueError(f"the overall score cannot be computed from {coverage}, {accuracy}, {curiosity}")
    return round(100 * max(0.0, min(1.0, score)), 1)


def uncovered_heavy_criteria(rubric: Rubric, results: Sequence[CriterionResult]) -> list[str]:
    """The titles of criteria weighing at least the average that are below ``COVERED_LEVEL``."""
    average = sum(c.weight for c in rubric.criteria) / len(rubric.criteria)
    levels = {r.criterion_id: r.level for r in results}
    return [c.title for c in rubric.criteria if c.weight >= average and levels.get(c.id, 0) < COVERED_LEVEL]
