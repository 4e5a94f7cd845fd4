"""What a demanding terminal user expects of the app: usable at once, nothing typed lost, keys that
work the same everywhere, choices remembered, answers shown as typed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Checkbox, HelpPanel, Input, Markdown, OptionList, Select, Static, TextArea

from interviewer.tui import bank
from interviewer.tui.screens import interview as interview_screen
from interviewer.tui.screens.history import HistoryScreen
from interviewer.tui.screens.home import HomeScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.report import ReportScreen
from interviewer.tui.screens.transcript import TranscriptScreen

from .factory import DESIGN, make_app, seed_sessions, wait_for_screen, wait_until


async def start_interview(pilot) -> InterviewScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
    await wait_until(pilot, lambda: app.screen.offer is not None)
    await pilot.press("ctrl+s")
    screen = await wait_for_screen(pilot, InterviewScreen)
    await wait_until(pilot, lambda: screen.interview.turns)
    return screen  # type: ignore[return-value]


def test_the_rubric_list_is_remembered_per_database_without_its_password(tmp_path: Path) -> None:
    entry = bank.BankEntry("q1", "A question", "Caching", "mid", 30, ("load balancing",))
    secret_url = "postgresql://alice:s3cret@db.example/bank"
    bank.remember(secret_url, [entry])
    assert bank.remembered(secret_url) == [entry]
    assert bank.remembered("sqlite:///other.db") is None  # another database: not its list
    written = (Path(bank.locations.data_dir()) / bank.CACHE_NAME).read_text()
    assert "s3cret" not in written and "alice" not in written
    assert bank.matches(entry, "load-balancing") and not bank.matches(entry, "kafka")


async def test_home_shows_the_remembered_list_before_the_database_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "app.db"
    bank.remember(f"sqlite:///{db}", [bank.BankEntry("remembered-q", "A remembered question", "Caching", "mid", 30)])
    monkeypatch.setattr(HomeScreen, "load", lambda self: None)  # the database never answers
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        options = app.screen.query_one("#rubrics", OptionList)
        assert options.option_count == 1 and options.get_option_at_index(0).id == "remembered-q"
        assert app._practice is None  # nothing of the database layer was needed to show it


async def test_quitting_mid_interview_asks_and_says_how_to_resume(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_interview(pilot)
        number = screen.interview.session_id
        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, "ConfirmScreen")
        assert f"interviewer resume {number}" in dialog.question  # type: ignore[attr-defined]
        await pilot.press("n")
        await wait_for_screen(pilot, InterviewScreen)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "ConfirmScreen")
        assert f"interviewer resume {number}" in str(app._goodbye())  # said on the terminal once the app closes
        await pilot.press("y")
        await wait_until(pilot, lambda: app._exit)
    assert app.return_code == 0


async def test_the_draft_is_saved_as_typed_and_restored_on_resume(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_interview(pilot)
        number = screen.interview.session_id
        await pilot.press(*"half an answer")

        def saved() -> str | None:
            with sqlite3.connect(db) as connection:
                return connection.execute("SELECT draft FROM interview_session WHERE id = ?", (number,)).fetchone()[0]

        await wait_until(pilot, lambda: saved() == "half an answer")  # saved while typing, before any quit
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
    again = make_app(db)
    async with again.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(again.screen, HomeScreen) and again.screen.is_loaded)
        await pilot.press("h")
        history = await wait_for_screen(pilot, HistoryScreen)
        await wait_until(pilot, lambda: history.sessions)  # type: ignore[attr-defined]
        await pilot.press("r")
        resumed = await wait_for_screen(pilot, InterviewScreen)
        assert resumed.query_one("#answer", TextArea).text == "half an answer"


async def test_i_dont_know_with_a_draft_asks_first(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_interview(pilot)
        screen.query_one("#answer", TextArea).load_text("something I typed")
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("enter")  # the focus is on Cancel: nothing is lost
        await wait_for_screen(pilot, InterviewScreen)
        assert screen.query_one("#answer", TextArea).text == "something I typed"
        assert len(screen.interview.turns) == 1
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: len(screen.interview.turns) == 3)
        assert screen.interview.turns[1].text == "I don't know."


async def test_a_burst_of_keys_is_a_paste_and_never_sends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_interview(pilot)
        monkeypatch.setattr(interview_screen, "BURST_SECONDS", 3600.0)  # every key is "just after" the last one
        await pilot.press(*"line one", "ctrl+j", *"line two")
        await wait_until(pilot, lambda: screen.query_one("#answer", TextArea).text == "line one\nline two")
        assert len(screen.interview.turns) == 1  # nothing was sent
        monkeypatch.setattr(interview_screen, "BURST_SECONDS", 0.0)  # the send key on its own sends
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: len(screen.interview.turns) == 3)
        assert screen.interview.turns[1].text == "line one\nline two"


async def test_the_configured_send_key_sends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text('send_key = "ctrl+o"\n')
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_interview(pilot)
        assert "Ctrl+O: send" in str(screen.query_one("#answer", TextArea).border_title)
        screen.query_one("#answer", TextArea).load_text("How many users?")
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: len(screen.interview.turns) == 3)


async def test_keys_shared_by_every_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.is_loaded)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: app.screen.query(HelpPanel))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: not app.screen.query(HelpPanel))
        options = app.screen.query_one("#rubrics", OptionList)
        await pilot.press("j", "j", "k")
        assert options.highlighted == 1
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        await pilot.press(*"queue")  # letters typed in the filter are text, not keys
        assert app.screen.query_one("#filter", Input).value == "queue" and isinstance(app.screen, HomeScreen)
        await pilot.press("enter")  # back to the list it filtered
        await pilot.press("h")
        await wait_for_screen(pilot, HistoryScreen)
        await pilot.press("q")  # backs out
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("q")  # quits from Home
    assert app.return_code == 0


async def test_choices_and_theme_are_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(config))
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.offer is not None)
        await wait_until(pilot, lambda: app.screen.selected is not None)
        chosen = app.screen.selected.id
        app.screen.query_one("#minutes", Input).value = "25"
        app.screen.query_one("#persona", Select).value = "tough"
        app.screen.query_one("#timed", Checkbox).value = False
        app.theme = "nord"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InterviewScreen)
        await wait_until(pilot, lambda: "theme" in config.read_text() and "minutes" in config.read_text())
    again = make_app(db)
    async with again.run_test(size=(100, 32)) as pilot:
        assert again.theme == "nord"
        await wait_until(pilot, lambda: isinstance(again.screen, HomeScreen) and again.screen.offer is not None)
        await wait_until(pilot, lambda: again.screen.selected is not None and again.screen.selected.id == chosen)
        await wait_until(pilot, lambda: again.screen.query_one("#minutes", Input).value == "25")
        assert again.screen.query_one("#persona", Select).value == "tough"
        assert again.screen.query_one("#timed", Checkbox).value is False


async def test_the_report_leads_with_the_score_and_evidence_opens_its_turn_in_view(tmp_path: Path) -> None:
    long = " ".join([DESIGN] * 6)
    script = ["How many users?", long, long, "I don't know.", long, long]
    db = tmp_path / "app.db"
    [number] = seed_sessions(db, 1, script=script)
    app = make_app(db)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app.open_report(number)
        report = await wait_for_screen(pilot, ReportScreen)
        body = report.query_one("#report-text", Markdown)
        await wait_until(pilot, lambda: "/100" in body.source or "Not scored" in body.source)
        assert body.source.startswith("# ")
        assert "Provisional" in body.source  # graded offline, and it says so
        assert "confident wrong -3 at this rubric's confidence target" in body.source  # terms explained in place
        evidence = report.query_one("#evidence", OptionList)
        assert app.focused is evidence  # Down and Enter choose evidence at once
        await wait_until(pilot, lambda: evidence.option_count > 0)
        last = max(
            range(evidence.option_count), key=lambda i: int(str(evidence.get_option_at_index(i).id).split(":")[1])
        )
        turn = int(str(evidence.get_option_at_index(last).id).split(":")[1])
        evidence.highlighted = last
        await pilot.press("enter")
        transcript = await wait_for_screen(pilot, TranscriptScreen)
        await wait_until(pilot, lambda: transcript.query(f"#turn-{turn}.focused-turn"))
        target = transcript.query_one(f"#turn-{turn}")
        turns = transcript.query_one("#turns")
        # scrolled down to it: its top is on screen, inside the conversation pane
        await wait_until(pilot, lambda: turns.scroll_y > 0 and turns.region.y <= target.region.y < turns.region.bottom)


async def test_a_candidates_text_is_shown_as_typed(tmp_path: Path) -> None:
    typed = "1) Managed Redis\n2) a CDN\n*not emphasis*"
    db = tmp_path / "app.db"
    [number] = seed_sessions(db, 1, script=["How many users?", typed])
    app = make_app(db)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app.open_transcript(number)
        transcript = await wait_for_screen(pilot, TranscriptScreen)
        await wait_until(pilot, lambda: transcript.query("#turn-4 .typed"))
        shown = transcript.query_one("#turn-4 .typed", Static).render()
        assert str(shown) == typed


async def test_the_interviewer_line_follows_the_chosen_interviewer(tmp_path: Path) -> None:
    from interviewer.views import ModelChoice, ModelOffer

    offer = ModelOffer(
        (
            ModelChoice("offline", key="offline", label="built-in offline"),
            ModelChoice(
                "openai-compatible", "llama3", "http://localhost:11434/v1", label="Ollama: llama3", key="ollama:llama3"
            ),
        ),
        "offline",
        "Interviewer: built-in offline (no network, no key). For a model, set OPENAI_API_KEY or ...",
        configured="offline",
    )
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.offer is not None)
        home = app.screen
        home._show_models(home.settings, offer)  # type: ignore[attr-defined]
        home.query_one("#provider", Select).value = "ollama:llama3"
        await wait_until(pilot, lambda: "Ollama: llama3" in str(home.query_one("#model", Static).render()))
        home.query_one("#provider", Select).value = "offline"
        await wait_until(pilot, lambda: "built-in offline" in str(home.query_one("#model", Static).render()))


async def test_tab_from_the_list_reaches_the_minutes_and_typing_replaces_them(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
        minutes = app.screen.query_one("#minutes", Input)
        await wait_until(pilot, lambda: minutes.value == "40")
        await pilot.press("tab")
        assert app.focused is minutes
        await pilot.press("2", "5")
        assert minutes.value == "25"
        assert minutes.region.width >= 4  # wide enough to show three digits


async def test_quitting_right_after_typing_keeps_the_draft(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_interview(pilot)
        number = screen.interview.session_id
        await pilot.press(*"half")  # no pause: the debounced save has not run yet
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
    with sqlite3.connect(db) as connection:
        draft, owner = connection.execute(
            "SELECT draft, owner FROM interview_session WHERE id = ?", (number,)
        ).fetchone()
    assert (draft, owner) == ("half", None)  # saved, and the session is free to resume at once


async def test_a_reviewer_adds_a_note_in_the_transcript_and_the_report_shows_the_review(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    [number] = seed_sessions(db, 1)
    app = make_app(db)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app.open_transcript(number)
        transcript = await wait_for_screen(pilot, TranscriptScreen)
        await wait_until(pilot, lambda: transcript.view is not None)  # type: ignore[attr-defined]
        await pilot.press("n")
        dialog = await wait_for_screen(pilot, "NoteScreen")
        dialog.query_one("#note-turn", Input).value = "2"
        dialog.query_one("#note-text", Input).value = "Good question to ask first."
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Good question to ask first." in transcript.query_one("#turn-2").source)
        await pilot.press("n")
        dialog = await wait_for_screen(pilot, "NoteScreen")
        dialog.query_one("#note-text", Input).value = "Overall: practise the GPU sizing."
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.practice.session(number).reviews) == 2)
        app.open_report(number)
        report = await wait_for_screen(pilot, ReportScreen)
        body = report.query_one("#report-text", Markdown)
        await wait_until(pilot, lambda: "Overall: practise the GPU sizing." in body.source)
