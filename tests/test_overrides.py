"""A reviewer corrects the grader: the label is kept with who and why, the report follows, and it exports as data."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer.domain import AnswerLabel, TurnKind
from interviewer.engine import FakeClock
from interviewer.scoring.evaluation import read_labelled
from interviewer.usecases import Practice, PracticeError

from .engine.helpers import collect

WRONG = "I think with Bedrock you provision and manage the GPU instances yourself."
SCRIPT = [
    "How many users?",
    "I'd use Bedrock as a managed API with retrieval over the help articles, and stream tokens back.",
    WRONG,
    "I don't know.",
]


def finished_session(practice: Practice) -> int:
    interview = practice.start("llm-support-assistant")
    collect(interview.opening())
    for message in SCRIPT:
        collect(interview.respond(message))
    asyncio.run(interview.finish())
    return interview.session_id


def answer_seq(practice: Practice, session_id: int, text: str) -> int:
    view = practice.session(session_id)
    return next(t.seq for t in view.turns if t.kind is TurnKind.ANSWER and t.text == text)


def test_an_override_is_kept_with_who_and_why_and_the_report_follows(repository) -> None:
    practice = Practice(clock=FakeClock(), repository=repository)
    session_id = finished_session(practice)
    seq = answer_seq(practice, session_id, WRONG)
    before = practice.session(session_id).report
    assert before is not None and before.label_counts["hedged_wrong"] == 1
    view = asyncio.run(
        practice.override_label(
            session_id, seq, AnswerLabel.PARTIAL, note="meant provisioned throughput", reviewer="ana"
        )
    )
    report = view.report
    assert report is not None and report.label_counts["hedged_wrong"] == 0 and report.label_counts["partial"] == 2
    [grade] = [g for g in report.grades if g.turn == seq]
    assert grade.label is AnswerLabel.PARTIAL and grade.points == 0.5
    [note] = [n for n in grade.notes if n.startswith("label set by ana on ")]  # who and when
    assert note.endswith(": meant provisioned throughput")
    others = {g.turn: g.label for g in report.grades if g.turn != seq}
    assert others == {g.turn: g.label for g in before.grades if g.turn != seq}
    [override] = repository.session_overrides(session_id).values()
    assert (override.reviewer, override.note, override.at is not None) == ("ana", "meant provisioned throughput", True)
    # a later re-grade keeps the reviewer's label
    regraded = asyncio.run(practice.regrade(session_id)).report
    assert regraded is not None and next(g for g in regraded.grades if g.turn == seq).label is AnswerLabel.PARTIAL


def test_only_answers_can_be_relabelled(repository) -> None:
    practice = Practice(clock=FakeClock(), repository=repository)
    session_id = finished_session(practice)
    with pytest.raises(PracticeError, match="turn 1 of session 1 is not an answer"):
        asyncio.run(practice.override_label(session_id, 1, AnswerLabel.CORRECT))


def test_overridden_answers_export_as_eval_grader_data(repository, tmp_path: Path) -> None:
    practice = Practice(clock=FakeClock(), repository=repository)
    session_id = finished_session(practice)
    seq = answer_seq(practice, session_id, WRONG)
    asyncio.run(practice.override_label(session_id, seq, AnswerLabel.CONFIDENT_WRONG, reviewer="ana"))
    [row] = practice.overridden_answers()
    assert row["label"] == "confident_wrong" and row["answer"] == WRONG and row["reviewer"] == "ana"
    assert practice.overridden_answers("caching-strategy") == []
    data = tmp_path / "labels.jsonl"
    data.write_text(json.dumps(row) + "\n")
    rubric = practice.rubric("llm-support-assistant").rubric
    [item] = read_labelled(data, {rubric.id: rubric})
    assert item.label is AnswerLabel.CONFIDENT_WRONG and item.prompt == row["prompt"]


def test_regrade_turn_and_export_labels_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    practice = Practice(f"sqlite:///{db}", clock=FakeClock())
    session_id = finished_session(practice)
    seq = answer_seq(practice, session_id, WRONG)
    practice.close()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "interviewer", "--db", str(db), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    result = cli("regrade-turn", str(session_id), str(seq), "correct", "--note", "fine", "--reviewer", "bo", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["labels"]["correct"] >= 1
    bad = cli("regrade-turn", str(session_id), "1", "correct")
    assert bad.returncode == 1 and "is not an answer" in bad.stderr and "Traceback" not in bad.stderr
    exported = cli("export-labels", "-o", str(tmp_path / "labels.jsonl"))
    assert exported.returncode == 0, exported.stderr
    figures = cli("eval-grader", str(tmp_path / "labels.jsonl"), "--json")
    assert figures.returncode == 0, figures.stderr
    assert json.loads(figures.stdout)["n"] == 1
