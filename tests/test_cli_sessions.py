"""Plain mode and the session commands, run as a user runs them: a subprocess with piped input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import default_signals

ANSWERS = """How many users, and what is the peak traffic?

Is there any PII in the tickets?

I'd use Amazon Bedrock as a managed API with RAG over the help articles in OpenSearch,
stream tokens to the agent, and put API Gateway and Lambda in front.

With Bedrock you provision and manage the GPU instances yourself.

/idk

/sure high
We'd use VPC endpoints with PrivateLink so traffic never crosses the internet, encrypt with KMS,
and Bedrock does not use customer data for training.

/time
"""


@pytest.fixture
def cli(db_url: str):
    """The command line as a user runs it, on a fresh database: a SQLite file, then a PostgreSQL schema."""
    from sqlalchemy import create_engine, text

    db = db_url
    engine = create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))

    def run(*args: str, stdin: str | bytes = "", timeout: float = 60) -> subprocess.CompletedProcess:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        return subprocess.run(
            [sys.executable, "-m", "interviewer", "--db", db, *args], input=data, capture_output=True, timeout=timeout
        )

    def sql(statement: str):  # type: ignore[no-untyped-def]
        """Run one statement on the database the commands use; the first row (None for an UPDATE)."""
        with engine.begin() as connection:
            result = connection.execute(text(statement))
            return result.first() if result.returns_rows else None

    run.db = db  # type: ignore[attr-defined]
    run.sql = sql  # type: ignore[attr-defined]
    yield run
    engine.dispose()


def wait_for_turns(cli, count: int) -> None:  # type: ignore[no-untyped-def]
    """Wait until the app has committed this many turns (the interviewer has answered)."""
    from sqlalchemy.exc import SQLAlchemyError

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if cli.sql("SELECT count(*) FROM turn")[0] >= count:
                return
        except SQLAlchemyError:
            pass  # not created yet
        time.sleep(0.1)
    raise AssertionError(f"the app did not save {count} turns in time")


def practising_plain(cli, turns_before: int = 0) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    """A plain interview in its own process, once it has saved a clarifying question and the reply to it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "interviewer", "--db", cli.db, "practice", "llm-support-assistant", "--plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=default_signals,  # as from a terminal, even when the tests run as a background job
    )
    assert process.stdin is not None
    process.stdin.write(b"How many users?\n\n")
    process.stdin.flush()
    wait_for_turns(cli, turns_before + 3)
    return process


def text(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode()


def test_piping_a_file_of_answers_runs_a_whole_interview(cli) -> None:
    result = cli("practice", "llm-support-assistant", "--plain", stdin=ANSWERS)
    out = text(result)
    assert result.returncode == 0, result.stderr.decode()
    interviewer_lines = [line for line in out.splitlines() if line.startswith("Interviewer: ")]
    assert len(interviewer_lines) == 7
    assert "50 requests per second" in out
    assert '"With Bedrock you provision and manage the GPU instances yourself"' in out
    assert "(stated confidence for your next answer: high)" in out
    assert "left of 40:00; phase:" in out
    assert "Report for session 1" in out and "Overall:" in out
    assert result.stderr.decode() == ""


def test_json_report_has_the_promised_keys(cli) -> None:
    result = cli("practice", "llm-support-assistant", "--plain", "--json", stdin=ANSWERS)
    report = json.loads(text(result))  # stdout is the report alone; the conversation went to stderr
    assert "Interviewer: " in result.stderr.decode()
    assert {"session_id", "overall", "band", "labels", "criteria", "clarifications_asked"} <= set(report)
    assert report["clarifications_asked"] == 2
    assert report["labels"]["idk"] == 1 and report["labels"]["confident_wrong"] == 1
    assert set(report["criteria"]) == {"serving", "data-privacy", "rag", "latency-scaling", "safety-ops"}


def test_quiet_prints_only_the_report_and_resume_repeats_the_last_question(cli) -> None:
    quiet = cli("practice", "llm-support-assistant", "--plain", "--quiet", stdin=ANSWERS)
    assert quiet.returncode == 0 and "Interviewer: " not in text(quiet) + quiet.stderr.decode()
    assert "Report for session 1" in text(quiet)
    before = cli.sql("SELECT count(*) FROM turn")[0]
    process = practising_plain(cli, turns_before=before)
    process.kill()
    process.wait()
    last = json.loads(text(cli("show", "2", "--format", "json")))["turns"][-1]["text"]
    resumed = cli("resume", "2", stdin="")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert text(resumed).startswith(f"Interviewer: {last}")


def test_end_of_input_ends_the_interview_cleanly(cli) -> None:
    result = cli("practice", "llm-support-assistant", "--plain", stdin="")
    assert result.returncode == 0
    assert "not scored (too little evidence)" in text(result)


def test_end_command_stops_and_reports(cli) -> None:
    result = cli("practice", "llm-support-assistant", "--plain", stdin="How many users?\n\n/end\n\nnever read\n")
    assert result.returncode == 0
    assert "never read" not in text(result)
    history = json.loads(text(cli("history", "--json")))
    assert history[0]["status"] == "finished"


def test_binary_junk_on_stdin_does_not_crash(cli) -> None:
    junk = os.urandom(4000).replace(b"\n", b"") + b"\n\n" + b"I don't know.\n"
    result = cli("practice", "llm-support-assistant", "--plain", stdin=junk)
    assert result.returncode == 0, result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_a_100_kb_answer_is_taken(cli) -> None:
    answer = ("We would use Bedrock with guardrails and stream tokens to keep latency low. " * 1400).strip()
    result = cli("practice", "llm-support-assistant", "--plain", "--json", stdin=answer + "\n")
    assert result.returncode == 0
    shown = json.loads(text(cli("show", "1", "--format", "json")))
    assert len(shown["turns"][1]["text"]) == len(answer)


def test_unknown_rubric_is_a_clear_error(cli) -> None:
    result = cli("practice", "no-such-rubric", "--plain")
    assert result.returncode == 1
    assert (
        result.stderr.decode()
        == "interviewer: error: no rubric 'no-such-rubric'; 'interviewer rubrics list' shows the ids\n"
    )


def test_a_corrupt_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"definitely not sqlite" * 50)
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "--db", str(bad), "practice", "llm-support-assistant", "--plain"],
        capture_output=True,
        input=b"",
    )
    assert result.returncode == 1
    assert b"is not an interviewer database" in result.stderr and b"Traceback" not in result.stderr


