"""Properties of the overall score, checked on every bundled rubric with transcripts built from the rubric.

Each transcript is a probe of a criterion (a typed Move) followed by the candidate's answer, graded with
the offline grader exactly as a finished interview is.
"""

from __future__ import annotations

import asyncio
import tomllib

import pytest

from interviewer.domain import Move, MoveKind, Phase, Report, Role, Turn, TurnKind
from interviewer.rubric import Criterion, Rubric, load_rubric_file
from interviewer.scoring.grader import OfflineGrader
from interviewer.scoring.grading import grade_transcript
from interviewer.scoring.rules import HIRE_FLOOR

from .conftest import DATA, REPO

RUBRICS = [load_rubric_file(path) for path in sorted((REPO / "rubrics").glob("*.toml"))]
IDS = [r.id for r in RUBRICS]


def strong(criterion: Criterion) -> str:
    """An answer that explains every concept of the criterion, a sentence each."""
    return " ".join(
        f"I would use {concept.phrases[0]} here, and measure what it changes before it goes to every user."
        for concept in criterion.concepts
    )


def wrong(rubric: Rubric) -> tuple[str, str]:
    """A confidently wrong answer the rubric lists, and the criterion it belongs to."""
    cases = tomllib.loads((DATA / "misconceptions" / f"{rubric.id}.toml").read_text())["case"]
    return cases[0]["wrong"], cases[0]["criterion"]


def session(rubric: Rubric, answers: list[tuple[str, str | None]], *, ask_first: bool = True) -> Report:
    """Grade a transcript: an optional clarifying exchange, then a probe and an answer for each item."""
    turns: list[Turn] = []

    def add(role: Role, kind: TurnKind, text: str, move: Move | None = None) -> None:
        turns.append(Turn(len(turns) + 1, role, kind, text, Phase.DESIGN, move=move))

    add(Role.INTERVIEWER, TurnKind.QUESTION, rubric.question, Move(MoveKind.OPEN))
    if ask_first:
        fact = rubric.clarifications[0]
        add(Role.CANDIDATE, TurnKind.CLARIFICATION, f"What is the {fact.asks[0]}?")
        add(Role.INTERVIEWER, TurnKind.FACT, fact.answer, Move(MoveKind.ANSWER_CLARIFICATION, note=fact.about))
    for text, criterion_id in answers:
        criterion = rubric.criterion(criterion_id) if criterion_id else rubric.criteria[0]
        probe = Move(MoveKind.PROBE, criterion.id, criterion.title, follow_up=criterion.follow_ups[0])
        add(Role.INTERVIEWER, TurnKind.PROBE, criterion.follow_ups[0], probe)
        add(Role.CANDIDATE, TurnKind.ANSWER, text)
    return asyncio.run(grade_transcript(OfflineGrader(), rubric, turns))


def rank(report: Report) -> float:
    """Higher is better; an unscored session ranks below every scored one."""
    return report.overall if report.sufficient_evidence and report.overall is not None else -1.0


@pytest.mark.parametrize("rubric", RUBRICS, ids=IDS)
def test_adding_a_wrong_answer_never_raises_the_score(rubric: Rubric) -> None:
    base = [(strong(c), c.id) for c in rubric.criteria[:3]]
    text, criterion_id = wrong(rubric)
    before = session(rubric, base)
    after = session(rubric, [*base, (text, criterion_id)])
    assert after.label_counts["confident_wrong"] + after.label_counts["hedged_wrong"] == 1
    assert rank(after) <= rank(before)


@pytest.mark.parametrize("rubric", RUBRICS, ids=IDS)
def test_honest_i_dont_know_beats_bluffs_keywords_gibberish_and_echoes(rubric: Rubric) -> None:
    criteria = [c.id for c in rubric.criteria]
    idk = session(rubric, [("I don't know.", c) for c in criteria])
    text, criterion_id = wrong(rubric)
    bluffs = session(rubric, [(text, criterion_id)] * len(criteria))
    keywords = ", ".join(p for c in rubric.criteria for concept in c.concepts for p in concept.phrases[:2])
    listed = session(rubric, [(keywords, c) for c in criteria])
    gibberish = session(rubric, [("qwxz plmk vbnt rrtq zzkp fghw", c) for c in criteria])
    echoes = session(rubric, [(rubric.criterion(c).follow_ups[0], c) for c in criteria])
    assert idk.sufficient_evidence and rank(idk) > rank(bluffs)
    for report in (listed, gibberish, echoes):
        assert rank(report) <= 10 and rank(idk) > rank(report)
        assert report.answer_counts["idk"] == 0  # none of them is an honest "I don't know"


