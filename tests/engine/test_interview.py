"""A whole interview without a screen: the director's moves, the clock, persistence and resume."""

from __future__ import annotations

import asyncio

import pytest

from interviewer.domain import RETURN, Confidence, MoveKind, Phase, Role, SessionStatus, TurnKind
from interviewer.engine import (
    CandidateSaved,
    FakeClock,
    Interview,
    InterviewEnded,
    PauseRefused,
    ReplyChunk,
)
from interviewer.engine.policy import MAX_RETURNS
from interviewer.llm.base import ReplyRequest
from interviewer.llm.offline import OfflineModel
from interviewer.usecases import Practice, PracticeError

from .helpers import collect, run_script, said

RUBRIC = "llm-support-assistant"
DESIGN = (
    "I'd use Amazon Bedrock as a managed API with RAG over the help articles in OpenSearch, "
    "stream tokens to the agent, and put API Gateway and Lambda in front."
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def interview(repository, clock: FakeClock) -> Interview:
    iv = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock)
    collect(iv.opening())
    return iv


def kinds(interview: Interview) -> list[str]:
    return [t.move.kind.value if t.move else t.kind.value for t in interview.turns]


def test_opening_asks_the_rubric_question(interview: Interview) -> None:
    first = interview.turns[0]
    assert first.role is Role.INTERVIEWER and first.kind is TurnKind.QUESTION
    assert interview.rubric.question.strip().splitlines()[0] in first.text


def test_a_clarifying_question_gets_the_rubric_fact(interview: Interview) -> None:
    events = collect(interview.respond("How many users are we talking about, and what's the peak traffic?"))
    [reply] = said(events)
    assert "50 requests per second" in reply
    assert interview.turns[-2].kind is TurnKind.CLARIFICATION
    assert interview.phase is Phase.CLARIFY


def test_an_unanswerable_question_asks_for_an_assumption(interview: Interview) -> None:
    [reply] = said(collect(interview.respond("What colour is the company logo?")))
    assert "assum" in reply.lower()
    assert interview.turns[-1].move.kind == MoveKind.ASK_ASSUMPTION


def test_asking_for_the_answer_is_declined(interview: Interview) -> None:
    [reply] = said(collect(interview.respond("What's the right answer you are looking for?")))
    assert interview.turns[-1].move.kind == MoveKind.DECLINE_REVEAL
    assert "Bedrock" not in reply


def test_a_misconception_is_challenged_once_then_the_interview_moves_on(interview: Interview) -> None:
    collect(interview.respond(DESIGN))
    [challenge] = said(collect(interview.respond("With Bedrock you provision and manage the GPU instances yourself.")))
    assert "With Bedrock you provision and manage the GPU instances yourself" in challenge
    assert interview.turns[-1].move.kind == MoveKind.CHALLENGE
    collect(interview.respond("Yes, Bedrock means you manage the GPU instances yourself."))
    assert interview.turns[-1].move.kind in (MoveKind.PROBE, MoveKind.WRAP_UP)


def test_i_dont_know_is_acknowledged_without_penalty_talk(interview: Interview) -> None:
    collect(interview.respond(DESIGN))
    [reply] = said(collect(interview.idk()))
    assert interview.turns[-1].move.kind == MoveKind.ACKNOWLEDGE_IDK
    assert not any(word in reply.lower() for word in ("penalt", "point", "score", "wrong"))


def test_probes_follow_rubric_lines_and_never_repeat(interview: Interview) -> None:
    collect(interview.respond(DESIGN))
    for _ in range(6):
        collect(interview.respond("We would keep it simple and measure it."))
        if interview.finished:
            break
    follow_ups = [t.move.follow_up for t in interview.turns if t.move and t.move.follow_up and t.move.note != RETURN]
    assert follow_ups and len(follow_ups) == len(set(follow_ups))
    lines = {q for c in interview.rubric.criteria for q in c.follow_ups}
    assert set(follow_ups) <= lines
    # a question answered with something else is come back to once, later, and only a couple of times a session
    returns = [t.move.follow_up for t in interview.turns if t.move and t.move.note == RETURN]
    assert 1 <= len(returns) <= MAX_RETURNS and len(set(returns)) == len(returns)
    assert set(returns) <= set(follow_ups)


