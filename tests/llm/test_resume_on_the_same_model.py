"""A resumed session goes on with the model it ran on, from the command line and from the app."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import SecretStr

from interviewer.engine import Interview
from interviewer.llm.openai_model import OpenAIModel
from interviewer.tui.screens.history import HistoryScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.usecases import Practice

from ..tui.factory import make_app, wait_for_screen, wait_until
from . import fake_server as fs

KEY = "sk-openai-TOPSECRET-1234567890"


def interrupted_session(db: Path, url: str) -> int:
    """A session run on the stand-in OpenAI model, with one answer, then left unfinished."""
    practice = Practice(f"sqlite:///{db}")
    model = OpenAIModel("gpt-test", api_key=SecretStr(KEY), base_url=f"{url}/v1", provider="openai", max_retries=0)
    interview = practice.start("llm-support-assistant", model=model)

    async def talk(interview: Interview) -> None:
        async for _ in interview.opening():
            pass
        async for _ in interview.respond("How many users and what is the peak traffic?"):
            pass

    with ThreadPoolExecutor(1) as pool:  # the app test calls this from inside its own event loop
        pool.submit(asyncio.run, talk(interview)).result()
    interview.leave()
    practice.close()
    return interview.session_id


def test_resume_from_the_command_line_goes_on_with_the_sessions_model(fake, tmp_path: Path) -> None:
    fake.default = fs.text("STAND-IN: Go on.")
    db = tmp_path / "app.db"
    session_id = interrupted_session(db, fake.url)
    before = len(fake.requests)
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "--db", str(db), "resume", str(session_id)],
        input=b"I don't know.\n",
        capture_output=True,
        timeout=120,
        env={**os.environ, "OPENAI_BASE_URL": f"{fake.url}/v1", "OPENAI_API_KEY": KEY},
    )
    assert result.returncode == 0, result.stderr.decode()
    assert f"Resuming session {session_id} on openai gpt-test" in result.stderr.decode()
    assert "Interviewer: STAND-IN: Go on." in result.stdout.decode()
    assert [r["body"]["model"] for r in fake.requests[before:]][:1] == ["gpt-test"]


def test_resume_without_the_sessions_key_says_what_to_set(fake, tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    session_id = interrupted_session(db, fake.url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "--db", str(db), "resume", str(session_id)],
        input=b"I don't know.\n",
        capture_output=True,
        timeout=120,
        env=env,
    )
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "ran on openai gpt-test, but no OPENAI_API_KEY is set" in err and "--provider offline" in err
    assert "Traceback" not in err and KEY not in err


async def test_resume_from_history_goes_on_with_the_sessions_model(
    fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.default = fs.text("STAND-IN: Go on.")
    db = tmp_path / "app.db"
    interrupted_session(db, fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", f"{fake.url}/v1")
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.screen.is_loaded)
        await pilot.press("h")
        history = await wait_for_screen(pilot, HistoryScreen)
        await wait_until(pilot, lambda: history.sessions)
        await pilot.press("r")  # resume
        screen = await wait_for_screen(pilot, InterviewScreen)
        interview = screen.interview
        assert (interview.model.provider, interview.model.name) == ("openai", "gpt-test")
        before = len(fake.requests)
        screen.query_one("#answer").load_text("I don't know.")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: len(interview.turns) == 5)
        assert interview.turns[-1].text == "STAND-IN: Go on." and not interview.turns[-1].fallback
        assert fake.requests[before]["body"]["model"] == "gpt-test"
