"""The scoring rule (confidence-target scoring) and the bands of the overall score."""

from __future__ import annotations

from interviewer.domain import AnswerLabel

BANDS = ((80.0, "strong hire"), (65.0, "hire"), (50.0, "lean hire"), (35.0, "lean no hire"), (0.0, "no hire"))


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
