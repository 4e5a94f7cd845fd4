"""The LLM grader through a real SDK: its prompt, false claims no rubric lists, and a session graded by the model."""

from __future__ import annotations

import asyncio
import json

from interviewer.domain import AnswerLabel
from interviewer.engine import FakeClock
from interviewer.scoring.grading import AnswerTarget
from interviewer.scoring.llm_grader import LLMGrader
from interviewer.usecases import Practice

from . import fake_server as fs
from .test_providers import RUBRIC, openai_model

PROBE = RUBRIC.criterion("serving").follow_ups[0]
WRONG = "One A10G handles a 70B model with room to spare, so we would self-host on a single small GPU."


def judgement(label: str, **extra: object) -> dict[str, object]:
    return {"label": label, "stance": "confident", "criteria": [], "misconceptions": [], **extra}


def test_the_prompt_names_the_probed_criterion_its_levels_and_the_labels(fake) -> None:
    fake.steps = [fs.result(judgement("partial"))]
    grader = LLMGrader(openai_model(fake))
    asyncio.run(grader.assess(RUBRIC, "Bedrock first.", AnswerTarget(PROBE, "serving", challenged="X is Y")))
    prompt = json.dumps(fake.requests[0]["body"]["messages"])
    serving = RUBRIC.criterion("serving")
    assert f"probes one criterion: serving ({serving.title})" in prompt
    assert serving.levels[4] in prompt and serving.levels[0] in prompt
    assert "confident_wrong: states something technically false" in prompt
    assert "Any false technical claim makes the answer wrong" in prompt
    assert 'challenged this claim of the candidate\'s: \\"X is Y\\"' in prompt


def test_a_false_claim_no_rubric_lists_is_wrong_with_the_models_correction(fake) -> None:
    claim = {
        "quote": "One A10G handles a 70B model with room to spare",
        "correction": "A 70B model needs far more memory.",
    }
    fake.steps = [fs.result(judgement("confident_wrong", false_claims=[claim]))]
    assessment = asyncio.run(LLMGrader(openai_model(fake)).assess(RUBRIC, WRONG, AnswerTarget(PROBE, "serving")))
    assert assessment.label is AnswerLabel.CONFIDENT_WRONG and assessment.points == -3
    [hit] = assessment.misconceptions
    assert (
        hit.quote == claim["quote"] and hit.correction == "(the model's correction) A 70B model needs far more memory."
    )


def test_a_wrong_label_without_the_false_words_quoted_keeps_the_offline_label(fake) -> None:
    invented = {"quote": "We would fine-tune GPT-5 ourselves", "correction": "Not said."}
    fake.steps = [fs.result(judgement("confident_wrong", false_claims=[invented]))]
    answer = "I'd start with Bedrock as a managed service and only self-host on H100s with vLLM at high volume."
    assessment = asyncio.run(LLMGrader(openai_model(fake)).assess(RUBRIC, answer, AnswerTarget(PROBE, "serving")))
    assert not assessment.label.is_wrong
    assert any("without quoting the false words" in note for note in assessment.notes)


def test_with_a_model_configured_the_interview_and_its_report_are_graded_by_the_model(fake, repository) -> None:
    claim = {"quote": "One A10G handles a 70B model with room to spare", "correction": "It needs far more memory."}
    fake.steps = [
        fs.text("How would you host it?"),  # the opening
        fs.result(judgement("confident_wrong", false_claims=[claim])),  # the grade of the answer
        fs.text("You said one A10G is enough. How sure are you?"),  # the reply
    ]
    fake.default = fs.text("Go on.")
    practice = Practice(clock=FakeClock(), repository=repository)
    interview = practice.start("llm-support-assistant", model=openai_model(fake))

    async def talk() -> None:
        async for _ in interview.opening():
            pass
        async for _ in interview.respond(WRONG):
            pass

    asyncio.run(talk())
    [assessment] = interview.assessments.values()
    assert assessment.label is AnswerLabel.CONFIDENT_WRONG and assessment.grader == "llm:openai/gpt-test"
    assert interview.turns[-1].move is not None and interview.turns[-1].move.kind.value == "challenge"
    fake.default = fs.result(judgement("idk"))  # later grades, and the debrief's request, get a plain answer
    report = asyncio.run(interview.finish())
    assert report.grader == "llm:openai/gpt-test"
    assert report.label_counts["confident_wrong"] == 1


def test_a_model_that_cannot_be_reached_costs_one_wait_not_one_per_answer(fake) -> None:
    from interviewer.llm.base import MODEL_REST_SECONDS

    clock = FakeClock()
    fake.default = fs.status(503)  # every call fails, after the SDK's retries
    grader = LLMGrader(openai_model(fake), now=clock.now)
    target = AnswerTarget(PROBE, "serving")
    answers = [asyncio.run(grader.assess(RUBRIC, f"Answer {n}: Bedrock first.", target)) for n in range(5)]
    tried = len(fake.requests)
    assert tried >= 1
    assert all(any("the model could not be reached" in note for note in a.notes) for a in answers)
    assert all(a.grader != "llm:openai/gpt-test" for a in answers)  # graded offline, and marked so
    clock.advance(MODEL_REST_SECONDS)  # after the rest the model is asked again, and used when it answers
    fake.default = fs.result(judgement("partial"))
    again = asyncio.run(grader.assess(RUBRIC, "Bedrock first.", target))
    assert len(fake.requests) == tried + 1
    assert again.grader == "llm:openai/gpt-test"


def test_a_malformed_grade_falls_back_for_that_answer_only(fake) -> None:
    fake.steps = [fs.result({"nonsense": True})]
    fake.default = fs.result(judgement("partial"))
    grader = LLMGrader(openai_model(fake))
    target = AnswerTarget(PROBE, "serving")
    first = asyncio.run(grader.assess(RUBRIC, "Bedrock first.", target))
    second = asyncio.run(grader.assess(RUBRIC, "Bedrock first, then vLLM.", target))
    assert any("no usable grade" in note for note in first.notes)
    assert second.grader == "llm:openai/gpt-test"
