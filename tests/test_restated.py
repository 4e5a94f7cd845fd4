"""Misconceptions restated in words no pattern anticipated: found for the probed criterion, not when denied."""

from __future__ import annotations

import asyncio
from datetime import UTC

import pytest

from interviewer.domain import AnswerLabel
from interviewer.engine import Interview
from interviewer.rubric import load_rubric_file, parse_rubric
from interviewer.scoring.claims import restated_misconceptions
from interviewer.scoring.evaluation import read_labelled
from interviewer.scoring.grader import OfflineGrader

from .conftest import DATA, REPO

RUBRIC = parse_rubric((DATA / "valid_minimal.toml").read_text(), "valid_minimal.toml")
CRITERION = RUBRIC.criterion("decoupling")
PROMPT = CRITERION.follow_ups[0]


@pytest.mark.parametrize(
    "answer",
    [
        "With SQS every message gets delivered once and only once, so the email worker never sees a duplicate.",
        "Messages come off a standard queue exactly one time each. So duplicates just aren't a thing for us.",
    ],
)
def test_a_restated_misconception_is_a_suspicion_not_a_penalty(answer: str) -> None:
    [found] = restated_misconceptions(answer, CRITERION)
    hit = found.hit
    assert hit.claim == "A standard queue delivers each message exactly once"
    assert hit.quote in answer  # evidence is quoted verbatim
    graded = OfflineGrader().grade_answer(RUBRIC, answer, prompt=PROMPT, criterion_id="decoupling")
    assert not graded.label.is_wrong and graded.points >= 0  # a resemblance costs nothing on its own
    assert [s.claim for s in graded.suspicions] == [hit.claim]
    assert any(note.startswith("not verified offline") and hit.quote in note for note in graded.notes)


def test_a_close_restatement_earns_no_credit_until_settled_and_a_loose_one_keeps_it() -> None:
    """Most of a claim's words and little of its correction: no points either way, and the note says why."""
    close = (
        "I'd put a queue between checkout and the email sender and let it retry into a dead-letter queue. "
        "A standard queue delivers every message exactly one time, so the sender never needs to deduplicate."
    )
    loose = (
        "I'd decouple checkout from the email sender with SQS, with retries and a DLQ for what keeps failing. "
        "Each message gets delivered once and only once."
    )
    grader = OfflineGrader()
    [found] = restated_misconceptions(close, CRITERION)
    assert found.close
    held = grader.grade_answer(RUBRIC, close, prompt=PROMPT, criterion_id="decoupling")
    assert held.label is AnswerLabel.IDK and held.points == 0
    assert any(note.startswith("not verified offline") for note in held.notes)
    [found] = restated_misconceptions(loose, CRITERION)
    assert not found.close
    kept = grader.grade_answer(RUBRIC, loose, prompt=PROMPT, criterion_id="decoupling")
    assert kept.label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL) and kept.suspicions


@pytest.mark.parametrize(
    "answer",
    [
        # denied: a negation stands just before the claim's words
        "A standard queue doesn't deliver each message exactly once, so the worker has to cope with repeats.",
        # denied a few words further back: "never" governs "exactly once" across "hands the worker"
        "So a standard queue never hands the worker each message exactly once; the worker must cope with repeats.",
        # the correction, in the candidate's words
        "SQS standard gives you at-least-once delivery, so a message can show up twice; "
        "I'd make the email consumer idempotent by keying on the order id.",
        # on topic but states no claim
        "I'd put SQS between checkout and the email service and let it retry into a dead-letter queue.",
    ],
)
def test_denials_corrections_and_plain_answers_are_not_restatements(answer: str) -> None:
    assert restated_misconceptions(answer, CRITERION) == []
    graded = OfflineGrader().grade_answer(RUBRIC, answer, prompt=PROMPT, criterion_id="decoupling")
    assert not graded.label.is_wrong


def test_synonyms_count_as_the_claims_words() -> None:
    rubric = parse_rubric(
        (DATA / "valid_minimal.toml")
        .read_text()
        .replace("A standard queue delivers each message exactly once", "Percentiles from several nodes can be averaged")
        .replace("Standard queues deliver at least once; consumers must be idempotent.",
                 "Merge the nodes' histograms and read the percentile from the merged one."),
        "percentiles.toml",
    )  # fmt: skip
    answer = "Easy: every node already reports its p95, so the fleet figure is the mean of those numbers."
    [found] = restated_misconceptions(answer, rubric.criterion("decoupling"))
    assert found.hit.claim == "Percentiles from several nodes can be averaged"


def test_synonym_groups_are_disjoint_after_stemming() -> None:
    import tomllib

    from interviewer.scoring.text import stem

    groups = tomllib.loads((REPO / "interviewer" / "scoring" / "synonyms.toml").read_text())["groups"]
    seen: dict[str, int] = {}
    for index, group in enumerate(groups):
        assert len(group) >= 2, group
        for word in group:
            key = stem(word.replace("-", ""))
            assert seen.setdefault(key, index) == index, f"{word!r} is in two groups"