def test_history_show_and_grade(cli) -> None:
    cli("practice", "llm-support-assistant", "--plain", stdin=ANSWERS)
    history = text(cli("history"))
    assert history.splitlines()[0].split() == ["ID", "DATE", "RUBRIC", "TIME", "SCORE", "HONESTY", "STATUS", "USER"]
    assert "llm-support-assistant" in history and "finished" in history
    markdown = text(cli("show", "1"))
    assert markdown.startswith("# Host an LLM assistant for a support desk")
    assert "## Transcript" in markdown and "**confident wrong**" in markdown
    assert "*Misconception:*" in markdown and "Bedrock is serverless" in markdown
    shown = json.loads(text(cli("show", "1", "--format", "json")))
    assert shown["report"]["labels"]["idk"] == 1
    graded = json.loads(text(cli("grade", "1", "--json")))
    assert graded["overall"] == shown["report"]["overall"]
    assert cli.sql("SELECT count(*) FROM report WHERE session_id = 1")[0] == 2
    assert cli("show", "42").returncode == 1


def test_killed_session_is_interrupted_and_resumes(cli, tmp_path: Path) -> None:
    process = practising_plain(cli)
    process.send_signal(signal.SIGKILL)
    process.wait()
    cli.sql("UPDATE interview_session SET heartbeat_at = '2000-01-01 00:00:00'")
    history = json.loads(text(cli("history", "--json")))
    assert history[0]["status"] == "interrupted"
    result = cli("resume", "1", stdin="I don't know.\n")
    assert result.returncode == 0, result.stderr.decode()
    assert "Resuming session 1" in result.stderr.decode()
    shown = json.loads(text(cli("show", "1", "--format", "json")))
    assert [t["text"] for t in shown["turns"] if t["role"] == "candidate"] == ["How many users?", "I don't know."]
    assert shown["status"] == "finished"


def test_ctrl_c_saves_the_session_and_says_how_to_resume(cli) -> None:
    process = practising_plain(cli)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"interviewer resume 1" in err and b"Traceback" not in err
    history = json.loads(text(cli("history", "--json")))
    assert history[0]["status"] != "finished" and history[0]["overall"] is None  # interrupted, not ended
    result = cli("resume", "1", stdin="I don't know.\n")
    assert result.returncode == 0, result.stderr.decode()


def test_eval_grader_prints_the_figures(cli, tmp_path: Path) -> None:
    from .conftest import DATA

    result = cli(
        "eval-grader", str(DATA / "heldout" / "answers.jsonl"), "--rubrics", str(DATA / "heldout" / "rubrics"), "--json"
    )
    assert result.returncode == 0, result.stderr.decode()
    figures = json.loads(text(result))
    assert {
        "accuracy",
        "macro_f1",
        "kappa",
        "confusion",
        "bluff_acceptance",
        "confident_wrong_recall",
        "ordering_violations",
        "n",
    } <= set(figures)
    assert figures["n"] == 60
    table = text(
        cli("eval-grader", str(DATA / "heldout" / "answers.jsonl"), "--rubrics", str(DATA / "heldout" / "rubrics"))
    )
    assert "macro-F1" in table and "confusion" in table


