"""The honesty rule end to end, for every bundled rubric: "I don't know" beats a confident bluff."""

from __future__ import annotations

import tomllib

import pytest

from interviewer.rubric import load_rubric_file

from ..conftest import DATA, REPO
from .helpers import run_script

RUBRICS = sorted(p.stem for p in (REPO / "rubrics").glob("*.toml"))


def _wrong_sentences(rubric_id: str) -> list[str]:
    cases = tomllib.loads((DATA / "misconceptions" / f"{rubric_id}.toml").read_text())["case"]
    return [case["wrong"] for case in cases]


def _correct_answers(rubric_id: str) -> list[str]:
    rubric = load_rubric_file(REPO / "rubrics" / f"{rubric_id}.toml")
    answers = []
    for criterion in rubric.criteria:
        names = [concept.phrases[0] for concept in criterion.concepts]
        answers.append(
            f"For this part I would rely on {names[0]} and {names[1 % len(names)]}, and I would add "
            f"{names[2 % len(names)]} as well, because each of them removes a real risk in this design "
            "and we can measure whether it works."
        )
    return answers


@pytest.mark.parametrize("rubric_id", RUBRICS)
def test_idk_beats_bluffing_and_loses_to_knowing(repository, rubric_id: str) -> None:
    opening = ["What scale are we talking about, how many users and what peak traffic?"]
    count = 5
    wrong = (_wrong_sentences(rubric_id) * count)[:count]
    correct = (_correct_answers(rubric_id) * count)[:count]
    _, idk = run_script(repository, rubric_id, opening + ["I don't know."] * count)
    _, bluff = run_script(repository, rubric_id, opening + wrong)
    _, knows = run_script(repository, rubric_id, opening + correct)
    assert idk.overall is not None and bluff.overall is not None and knows.overall is not None
    assert bluff.overall < idk.overall < knows.overall, (bluff.overall, idk.overall, knows.overall)
    assert bluff.label_counts["confident_wrong"] >= 3
    assert idk.label_counts["idk"] == count
    assert idk.confidence_total > bluff.confidence_total
