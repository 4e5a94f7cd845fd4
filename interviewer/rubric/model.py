"""The rubric as validated pydantic models, mirroring the TOML file one key for one field."""

from __future__ import annotations

from typing import Annotated, Literal

import regex
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from interviewer.rubric.patterns import MAX_PATTERN_LENGTH, check_pattern

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Difficulty = Literal["junior", "mid", "senior", "staff"]


def _check_pattern(pattern: str) -> str:
    check_pattern(pattern)
    return pattern


Pattern = Annotated[str, AfterValidator(_check_pattern)]

MIN_WEIGHT, MAX_WEIGHT = 0.01, 100.0
"""The range of a criterion's weight: what matters is the ratio between weights, so this is ample."""


def _a_number(value: object) -> object:
    if isinstance(value, bool):  # TOML true would otherwise be read as the number 1
        raise ValueError("must be a number, not true or false")
    if isinstance(value, str):  # "3" would otherwise be read as the number 3
        raise ValueError("must be a number, not text in quotes")
    return value


def _has_a_word(phrase: str) -> str:
    if not regex.search(r"[\p{L}\p{N}]", phrase):
        raise ValueError(f"phrase {phrase!r} has no letter or digit, so no answer can ever contain it")
    return phrase


Number = BeforeValidator(_a_number)
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


Weight = Annotated[float, Number, Field(ge=MIN_WEIGHT, le=MAX_WEIGHT, allow_inf_nan=False)]
Phrase = Annotated[Text, AfterValidator(_has_a_word)]


class _Strict(BaseModel):
    # Unknown keys are usually typos, so they are errors; models are values, so frozen.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Concept(_Strict):
    """An idea a good answer names; it counts when any of its phrases appears."""

    name: Text
    phrases: Annotated[list[Phrase], Field(min_length=1)]


class Misconception(_Strict):
    """A confidently wrong claim worth catching, the patterns that find it, and the truth."""

    claim: Text
    match: Annotated[list[Pattern], Field(min_length=1)]
    correction: Text


class Criterion(_Strict):
    """One thing the interviewer scores, with its weight, concepts, probes and levels."""

    id: Slug
    title: Text
    weight: Weight
    concepts: Annotated[list[Concept], Field(min_length=1)]
    follow_ups: list[Text] = []
    misconceptions: list[Misconception] = Field(default=[], alias="misconception")
    levels: dict[Annotated[int, Field(ge=0, le=4)], Text] = {}


class Clarification(_Strict):
    """A fact the interviewer holds back until the candidate asks about it."""

    about: Text
    asks: Annotated[list[Text], Field(min_length=1)]
    answer: Text


class DeepDive(_Strict):
    """A harder question on one criterion for the deep-dive phase, and what a strong answer covers."""

    criterion: Slug
    ask: Text
    strong: Annotated[list[Text], Field(min_length=1)]


class Curveball(_Strict):
    """A mid-interview change of requirements, and the criteria it re-opens."""

    say: Text
    reopens: Annotated[list[Slug], Field(min_length=1)]


class Rubric(_Strict):
    """One interview question and everything needed to run and score it."""

    id: Slug
    title: Text
    topic: Text
    tags: list[Tag] = []  # free text, kept as written; normalised only for filtering
    difficulty: Difficulty
    minutes: Annotated[int, Number, Field(ge=5, le=240)]
    confidence_target: Annotated[float, Number, Field(gt=0, lt=1, allow_inf_nan=False)] = 0.75
    question: Text
    clarifications: list[Clarification] = Field(default=[], alias="clarification")
    criteria: Annotated[list[Criterion], Field(min_length=1, alias="criterion")]
    deep_dives: list[DeepDive] = Field(default=[], alias="deep_dive")
    curveballs: list[Curveball] = Field(default=[], alias="curveball")

    @property
    def penalty(self) -> float:
        """k = t / (1 - t): what a confident wrong answer costs."""
        return self.confidence_target / (1 - self.confidence_target)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id (KeyError when there is none)."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)


__all__ = [
    "MAX_PATTERN_LENGTH",
    "Clarification",
    "Concept",
    "Criterion",
    "Curveball",
    "DeepDive",
    "Misconception",
    "Rubric",
]
