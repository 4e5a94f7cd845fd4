"""A small factory for the app under test: its own database, a fake clock, optional past sessions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from textual.css.query import NoMatches
from textual.screen import Screen

from interviewer.engine import FakeClock, Interview
from interviewer.store import open_repository
from interviewer.tui.app import InterviewerApp

DESIGN = (
    "I'd use Amazon Bedrock as a managed API with RAG over the help articles in OpenSearch, "
    "stream tokens to the agent, and put API Gateway and Lambda in front."
)
SCRIPT = [
    "How many users and what is the peak traffic?",
    DESIGN,
    "I don't know.",
    "With Bedrock you provision and manage the GPU instances yourself.",
]


def make_app(db: Path, *, clock: FakeClock | None = None) -> InterviewerApp:
    return InterviewerApp(f"sqlite:///{db}", clock=clock or FakeClock())


def seed_sessions(db: Path, count: int = 3, *, script: list[str] | None = None) -> list[int]:
    """Finished sessions with fixed dates, so screens that show them render the same every time."""
    repository = open_repository(f"sqlite:///{db}")
    ids = []
    for index in range(count):
        clock = FakeClock()
        interview = Interview.begin(repository, repository.get_rubric("llm-support-assistant"), clock=clock)

        async def run(interview: Interview = interview, clock: FakeClock = clock, count: int = 2 + index % 3) -> None:
            async for _ in interview.opening():
                pass
            for message in (script or SCRIPT)[:count]:
                clock.advance(90)
                async for _ in interview.respond(message):
                    pass
            await interview.finish()

        with ThreadPoolExecutor(1) as pool:  # tests call this from inside their own event loop
            pool.submit(asyncio.run, run()).result()
        ids.append(interview.session_id)
    repository.database.close()
    with sqlite3.connect(db) as connection:
        for index, session_id in enumerate(ids):
            stamp = f"2026-11-{10 + index:02d} 09:30:00.000000"
            connection.execute(
                "UPDATE interview_session SET started_at = ?, ended_at = ?, heartbeat_at = ? WHERE id = ?",
                (stamp, stamp, stamp, session_id),
            )
    return ids


def _holds(predicate: Callable[[], object]) -> bool:
    """A predicate that queries widgets not mounted yet (a screen still composing) does not hold yet."""
    try:
        return bool(predicate())
    except NoMatches:
        return False


async def wait_until(pilot, predicate: Callable[[], object], timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until predicate holds (workers stream in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not _holds(predicate):
        if loop.time() > deadline:
            raise AssertionError("the app did not get there in time")
        await pilot.pause(0.05)


async def wait_for_screen(pilot, name: str | type, timeout: float = 30.0) -> Screen:  # type: ignore[no-untyped-def,type-arg]
    """Wait until the active screen is this class (or class name) and has mounted its widgets."""

    def ready() -> bool:
        screen = pilot.app.screen
        named = screen.__class__.__name__ == name if isinstance(name, str) else isinstance(screen, name)
        return named and screen.is_mounted

    await wait_until(pilot, ready, timeout)
    return pilot.app.screen
