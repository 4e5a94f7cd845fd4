"""Each answer is graded once, live; the report and a resume reuse that assessment. The engine needs no database."""

from __future__ import annotations

import subprocess
import sys

from interviewer.domain import TurnKind
from interviewer.engine import FakeClock, Interview
from interviewer.rubric import RubricInput, dump_rubric
from interviewer.usecases import Practice

from ..conftest import REPO
from .helpers import CountingGrader, MemoryStore, bundled_rubric, collect

DESIGN = (
    "I'd use Amazon Bedrock as a managed API with RAG over the help articles in OpenSearch, "
    "stream tokens to the agent, and put API Gateway and Lambda in front."
)
WRONG = "With Bedrock you provision and manage the GPU instances yourself."


def long_rubric(practice: Practice) -> str:
    """The support-desk rubric with every criterion twice, so one session takes twenty answers and more."""
    base = practice.rubric("llm-support-assistant").rubric
    again = [c.model_copy(update={"id": f"{c.id}-again", "title": f"{c.title} (again)"}) for c in base.criteria]
    rubric = base.model_copy(update={"id": "long-session", "criteria": [*base.criteria, *again]})
    practice.import_rubrics([RubricInput(rubric, dump_rubric(rubric), "long-session.toml")])
    return rubric.id


def test_a_twenty_answer_session_with_a_resume_grades_each_answer_once(repository) -> None:
    clock = FakeClock()
    practice = Practice(clock=clock, repository=repository)
    grader = CountingGrader()
    interview = practice.start(long_rubric(practice), minutes=240, grader=grader)
    collect(interview.opening())
    collect(interview.respond("How many users and what is the peak traffic?"))
    script = [DESIGN, "I don't know.", WRONG, "Partly: we would cache the answers to frequent questions."] * 5
    for message in script[:10]:
        clock.advance(60)
        collect(interview.respond(message))
    # the process dies here; the session is resumed with a new interview object
    resumed = practice.resume(interview.session_id, grader=grader)
    assert len(resumed.assessments) == 10 and resumed.state.answers == 10
    collect(resumed.opening())
    for message in script[10:]:
        clock.advance(60)
        assert not resumed.finished
        collect(resumed.respond(message))
    report = collect_report(resumed)
    answers = [t for t in resumed.turns if t.kind is TurnKind.ANSWER]
    assert len(answers) == 20
    assert len(grader.assessed) == 20  # one grading call per answer: live, never again at the end or on resume
    assert len(report.grades) == 20
    kept = repository.session_assessments(interview.session_id)
    assert set(kept) == {t.seq for t in answers}


def collect_report(interview):  # type: ignore[no-untyped-def]
    import asyncio

    return interview.report or asyncio.run(interview.finish())


def test_the_report_is_built_from_the_live_assessments() -> None:
    store, grader = MemoryStore(), CountingGrader()
    interview = Interview.begin(store, bundled_rubric("llm-support-assistant"), clock=FakeClock(), grader=grader)
    collect(interview.opening())
    for message in ["How many users?", DESIGN, "I don't know.", WRONG]:
        collect(interview.respond(message))
    report = collect_report(interview)
    assert len(grader.assessed) == 3  # the clarifying question is not an answer
    assert {g.turn: g.label for g in report.grades} == {seq: a.label for seq, a in interview.assessments.items()}
    assert store.assessments[interview.session_id] == interview.assessments  # kept with the turns


def test_the_engine_runs_a_whole_interview_without_a_database() -> None:
    code = (
        "import sys\n"
        "from tests.engine.helpers import MemoryStore, run_script\n"
        "store = MemoryStore()\n"
        f"interview, report = run_script(store, 'llm-support-assistant', ['How many users?', {DESIGN!r}, 'I do not know.'])\n"
        "assert store.records[interview.session_id].status.value == 'finished'\n"
        "assert len(report.grades) == 2, report.grades\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic', 'textual'))\n"
        "assert not heavy, heavy\n"
        "assert 'interviewer.store' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_a_session_saved_before_answers_kept_their_grades_is_graded_once_on_resume(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from interviewer.store import open_repository
    from interviewer.store.database import migrations_location

    url = f"sqlite:///{tmp_path / 'old.db'}"
    practice = Practice(url, clock=FakeClock())
    interview = practice.start("llm-support-assistant")
    collect(interview.opening())
    for message in ["How many users?", DESIGN, "I don't know."]:
        collect(interview.respond(message))
    practice.close()
    # back to the first schema, as a database written by an older version of the app
    config = Config()
    config.set_main_option("script_location", migrations_location())
    engine = create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    engine.dispose()

    repository = open_repository(url)  # migrated forward again on open
    assert repository.session_assessments(interview.session_id) == {}
    grader = CountingGrader()
    resumed = Practice(clock=FakeClock(), repository=repository).resume(interview.session_id, grader=grader)
    collect(resumed.opening())
    assert len(grader.assessed) == 2 and resumed.state.answers == 2  # the two old answers, once each
    collect(resumed.respond(WRONG))
    report = collect_report(resumed)
    assert len(grader.assessed) == 3 and len(report.grades) == 3
    assert len(repository.session_assessments(interview.session_id)) == 3
