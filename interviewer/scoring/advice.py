"""Advice for rubric authors: misconception patterns that would miss the claim or punish its correction.

A valid rubric can still grade badly. A pattern that finds a misconception in its own correction
("normali[sz]" inside "denormalised") grades a candidate who says the right thing as wrong; a
misconception none of whose patterns finds the claim as written is never caught in the author's own
words. Neither stops a file from loading: they are warnings, located like problems.
"""

from __future__ import annotations

from interviewer.rubric import Problem, Rubric
from interviewer.rubric.loader import field_name
from interviewer.rubric.locate import Path as KeyPath
from interviewer.rubric.locate import key_lines, line_of
from interviewer.rubric.patterns import search
from interviewer.scoring.claims import is_negated
from interviewer.scoring.text import sentences

WARNING = "warning: "
"""How an advice line's message starts, so it reads apart from a problem."""


def _finds(pattern: str, text: str) -> str | None:
    """The words of text that pattern finds as a stated (not negated) claim, if any."""
    for sentence in sentences(text):
        found = search(pattern, sentence)
        if found and not is_negated(sentence, found.start(), found.end(), pattern):
            return found.group(0)
    return None


def rubric_advice(rubric: Rubric, text: str, source: str) -> list[Problem]:
    """Warnings about the rubric's misconception patterns, each at the line of the pattern or misconception."""
    lines = key_lines(text)
    advice: list[Problem] = []
    for i, criterion in enumerate(rubric.criteria):
        for j, misconception in enumerate(criterion.misconceptions):
            where = ("criterion", i, "misconception", j)
            for k, pattern in enumerate(misconception.match):
                echoed = _finds(pattern, misconception.correction)
                if echoed is not None:
                    path: KeyPath = (*where, "match", k)
                    advice.append(
                        Problem(
                            source,
                            line_of(lines, path),
                            field_name(path),
                            f'{WARNING}finds the correction too ("{echoed}"): a candidate who says the right thing '
                            "would be graded wrong",
                        )
                    )
            if not any(_finds(pattern, misconception.claim) for pattern in misconception.match):
                path = (*where, "match")  # the list as a whole
                advice.append(
                    Problem(
                        source,
                        line_of(lines, path),
                        field_name(path),
                        f'{WARNING}no pattern finds the claim as written ("{misconception.claim}"): a candidate who '
                        "says it in these words is not caught",
                    )
                )
    return sorted(advice)