def test_designing_without_asking_is_noted(repository) -> None:
    _, report = run_script(repository, RUBRIC, [DESIGN, "I don't know.", "I don't know."])
    assert not report.asked_before_design
    assert any("without asking" in note for note in report.notes)


def test_the_offline_interviewer_varies_its_wording(repository) -> None:
    texts = set()
    for _ in range(4):
        interview, _ = run_script(repository, RUBRIC, ["How many users and what is the peak traffic?"])
        texts.add(interview.turns[2].text)
    assert len(texts) >= 2


# -- time -----------------------------------------------------------------------------------------


def test_warnings_at_five_and_one_minute_then_wrap_up_and_end(repository, clock: FakeClock) -> None:
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, minutes=10)
    collect(interview.opening())
    collect(interview.respond(DESIGN))
    clock.advance(5 * 60 + 1)
    first = said(collect(interview.tick()))
    assert any("5 minutes" in text for text in first)
    clock.advance(4 * 60)
    second = said(collect(interview.tick()))
    assert any("1 minute" in text for text in second)
    assert interview.state.wrapping_up  # less than the wrap-up share left: the interviewer wraps up
    clock.advance(60)
    events = collect(interview.tick())
    assert any(isinstance(e, InterviewEnded) for e in events)
    assert interview.finished and interview.report is not None
    assert repository.get_session(interview.session_id).status is SessionStatus.FINISHED
    assert collect(interview.tick()) == []


def test_warnings_are_given_once(repository, clock: FakeClock) -> None:
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, minutes=30)
    collect(interview.opening())
    clock.advance(25 * 60 + 5)
    assert len(said(collect(interview.tick()))) == 1
    assert said(collect(interview.tick())) == []


def test_a_timed_interview_cannot_pause_but_untimed_practice_can(repository, clock: FakeClock) -> None:
    timed = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock)
    collect(timed.opening())
    with pytest.raises(PauseRefused):
        timed.pause()
    untimed = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, timed=False)
    collect(untimed.opening())
    clock.advance(60)
    untimed.pause()
    clock.advance(3600)
    untimed.unpause()
    clock.advance(30)
    assert untimed.timekeeper.elapsed == pytest.approx(90)
    assert not untimed.timekeeper.expired and collect(untimed.tick()) == []


def test_a_message_after_time_is_up_is_the_last_answer_and_is_graded(repository, clock: FakeClock) -> None:
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, minutes=5)
    collect(interview.opening())
    clock.advance(6 * 60)
    events = collect(interview.respond("Bedrock through PrivateLink, so no GPUs of our own to run."))
    [saved] = [e.turn for e in events if isinstance(e, CandidateSaved)]
    [ended] = [e for e in events if isinstance(e, InterviewEnded)]
    assert [g.turn for g in ended.report.grades] == [saved.seq]
    assert interview.turns[-1].move.kind is MoveKind.CLOSE


def test_the_timer_saves_what_was_being_typed_when_time_runs_out(repository, clock: FakeClock) -> None:
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, minutes=5)
    collect(interview.opening())
    clock.advance(4 * 60 + 30)
    warned = said(collect(interview.tick(draft="half a thought")))
    assert warned and "minute" in warned[0] and not interview.finished  # a warning, the draft untouched
    clock.advance(60)
    events = collect(interview.tick(draft="We'd put Bedrock behind"))
    assert interview.finished
    assert [e.turn.text for e in events if isinstance(e, CandidateSaved)] == ["We'd put Bedrock behind"]
    stored = repository.session_turns(interview.session_id)
    assert [t.text for t in stored if t.role is Role.CANDIDATE] == ["We'd put Bedrock behind"]
    assert len(interview.report.grades) == 1


