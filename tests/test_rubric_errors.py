"""Malformed rubric files: each problem is reported at the exact line and field, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.rubric import RubricError, load_rubric_file, parse_rubric

from .conftest import DATA

VALID = (DATA / "valid_minimal.toml").read_text()


def problems_of(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, "r.toml")
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def edited(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


# (name, old text, new text, expected line, expected field, words the message contains)
CASES = [
    ("unknown top-level key", 'topic = "Messaging"', 'topic = "Messaging"\ntopik = "x"', 4, "topik", "unknown key"),
    ("typo with a hint", "follow_ups = [", "follow_up = [", 26, "criterion[0].follow_up", "did you mean 'follow_ups'"),
    (
        "missing required key",
        'title = "Decouple a checkout from its email sender"\n',
        "",
        1,
        "title",
        "missing required key",
    ),
    ("id not a slug", 'id = "queue-basics"', 'id = "Queue Basics"', 1, "id", "slug"),
    ("criterion id not a slug", 'id = "decoupling"', 'id = "de_coupling"', 19, "criterion[0].id", "slug"),
    ("unknown difficulty", 'difficulty = "mid"', 'difficulty = "expert"', 5, "difficulty", "one of"),
    (
        "confidence target of 1",
        "confidence_target = 0.75",
        "confidence_target = 1.0",
        7,
        "confidence_target",
        "between 0 and 1",
    ),
    (
        "confidence target of 0",
        "confidence_target = 0.75",
        "confidence_target = 0",
        7,
        "confidence_target",
        "between 0 and 1",
    ),
    ("negative weight", "weight = 2", "weight = -2", 21, "criterion[0].weight", "positive"),
    ("zero weight", "weight = 2", "weight = 0", 21, "criterion[0].weight", "positive"),
    ("weight not a number", "weight = 2", 'weight = "heavy"', 21, "criterion[0].weight", "number"),
    (
        "regex does not compile",
        "match = ['(standard|sqs) queue",
        "match = ['((standard|sqs) queue",
        30,
        "criterion[0].misconception[0].match[0]",
        "invalid regular expression",
    ),
    (
        "regex too long",
        "match = ['(standard|sqs) queue.{0,30}exactly[- ]once']",
        "match = ['" + "a" * 400 + "']",
        30,
        "criterion[0].misconception[0].match[0]",
        "at most 300",
    ),
    ("level out of range", '4 = "Queue with', '5 = "Queue with', 35, "criterion[0].levels.5", "0 to 4"),
    ("level not a number", '4 = "Queue with', 'top = "Queue with', 35, "criterion[0].levels.top", "0 to 4"),
    (
        "concept without phrases",
        'phrases = ["retry", "dead-letter", "dlq"]',
        "phrases = []",
        24,
        "criterion[0].concepts[1].phrases",
        "must not be empty",
    ),
    ("blank phrase", '"rabbitmq"', '"  "', 23, "criterion[0].concepts[0].phrases[2]", "blank"),
    ("no criterion at all", VALID[VALID.index("[[criterion]]") :], "", 1, "criterion", "missing required key"),
    ("minutes not an integer", "minutes = 30", 'minutes = "thirty"', 6, "minutes", "not text in quotes"),
    ("minutes out of range", "minutes = 30", "minutes = 0", 6, "minutes", "between 5 and 240"),
    (
        "clarification without answer",
        'answer = "About 300 orders a minute at peak."\n',
        "",
        13,
        "clarification[0].answer",
        "missing required key",
    ),
    ("empty tag", 'tags = ["queues", "events"]', 'tags = ["queues", " "]', 4, "tags[1]", "must not be blank"),
    (
        "unknown key in a misconception",
        'correction = "Standard',
        'fix = "x"\ncorrection = "Standard',
        31,
        "criterion[0].misconception[0].fix",
        "unknown key",
    ),
    (
        "unknown key in a concept",
        '{ name = "queue",',
        '{ nam = "q", name = "queue",',
        23,
        "criterion[0].concepts[0].nam",
        "unknown key",
    ),
    ("title is a number", 'title = "Decouple a checkout from its email sender"', "title = 42", 2, "title", "string"),
]


@pytest.mark.parametrize(("name", "old", "new", "line", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_malformed_rubric_is_located(name, old, new, line, field, words) -> None:
    found = problems_of(edited(old, new))
    assert any(p[0] == line and p[1] == field and words in p[2] for p in found), found


def test_the_minimal_rubric_is_valid() -> None:
    rubric = parse_rubric(VALID, "r.toml")
    assert rubric.id == "queue-basics"
    assert rubric.criteria[0].levels == {
        0: "Not addressed.",
        4: "Queue with retries, a dead-letter queue and idempotent consumers.",
    }
    assert rubric.penalty == pytest.approx(3.0)


def test_empty_criterion_list_is_located() -> None:
    text = VALID[: VALID.index("[[clarification]]")].replace("minutes = 30", "minutes = 30\ncriterion = []")
    assert (7, "criterion", "must not be empty") in problems_of(text)


def test_duplicate_criterion_ids_name_the_second() -> None:
    second = VALID[VALID.index("[[criterion]]") :].split("[[criterion.misconception]]")[0]
    text = VALID + "\n" + second
    found = problems_of(text)
    line = text.count("\n", 0, text.rindex("[[criterion]]")) + 2
    assert (line, "criterion[1].id", "duplicate criterion id 'decoupling' (first used by criterion[0])") in found


def test_every_problem_in_a_file_is_reported() -> None:
    text = (
        edited("weight = 2", "weight = -1")
        .replace('difficulty = "mid"', 'difficulty = "guru"')
        .replace('id = "queue-basics"', 'id = "Q!"')
    )
    found = problems_of(text)
    assert [(line, field) for line, field, _ in found] == [(1, "id"), (5, "difficulty"), (21, "criterion[0].weight")]


def test_syntax_error_names_the_line_tomllib_gives() -> None:
    found = problems_of(edited('about = "volume"', 'about = "volume'))
    assert found == [(14, "syntax", found[0][2])]
    assert found[0][2].startswith("TOML syntax error: ")


def test_duplicate_key_is_a_syntax_error_on_its_line() -> None:
    found = problems_of(edited("minutes = 30", "minutes = 30\nminutes = 40"))
    assert found[0][:2] == (7, "syntax")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "file is empty"),
        (b"   \n\n  ", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b'id = "x"\ntitle = "caf\xe9"\n', "not valid UTF-8"),
    ],
    ids=["empty", "blank", "binary", "latin-1"],
)
def test_unusable_file_gets_one_clear_line(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "r.toml"
    path.write_bytes(content)
    with pytest.raises(RubricError) as caught:
        load_rubric_file(path)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert problem.file == str(path) and problem.field == "file" and words in problem.message


def test_latin1_file_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_bytes(b'id = "x"\ntitle = "caf\xe9"\n')
    with pytest.raises(RubricError) as caught:
        load_rubric_file(path)
    assert caught.value.problems[0].line == 2


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# " + b"x" * (1024 * 1024 + 10))
    with pytest.raises(RubricError) as caught:
        load_rubric_file(path)
    assert "at most 1 MiB" in str(caught.value)


def test_problem_prints_as_file_line_field_message() -> None:
    with pytest.raises(RubricError) as caught:
        parse_rubric(edited("weight = 2", "weight = -2"), "rubrics/q.toml")
    assert (
        str(caught.value)
        == "rubrics/q.toml:21: criterion[0].weight: must be a positive number from 0.01 to 100 (only the ratio between weights matters)"
    )


DEPTH = """
[[deep_dive]]
criterion = "decoupling"
ask = "The email provider rate-limits you to 100 a minute. What changes?"
strong = ["consumer concurrency capped", "backlog drains after the peak"]

