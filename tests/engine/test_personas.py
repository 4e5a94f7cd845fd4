"""Personas change how the interviewer behaves, not only how it sounds; the choice is kept with the session."""

from __future__ import annotations

from datetime import UTC, datetime

from interviewer.domain import PUSH, SUSPECTED, MoveKind, Persona, Role
from interviewer.engine import FakeClock, Interview
from interviewer.rubric import StoredRubric, parse_rubric

from ..conftest import DATA
from .helpers import MemoryStore, collect, run_script

RUBRIC = "disaster-recovery-plan"
DESIGN = "We'd run a warm standby in eu-central-1 with Aurora Global Database, because the RTO is one hour."
QUEUES_TEXT = (DATA / "valid_minimal.toml").read_text()
QUEUES = StoredRubric(parse_rubric(QUEUES_TEXT), 1, 1, False, QUEUES_TEXT, "q.toml", datetime.now(UTC))
# a paraphrase close to a listed misconception: a suspicion the offline grader cannot verify
RESEMBLES = "With SQS every message gets delivered once and only once, so the email worker never sees a duplicate."


def _moves(persona: Persona, script: list[str]):  # type: ignore[no-untyped-def]
    store = MemoryStore()
    interview, _ = run_script(store, RUBRIC, script, clock=FakeClock(), persona=persona)
    return interview, [t.move for t in interview.turns if t.role is Role.INTERVIEWER and t.move]


def _suspicion_followed_up(persona: Persona) -> bool:
    interview = Interview.begin(MemoryStore(), QUEUES, clock=FakeClock(), persona=persona)
    collect(interview.opening())
    collect(interview.respond("I'd put SQS between checkout and the email sender."))
    collect(interview.respond(RESEMBLES))
    moves = [t.move for t in interview.turns if t.move]
    assessments = interview.assessments.values()
    assert any(a.suspicions for a in assessments), "the script must raise a suspicion"
    return any(m.kind is MoveKind.CHALLENGE and m.note == SUSPECTED for m in moves)


def test_a_friendly_interviewer_challenges_only_clear_mistakes() -> None:
    assert not _suspicion_followed_up(Persona.FRIENDLY)
    assert _suspicion_followed_up(Persona.NEUTRAL)
    assert _suspicion_followed_up(Persona.TOUGH)


def test_a_tough_interviewer_presses_on_the_cost_of_a_choice_once_per_criterion() -> None:
    script = [DESIGN, "Aurora Global Database replicates in about a second, so the RPO is seconds.", "Pilot light."]
    _, tough = _moves(Persona.TOUGH, script)
    _, neutral = _moves(Persona.NEUTRAL, script)
    pushes = [m for m in tough if m.note == PUSH]
    assert pushes and len({m.criterion_id for m in pushes}) == len(pushes)
    notes = [m.note for m in tough]
    assert not any(a == b == PUSH for a, b in zip(notes, notes[1:], strict=False))
    assert not any(m.note == PUSH for m in neutral)


def test_the_persona_is_stored_with_the_session_and_sets_the_tone() -> None:
    store = MemoryStore()
    interview, _ = run_script(store, RUBRIC, [DESIGN, "I don't know."], clock=FakeClock(), persona=Persona.TOUGH)
    assert store.records[interview.session_id].persona is Persona.TOUGH
    friendly, _ = run_script(
        MemoryStore(), RUBRIC, [DESIGN, "I don't know."], clock=FakeClock(), persona=Persona.FRIENDLY
    )
    ack = [t.text for t in interview.turns if t.move and t.move.kind is MoveKind.ACKNOWLEDGE_IDK]
    warm = [t.text for t in friendly.turns if t.move and t.move.kind is MoveKind.ACKNOWLEDGE_IDK]
    assert ack and warm and len(ack[0].split(".")[0]) < len(warm[0].split(".")[0])  # terse against warm


def test_a_tough_interviewer_presses_a_few_times_a_session_not_after_every_answer() -> None:
    from interviewer.engine.policy import MAX_PUSHES

    answers = [
        "We'd run a warm standby in eu-central-1 with Aurora Global Database, because the RTO is one hour.",
        "Aurora Global Database replicates in about a second, so the RPO is seconds.",
        "We'd keep AWS Backup copies in a second account with vault lock against ransomware.",
        "The runbook is tested in a quarterly game day, with Terraform for the whole stack.",
        "Route 53 health checks flip DNS to Frankfurt once the incident commander decides.",
        "S3 cross-region replication copies the product images to Frankfurt.",
        "The SQS queue is recreated by Terraform in Frankfurt and the warehouse allowlists its IPs.",
    ]
    _, moves = _moves(Persona.TOUGH, answers)
    assert 1 <= sum(1 for m in moves if m.note == PUSH) <= MAX_PUSHES