def test_an_empty_draft_at_time_out_adds_no_answer(repository, clock: FakeClock) -> None:
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, minutes=5)
    collect(interview.opening())
    clock.advance(6 * 60)
    events = collect(interview.tick(draft="   "))
    assert interview.finished and not any(isinstance(e, CandidateSaved) for e in events)


def test_phase_time_is_accounted(repository, clock: FakeClock) -> None:
    interview, report = run_script(
        repository, RUBRIC, ["How many users?", DESIGN, "I don't know."], clock=clock, step=120
    )
    assert report.phase_seconds["clarify"] == pytest.approx(240)
    assert sum(report.phase_seconds.values()) == pytest.approx(interview.timekeeper.elapsed)


# -- persistence ------------------------------------------------------------------------------------


class WatchingModel(OfflineModel):
    """Checks what the database holds at the moment the interviewer starts to speak."""

    def __init__(self, repository) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.repository = repository
        self.seen: list[str] = []

    async def stream(self, request: ReplyRequest):  # type: ignore[no-untyped-def]
        turns = self.repository.session_turns(self.session_id)
        self.seen.append(turns[-1].text if turns else "")
        async for chunk in super().stream(request):
            yield chunk


def test_every_candidate_turn_is_saved_before_the_interviewer_answers(repository, clock: FakeClock) -> None:
    model = WatchingModel(repository)
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, model=model)
    model.session_id = interview.session_id
    collect(interview.opening())
    collect(interview.respond("How many users?"))
    collect(interview.respond(DESIGN))
    assert model.seen[1:] == ["How many users?", DESIGN]


class BrokenModel(OfflineModel):
    provider, name = "broken", "broken-1"

    async def stream(self, request: ReplyRequest):  # type: ignore[no-untyped-def]
        yield "Let me think about"
        raise ConnectionError("server went away")


def test_a_failing_model_falls_back_to_the_offline_interviewer(repository, clock: FakeClock) -> None:
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, model=BrokenModel())
    events = collect(interview.opening())
    text = "".join(e.text for e in events if isinstance(e, ReplyChunk))
    assert text.startswith("Let me think about") and "built-in interviewer" in text
    assert interview.turns[0].fallback and interview.turns[0].cut
    assert "[reply cut off]" in interview.turns[0].text
    assert interview.rubric.question.strip().splitlines()[0] in interview.turns[0].text


class CountingBrokenModel(OfflineModel):
    provider, name = "broken", "broken-1"

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def stream(self, request: ReplyRequest):  # type: ignore[no-untyped-def]
        self.calls += 1
        raise ConnectionError("no answer")
        yield ""  # an async generator


def test_a_dead_model_costs_one_wait_then_rests_and_is_tried_again(repository, clock: FakeClock) -> None:
    from interviewer.llm.base import MODEL_REST_SECONDS

    model = CountingBrokenModel()
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock, model=model)
    collect(interview.opening())
    for message in ("How many users?", DESIGN, "I don't know."):
        clock.advance(5)
        collect(interview.respond(message))
    assert model.calls == 1  # the failure is not waited for again on every turn
    assert all(t.fallback for t in interview.turns if t.role is Role.INTERVIEWER)
    said_once = [t.text for t in interview.turns if "tries the model again in a minute" in t.text]
    assert len(said_once) == 1 and len(interview.notices) == 1
    clock.advance(MODEL_REST_SECONDS)
    collect(interview.respond("Is there PII in the tickets?"))
    assert model.calls == 2  # after the rest, the model is tried again


