"""Pattern safety, negation-aware misconception finding, and the TOML line locator."""

from __future__ import annotations

import time

import pytest

from interviewer.rubric import RubricError, parse_rubric
from interviewer.rubric.locate import key_lines, line_of
from interviewer.rubric.patterns import compile_pattern, search
from interviewer.scoring.claims import find_misconceptions, sentences

from .conftest import DATA


def test_catastrophic_pattern_cannot_hang() -> None:
    # (a|aa)+$ backtracks exponentially: unbounded, 40 letters take minutes.
    started = time.monotonic()
    assert search(r"(a|aa)+$", "a" * 40 + "!") is None
    assert time.monotonic() - started < 5


def test_a_rubric_with_a_pathological_pattern_cannot_hang_on_a_long_answer() -> None:
    text = (
        (DATA / "valid_minimal.toml")
        .read_text()
        .replace("match = ['(standard|sqs) queue.{0,30}exactly[- ]once']", "match = ['(a|aa)+$']")
    )
    with pytest.raises(RubricError, match="backtracks"):  # refused at validation ...
        parse_rubric(text, "evil.toml")
    valid = parse_rubric((DATA / "valid_minimal.toml").read_text(), "valid.toml")
    criterion = valid.criteria[0]
    evil = criterion.misconceptions[0].model_copy(update={"match": ["(a|aa)+$"] * 50})
    rubric = valid.model_copy(update={"criteria": [criterion.model_copy(update={"misconceptions": [evil]})]})
    # ... and bounded in time at grading all the same
    answer = ("a" * 60 + "! ") * 20 + "and " + "b" * 50_000
    started = time.monotonic()
    assert find_misconceptions(answer, rubric) == []
    assert time.monotonic() - started < 10


def test_overlong_text_is_cut_before_matching() -> None:
    assert search("needle", "x" * 10_000 + "needle") is None
    assert search("needle", "needle" + "x" * 10_000) is not None


@pytest.mark.parametrize(
    ("pattern", "words"),
    [("", "empty"), ("(", "invalid regular expression"), ("a" * 301, "at most 300")],
)
def test_bad_patterns_are_refused(pattern: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        compile_pattern(pattern)


def test_patterns_are_case_insensitive() -> None:
    assert search(r"bedrock", "We'd use BEDROCK here") is not None


RUBRIC = parse_rubric((DATA / "valid_minimal.toml").read_text(), "q.toml")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("An SQS queue delivers every message exactly once, so no dedup is needed.", True),
        ("I'm fairly sure a standard queue gives you exactly-once delivery.", True),
        ("A standard queue does not give exactly-once delivery.", False),
        ("I don't think a standard queue is exactly once.", False),
        ("It's not true that a standard queue delivers exactly once.", False),
        ("Standard queues are at-least-once, so consumers must be idempotent.", False),
        # what would go wrong with a rejected option is not the candidate's belief
        ("We can't skip dedup, because then the standard queue would be exactly once only in our dreams.", False),
        ("Keep the dedup table, otherwise the SQS queue would count as exactly-once by assumption.", False),
        # a conditional the candidate believes, and a proposal, still count
        ("If we use SQS, the SQS queue would give exactly once delivery.", True),
        ("We don't need dedup: I would rely on the standard queue being exactly once.", True),
    ],
)
def test_misconceptions_respect_negation(text: str, found: bool) -> None:
    assert bool(find_misconceptions(text, RUBRIC)) is found


def test_a_hit_quotes_the_candidate_verbatim() -> None:
    text = "We put a queue in front. A standard queue is exactly once, so we're fine."
    [hit] = find_misconceptions(text, RUBRIC)
    assert hit.criterion_id == "decoupling"
    assert hit.sentence in text and hit.quote in text


def test_sentences_split_on_punctuation_and_lines() -> None:
    assert sentences("One. Two? Three!\nFour; five") == ["One.", "Two?", "Three!", "Four;", "five"]


TRICKY = '''# a comment with [brackets] and = signs
"quoted key" = 1
a.b = "x"  # dotted key
text = """
[[not a table]]
key = "not a key"
"""
lit = \'\'\'
[also not]\'\'\'
list = [
  "a", # comment inside
  { k = "v", n = [1, 2] },
  'c',
]

[[t]]
x = 1

[[t.u]]
y = "]"

[[t]]
x = 2

[[t.u]]
y = 3

[[t.u]]
y = 4

[t.levels]
0 = "zero"
'''


def test_locator_finds_lines_through_strings_comments_and_nested_arrays() -> None:
    lines = key_lines(TRICKY)
    assert lines[("quoted key",)] == 2
    assert lines[("a", "b")] == 3
    assert lines[("text",)] == 4
    assert ("not a table",) not in lines and ("key",) not in lines
    assert lines[("lit",)] == 8
    assert lines[("list", 0)] == 11
    assert lines[("list", 1, "n", 1)] == 12
    assert lines[("list", 2)] == 13
    assert lines[("t", 0, "x")] == 17
    assert lines[("t", 0, "u", 0, "y")] == 20
    assert lines[("t", 1, "x")] == 23
    assert lines[("t", 1, "u", 0)] == 25
    assert lines[("t", 1, "u", 1, "y")] == 29
    assert lines[("t", 1, "levels", "0")] == 32
    assert line_of(lines, ("t", 1, "u", 1, "missing")) == 28
    assert line_of(lines, ("nowhere",)) == 1


def test_a_negative_claim_spelled_with_a_word_boundary_still_counts() -> None:
    from interviewer.scoring.claims import is_negated

    sentence = "With multi-AZ you have no need for backups."
    start = sentence.index("no need")
    assert not is_negated(sentence, start, start + len("no need for backups"), r"\bno need for backups?")
    assert is_negated("It isn't true that multi-AZ removes backups.", 29, 44, r"removes backups")


def test_a_negation_excluded_by_a_lookahead_does_not_make_the_claim_negative() -> None:
    from interviewer.scoring.claims import is_negated

    denial = "SQS standard queues do not deliver each message exactly once."
    assert is_negated(denial, 0, len(denial) - 1, r"sqs.{0,40}(?!never)deliver\w*.{0,20}exactly once")
