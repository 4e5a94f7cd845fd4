"""The rubric editor as a terminal user drives it: highlighting, find, go to line, problems in the gutter,
unsaved changes, bundled questions opened as copies, and its keys."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Label, TextArea

from interviewer.store import open_repository
from interviewer.tui.screens.editor import TEMPLATE, RubricEditorScreen
from interviewer.tui.screens.home import HomeScreen
from interviewer.tui.widgets import toml_editor
from interviewer.tui.widgets.toml_editor import LIGHT_THEME, PROBLEM_MARK

from .factory import make_app, wait_for_screen, wait_until

SIZE = (100, 32)
BUNDLED = "llm-support-assistant"


async def open_editor(pilot, text: str | None = None, *, clone: bool = False) -> RubricEditorScreen:  # type: ignore[no-untyped-def]
    """The editor on text (the template when None), opened as Home opens it."""
    await wait_for_screen(pilot, HomeScreen)
    pilot.app.open_editor(text, clone=clone)
    return await wait_for_screen(pilot, RubricEditorScreen)


def bundled_source(pilot) -> str:  # type: ignore[no-untyped-def]
    return pilot.app.practice.rubric(BUNDLED).source


def row_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n")


def shown(area: TextArea, row: int) -> bool:
    top = area.scroll_offset.y
    return top <= row < top + area.scrollable_content_region.height


def marked_rows(area: TextArea) -> set[int]:
    """The document lines shown with the problem mark in the line-number column."""
    top, gutter = area.scroll_offset.y, area.gutter_width
    starts = {
        area.wrapped_document.location_to_offset((row, 0)).y - top: row for row in range(area.document.line_count)
    }
    return {
        row
        for y, row in starts.items()
        if 0 <= y < area.size.height and PROBLEM_MARK in area.render_line(y).text[:gutter]
    }


def status(editor: RubricEditorScreen, widget_id: str) -> str:
    return str(editor.query_one(widget_id, Label).render())


async def test_the_toml_is_highlighted(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        source = editor.query_one("#source", TextArea)
        await pilot.pause()
        colours = {segment.style.color for segment in source.render_line(0) if segment.text.strip() and segment.style}
        assert source.language == "toml"
        assert len(colours) >= 3  # line number, key, string: not one colour for everything
        app.theme = "textual-light"  # syntax colours that read on a light background
        await wait_until(pilot, lambda: source.theme == LIGHT_THEME)
        app.theme = "textual-dark"
        await wait_until(pilot, lambda: source.theme == "css")


async def test_without_the_toml_grammar_the_editor_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tree_sitter_toml", None)  # importing it now fails
    toml_editor.toml_grammar_loads.cache_clear()
    try:
        app = make_app(tmp_path / "app.db")
        async with app.run_test(size=SIZE) as pilot:
            editor = await open_editor(pilot)
            source = editor.query_one("#source", TextArea)
            assert source.language is None
            source.load_text(TEMPLATE.replace("minutes = 30", "minutes = -1"))
            await wait_until(pilot, lambda: [p.field for p in editor.problems] == ["minutes"])
    finally:
        toml_editor.toml_grammar_loads.cache_clear()


async def test_find_selects_each_match_in_turn_wraps_round_and_says_when_there_is_none(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        source = editor.query_one("#source", TextArea)
        rows = [row for row, line in enumerate(TEMPLATE.splitlines()) if "criterion" in line.lower()]
        await pilot.press("ctrl+f")
        assert editor.query_one("#find", Input).has_focus
        await pilot.press(*"CRITERION")
        await wait_until(pilot, lambda: source.selection.start[0] == rows[0])
        assert source.selected_text == "criterion"
        assert status(editor, "#find-status") == f"1 of {len(rows)}"
        for row in [*rows[1:], rows[0]]:  # Enter goes on to the next, and round to the first again
            await pilot.press("enter")
            assert source.selection.start[0] == row and source.selected_text.lower() == "criterion"
            assert shown(source, row)
        await pilot.press("ctrl+u", *"no such words")
        await wait_until(pilot, lambda: status(editor, "#find-status") == "no match")
        await pilot.press("escape")
        assert source.has_focus and not editor.query_one("#find-bar").display
        assert isinstance(app.screen, RubricEditorScreen)  # Escape closed the bar, not the editor


async def test_go_to_line_moves_there_and_says_what_is_wrong_with_a_bad_number(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        source = editor.query_one("#source", TextArea)
        lines = source.document.line_count
        await pilot.press("ctrl+g", *"lots", "enter")
        assert status(editor, "#goto-status") == f"Not a line number: type one from 1 to {lines}."
        await pilot.press("ctrl+u", *"999", "enter")
        assert status(editor, "#goto-status") == f"There is no line 999; the last is {lines}."
        await pilot.press("ctrl+u", *str(lines - 1), "enter")
        await pilot.pause()
        assert source.cursor_location == (lines - 2, 0) and source.has_focus
        assert shown(source, lines - 2)
        assert not editor.query_one("#goto-bar").display


async def test_problem_lines_are_marked_in_the_gutter_and_ctrl_n_visits_them(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        source = editor.query_one("#source", TextArea)
        broken = (
            TEMPLATE.replace("minutes = 30", "minutes = -1")
            .replace("weight = 2", "weight = 0")
            .replace('reopens = ["approach"]', 'reopens = ["nowhere"]')
        )
        first, second, last = (row_of(broken, f) for f in ("minutes = -1", "weight = 0", '"nowhere"'))
        source.load_text(broken)
        await wait_until(pilot, lambda: len(editor.problems) == 3)
        await pilot.pause()
        assert marked_rows(source) == {first, second}  # the last is further down, out of view
        for row in (first, second, last):
            await pilot.press("ctrl+n")
            assert source.cursor_location == (row, 0)
        await pilot.pause()
        assert last in marked_rows(source)  # scrolled into view, marked
        await pilot.press("ctrl+n")
        assert source.cursor_location == (first, 0)  # round to the first again


async def test_unsaved_changes_are_shown_and_escape_asks_before_discarding_them(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        source = editor.query_one("#source", TextArea)
        assert source.border_subtitle == "not saved yet" and editor.leaving_question() is None
        source.move_cursor(source.document.end)
        await pilot.press(*"# a note")
        assert source.border_subtitle == "● modified"
        assert editor.leaving_question() == "Discard your unsaved changes to my-question?"
        await pilot.press("escape")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("n")
        await wait_for_screen(pilot, RubricEditorScreen)
        assert source.text.endswith("# a note")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: source.border_subtitle == "saved")
        assert editor.leaving_question() is None
        await pilot.press("backspace")
        assert source.border_subtitle == "● modified"
        await pilot.press("escape")
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_for_screen(pilot, HomeScreen)
    assert open_repository(f"sqlite:///{db}").get_rubric("my-question").source.endswith("# a note")


async def test_a_bundled_question_opens_as_a_copy_under_a_free_id(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        original = bundled_source(pilot)
        editor = await open_editor(pilot, original, clone=True)  # an earlier copy takes the first free id
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: editor.query_one("#source").border_subtitle == "saved")
        await pilot.press("escape")
        editor = await open_editor(pilot, original)
        notice = editor.query_one("#editor-notice", Label)
        assert notice.display
        assert str(notice.render()).startswith(
            f"Editing a copy of the bundled question {BUNDLED}: saving creates {BUNDLED}-copy-2"
        )
        assert editor.leaving_question() is None  # nothing of the user's yet
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any(n.title == "Saved" for n in app._notifications))
        assert not notice.display
    repository = open_repository(f"sqlite:///{db}")
    assert repository.get_rubric(f"{BUNDLED}-copy-2") is not None
    assert repository.rubric_versions(BUNDLED) == [1] and repository.get_rubric(BUNDLED).bundled


async def test_ctrl_b_edits_the_bundled_question_itself_and_saving_replaces_it(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        original = bundled_source(pilot)
        editor = await open_editor(pilot, original)
        source = editor.query_one("#source", TextArea)
        notice = editor.query_one("#editor-notice", Label)
        await pilot.press("ctrl+b")
        assert source.text == original and source.border_subtitle == "saved"
        assert str(notice.render()).startswith(f"Editing the bundled question {BUNDLED} itself")
        await pilot.press("ctrl+b")  # and back to the copy
        assert f'id = "{BUNDLED}-copy"' in source.text
        await pilot.press("ctrl+z", "ctrl+z")  # the switch is an edit like any other
        await wait_until(pilot, lambda: source.text == original)
        await pilot.press("ctrl+f", *"minutes = 40", "escape", *"minutes = 35")  # typing replaces the match
        await wait_until(pilot, lambda: source.border_subtitle == "● modified")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any("replaces the bundled question" in n.message for n in app._notifications))
    stored = open_repository(f"sqlite:///{db}").get_rubric(BUNDLED)
    assert stored.rubric.minutes == 35 and not stored.bundled


async def test_ctrl_o_imports_a_file_after_asking_and_ctrl_r_exports_the_text(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app.db")
    imported = tmp_path / "mine.toml"
    imported.write_text(TEMPLATE.replace("my-question", "from-a-file"), encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        source = editor.query_one("#source", TextArea)
        await pilot.press("ctrl+r")
        dialog = await wait_for_screen(pilot, "PathScreen")
        dialog.query_one(Input).value = str(tmp_path / "out.toml")
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "out.toml").exists())
        assert (tmp_path / "out.toml").read_text(encoding="utf-8") == TEMPLATE

        await wait_for_screen(pilot, RubricEditorScreen)
        await pilot.press("x")
        await pilot.press("ctrl+o")
        await wait_for_screen(pilot, "ConfirmScreen")  # the typed x would be lost
        await pilot.press("y")
        dialog = await wait_for_screen(pilot, "PathScreen")
        dialog.query_one(Input).value = str(imported)
        await pilot.press("enter")
        await wait_until(pilot, lambda: editor.rubric is not None and editor.rubric.id == "from-a-file")
        assert source.border_title == "from-a-file.toml" and source.border_subtitle == "not saved yet"