def test_resume_goes_on_where_it_stopped_with_the_clock(repository, clock: FakeClock) -> None:
    first = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock)
    collect(first.opening())
    clock.advance(120)
    collect(first.respond("How many users?"))
    clock.advance(60)
    collect(first.respond(DESIGN))
    session_id = first.session_id
    elapsed = first.timekeeper.elapsed
    # the process dies here; an hour passes before the user comes back
    later = FakeClock(clock.now() + 3600)
    resumed = Practice(clock=later, repository=repository).resume(session_id)
    assert resumed.timekeeper.elapsed == pytest.approx(elapsed)
    assert [t.text for t in resumed.turns] == [t.text for t in first.turns]
    assert resumed.state.answers == 1 and resumed.state.clarifications == 1
    assert collect(resumed.opening()) == []  # nothing pending: the interviewer already spoke
    later.advance(30)
    collect(resumed.respond("I don't know."))
    assert resumed.turns[-1].role is Role.INTERVIEWER
    assert resumed.timekeeper.elapsed == pytest.approx(elapsed + 30)


def test_resume_answers_a_turn_the_interviewer_never_replied_to(repository, clock: FakeClock) -> None:
    interview = Interview.begin(repository, repository.get_rubric(RUBRIC), clock=clock)
    collect(interview.opening())
    events = interview.respond("How many users?")

    async def stop_after_save():  # type: ignore[no-untyped-def]
        async for event in events:
            if isinstance(event, CandidateSaved):
                break  # the app dies before the interviewer answers
        await events.aclose()

    asyncio.run(stop_after_save())
    resumed = Practice(clock=clock, repository=repository).resume(interview.session_id)
    assert resumed.awaiting_reply
    [reply] = said(collect(resumed.opening()))
    assert "50 requests per second" in reply


def test_finished_sessions_cannot_be_resumed(repository) -> None:
    interview, _ = run_script(repository, RUBRIC, ["I don't know."])
    practice = Practice(repository=repository)
    with pytest.raises(PracticeError, match="is finished"):
        practice.resume(interview.session_id)
    with pytest.raises(PracticeError, match="no session 999"):
        practice.resume(999)


def test_stated_confidence_is_kept_and_calibrated(repository) -> None:
    _, report = run_script(
        repository,
        RUBRIC,
        [
            "How many users?",
            (DESIGN, Confidence.HIGH),
            ("With Bedrock you provision and manage the GPU instances yourself.", Confidence.HIGH),
            "I don't know.",
        ],
    )
    assert report.calibration is not None
    assert report.calibration["answers"] == 2
    assert report.calibration["high_confidence_wrong_share"] == pytest.approx(0.5)


def test_a_huge_answer_is_kept_whole_and_graded(repository) -> None:
    huge = (DESIGN + " ") * 700  # about 100 KB
    interview, report = run_script(repository, RUBRIC, ["How many users?", huge, "I don't know."])
    assert len(repository.session_turns(interview.session_id)[3].text) == len(huge.strip())
    assert report.grades[0].label.value in ("correct", "partial")


def test_an_off_topic_answer_is_unanswered_not_an_honest_i_dont_know(repository) -> None:
    _, report = run_script(
        repository,
        RUBRIC,
        ["How many users?", DESIGN, "I don't know.", "I like turtles and pasta on a Sunday afternoon, really."],
    )
    assert report.label_counts["idk"] == 2  # both score 0 ...
    assert report.answer_counts["idk"] == 1 and report.answer_counts["unanswered"] == 1  # ... but only one owned up
    assert report.honesty_rate == pytest.approx(1.0)  # the off-topic answer is no gap met with a bluff either


def test_acknowledgements_refer_to_what_was_said_and_never_repeat(repository) -> None:
    script = [
        DESIGN,
        "I don't know.",
        "We'd cache answers to frequent questions and watch the token cost.",
        "I don't know.",
    ]
    interview, _ = run_script(repository, RUBRIC, ["How many users?", *script, "I don't know.", "I don't know."])
    acks = [t.text for t in interview.turns if t.move is not None and t.move.kind is MoveKind.ACKNOWLEDGE_IDK]
    leads = [text.split(".")[0] for text in acks]
    assert len(leads) >= 3 and len(set(leads)) == len(leads)
    probes = [t for t in interview.turns if t.move is not None and t.move.kind is MoveKind.PROBE and t.move.heard]
    assert probes and all(t.move is not None and t.move.heard in t.text for t in probes)