[[curveball]]
say = "Marketing now wants every order confirmed by SMS as well."
reopens = ["decoupling"]
"""


def test_deep_dives_and_curveballs_are_part_of_the_language() -> None:
    rubric = parse_rubric(VALID + DEPTH, "r.toml")
    [dive] = rubric.deep_dives
    [ball] = rubric.curveballs
    assert (dive.criterion, dive.strong[1]) == ("decoupling", "backlog drains after the peak")
    assert ball.reopens == ["decoupling"]


def test_a_deep_dive_on_an_unknown_criterion_is_located_with_a_hint() -> None:
    text = VALID + DEPTH.replace('criterion = "decoupling"', 'criterion = "decoupeling"')
    line = text.count("\n", 0, text.index('criterion = "decoupeling"')) + 1
    assert problems_of(text) == [
        (line, "deep_dive[0].criterion", "no criterion has the id 'decoupeling' (did you mean 'decoupling'?)")
    ]


def test_a_curveball_must_reopen_known_criteria() -> None:
    found = problems_of(VALID + DEPTH.replace('reopens = ["decoupling"]', 'reopens = ["billing"]'))
    assert [(field, message) for _, field, message in found] == [
        ("curveball[0].reopens[0]", "no criterion has the id 'billing' (the criteria are decoupling)")
    ]
    found = problems_of(VALID + DEPTH.replace('reopens = ["decoupling"]', "reopens = []"))
    assert [(field, message) for _, field, message in found] == [("curveball[0].reopens", "must not be empty")]


def test_a_typo_in_a_deep_dive_key_gets_a_hint() -> None:
    found = problems_of(VALID + DEPTH.replace("strong = [", "strongs = ["))
    assert ("deep_dive[0].strongs", "unknown key (did you mean 'strong'?)") in [(f, m) for _, f, m in found]


def test_tags_are_free_text_kept_as_written_and_normalised_for_filtering() -> None:
    from interviewer.rubric import RubricSummary
    from interviewer.tui.screens.home import matches

    rubric = parse_rubric(edited('tags = ["queues", "events"]', 'tags = ["load balancing", "Event-Driven"]'), "r.toml")
    assert rubric.tags == ["load balancing", "Event-Driven"]
    summary = RubricSummary(
        rubric.id, 1, rubric.title, rubric.topic, rubric.difficulty, rubric.minutes, tuple(rubric.tags), False
    )
    assert matches(summary, "event driven") and matches(summary, "load-balancing") and not matches(summary, "kafka")
