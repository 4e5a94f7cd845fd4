"""What each screen looks like at 80x24 (the smallest size the app promises) and at 160x48, compared with
stored SVG snapshots (pytest-textual-snapshot).

Refresh after an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.tui.screens.editor import RubricEditorScreen
from interviewer.tui.screens.history import HistoryScreen
from interviewer.tui.screens.home import HomeScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.report import ReportScreen
from interviewer.tui.screens.transcript import TranscriptScreen

from .factory import make_app, seed_sessions, wait_for_screen, wait_until

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """No blinking cursors: a snapshot must not depend on when it is taken."""
    for area in pilot.app.screen.query("TextArea"):
        area.cursor_blink = False
    for field in pilot.app.screen.query("Input"):
        field.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def home_ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, HomeScreen)
            and pilot.app.screen.selected
            and getattr(pilot.app, "settings", None) is not None
        ),
    )
    await settle(pilot)


@SIZES
def test_home(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "s.db"
    seed_sessions(db, 2)  # recent sessions, with fixed dates
    assert snap_compare(make_app(db), terminal_size=size, run_before=home_ready)


@SIZES
def test_interview(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await home_ready(pilot)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, InterviewScreen) and len(pilot.app.screen.interview.turns) == 1
        )
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)


@SIZES
def test_report(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "s.db"
    [session_id] = seed_sessions(db, 1)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await home_ready(pilot)
        pilot.app.push_screen(ReportScreen(session_id))
        await wait_until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ReportScreen)
                and pilot.app.screen.query("#evidence")
                and pilot.app.screen.query_one("#evidence").option_count > 0
            ),
        )
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


@SIZES
def test_history(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "s.db"
    seed_sessions(db, 4)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await home_ready(pilot)
        pilot.app.push_screen(HistoryScreen())
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen) and pilot.app.screen.sessions)
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


@SIZES
def test_transcript(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "s.db"
    [session_id] = seed_sessions(db, 1)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await home_ready(pilot)
        pilot.app.push_screen(TranscriptScreen(session_id))
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, TranscriptScreen) and pilot.app.screen.query(".turn")
        )
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


@SIZES
def test_rubric_editor_with_a_problem(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await home_ready(pilot)
        await pilot.press("n")
        await wait_for_screen(pilot, RubricEditorScreen)
        source = pilot.app.screen.query_one("#source")
        source.load_text(source.text.replace("weight = 2", "weight = 0"))
        await wait_until(pilot, lambda: pilot.app.screen.problems)
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)


def test_too_small(snap_compare, tmp_path: Path) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_for_screen(pilot, "TooSmallScreen")

    assert snap_compare(make_app(tmp_path / "s.db"), terminal_size=(60, 20), run_before=run_before)
