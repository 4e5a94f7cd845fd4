"""A strong candidate's 40 minutes: new, relevant questions for the whole slot, on every bundled rubric."""

from __future__ import annotations

import pytest

from interviewer.domain import DEEP_DIVE, EARLY, RETURN, Move, MoveKind, Persona, Role, TurnKind
from interviewer.engine import FakeClock
from interviewer.engine.policy import GENERAL_PROBES
from interviewer.llm.offline import DEEP_DIVE_LEADS, compose
from interviewer.rubric import Rubric
from interviewer.scoring.signals import concept_hits

from ..test_bundled_rubrics import RUBRIC_FILES
from .helpers import MemoryStore, bundled_rubric, run_script

RUBRIC_IDS = [path.stem for path in RUBRIC_FILES]


def strong_answers(rubric: Rubric) -> list[str]:
    """Two answers that between them explain every concept of every criterion."""
    sentences = [
        f"We would rely on {concept.phrases[0]} here, because it keeps {criterion.title.lower()} sound at peak load."
        for criterion in rubric.criteria
        for concept in criterion.concepts
    ]
    half = len(sentences) // 2
    return [" ".join(sentences[:half]), " ".join(sentences[half:])]


LATER = [
    "I'd measure it first: a load test at twice the peak, then decide with the numbers in hand.",
    "We'd keep a fallback path and a runbook, and rehearse the failure once a quarter.",
    "The cost is mostly people's time to operate it, so I'd keep the moving parts few.",
    "I'd roll it out behind a flag to a small share of traffic and watch the error rate.",
]


def _interview(rubric_id: str, persona: Persona = Persona.NEUTRAL):  # type: ignore[no-untyped-def]
    rubric = bundled_rubric(rubric_id).rubric
    later = [LATER[i % len(LATER)] + f" (point {i})" for i in range(16)]
    interview, _ = run_script(
        MemoryStore(), rubric_id, ["How many users?", *strong_answers(rubric), *later], clock=FakeClock(), step=90,
        persona=persona,
    )  # fmt: skip
    return interview


@pytest.mark.parametrize("rubric_id", RUBRIC_IDS)
def test_a_strong_candidate_gets_new_relevant_questions_for_twelve_more_answers(rubric_id: str) -> None:
    interview = _interview(rubric_id)
    rubric = interview.rubric
    answers = [t for t in interview.turns if t.kind is TurnKind.ANSWER]
    assert len(answers) >= 14
    third = answers[2].seq
    questions = [
        t for t in interview.turns if t.role is Role.INTERVIEWER and t.seq > answers[1].seq and t.seq < answers[14].seq
    ]
    assert len(questions) >= 12
    assert all(t.move and t.move.kind is not MoveKind.WRAP_UP for t in questions), "wrapped up before the clock"
    relevant = (
        {q for c in rubric.criteria for q in c.follow_ups}
        | {d.ask for d in rubric.deep_dives}
        | {b.say for b in rubric.curveballs}
        | set(GENERAL_PROBES)
    )
    asked = [t.move.follow_up for t in questions if t.move and t.move.follow_up and t.move.note != RETURN]
    assert all(q in relevant for q in asked)
    assert len(asked) == len(set(asked)), "a question was asked twice"
    # depth comes from the rubric: its deep dives and a curveball before the generic questions run out
    kinds = [(t.move.kind, t.move.note) for t in questions if t.move]
    assert sum(1 for _, note in kinds if note == DEEP_DIVE) >= 3
    assert (MoveKind.CURVEBALL, None) in kinds
    assert not any("time" in t.text.lower() and "nearly" in t.text.lower() for t in interview.turns if t.seq < third)
    # when the bank is spent before the clock, the wrap-up says so and never claims that time is up
    for turn in interview.turns:
        if turn.move and turn.move.kind is MoveKind.WRAP_UP and not interview.timekeeper.wrap_up_due:
            assert turn.move.note == EARLY and "time" not in turn.text.lower()


@pytest.mark.parametrize("rubric_id", RUBRIC_IDS)
@pytest.mark.parametrize("persona", list(Persona))
def test_acknowledgements_never_repeat_and_refer_to_what_was_said(rubric_id: str, persona: Persona) -> None:
    interview = _interview(rubric_id, persona)
    leads, referring = [], []
    for turn in interview.turns:
        move = turn.move
        if turn.role is Role.INTERVIEWER and move and move.follow_up and move.kind is not MoveKind.CURVEBALL:
            lead = turn.text.split(move.follow_up)[0].strip()
            if lead and move.note != RETURN:
                leads.append(lead)
            for transition in DEEP_DIVE_LEADS:  # "A harder one." introduces; it acknowledges nothing
                lead = lead.replace(transition.strip(), "").strip()
            if lead and move.heard:  # an acknowledgement of an answer that named something refers to it
                referring.append((move.heard, lead))
    assert leads and len(leads) == len(set(leads)), leads
    assert referring and all(heard.lower() in lead.lower() for heard, lead in referring), referring
    echoed = [heard.casefold() for heard, _ in referring]
    assert len(echoed) == len(set(echoed)), f"the same words echoed twice: {echoed}"
    fragments = [heard for heard in echoed if heard.split()[0] in {"each", "per", "every", "the", "a", "an", "in"}]
    assert not fragments, f"an acknowledgement echoed a fragment ('So, each AZ.'): {fragments}"


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("RTO and RPO, set by the business", "RTO and RPO, set by the business"),
        ("DR strategies and their trade-offs", "DR strategies and their trade-offs"),
        ("Replication and backups", "replication and backups"),
        ("A", "a"),
    ],
)
def test_a_criterion_named_mid_sentence_keeps_its_acronyms(title: str, said: str) -> None:
    move = Move(MoveKind.PROBE, criterion_id="c", criterion_title=title, seed=1)
    assert f" {said}" in compose(move)


@pytest.mark.parametrize("rubric_id", RUBRIC_IDS)
def test_no_follow_up_asks_for_a_concept_already_stated(rubric_id: str) -> None:
    interview = _interview(rubric_id)
    rubric = interview.rubric
    said: set[tuple[str, str]] = set()
    for turn in interview.turns:
        if turn.role is Role.CANDIDATE:
            said |= {(hit.criterion_id, hit.concept) for hit in concept_hits(turn.text, rubric.criteria)}
            continue
        move = turn.move
        if move and move.kind is MoveKind.PROBE and move.criterion_id and move.follow_up and move.note is None:
            criterion = rubric.criterion(move.criterion_id)
            if move.follow_up in criterion.follow_ups:
                asked = {(criterion.id, hit.concept) for hit in concept_hits(move.follow_up, [criterion])}
                assert not asked or not asked <= said, (move.follow_up, asked)


def test_an_acknowledgement_echoes_a_thing_not_a_fragment() -> None:
    design = (
        "I'd give each environment its own VPC with a /16 from a non-overlapping plan, three AZs, and public, private "
        "and isolated data subnets in each AZ. The app tier sits in private subnets, going out through a NAT gateway."
    )
    interview, _ = run_script(MemoryStore(), "vpc-network-design", ["How many environments?", design])
    heard = [t.move.heard for t in interview.turns if t.move and t.move.heard]
    assert heard and not any(h.split()[0].lower() in {"each", "per"} for h in heard), heard