def test_an_honest_i_dont_know_that_echoes_the_question_stays_idk() -> None:
    answer = "No idea, honestly. I've heard SQS delivers every message once and only once, but I'd have to check."
    graded = OfflineGrader().grade_answer(RUBRIC, answer, prompt=PROMPT, criterion_id="decoupling")
    assert graded.label is AnswerLabel.IDK


def test_only_the_probed_criterion_is_searched() -> None:
    answer = "With SQS every message gets delivered once and only once, so the email worker never sees a duplicate."
    # with no criterion and a prompt the rubric does not know, nothing says which claims to look for
    graded = OfflineGrader().grade_answer(RUBRIC, answer, prompt="Tell me about your last project.")
    assert "restates a known misconception in other words" not in graded.notes


def test_a_restatement_never_makes_an_answer_wrong_on_unseen_rubrics(monkeypatch: pytest.MonkeyPatch) -> None:
    """On the second held-out set (rubrics and answers written blind): a restatement only ever withholds credit."""
    folder = DATA / "heldout2"
    rubrics = {r.id: r for r in (load_rubric_file(p) for p in sorted((folder / "rubrics").glob("*.toml")))}
    items = read_labelled(folder / "answers.jsonl", rubrics)
    grader = OfflineGrader()

    def labels() -> list[AnswerLabel]:
        return [
            grader.grade_answer(rubrics[i.rubric], i.answer, prompt=i.prompt, criterion_id=i.criterion).label
            for i in items
        ]

    with_restatement = labels()
    monkeypatch.setattr("interviewer.scoring.claims.restated_misconceptions", lambda text, criterion: [])
    without = labels()
    changed = [(w, o) for w, o in zip(with_restatement, without, strict=True) if w is not o]
    assert changed, "close restatements withhold credit on this set"
    assert all(w is AnswerLabel.IDK and o in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL) for w, o in changed)


def test_the_interviewer_follows_a_suspicion_up_instead_of_penalising_it(repository) -> None:
    from interviewer.domain import MoveKind
    from interviewer.engine import FakeClock

    from .engine.helpers import collect

    practice_rubric = RUBRIC.model_copy(update={"id": "queue-basics-live"})
    from interviewer.rubric import RubricInput, dump_rubric

    repository.import_rubrics([RubricInput(practice_rubric, dump_rubric(practice_rubric), "q.toml")])
    interview = Interview.begin(repository, repository.get_rubric("queue-basics-live"), clock=FakeClock())
    collect(interview.opening())
    collect(interview.respond("I'd put SQS between checkout and the email sender."))
    assert interview.turns[-1].move is not None
    answer = "With SQS every message gets delivered once and only once, so the email worker never sees a duplicate."
    collect(interview.respond(answer))
    follow_up = interview.turns[-1]
    assert follow_up.move is not None and follow_up.move.kind is MoveKind.CHALLENGE
    assert follow_up.move.note == "suspected"
    assert any(word in follow_up.text for word in ("precisely", "exactly", "in practice"))
    assert not interview.assessments[interview.turns[-2].seq].label.is_wrong


@pytest.mark.parametrize(("folder", "size"), [("heldout2", 4), ("heldout3", 4), ("heldout4", 4)])
def test_the_blind_held_out_sets_are_balanced_and_load(folder: str, size: int) -> None:
    rubrics = {r.id: r for r in (load_rubric_file(p) for p in sorted((DATA / folder / "rubrics").glob("*.toml")))}
    assert len(rubrics) == size
    items = read_labelled(DATA / folder / "answers.jsonl", rubrics)
    labels = [item.label for item in items]
    assert len(labels) == 15 * size and all(labels.count(label) == 3 * size for label in AnswerLabel)


def test_the_transcript_says_an_answer_was_suspected_and_not_verified() -> None:
    from datetime import datetime

    from interviewer.domain import Move, MoveKind, Phase, Role, SessionRecord, SessionStatus, Turn, TurnKind
    from interviewer.render import session_markdown
    from interviewer.scoring.grading import grade_transcript
    from interviewer.tui.screens.transcript import turn_markdown

    answer = "With SQS every message gets delivered once and only once, so the email worker never sees a duplicate."
    turns = [
        Turn(1, Role.INTERVIEWER, TurnKind.PROBE, PROMPT, Phase.DEEP_DIVE, move=Move(MoveKind.PROBE, "decoupling")),
        Turn(2, Role.CANDIDATE, TurnKind.ANSWER, answer, Phase.DEEP_DIVE, at_seconds=30),
    ]
    report = asyncio.run(grade_transcript(OfflineGrader(), RUBRIC, turns))
    session = SessionRecord(
        1, RUBRIC.id, 1, RUBRIC.title, RUBRIC.topic, SessionStatus.FINISHED, True, 30, "offline", "offline",
        Phase.WRAP_UP, 60.0, {}, datetime.now(UTC), None,
    )  # fmt: skip
    markdown = session_markdown(session, turns, report, RUBRIC)
    assert "*Grader:* not verified offline" in markdown
    assert "*Misconception:*" not in markdown  # a suspicion is not shown as a proven misconception
    _, _, body = turn_markdown(turns[1], report)
    assert "not verified offline" in body and "A standard queue delivers each message exactly once" in body
