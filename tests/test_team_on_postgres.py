"""Two machines practising on one PostgreSQL server (two processes with their own data folders): one is
killed with kill -9 mid-answer and the other resumes its session; nothing is lost, nothing is owned twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import POSTGRES, _postgres_missing, default_signals


@pytest.fixture
def server_url(db_url: str) -> str:
    if not db_url.startswith("postgresql"):
        pytest.skip("this test is about a shared PostgreSQL server")
    return db_url


def machine(home: Path, url: str, *args: str, stdin: bytes | None = None) -> subprocess.Popen[bytes]:
    """The interviewer on another "machine": its own data folder, the team's server."""
    env = {**os.environ, "INTERVIEWER_HOME": str(home), "INTERVIEWER_DB": url}
    return subprocess.Popen(
        [sys.executable, "-m", "interviewer", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=default_signals,
    )


def candidate_turns(url: str) -> list[str]:
    import psycopg

    schema = url.split("search_path%3D", 1)[1]
    with psycopg.connect(POSTGRES) as connection:
        try:
            rows = connection.execute(
                f"SELECT text FROM {schema}.turn WHERE role = 'candidate' ORDER BY session_id, seq"  # noqa: S608
            ).fetchall()
        except psycopg.errors.UndefinedTable:  # the first program has not made the schema yet
            return []
    return [row[0] for row in rows]


def wait_for(predicate, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("not in time")
        time.sleep(0.1)


def test_a_session_killed_on_one_machine_is_resumed_on_another_with_nothing_lost(
    server_url: str, tmp_path: Path
) -> None:
    assert _postgres_missing() is None
    first = machine(tmp_path / "laptop-a", server_url, "practice", "llm-support-assistant", "--plain")
    assert first.stdin is not None
    first.stdin.write(b"How many users and what is the peak traffic?\n\n")
    first.stdin.flush()
    wait_for(lambda: len(candidate_turns(server_url)) == 1)
    first.stdin.write(b"I'd use Amazon Bedrock as a managed API with RAG over the help articles.\n\n")
    first.stdin.flush()
    wait_for(lambda: len(candidate_turns(server_url)) == 2)  # saved: the interviewer may not have answered yet
    first.kill()  # kill -9, mid-answer
    first.wait()
    second = machine(tmp_path / "laptop-b", server_url, "resume", "1", "--json")
    out, err = second.communicate(b"I don't know.\n\n", timeout=120)
    assert second.returncode == 0, err.decode()
    assert json.loads(out)["session_id"] == 1
    assert candidate_turns(server_url) == [
        "How many users and what is the peak traffic?",
        "I'd use Amazon Bedrock as a managed API with RAG over the help articles.",
        "I don't know.",
    ]  # none lost, none twice
    third = machine(tmp_path / "laptop-c", server_url, "resume", "1")
    _, err = third.communicate(b"", timeout=60)
    assert third.returncode == 1 and b"is finished" in err  # the session has one owner, and it is done


def test_two_people_practising_at_once_on_one_server_lose_nothing(server_url: str, tmp_path: Path) -> None:
    answers = {
        "alice": ["How many users?", "Redis cache-aside with a short TTL.", "I don't know."],
        "bob": ["What is the peak traffic?", "A CDN in front of the API.", "Write-behind can lose writes."],
    }
    people = {}
    for name, said in answers.items():
        people[name] = (
            machine(tmp_path / name, server_url, "practice", "caching-strategy", "--plain", "--quiet"),
            said,
        )
    for process, said in people.values():  # both type at the same time
        assert process.stdin is not None
        process.stdin.write("".join(f"{line}\n\n" for line in said).encode())
        process.stdin.close()
    for process, _ in people.values():
        process.wait(timeout=120)
        assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""
    stored = candidate_turns(server_url)
    assert sorted(stored) == sorted(line for said in answers.values() for line in said)  # none lost, none twice
