"""The rubric editor and the history screen, driven with a pilot."""

from __future__ import annotations

import json
import re
from pathlib import Path

from textual.widgets import DataTable, Input, OptionList, TextArea

from interviewer.domain import AnswerLabel
from interviewer.store import open_repository
from interviewer.tui.screens.editor import RubricEditorScreen
from interviewer.tui.screens.history import HistoryScreen
from interviewer.tui.screens.home import HomeScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.transcript import TranscriptScreen
from interviewer.tui.widgets.turn import TurnView

from .factory import make_app, seed_sessions, wait_for_screen, wait_until


async def open_editor(pilot, key: str) -> RubricEditorScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.selected is not None)
    await pilot.press(key)
    await wait_for_screen(pilot, RubricEditorScreen)
    return app.screen


async def test_a_broken_edit_shows_the_located_error_and_cannot_be_saved(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, "e")
        await pilot.press("ctrl+b")  # a bundled question opens as a copy; edit the question itself
        source = editor.query_one("#source", TextArea)
        rubric_id = editor.rubric.id
        broken = source.text.replace("weight = 3", "weight = -3", 1)
        assert broken != source.text
        line = broken[: broken.index("weight = -3")].count("\n") + 1
        source.load_text(broken)
        await wait_until(pilot, lambda: editor.problems != [])
        [problem] = editor.problems
        assert (problem.line, problem.message) == (
            line,
            "must be a positive number from 0.01 to 100 (only the ratio between weights matters)",
        )
        options = editor.query_one("#problems", OptionList)
        assert f"line {line}:" in str(options.get_option_at_index(0).prompt)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert open_repository(f"sqlite:///{db}").rubric_versions(rubric_id) == [1]
        options.focus()
        options.highlighted = 0
        await pilot.press("enter")
        assert source.cursor_location == (line - 1, 0)


async def test_a_fixed_edit_saves_a_new_version_and_old_sessions_keep_theirs(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    [session_id] = seed_sessions(db, 1)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.summaries)
        app.screen.query_one("#rubrics", OptionList).highlighted = [s.id for s in app.screen.summaries].index(
            "llm-support-assistant"
        )
        await wait_until(pilot, lambda: app.screen.selected and app.screen.selected.id == "llm-support-assistant")
        editor = await open_editor(pilot, "e")
        await pilot.press("ctrl+b")  # a bundled question opens as a copy; edit the question itself
        source = editor.query_one("#source", TextArea)
        source.load_text(source.text.replace("minutes = 40", "minutes = 35", 1))
        await wait_until(pilot, lambda: editor.rubric is not None and editor.rubric.minutes == 35)
        await pilot.press("ctrl+s")
        await pilot.pause()
    repository = open_repository(f"sqlite:///{db}")
    assert repository.rubric_versions("llm-support-assistant") == [1, 2]
    assert repository.get_rubric("llm-support-assistant").rubric.minutes == 35
    assert repository.session_rubric(session_id).version == 1


async def test_the_editor_warns_of_a_pattern_that_finds_the_correction_but_still_saves(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, "c")
        source = editor.query_one("#source", TextArea)
        first = next(i for i, c in enumerate(editor.rubric.criteria) if c.misconceptions)  # its match list comes first
        correction = editor.rubric.criteria[first].misconceptions[0].correction
        echo = " ".join(re.findall(r"[a-z]+", correction.lower())[:3])  # the correction's own first words
        source.load_text(source.text.replace("match = [\n", f"match = [\n  '{echo}',\n", 1))
        await wait_until(pilot, lambda: editor.advice != [])
        [advice] = editor.advice
        assert (
            advice.field == f"criterion[{first}].misconception[0].match[0]"
            and "finds the correction too" in advice.message
        )
        options = editor.query_one("#problems", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0] == "No problems: ready to save." and "warning: finds the correction too" in prompts[1]
        rubric_id = editor.rubric.id
        await pilot.press("ctrl+s")  # advice does not block saving
        await wait_until(pilot, lambda: open_repository(f"sqlite:///{db}").get_rubric(rubric_id) is not None)


async def test_clone_makes_a_new_rubric(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, "c")
        original = app.screen_stack[-2].selected.id
        assert editor.rubric.id == f"{original}-copy"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert open_repository(f"sqlite:///{db}").get_rubric(f"{original}-copy") is not None


async def test_export_from_the_editor_to_an_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot, "n")
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, "PathScreen")
        app.screen.query_one("Input").value = str(tmp_path / "no" / "such" / "dir" / "r.toml")
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(n.title == "Export failed" for n in app._notifications))


