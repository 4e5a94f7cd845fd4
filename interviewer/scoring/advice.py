"""Advice for rubric authors: misconceptions whose patterns or correction would grade badly.

A valid rubric can still grade badly. A pattern that finds a misconception in its own correction
("normali[sz]" inside "denormalised") grades a candidate who says the right thing as wrong; a
misconception none of whose patterns finds the claim as written is never caught in the author's own
words; a correction that names none of its criterion's concepts earns a candidate who says exactly
it no credit. None stops a file from loading: they are warnings, located like problems.
"""

from __future__ import annotations

from interviewer.rubric import Problem, Rubric
from interviewer.rubric.loader import field_name
from interviewer.rubric.locate import Path as KeyPath
from interviewer.rubric.locate import key_lines, line_of
from interviewer.rubric.patterns import search
from interviewer.scoring.claims import is_negated
from interviewer.scoring.signals import concept_hits
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
            if not concept_hits(misconception.correction, [criterion]):
                path = (*where, "correction")
                advice.append(
                    Problem(
                        source,
                        line_of(lines, path),
                        field_name(path),
                        f"{WARNING}names none of the concepts of '{criterion.id}': a candidate who says exactly this "
                        "earns no credit for it (add the words it uses to a concept's phrases)",
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