@pytest.mark.parametrize("rubric", RUBRICS, ids=IDS)
def test_a_strong_session_beats_every_weak_one_by_twenty(rubric: Rubric) -> None:
    strong_session = session(rubric, [(strong(c), c.id) for c in rubric.criteria])
    idk = session(rubric, [("I don't know.", c.id) for c in rubric.criteria])
    assert rank(strong_session) >= rank(idk) + 20
    assert strong_session.band in ("hire", "strong hire")


@pytest.mark.parametrize("rubric", RUBRICS, ids=IDS)
def test_a_short_session_that_covers_every_criterion_is_scored(rubric: Rubric) -> None:
    everything = " ".join(strong(c) for c in rubric.criteria)
    report = session(rubric, [(everything, None), (everything, None)])
    assert report.sufficient_evidence and report.overall is not None
    assert all(c.level == 4 for c in report.criteria)


@pytest.mark.parametrize("rubric", RUBRICS, ids=IDS)
def test_a_hire_needs_every_heavy_criterion_covered(rubric: Rubric) -> None:
    average = sum(c.weight for c in rubric.criteria) / len(rubric.criteria)
    heaviest = max(rubric.criteria, key=lambda c: c.weight)
    answered = [(strong(c), c.id) for c in rubric.criteria if c is not heaviest]
    report = session(rubric, [*answered, ("I don't know.", heaviest.id)])
    assert heaviest.weight >= average
    assert report.overall is not None and report.overall < HIRE_FLOOR
    assert report.band in ("lean hire", "lean no hire", "no hire")


@pytest.mark.parametrize("rubric", RUBRICS[:3], ids=IDS[:3])
def test_after_the_attempt_the_report_shows_what_a_strong_answer_covers(rubric: Rubric) -> None:
    from interviewer.render import report_lines

    strong_first = rubric.criteria[0]
    report = session(rubric, [(strong(strong_first), strong_first.id), ("I don't know.", rubric.criteria[1].id)])
    text = "\n".join(report_lines(report, rubric))
    section = text[text.index("What a strong answer covers") :]
    assert f"{rubric.criteria[1].title}:" in section  # answered "I don't know"
    assert all(concept.name in section for concept in rubric.criteria[1].concepts)
    assert f"{strong_first.title}:" not in section  # shown at level 4 already


@pytest.mark.parametrize("rubric", RUBRICS, ids=IDS)
def test_standing_by_a_wrong_claim_once_questioned_rules_out_strong_hire(rubric: Rubric) -> None:
    from interviewer.domain import STOOD_BY
    from interviewer.scoring.rules import STRONG_HIRE_FLOOR

    case = tomllib.loads((DATA / "misconceptions" / f"{rubric.id}.toml").read_text())["case"][0]
    claim_text, criterion_id, claim = case["wrong"], case["criterion"], case["claim"]
    everything = [(strong(c), c.id) for c in rubric.criteria] * 2

    def graded(reply: str) -> Report:
        turns: list[Turn] = []

        def add(role: Role, kind: TurnKind, text: str, move: Move | None = None) -> None:
            turns.append(Turn(len(turns) + 1, role, kind, text, Phase.DESIGN, move=move))

        add(Role.INTERVIEWER, TurnKind.QUESTION, rubric.question, Move(MoveKind.OPEN))
        for fact in rubric.clarifications:
            add(Role.CANDIDATE, TurnKind.CLARIFICATION, f"What is the {fact.asks[0]}?")
            add(Role.INTERVIEWER, TurnKind.FACT, fact.answer, Move(MoveKind.ANSWER_CLARIFICATION, note=fact.about))
        for text, cid in everything:
            criterion = rubric.criterion(cid)
            add(Role.INTERVIEWER, TurnKind.PROBE, criterion.follow_ups[0], Move(MoveKind.PROBE, cid, criterion.title))
            add(Role.CANDIDATE, TurnKind.ANSWER, text)
        challenge = Move(MoveKind.CHALLENGE, criterion_id, claim=claim, quote=claim_text)
        add(Role.INTERVIEWER, TurnKind.CHALLENGE, f'You said "{claim_text}". How sure are you?', challenge)
        add(Role.CANDIDATE, TurnKind.ANSWER, reply)
        return asyncio.run(grade_transcript(OfflineGrader(), rubric, turns))

    stood = graded("Yes, I'm sure. " + claim_text)
    assert any(STOOD_BY in g.notes for g in stood.grades)
    assert stood.overall is not None and stood.overall < STRONG_HIRE_FLOOR and stood.band != "strong hire"
    capped = any("does not stand by a wrong claim" in note for note in stood.notes)
    assert capped or stood.overall < STRONG_HIRE_FLOOR - 1  # held below, or below on its own merits
