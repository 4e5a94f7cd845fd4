"""The History screen at 80x24 as a terminal user sees it: the chart, sorting, keys, columns and dialogs."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, DataTable, Input

from interviewer.domain import SessionRecord, SessionStatus
from interviewer.store import open_repository
from interviewer.tui.app import InterviewerApp
from interviewer.tui.dialogs import ConfirmScreen
from interviewer.tui.screens.history import HistoryScreen
from interviewer.tui.screens.home import HomeScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.transcript import TranscriptScreen

from .factory import make_app, seed_sessions, wait_for_screen, wait_until

SIZE = (80, 24)


def screen_lines(app: InterviewerApp) -> list[str]:
    """The text of every line on the terminal, as the user reads it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def chart_lines(app: InterviewerApp) -> list[str]:
    """The lines from the chart's frame down to its date labels."""
    lines = screen_lines(app)
    start = next(n for n, line in enumerate(lines) if "┌" in line)
    return lines[start:-1]  # the footer is not the chart's


async def open_history(pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_for_screen(pilot, HomeScreen)
    app.open_history()
    history = await wait_for_screen(pilot, HistoryScreen)
    assert isinstance(history, HistoryScreen)
    await wait_until(pilot, lambda: history.sessions and not history.fetching)
    await wait_until(pilot, lambda: any("┌" in line or "Progress" in line for line in screen_lines(app)))
    await pilot.pause()
    return history


def scores(db: Path, overall: dict[int, float]) -> None:
    """Give sessions these overall scores (on their newest report)."""
    with sqlite3.connect(db) as connection:
        for session_id, value in overall.items():
            connection.execute(
                "UPDATE report SET overall = ? WHERE id = (SELECT max(id) FROM report WHERE session_id = ?)",
                (value, session_id),
            )


def header(app: InterviewerApp) -> str:
    return next(line for line in screen_lines(app) if "Date" in line and "Rubric" in line)


async def test_the_chart_reads_0_to_100_with_whole_ticks_and_session_dates(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 6)  # sessions 3 and 6 (Nov 12 and Nov 15) have a score
    scores(db, {3: 42.0, 6: 71.0})
    async with make_app(db).run_test(size=SIZE) as pilot:
        await open_history(pilot)
        chart = "\n".join(chart_lines(pilot.app))
        ticks = re.findall(r"^\s*(\d+(?:\.\d+)?)┤", chart, re.MULTILINE)
        assert ticks == ["100", "75", "50", "25", "0"]
        assert "Nov 12" in chart and "Nov 15" in chart
        assert not re.search(r"\d\.\d", chart)  # no 83.3 on the y axis, no 1.25 on the x axis


async def test_one_scored_session_is_one_point_under_its_date(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 3)  # only session 3 (Nov 12) has a score
    async with make_app(db).run_test(size=SIZE) as pilot:
        await open_history(pilot)
        chart = "\n".join(chart_lines(pilot.app))
        assert "Nov 12" in chart
        assert not re.search(r"\d\.\d", chart)
        assert "●" in chart  # a mark you can see, not one braille dot


async def test_at_80x24_every_column_shows_and_the_table_has_most_of_the_height(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 3)
    with sqlite3.connect(db) as connection:  # a long rubric id on session 1
        connection.execute(
            "UPDATE interview_session SET rubric_version_id = "
            "(SELECT id FROM rubric_version WHERE rubric_id = 'distributed-systems-tradeoffs') WHERE id = 1"
        )
    async with make_app(db).run_test(size=SIZE) as pilot:
        history = await open_history(pilot)
        top = header(pilot.app)
        for title in ("Date", "Rubric", "Time", "Score", "Honesty", "Status"):
            assert title in top
        rows = [line for line in screen_lines(pilot.app) if "finished" in line]
        assert len(rows) == 3
        long_row = next(line for line in rows if "distributed" in line)
        assert "…" in long_row and "distributed-systems-tradeoffs" not in long_row
        assert re.search(r"\d+ no hire", "\n".join(rows))  # the score column, with its band

        table = history.query_one("#sessions", DataTable)
        chart = history.query_one("#progress-panel")
        assert table.size.height > chart.size.height >= 8
        await pilot.press("p")  # the chart steps aside
        await pilot.pause()
        assert not chart.display and not any("Progress" in line for line in screen_lines(pilot.app))
        assert table.size.height >= 20


async def test_a_tall_terminal_gives_the_chart_more_rows_and_the_hiring_bands(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 6)
    async with make_app(db).run_test(size=(120, 44)) as pilot:
        history = await open_history(pilot)

        def legend() -> str:
            return next(line for line in screen_lines(pilot.app) if "Progress" in line)

        await wait_until(pilot, lambda: "lines:" in legend())  # drawn at the plot's laid-out size
        assert "lean hire 50" in legend() and "hire 65" in legend() and "strong hire 80" in legend()
        assert history.query_one("#progress-panel").size.height >= 14
        assert "2026-11-15 09:30" in "\n".join(screen_lines(pilot.app))  # room for the year too


async def test_s_cycles_the_sort_and_shift_s_reverses_it_as_the_header_shows(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 3)
    scores(db, {3: 40.0})
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE interview_session SET status = 'active', ended_at = NULL WHERE id = 2")
    async with make_app(db).run_test(size=SIZE) as pilot:
        history = await open_history(pilot)
        assert "Date ▼" in header(pilot.app)
        assert [s.id for s in history.sessions] == [3, 2, 1]

        async def press(key: str) -> list[int]:
            await pilot.press(key)
            await wait_until(pilot, lambda: len(history.sessions) == 3 and not history.fetching)
            await pilot.pause()
            return [s.id for s in history.sessions]

        assert (await press("s"))[0] == 3 and "Score ▼" in header(pilot.app)  # the only score comes first
        await press("s")
        assert "Rubric ▲" in header(pilot.app)
        assert (await press("s"))[0] == 2 and "Status ▲" in header(pilot.app)  # the one still open comes first
        assert await press("s") == [3, 2, 1] and "Date ▼" in header(pilot.app)
        assert await press("S") == [1, 2, 3] and "Date ▲" in header(pilot.app)
        assert [s.status for s in history.sessions].count(SessionStatus.INTERRUPTED) == 1

        x = header(pilot.app).index("Score")  # the mouse still sorts by a header
        await pilot.click("#sessions", offset=(x + 1, 0))
        await wait_until(pilot, lambda: history.order == "overall" and len(history.sessions) == 3)
        await pilot.pause()
        assert "Score ▼" in header(pilot.app)


async def test_letter_keys_act_on_the_session_but_type_into_the_filter(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 3)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE interview_session SET status = 'active', ended_at = NULL WHERE id = 2")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(pilot)
        await wait_until(pilot, lambda: history.query("FooterKey"))
        footer = [key.description for key in history.query("FooterKey")]
        assert footer[:5] == ["Transcript", "Resume", "Export", "Re-grade", "Delete"]

        await pilot.press("slash")
        field = history.query_one("#history-filter", Input)
        assert history.focused is field
        await pilot.press(*"rxgdspS")
        await pilot.pause()
        assert field.value == "rxgdspS"
        assert app.screen is history and history.query_one("#progress-panel").display
        await wait_until(pilot, lambda: history.sessions == [] and not history.fetching)
        await pilot.press("escape")  # out of the filter first, still on History
        assert app.screen is history and isinstance(history.focused, DataTable)
        field.value = ""
        await wait_until(pilot, lambda: len(history.sessions) == 3 and not history.fetching)

        await pilot.press("ctrl+f")
        assert history.focused is field
        await pilot.press("enter")  # from the filter, Enter goes to the sessions
        assert isinstance(history.focused, DataTable) and app.screen is history

        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, HistoryScreen)
        await pilot.press("x")
        await wait_for_screen(pilot, "PathScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, HistoryScreen)
        await pilot.press("g")
        await wait_until(pilot, lambda: any(n.title == "Re-graded" for n in app._notifications))

        table = history.query_one("#sessions", DataTable)
        await wait_until(pilot, lambda: len(history.sessions) == 3 and not history.fetching)
        await pilot.press("j")
        assert table.cursor_row == 1 and history.sessions[1].id == 2
        await pilot.press("r")
        await wait_for_screen(pilot, InterviewScreen)
        assert app.screen.interview.session_id == 2
        app.pop_screen()
        await wait_for_screen(pilot, HistoryScreen)
        await pilot.press("k", "enter")
        await wait_for_screen(pilot, TranscriptScreen)


async def test_delete_opens_on_cancel_so_enter_keeps_the_session(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 3)
    async with make_app(db).run_test(size=SIZE) as pilot:
        history = await open_history(pilot)
        await pilot.press("d")
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        assert dialog.focused is dialog.query_one("#no", Button)
        assert dialog.query_one("#yes", Button).variant == "error"
        await pilot.press("enter")
        await wait_for_screen(pilot, HistoryScreen)
        assert len(history.sessions) == 3
        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: [s.id for s in history.sessions] == [2, 1])
    assert open_repository(f"sqlite:///{db}").get_session(3) is None