async def test_history_resume_delete_regrade_and_json_export(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 3)
    repository = open_repository(f"sqlite:///{db}")
    with repository.database.session() as session:
        from interviewer.store.tables import SessionRow

        row = session.get(SessionRow, 2)
        row.status, row.ended_at = "active", None
        session.add(row)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app.open_history()
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and len(app.screen.sessions) == 3)
        history = app.screen
        table = history.query_one("#sessions", DataTable)
        statuses = [s.status.value for s in history.sessions]
        assert statuses.count("interrupted") == 1
        table.move_cursor(row=statuses.index("interrupted"))
        await pilot.press("r")
        await wait_for_screen(pilot, InterviewScreen)
        assert app.screen.interview.session_id == 2
        app.pop_screen()
        await wait_for_screen(pilot, HistoryScreen)

        table.move_cursor(row=0)
        first = history.sessions[0].id
        await pilot.press("g")  # re-grade
        await wait_until(pilot, lambda: any(n.title == "Re-graded" for n in app._notifications))

        target = tmp_path / "session.json"
        await pilot.press("x")
        await wait_for_screen(pilot, "PathScreen")
        app.screen.query_one("Input").value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, target.exists)
        assert json.loads(target.read_text())["session_id"] == first

        await wait_for_screen(pilot, HistoryScreen)
        await pilot.press("d")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and len(app.screen.sessions) == 2)
    assert open_repository(f"sqlite:///{db}").get_session(first) is None


async def test_history_filters_and_sorts(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    seed_sessions(db, 3)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app.open_history()
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and len(app.screen.sessions) == 3)
        history = app.screen
        assert [s.id for s in history.sessions] == [3, 2, 1]  # newest first
        history.query_one("#history-filter").value = "no-such-rubric"
        await wait_until(pilot, lambda: history.sessions == [] and not history.fetching)
        history.query_one("#history-filter").value = "support"
        await wait_until(pilot, lambda: len(history.sessions) == 3)
        history.order, history.descending = "started_at", False
        history.reload()
        await wait_until(pilot, lambda: [s.id for s in history.sessions] == [1, 2, 3])
        await pilot.press("enter")
        await wait_for_screen(pilot, TranscriptScreen)


async def test_history_loads_in_pages_as_the_cursor_nears_the_end(tmp_path: Path) -> None:
    import importlib.util

    from interviewer.tui.screens.history import PAGE

    spec = importlib.util.spec_from_file_location(
        "history_10k", Path(__file__).parents[2] / "benchmarks" / "history_10k.py"
    )
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    db = tmp_path / "many.db"
    generator.generate(db, 250)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app.open_history()
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.sessions)
        history = app.screen
        table = history.query_one("#sessions", DataTable)
        assert table.row_count == PAGE
        table.move_cursor(row=PAGE - 1)
        await wait_until(pilot, lambda: table.row_count == 2 * PAGE)
        table.move_cursor(row=2 * PAGE - 1)
        await wait_until(pilot, lambda: table.row_count == 250 and history.exhausted)


async def test_a_reviewer_sets_an_answers_label_from_the_transcript(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    [session_id] = seed_sessions(db, 1)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app.open_transcript(session_id)
        transcript = await wait_for_screen(pilot, TranscriptScreen)
        await wait_until(pilot, lambda: transcript.view is not None)
        assert transcript.view is not None and transcript.view.report is not None
        seq = transcript.view.report.grades[-1].turn
        await pilot.press("l")
        dialog = await wait_for_screen(pilot, "OverrideScreen")
        dialog.query_one("#override-turn", Input).value = str(seq)
        dialog.query_one("#override-label").value = AnswerLabel.CONFIDENT_WRONG
        dialog.query_one("#override-note", Input).value = "bluffed about GPUs"
        await pilot.click("#ok")
        await wait_until(pilot, lambda: any(n.title == "Label set" for n in app._notifications))
        await wait_until(
            pilot,
            lambda: (
                transcript.view is not None
                and transcript.view.report is not None
                and transcript.view.report.grades[-1].label is AnswerLabel.CONFIDENT_WRONG
            ),
        )
        titles = [str(w.border_title) for w in transcript.query(".turn").results(TurnView)]
        assert any(f"{seq}. You" in t and "confident wrong" in t for t in titles)
        assert any(
            "label set by" in w.source and "bluffed about GPUs" in w.source
            for w in transcript.query(".turn").results(TurnView)
        )


def test_the_new_rubric_template_is_valid_and_shows_every_table() -> None:
    from interviewer.rubric import parse_rubric
    from interviewer.tui.screens.editor import TEMPLATE

    rubric = parse_rubric(TEMPLATE, "template.toml")
    assert rubric.clarifications and rubric.criteria[0].misconceptions
    assert rubric.deep_dives and rubric.curveballs