def test_a_compound_clarifying_question_gets_every_fact_it_asks_for(interview: Interview) -> None:
    collect(interview.respond("How many agents are there? And what is the budget?"))
    reply = interview.turns[-1].text
    assert "2,000 agents" in reply and "$25,000 a month" in reply
    report = asyncio.run(interview.finish())
    assert report.clarifications[0].facts == ["scale", "team and budget"]  # the report credits both


def test_the_interviewer_never_asks_for_a_point_already_made(interview: Interview) -> None:
    collect(interview.respond("Do we self-host the model or use a managed service like Bedrock?"))
    collect(interview.respond(DESIGN))  # chooses managed Bedrock
    collect(interview.respond("We'd self-host only past a volume where GPUs pay off; Bedrock is managed."))
    asked = [t.text for t in interview.turns if t.role is Role.INTERVIEWER]
    assert not any("self-host the model or use a managed service" in text for text in asked)
    private = "Requests go over a VPC interface endpoint with PrivateLink, so they never touch the public internet."
    collect(interview.respond(private))
    later = [t.text for t in interview.turns if t.role is Role.INTERVIEWER][len(asked) :]
    assert not any("without touching the public internet" in text for text in later)


def test_after_asking_the_brief_the_candidate_is_not_asked_what_they_need_to_know(repository) -> None:
    script = [
        "What RTO and RPO has the business agreed? And what is the budget?",
        "Which disasters worry them most?",
        "I'd run a warm standby in Frankfurt with Aurora Global Database, because the RTO is one hour.",
        "I'd rehearse the failover every quarter with a game day.",
        "I don't know.",
    ]
    interview, _ = run_script(repository, "disaster-recovery-plan", script, clock=FakeClock())
    asked = [t.text for t in interview.turns if t.role is Role.INTERVIEWER]
    assert not any("what do you need to know from the business" in text.lower() for text in asked)


def test_a_good_answer_that_names_other_parts_of_the_design_is_not_asked_again() -> None:
    from interviewer.domain import AnswerLabel, Assessment, ConceptHit, Move
    from interviewer.engine.policy import InterviewState

    state = InterviewState()
    question = "Take your pilot light in the second region: where do the sixty minutes go?"
    state.note_move(Move(MoveKind.PROBE, criterion_id="strategies", follow_up=question))
    # a model grader's judgement: correct, its concepts credited to another criterion
    state.note_answer(
        Assessment(AnswerLabel.CORRECT, 1.0, "strategies", "plain", (ConceptHit("objectives", "rto", "RTO"),))
    )
    assert not state.to_return
    state.note_move(Move(MoveKind.PROBE, criterion_id="strategies", follow_up=question + " (again)"))
    state.note_answer(Assessment(AnswerLabel.IDK, 0.0, "strategies", "plain", notes=("unanswered: off-topic",)))
    assert list(state.to_return) == [question + " (again)"]


def test_a_strong_candidate_is_asked_new_questions_instead_of_being_sent_home(repository) -> None:
    clock = FakeClock()
    strong = [
        DESIGN + " We'd use guardrails, an evaluation set and monitoring of latency, errors and token cost.",
        "Data stays in the EU region over PrivateLink, encrypted with KMS, and Bedrock does not train on it.",
    ]
    filler = "We'd size it for the peak, keep a fallback path and measure it before and after each change."
    interview, _ = run_script(repository, RUBRIC, ["How many users?", *strong, *[filler] * 20], clock=clock, step=60)
    answers = [t for t in interview.turns if t.kind is TurnKind.ANSWER]
    early = [t.text for t in interview.turns if t.role is Role.INTERVIEWER and t.at_seconds < 0.85 * 40 * 60]
    assert len(answers) >= 14  # at least twelve more answers after the two that covered the ground
    assert not any("nearly out of time" in text.lower() for text in early)
    asked = [t.move.follow_up for t in interview.turns if t.move and t.move.follow_up and t.move.note != RETURN]
    assert len(asked) == len(set(asked))  # no question asked twice