async def test_a_plain_confirm_also_opens_on_cancel_and_keeps_y_n_and_escape(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        answers: list[bool | None] = []
        for key in ("enter", "y", "n", "escape"):
            app.push_screen(ConfirmScreen("End the interview now and see your report?", yes="End"), answers.append)
            dialog = await wait_for_screen(pilot, ConfirmScreen)
            assert dialog.focused is dialog.query_one("#no", Button)
            assert dialog.query_one("#yes", Button).variant != "error"
            await pilot.press(key)
            await wait_for_screen(pilot, HomeScreen)
        assert answers == [False, True, False, False]


async def test_export_asks_before_replacing_a_file_and_writes_only_on_yes(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 1)
    target = tmp_path / "session.json"
    target.write_text("keep me", encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot)

        async def export_to(path: Path) -> None:
            await pilot.press("x")
            dialog = await wait_for_screen(pilot, "PathScreen")
            dialog.query_one(Input).value = str(path)
            await pilot.press("enter")

        await export_to(target)
        ask = await wait_for_screen(pilot, ConfirmScreen, timeout=5)
        assert str(target) in str(ask.query_one(".dialog-question").render())
        await pilot.press("enter")  # Cancel: back to the path, nothing written
        again = await wait_for_screen(pilot, "PathScreen")
        assert again.query_one(Input).value == str(target)
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("escape")
        await wait_for_screen(pilot, HistoryScreen)
        assert not any(n.title == "Exported" for n in app._notifications)

        await export_to(target)
        await wait_for_screen(pilot, ConfirmScreen, timeout=5)
        await pilot.press("y")
        await wait_until(pilot, lambda: any(n.title == "Exported" for n in app._notifications))
        assert json.loads(target.read_text(encoding="utf-8"))["session_id"] == 1
        [note] = [n for n in app._notifications if n.title == "Exported"]
        assert str(target.absolute()) in note.message

        fresh = tmp_path / "fresh.md"  # a new file is written at once
        await export_to(fresh)
        await wait_until(pilot, fresh.exists)
        assert isinstance(app.screen, HistoryScreen)


async def test_a_page_fetched_for_an_earlier_filter_never_lands_in_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 3)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        history = await open_history(pilot)
        slow, released = threading.Event(), threading.Event()
        fetch = app.practice.history

        def held_back(**query: Any) -> list[SessionRecord]:
            if query.get("search") == "s":  # the first letter's page arrives after the second letter's
                slow.set()
                released.wait(10)
            return fetch(**query)

        monkeypatch.setattr(app.practice, "history", held_back)
        await pilot.press("slash", "s")
        await wait_until(pilot, slow.is_set)
        await pilot.press("u")
        await wait_until(pilot, lambda: len(history.sessions) == 3 and not history.fetching)
        released.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [s.id for s in history.sessions] == [3, 2, 1]
        assert history.query_one("#sessions", DataTable).row_count == 3
