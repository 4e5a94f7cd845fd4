"""A whole timed interview driven through the app with the offline model and a fake clock."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Markdown, TextArea

from interviewer.engine import FakeClock
from interviewer.tui.screens.history import HistoryScreen
from interviewer.tui.screens.home import HomeScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.report import ReportScreen
from interviewer.tui.screens.transcript import TranscriptScreen
from interviewer.tui.widgets.turn import TurnView

from .factory import DESIGN, make_app, wait_for_screen, wait_until


def turn_texts(screen) -> list[str]:  # type: ignore[no-untyped-def]
    return [w.source for w in screen.query(".turn").results(TurnView)]


async def send(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    area = pilot.app.screen.query_one("#answer", TextArea)
    area.load_text(text)
    await pilot.press("ctrl+j")


async def test_a_whole_timed_interview(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path / "app.db", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
        await pilot.press("ctrl+f")
        await pilot.press(*"support desk")
        await wait_until(
            pilot, lambda: app.screen.selected is not None and app.screen.selected.id == "llm-support-assistant"
        )
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InterviewScreen)
        screen = app.screen
        interview = screen.interview
        await wait_until(pilot, lambda: len(interview.turns) == 1)
        assert "support desk" in turn_texts(screen)[0]

        clock.advance(60)
        await send(pilot, "How many users and what is the peak traffic?")
        await wait_until(pilot, lambda: len(interview.turns) == 3)
        assert "50 requests per second" in turn_texts(screen)[-1]
        assert "How many users" in str(screen.query_one("#clarifications").render())

        clock.advance(120)
        await send(pilot, DESIGN)
        await wait_until(pilot, lambda: len(interview.turns) == 5)

        clock.advance(60)
        await pilot.press("ctrl+n")  # I don't know
        await wait_until(pilot, lambda: len(interview.turns) == 7)
        assert interview.turns[5].text == "I don't know."

        clock.advance(60)
        await send(pilot, "With Bedrock you provision and manage the GPU instances yourself.")
        await wait_until(pilot, lambda: len(interview.turns) == 9)
        assert "how sure are you" in turn_texts(screen)[-1].lower() or "confident" in turn_texts(screen)[-1].lower()

        clock.advance(40 * 60)  # time runs out: the interviewer wraps up on its own
        screen.refresh_clock()
        await wait_for_screen(pilot, ReportScreen)
        report = app.screen
        await wait_until(pilot, lambda: "Overall" in str(report.query_one("#report-text", Markdown).source))
        text = str(report.query_one("#report-text", Markdown).source)
        assert "1 confident wrong" in text and "1 I don't know" in text

        await pilot.press("h")  # history
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.sessions)
        history = app.screen
        table = history.query_one("#sessions", DataTable)
        assert table.row_count == 1 and history.sessions[0].status.value == "finished"

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.query(".turn"))
        titles = [str(w.border_title) for w in app.screen.query(".turn").results(TurnView)]
        assert any("confident wrong" in t for t in titles) and any("I don't know" in t for t in titles)
        assert any("Misconception" in w.source for w in app.screen.query(".turn").results(TurnView))

        target = tmp_path / "exported.md"
        await pilot.press("x")  # export
        await wait_for_screen(pilot, "PathScreen")
        path_input = app.screen.query_one("Input")
        path_input.value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, target.exists)
        exported = target.read_text()
        assert exported.startswith("# Host an LLM assistant for a support desk") and "## Transcript" in exported


async def test_end_early_asks_first(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.interview.turns)
        await pilot.press("ctrl+g")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("n")
        await wait_for_screen(pilot, InterviewScreen)
        await pilot.press("ctrl+g")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_for_screen(pilot, ReportScreen)


async def test_the_answer_box_stays_usable_and_a_huge_paste_is_taken(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.interview.turns)
        huge = (DESIGN + " ") * 700
        await send(pilot, huge)
        await pilot.press(*"still typing")
        assert app.screen.query_one("#answer", TextArea).text == "still typing"
        await wait_until(pilot, lambda: len(app.screen.interview.turns) >= 3)
        assert len(app.screen.interview.turns[1].text) == len(huge.strip())


async def test_a_too_small_terminal_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for_screen(pilot, "TooSmallScreen")
        assert "Make the window larger" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(100, 32)
        await wait_for_screen(pilot, HomeScreen)


async def test_a_database_failure_mid_interview_is_a_notification_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    from interviewer.store import StoreError

    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.interview.turns)
        repository = app.screen.interview.store

        def locked(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise StoreError("the database app.db is locked by another program; close it or wait, then try again")

        monkeypatch.setattr(repository, "add_turn", locked)
        await send(pilot, "How many users?")
        await wait_until(pilot, lambda: any(n.title == "Not saved" for n in app._notifications))
        assert isinstance(app.screen, InterviewScreen)
        assert any("locked by another program" in n.message for n in app._notifications)
        box = app.screen.query_one("#answer", TextArea)
        assert box.text == "How many users?"  # not saved, so not lost: it is back in the box to send again
        monkeypatch.undo()
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: len(app.screen.interview.turns) == 3)
        assert app.screen.interview.turns[1].text == "How many users?"


async def test_every_screen_action_is_in_the_command_palette(tmp_path: Path) -> None:
    from interviewer.tui.palette import ScreenActionsProvider

    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
        provider = ScreenActionsProvider(app.screen)
        hits = [hit async for hit in provider.discover()]
        names = {str(hit.display) for hit in hits}
        assert {"Start", "History", "Edit", "Clone", "New", "Filter"} <= names
        [history] = [hit for hit in hits if str(hit.display) == "History"]
        app.call_later(history.command)  # as the palette runs it: on the app's own loop
        await wait_for_screen(pilot, HistoryScreen)


async def test_time_up_keeps_the_typed_draft_as_the_last_answer_and_the_chosen_persona(tmp_path: Path) -> None:
    from textual.widgets import Select

    clock = FakeClock()
    app = make_app(tmp_path / "app.db", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
        await wait_until(pilot, lambda: app.screen.offer is not None)  # the settings are read: the choosers are set
        app.screen.query_one("#persona", Select).value = "tough"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InterviewScreen)
        screen = app.screen
        interview = screen.interview
        await wait_until(pilot, lambda: len(interview.turns) == 1 and bool(screen.query("HeaderTitle")))
        screen.query_one("#answer", TextArea).load_text("Bedrock behind a VPC endpoint, and")  # never sent
        clock.advance(interview.timekeeper.total + 1)
        screen.refresh_clock()
        await wait_for_screen(pilot, ReportScreen)
        report = app.screen
        await wait_until(pilot, lambda: "Overall" in str(report.query_one("#report-text", Markdown).source))
        view = app.practice.session(interview.session_id)
        candidate = [t.text for t in view.turns if t.role.value == "candidate"]
        assert candidate == ["Bedrock behind a VPC endpoint, and"]
        assert view.report is not None and [g.turn for g in view.report.grades] == [2]
        assert view.record.persona.value == "tough"
        assert "Interviewer persona: tough" in str(report.query_one("#report-text", Markdown).source)
