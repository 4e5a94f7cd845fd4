"""Grader evaluation: agreement with labelled answers, and the failures that matter most here."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewer.domain import AnswerLabel
from interviewer.rubric import Rubric

LABELS = [label.value for label in AnswerLabel]


class DataError(ValueError):
    """A labelled-answers file that cannot be used; the message names the line."""


@dataclass(frozen=True)
class LabelledAnswer:
    line: int
    rubric: str
    criterion: str | None
    prompt: str
    answer: str
    label: AnswerLabel


def read_labelled(path: Path, rubrics: Mapping[str, Rubric]) -> list[LabelledAnswer]:
    """Parse a JSON Lines file of labelled answers; every bad line is reported with its number."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    items, problems = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
            if not isinstance(row, dict):
                raise ValueError("each line must be a JSON object")
            missing = [k for k in ("rubric", "prompt", "answer", "label") if not isinstance(row.get(k), str)]
            if missing:
                raise ValueError(f"missing or not a string: {', '.join(missing)}")
            if row["label"] not in LABELS:
                raise ValueError(f"label must be one of {', '.join(LABELS)}")
            if row["rubric"] not in rubrics:
                raise ValueError(f"unknown rubric '{row['rubric']}'")
            criterion = row.get("criterion")
            if criterion is not None and criterion not in {c.id for c in rubrics[row["rubric"]].criteria}:
                raise ValueError(f"rubric '{row['rubric']}' has no criterion '{criterion}'")
            items.append(
                LabelledAnswer(
                    number, row["rubric"], criterion, row["prompt"], row["answer"], AnswerLabel(row["label"])
                )
            )
        except (ValueError, json.JSONDecodeError) as exc:
            problems.append(f"{path}:{number}: {exc}")
    if problems:
        raise DataError("\n".join(problems))
    if not items:
        raise DataError(f"{path}:1: no labelled answers in the file")
    return items


def evaluate(
    items: Iterable[LabelledAnswer], predict: Callable[[LabelledAnswer], tuple[AnswerLabel, float]]
) -> dict[str, Any]:
    """Accuracy, macro-F1, Cohen's kappa, confusion, bluff acceptance, confident-wrong recall, ordering violations."""
    rows = [(item, *predict(item)) for item in items]
    n = len(rows)
    confusion = {gold: {pred: 0 for pred in LABELS} for gold in LABELS}
    for item, predicted, _ in rows:
        confusion[item.label.value][predicted.value] += 1
    agree = sum(confusion[label][label] for label in LABELS)
    f1s = []
    for label in LABELS:
        tp = confusion[label][label]
        fp = sum(confusion[g][label] for g in LABELS) - tp
        fn = sum(confusion[label].values()) - tp
        if tp + fp + fn == 0:
            continue  # a label absent from both gold and predictions does not count
        f1s.append(2 * tp / (2 * tp + fp + fn))
    expected = sum(sum(confusion[lab].values()) * sum(confusion[g][lab] for g in LABELS) for lab in LABELS) / (n * n)
    observed = agree / n
    kappa = 1.0 if expected == 1 else (observed - expected) / (1 - expected)
    right = [(item, pred) for item, pred, _ in rows if item.label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL)]
    wrong = [(item, pred) for item, pred, _ in rows if item.label.is_wrong]
    bluffs = sum(1 for _, pred in wrong if pred in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL))
    confident = [(item, pred) for item, pred, _ in rows if item.label is AnswerLabel.CONFIDENT_WRONG]
    by_prompt: dict[tuple[str, str], list[tuple[LabelledAnswer, float]]] = {}
    for item, _, score in rows:
        by_prompt.setdefault((item.rubric, item.prompt.strip()), []).append((item, score))
    violations = 0
    for group in by_prompt.values():
        idk = [s for i, s in group if i.label is AnswerLabel.IDK]
        cw = [s for i, s in group if i.label is AnswerLabel.CONFIDENT_WRONG]
        violations += sum(1 for a in idk for b in cw if a < b)
    return {
        "n": n,
        "accuracy": round(observed, 4),
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "kappa": round(kappa, 4),
        "confusion": confusion,
        "bluff_acceptance": round(bluffs / len(wrong), 4) if wrong else 0.0,
        "right_graded_wrong": round(sum(1 for _, pred in right if pred.is_wrong) / len(right), 4) if right else 0.0,
        "confident_wrong_recall": round(
            sum(1 for _, pred in confident if pred is AnswerLabel.CONFIDENT_WRONG) / len(confident), 4
        )
        if confident
        else 0.0,
        "ordering_violations": violations,
    }


def format_metrics(metrics: Mapping[str, Any]) -> str:
    """The metrics as a short text report with the confusion matrix (rows: gold, columns: predicted)."""
    short = {"correct": "corr", "partial": "part", "idk": "idk", "hedged_wrong": "h_wr", "confident_wrong": "c_wr"}
    lines = [
        f"answers                  {metrics['n']}",
        f"accuracy                 {metrics['accuracy']:.3f}",
        f"macro-F1                 {metrics['macro_f1']:.3f}",
        f"Cohen's kappa            {metrics['kappa']:.3f}",
        f"bluff acceptance         {metrics['bluff_acceptance']:.3f}   (wrong answers graded correct or partial)",
        f"right graded wrong       {metrics['right_graded_wrong']:.3f}   (correct or partial answers graded wrong)",
        f"confident_wrong recall   {metrics['confident_wrong_recall']:.3f}",
        f"ordering violations      {metrics['ordering_violations']}",
        f"fallbacks                {metrics.get('fallbacks', 0)}   (answers the model could not grade, graded offline)",
        "",
        "confusion (rows: labelled, columns: graded)",
        "                  " + " ".join(f"{short[lab]:>5}" for lab in LABELS),
    ]
    for gold in LABELS:
        lines.append(f"{gold:<17} " + " ".join(f"{metrics['confusion'][gold][p]:>5}" for p in LABELS))
    return "\n".join(lines)


@dataclass(frozen=True)
class Disagreement:
    """A labelled answer the grader labelled otherwise, with what the grader saw."""

    line: int
    gold: AnswerLabel
    graded: AnswerLabel
    answer: str
    notes: tuple[str, ...]

    def describe(self) -> str:
        answer = " ".join(self.answer.split())
        quote = answer if len(answer) <= 160 else answer[:159] + "…"
        why = "; ".join(self.notes) or "no note"
        return f'line {self.line}: labelled {self.gold.value}, graded {self.graded.value}: "{quote}" ({why})'
