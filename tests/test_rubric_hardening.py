"""Rubrics that could never work, or would corrupt a score or stall an interview, are refused with a located error."""

from __future__ import annotations

import pytest

from interviewer.rubric import RubricError, parse_rubric
from interviewer.scoring import claims
from interviewer.scoring.grader import OfflineGrader
from interviewer.scoring.rules import overall
from interviewer.scoring.signals import concept_hits

from .conftest import DATA

VALID = (DATA / "valid_minimal.toml").read_text()
PATTERN = "match = ['(standard|sqs) queue.{0,30}exactly[- ]once']"


def problems(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, "r.toml")
    return [(p.line, p.field, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("inf", "from 0.01 to 100"),
        ("nan", "from 0.01 to 100"),
        ("1.7e308", "from 0.01 to 100"),
        ("1e-320", "from 0.01 to 100"),
        ("0", "from 0.01 to 100"),
        ("true", "not true or false"),
        ('"3"', "not text in quotes"),
    ],
)
def test_a_weight_must_be_a_sane_number(value: str, words: str) -> None:
    [(line, field, message)] = problems(VALID.replace("weight = 2", f"weight = {value}"))
    assert (line, field) == (21, "criterion[0].weight") and words in message


@pytest.mark.parametrize("value", ["true", "nan", '"0.75"'])
def test_the_confidence_target_must_be_a_number_in_range(value: str) -> None:
    [(line, field, _)] = problems(VALID.replace("confidence_target = 0.75", f"confidence_target = {value}"))
    assert (line, field) == (7, "confidence_target")


def test_no_computation_turns_nan_into_a_perfect_score() -> None:
    with pytest.raises(ValueError, match="cannot be computed"):
        overall(float("nan"), 1.0, 1.0)


@pytest.mark.parametrize("phrase", ["!!!", "\u200b", "   -- "])
def test_a_phrase_no_answer_can_contain_is_refused(phrase: str) -> None:
    [(line, field, message)] = problems(VALID.replace('"rabbitmq"', f'"{phrase}"'))
    assert (line, field) == (23, "criterion[0].concepts[0].phrases[2]") and "no letter or digit" in message


@pytest.mark.parametrize(
    ("phrase", "answer"),
    [
        ("очередь", "Мы поставим очередь между сервисами."),
        ("缓存", "我们使用缓存来加速"),
        ("café", "Orders wait in the café before noon."),
    ],
)
def test_phrases_in_other_scripts_are_matched(phrase: str, answer: str) -> None:
    rubric = parse_rubric(VALID.replace('"rabbitmq"', f'"{phrase}"'), "r.toml")
    assert [hit.phrase for hit in concept_hits(answer, rubric.criteria)] == [phrase]


def test_an_answer_the_offline_grader_cannot_read_says_so() -> None:
    rubric = parse_rubric(VALID.replace('"rabbitmq"', '"очередь"'), "r.toml")
    graded = OfflineGrader().grade_answer(
        rubric, "Мы поставим очередь между сервисами, потому что письма не теряются.", prompt="q", criterion_id=None
    )
    assert graded.points == 0 and any("not in English" in note for note in graded.notes)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [(".*", "matches an empty sentence"), ("x?", "matches an empty sentence"), ("(a|a)+$", "backtracks")],
)
def test_a_pattern_that_matches_everything_or_backtracks_is_refused(pattern: str, words: str) -> None:
    [(line, field, message)] = problems(VALID.replace(PATTERN, f"match = ['{pattern}']"))
    assert (line, field) == (30, "criterion[0].misconception[0].match[0]") and words in message


def test_grading_one_answer_is_bounded_in_time_and_says_when_it_was_cut_short(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rubric = parse_rubric(VALID, "r.toml")
    answer = "SQS queues deliver each message exactly once. " * 3
    assert OfflineGrader().grade_answer(rubric, answer, prompt="q", criterion_id="decoupling").label.is_wrong
    monkeypatch.setattr(claims, "PATTERN_BUDGET", 0.0)
    graded = OfflineGrader().grade_answer(rubric, answer, prompt="q", criterion_id="decoupling")
    assert any(note.startswith("checked in part") for note in graded.notes)
    assert not graded.label.is_wrong  # nothing was found in the time: no claim is made


def test_a_pipe_or_a_device_is_refused_without_reading_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from interviewer.rubric import load_rubric_file

    pipe = tmp_path / "rubric.toml"
    os.mkfifo(pipe)  # reading it would block for ever
    for path in (pipe, "/dev/zero"):  # /dev/zero would be read until memory runs out
        with pytest.raises(RubricError, match="not a regular file"):
            load_rubric_file(path)


@pytest.mark.parametrize("depth", [900, 50_000])
def test_absurd_nesting_is_a_located_error_not_a_crash(depth: int) -> None:
    text = VALID + "\nextra = " + "[" * depth + "]" * depth + "\n"
    found = problems(text)
    assert found and all("unexpected" not in message for _, _, message in found)
    if depth == 50_000:
        [(line, field, message)] = found
        assert (line, field) == (VALID.count("\n") + 2, "syntax") and "nested too deeply" in message


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        (["[extra.deep.nested.table]", "x = 1"], "extra"),
        (["[[extra.deep.list]]", "x = 1"], "extra"),
        (["extra.deep.key = 1"], "clarification[0].extra"),
    ],
)
def test_an_unknown_deep_header_or_dotted_key_is_reported_at_its_own_line(lines: list[str], field: str) -> None:
    first, rest = VALID.split("[[criterion]]", 1)
    text = first + "\n".join(lines) + "\n\n[[criterion]]" + rest
    [(line, found_field, message)] = problems(text)
    assert (line, found_field, message) == (first.count("\n") + 1, field, "unknown key")
