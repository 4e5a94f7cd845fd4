"""The LLM grader on a held-out set, replaying a capable model's recorded answers through the real OpenAI SDK.

The requests in tests/data/replay/heldout/requests were answered once by a stand-in for a capable model
that saw only those requests (see the README). A request whose prompt changed has no recorded answer:
the replay fails it, the grader falls back, and the first test says to re-record.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from pydantic import SecretStr

from interviewer.domain import Move, MoveKind, Phase, Role, Turn, TurnKind
from interviewer.llm.openai_model import OpenAIModel
from interviewer.rubric import load_rubric_file
from interviewer.scoring.evaluation import read_labelled
from interviewer.scoring.grading import grade_transcript
from interviewer.scoring.llm_grader import LLMGrader
from interviewer.usecases import Practice

from ..conftest import DATA

RECORDED = DATA / "replay" / "heldout"
HELDOUT = DATA / "heldout"


@pytest.fixture
def replayed(fake):  # type: ignore[no-untyped-def]
    fake.replay = {path.stem: json.loads(path.read_text()) for path in (RECORDED / "answers").glob("*.json")}
    model = OpenAIModel("replay", api_key=SecretStr("sk-replay"), base_url=f"{fake.url}/v1", max_retries=0)
    return LLMGrader(model)


def test_the_replayed_model_meets_the_bars_on_the_held_out_set(replayed: LLMGrader) -> None:
    metrics, _ = asyncio.run(Practice().evaluate_grader(HELDOUT / "answers.jsonl", replayed, HELDOUT / "rubrics"))
    assert metrics["fallbacks"] == 0, "the grading prompt changed: re-record tests/data/replay (see the README)"
    assert metrics["n"] == 60
    assert metrics["macro_f1"] >= 0.9
    assert metrics["right_graded_wrong"] <= 0.05
    assert metrics["bluff_acceptance"] <= 0.05
    assert metrics["ordering_violations"] == 0


def test_replayed_grades_merge_into_a_report(replayed: LLMGrader) -> None:
    rubrics = {p.stem: load_rubric_file(p) for p in (HELDOUT / "rubrics").glob("*.toml")}
    items = [i for i in read_labelled(HELDOUT / "answers.jsonl", rubrics) if i.rubric == "global-dns-cdn"][:6]
    rubric = rubrics["global-dns-cdn"]
    turns = [Turn(1, Role.INTERVIEWER, TurnKind.QUESTION, rubric.question, Phase.CLARIFY, move=Move(MoveKind.OPEN))]
    for item in items:
        probe = Move(MoveKind.PROBE, item.criterion)
        turns.append(Turn(len(turns) + 1, Role.INTERVIEWER, TurnKind.PROBE, item.prompt, Phase.DESIGN, move=probe))
        turns.append(Turn(len(turns) + 1, Role.CANDIDATE, TurnKind.ANSWER, item.answer, Phase.DESIGN))
    report = asyncio.run(grade_transcript(replayed, rubric, turns))
    assert report.grader == "llm:openai/replay"
    assert [g.label for g in report.grades] == [i.label for i in items]
    assert all(g.grader == report.grader for g in report.grades)  # no answer fell back to the offline grader
    answers = {t.seq: t.text for t in turns if t.role is Role.CANDIDATE}
    for result in report.criteria:
        for evidence in result.evidence:
            assert evidence.quote in answers[evidence.turn]  # every quote is verbatim in its turn
    assert any("model level" in (c.rationale or "") for c in report.criteria)


def test_without_a_recorded_answer_the_grader_falls_back_and_says_so(fake) -> None:  # type: ignore[no-untyped-def]
    fake.replay = {}
    model = OpenAIModel("replay", api_key=SecretStr("sk-replay"), base_url=f"{fake.url}/v1", max_retries=0)
    metrics, _ = asyncio.run(
        Practice().evaluate_grader(HELDOUT / "answers.jsonl", LLMGrader(model), HELDOUT / "rubrics")
    )
    assert metrics["fallbacks"] == 60