def test_eval_grader_names_bad_lines(cli, tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"rubric": "llm-support-assistant", "prompt": "p", "answer": "a", "label": "maybe"}\nnot json\n')
    result = cli("eval-grader", str(data))
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert lines[0].startswith(f"{data}:1: label must be one of") and lines[1].startswith(f"{data}:2: ")


def test_the_persona_is_chosen_on_the_command_line_and_shown_with_the_report(cli) -> None:
    result = cli("practice", "llm-support-assistant", "--plain", "--json", "--persona", "tough", stdin=ANSWERS)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(text(result))["persona"] == "tough"
    shown = text(cli("show", "1"))
    assert "Interviewer persona: tough" in shown
    bad = cli("practice", "llm-support-assistant", "--plain", "--persona", "rude")
    assert bad.returncode == 2 and b"friendly" in bad.stderr


def test_the_configured_persona_is_the_default(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_PERSONA", "friendly")
    result = cli("practice", "llm-support-assistant", "--plain", "--json", stdin="I don't know.\n")
    assert json.loads(text(result))["persona"] == "friendly"


def test_resume_in_a_second_shell_is_refused_and_a_killed_owner_is_taken_over(cli) -> None:  # type: ignore[no-untyped-def]
    process = practising_plain(cli)
    busy = cli("resume", "1", stdin="")
    assert busy.returncode == 1
    err = busy.stderr.decode()
    assert f"process {process.pid}" in err and "another window" in err and "Traceback" not in err
    process.kill()  # kill -9: the lease is still fresh, but its holder is gone from this machine
    process.wait()
    resumed = cli("resume", "1", stdin="I don't know.\n")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert "Report for session 1" in text(resumed)


def test_a_session_quit_with_ctrl_c_is_free_at_once(cli) -> None:  # type: ignore[no-untyped-def]
    process = practising_plain(cli)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert cli.sql("SELECT owner FROM interview_session WHERE id = 1")[0] is None


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_termination_signal_saves_and_releases_the_session_as_ctrl_c_does(cli, number: int) -> None:  # type: ignore[no-untyped-def]
    process = practising_plain(cli)
    process.send_signal(number)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + number
    assert b"interviewer resume 1" in err and b"Traceback" not in err
    assert cli.sql("SELECT owner FROM interview_session WHERE id = 1")[0] is None


def test_an_interruption_after_the_session_ended_does_not_offer_to_resume_it(
    cli, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from interviewer import plain
    from interviewer.cli import main

    real = plain.run_plain

    def ended_then_interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        real(*args, **kwargs)  # the end of input finishes the session...
        raise KeyboardInterrupt  # ...and Ctrl-C arrives while the report is printed

    monkeypatch.setattr(plain, "run_plain", ended_then_interrupted)
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("I don't know.\n"))
    code = main(["--db", cli.db, "practice", "llm-support-assistant", "--plain", "--quiet"])
    err = capsys.readouterr().err
    assert code == 130
    assert "session 1 is finished: 'interviewer show 1' shows it" in err
    assert "resume" not in err


def test_review_adds_notes_and_labels_and_lists_them(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("practice", "llm-support-assistant", "--plain", "--quiet", stdin=ANSWERS).returncode == 0
    added = cli("review", "1", "--note", "Strong start: asked about scale first.", "--reviewer", "mentor")
    assert added.returncode == 0 and "note by mentor added to the session of session 1" in added.stderr.decode()
    assert cli("review", "1", "--turn", "4", "--note", "Check the GPU claim.", "--reviewer", "mentor").returncode == 0
    labelled = cli("review", "1", "--turn", "8", "--label", "confident_wrong", "--reviewer", "mentor")
    assert labelled.returncode == 0
    listed = json.loads(text(cli("review", "1", "--json")))
    assert [(r["turn"], r["reviewer"]) for r in listed["reviews"]] == [(None, "mentor"), (4, "mentor")]
    assert listed["labels"] == [{"turn": 8, "label": "confident_wrong", "reviewer": "mentor", "note": None}]
    shown = text(cli("show", "1"))
    assert "## Review" in shown and "Check the GPU claim." in shown
    bad = cli("review", "1", "--label", "correct")
    assert bad.returncode == 1 and b"--label needs --turn" in bad.stderr
    missing = cli("review", "1", "--turn", "99", "--note", "x")
    assert missing.returncode == 1 and b"has no turn 99" in missing.stderr
