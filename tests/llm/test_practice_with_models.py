"""A whole plain-mode interview with a real SDK against a stand-in server, failing half-way; keys stay secret."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from . import fake_server as fs

ANSWERS = """How many users and what is the peak traffic?

I'd use Bedrock as a managed API with retrieval over the help articles, and stream tokens.

I don't know.

We'd use PrivateLink endpoints and KMS, and Bedrock does not train on our data.
"""
OPENAI_KEY = "sk-openai-TOPSECRET-1234567890"
ANTHROPIC_KEY = "sk-ant-TOPSECRET-0987654321"


def run_practice(tmp_path: Path, provider: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, Path]:
    db = tmp_path / "models.db"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "interviewer",
            "--db",
            str(db),
            "practice",
            "llm-support-assistant",
            "--plain",
            "--provider",
            provider,
            "--json",
        ],
        input=ANSWERS.encode(),
        capture_output=True,
        timeout=120,
        env={**os.environ, **env},
    )
    return result, db


@pytest.mark.parametrize(
    ("provider", "env"),
    [
        ("openai", lambda url: {"OPENAI_BASE_URL": f"{url}/v1", "OPENAI_API_KEY": OPENAI_KEY}),
        ("anthropic", lambda url: {"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": ANTHROPIC_KEY}),
    ],
)
def test_a_model_interview_that_fails_half_way_finishes_offline(fake, tmp_path: Path, provider, env) -> None:
    fake.steps = [
        fs.text("STAND-IN: Here is the problem. How would you host it?", usage=(500, 20)),
        fs.text("STAND-IN: About 50 requests per second at peak.", usage=(600, 15)),
    ]
    fake.default = fs.status(500)  # from the third reply on, the server fails
    result, db = run_practice(tmp_path, provider, env(fake.url))
    out, talk = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, talk
    lines = [line for line in talk.splitlines() if line.startswith("Interviewer: ")]
    assert lines[0] == "Interviewer: STAND-IN: Here is the problem. How would you host it?"
    assert lines[1] == "Interviewer: STAND-IN: About 50 requests per second at peak."
    assert f"The {provider} model did not answer; the built-in interviewer goes on." in talk
    with sqlite3.connect(db) as connection:
        turns = connection.execute(
            "SELECT role, text, tokens_in, tokens_out, fallback FROM turn ORDER BY seq"
        ).fetchall()
    assert [t[0] for t in turns].count("candidate") == 4
    assert turns[0][2:4] == (500, 20) and turns[2][2:4] == (600, 15)
    assert all(t[4] == 1 for t in turns[4:] if t[0] == "interviewer")
    report = json.loads(out)  # with --json, stdout is the report alone
    assert report["labels"]["idk"] == 1


def test_keys_never_reach_the_database_logs_or_exports(fake, tmp_path: Path, isolated_user: Path) -> None:
    fake.default = fs.text("STAND-IN: Tell me more.")
    env = {"OPENAI_BASE_URL": f"{fake.url}/v1", "OPENAI_API_KEY": OPENAI_KEY, "ANTHROPIC_API_KEY": ANTHROPIC_KEY}
    result, db = run_practice(tmp_path, "openai", env)
    assert result.returncode == 0, result.stderr.decode()
    fake.default = fs.status(401)
    failed, _ = run_practice(tmp_path, "openai", env)  # a refused key is reported without the key
    assert failed.returncode == 0
    assert "openai model gpt-4o-mini" in failed.stderr.decode() and "the key was refused" in failed.stderr.decode()
    exports = [
        subprocess.run(
            [sys.executable, "-m", "interviewer", "--db", str(db), "show", "1", "--format", f],
            capture_output=True,
            env={**os.environ, **env},
        ).stdout
        for f in ("md", "json")
    ]
    places = [db.read_bytes(), *exports, result.stdout, result.stderr, failed.stdout, failed.stderr]
    places += [p.read_bytes() for p in isolated_user.rglob("*") if p.is_file()]
    places += [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    for secret in (OPENAI_KEY, ANTHROPIC_KEY, "TOPSECRET"):
        assert not any(secret.encode() in place for place in places), secret
    headers = {k.lower(): v for k, v in fake.requests[0]["headers"].items()}
    assert headers["authorization"] == f"Bearer {OPENAI_KEY}"  # the key was really used


def test_regrading_with_the_llm_grader_flags_disagreements(fake, tmp_path: Path) -> None:
    fake.default = fs.text("STAND-IN: Tell me more.")
    env = {"OPENAI_BASE_URL": f"{fake.url}/v1", "OPENAI_API_KEY": OPENAI_KEY}
    result, db = run_practice(tmp_path, "openai", env)
    assert result.returncode == 0
    quote = "I'd use Bedrock as a managed API with retrieval over the help articles, and stream tokens."
    judgement = {
        "label": "correct",
        "stance": "confident",
        "misconceptions": [],
        "injection_suspected": False,
        "criteria": [{"criterion_id": "safety-ops", "rationale": "covers guardrails", "level": 4, "evidence": [quote]}],
    }
    fake.default = fs.result(judgement)
    with sqlite3.connect(db) as connection:
        answers = connection.execute("SELECT count(*) FROM turn WHERE kind = 'answer'").fetchone()[0]
    fake.steps = [fs.result(judgement)] * answers + [fs.result({"text": "Solid start; study guardrails next."})]
    graded = subprocess.run(
        [sys.executable, "-m", "interviewer", "--db", str(db), "grade", "1", "--grader", "llm", "--json"],
        capture_output=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert graded.returncode == 0, graded.stderr.decode()
    report = json.loads(graded.stdout)
    assert report["grader"] == "llm:openai/gpt-4o-mini"
    detail = {c["id"]: c for c in report["criteria_detail"]}
    assert detail["safety-ops"]["level"] == 4 and detail["safety-ops"]["flagged"]  # offline said 0
    assert detail["safety-ops"]["evidence"][0]["quote"] == quote
    assert "Debrief: Solid start; study guardrails next." in report["notes"]


def test_a_local_ollama_is_found(fake) -> None:
    from interviewer.llm.factory import local_ollama_models

    assert local_ollama_models(fake.url) == ["llama3.1:8b", "qwen2.5:7b"]
    assert local_ollama_models("http://127.0.0.1:9") == []
