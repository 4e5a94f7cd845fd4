"""The rubric editor's text: TOML highlighted when its grammar loads, problem lines marked in the gutter, and a
find bar and a go-to-line bar under it."""

from __future__ import annotations

import re
from functools import cache
from importlib import import_module
from typing import ClassVar, cast

from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Offset
from textual.reactive import reactive
from textual.strip import Strip
from textual.theme import Theme
from textual.widgets import Input, Label, TextArea
from textual.widgets.text_area import Document, Location, Selection, TextAreaTheme

LIGHT_THEME = "css-light"
"""Textual's "css" text theme (colours from the app's theme) with syntax colours readable on a light background."""
PROBLEM_MARK = "●"
"""Drawn between a line's number and its text when the line has a problem."""


@cache
def toml_grammar_loads() -> bool:
    """True when tree-sitter and its TOML grammar load here; without them the text is shown plain."""
    try:
        from tree_sitter import Language

        Language(import_module("tree_sitter_toml").language())
    except Exception:  # noqa: BLE001 - missing, or built for another tree-sitter: either way no highlighting
        return False
    return True


class TomlArea(TextArea):
    """A code editor for a rubric's TOML: highlighting, line numbers, problem lines marked, find and go to line."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"toml-area--problem"}
    DEFAULT_CSS = """
    TomlArea > .toml-area--problem { color: $error; text-style: bold; }
    """

    problem_lines: reactive[frozenset[int]] = reactive(frozenset[int]())
    """The numbers (from 1) of the lines that have a problem: the gutter marks them."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(
            text,
            language="toml" if toml_grammar_loads() else None,
            show_line_numbers=True,
            tab_behavior="indent",
            id=id,
        )

    def on_mount(self) -> None:
        light = TextAreaTheme.get_builtin_theme("github_light")
        self.register_theme(TextAreaTheme(LIGHT_THEME, syntax_styles=light.syntax_styles if light else {}))
        self.app.theme_changed_signal.subscribe(self, self._follow_app_theme)
        self._follow_app_theme(self.app.current_theme)

    def _follow_app_theme(self, theme: Theme) -> None:
        self.theme = "css" if theme.dark else LIGHT_THEME  # "css" has dark-background syntax colours

    def render_line(self, y: int) -> Strip:
        """The line as TextArea draws it, with the problem mark in the gutter when its line has a problem."""
        strip = super().render_line(y)
        row = self._row_starting_at(y)
        if row is None or row + 1 not in self.problem_lines or not self.gutter_width:
            return strip
        gutter, text = strip.crop(0, self.gutter_width), strip.crop(self.gutter_width)
        plain = next(iter(gutter)).style or Style()
        marked = plain + self.get_component_rich_style("toml-area--problem", partial=True)
        numbers = gutter.text[:-2]
        mark = Strip([Segment(numbers, marked), Segment(PROBLEM_MARK, marked), Segment(" ", plain)], self.gutter_width)
        return Strip.join([mark, text])

    def _row_starting_at(self, y: int) -> int | None:
        """The document line whose first screen row is row y of the widget (a wrapped line's others are not)."""
        offset_y = y + self.scroll_offset.y
        if offset_y >= self.wrapped_document.height:
            return None
        row, _ = self.wrapped_document.offset_to_location(Offset(0, offset_y))
        return row if self.wrapped_document.location_to_offset((row, 0)).y == offset_y else None

    def find(self, needle: str, *, again: bool = False) -> tuple[int, int] | None:
        """Select the next match of needle (case-insensitive), wrapping round at the end, and show it.

        The search starts at the selection's start, so a growing needle keeps its match; ``again`` starts
        after the selection instead (the next match). Returns (which match, of how many), or None when none.
        """
        spans = [match.span() for match in re.finditer(re.escape(needle), self.text, re.IGNORECASE)] if needle else []
        if not spans:
            return None
        top, bottom = sorted(self.selection)
        origin = self.index_of(bottom if again else top)
        number = next((index for index, (start, _) in enumerate(spans) if start >= origin), 0)
        start, end = spans[number]
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible(center=True)
        return number + 1, len(spans)

    @property
    def _lines(self) -> Document:
        return cast(Document, self.document)  # a TextArea builds a Document (or the SyntaxAwareDocument subclass)

    def location_of(self, index: int) -> Location:
        """The (row, column) of the character at ``index`` of ``text``."""
        return self._lines.get_location_from_index(index)

    def index_of(self, location: Location) -> int:
        """Where the character at ``location`` is in ``text``."""
        return self._lines.get_index_from_location(location)

    def go_to_line(self, number: int) -> None:
        """Put the cursor at the start of line ``number`` (from 1) and scroll it into the middle of the view."""
        self.move_cursor((number - 1, 0), center=True)


class TomlEditor(Vertical):
    """A TomlArea (``#source``) with a find bar and a go-to-line bar that open under it, one at a time."""

    DEFAULT_CSS = """
    TomlEditor {
        & > TomlArea { height: 1fr; }
        & > .bar { height: 1; display: none; }
        & > .bar Label { width: auto; padding: 0 1; }
        & > .bar .-error { color: $text-error; }
        #find { width: 1fr; }
        #goto { width: 10; }
        #goto-status { width: 1fr; }
    }
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.initial = text

    def compose(self) -> ComposeResult:
        yield TomlArea(self.initial, id="source")
        with Horizontal(id="find-bar", classes="bar"):
            yield Label("Find:")
            yield Input(placeholder="any case; Enter: next match", id="find", compact=True)
            yield Label("", id="find-status")
        with Horizontal(id="goto-bar", classes="bar"):
            yield Label("Go to line:")
            yield Input(id="goto", compact=True)
            yield Label("", id="goto-status")

    @property
    def source(self) -> TomlArea:
        return self.query_one("#source", TomlArea)

    @property
    def bar_open(self) -> bool:
        """The find or the go-to-line bar is showing."""
        return any(bar.display for bar in self.query(".bar"))

    def _open_bar(self, bar_id: str) -> Input:
        for bar in self.query(".bar"):
            bar.display = bar.id == bar_id
        self.screen.refresh_bindings()  # Escape now closes the bar
        field = self.query_one(f"#{bar_id} Input", Input)
        field.focus()
        return field

    def close_bars(self) -> None:
        """Hide the bars and give the text the focus back (a found match stays selected)."""
        for bar in self.query(".bar"):
            bar.display = False
        self.screen.refresh_bindings()
        self.source.focus()

    def open_find(self) -> None:
        """Open the find bar, on the selected text when one line of it is selected, and find as it is typed."""
        field = self.query_one("#find", Input)
        selected = self.source.selected_text
        if selected and "\n" not in selected and selected != field.value:
            field.value = selected  # the match is already selected, and Changed finds it
        elif field.value:
            self._find(field.value, again=False)
        self._open_bar("find-bar")

    @on(Input.Changed, "#find")
    def _find_as_typed(self, event: Input.Changed) -> None:
        self._find(event.value, again=False)

    @on(Input.Submitted, "#find")
    def _find_next(self, event: Input.Submitted) -> None:
        self._find(event.value, again=True)

    def _find(self, needle: str, *, again: bool) -> None:
        status = self.query_one("#find-status", Label)
        found = self.source.find(needle, again=again)
        status.set_class(bool(needle) and found is None, "-error")
        if not needle:
            status.update("")
        elif found is None:
            status.update("no match")
        else:
            status.update(f"{found[0]} of {found[1]}")

    def open_go_to_line(self) -> None:
        """Open the go-to-line bar, empty, its placeholder saying which lines there are."""
        lines = self.source.document.line_count
        self.query_one("#goto-status", Label).update("")
        field = self._open_bar("goto-bar")
        field.value, field.placeholder = "", f"1 to {lines}"

    @on(Input.Submitted, "#goto")
    def _go_to_line(self, event: Input.Submitted) -> None:
        raw, lines = event.value.strip(), self.source.document.line_count
        status = self.query_one("#goto-status", Label)
        status.add_class("-error")
        if not raw:
            status.update(f"Type a line number, 1 to {lines}.")
        elif not (raw.isascii() and raw.isdigit()):
            status.update(f"Not a line number: type one from 1 to {lines}.")
        elif not 1 <= int(raw) <= lines:
            status.update(f"There is no line {int(raw)}; the last is {lines}.")
        else:
            self.close_bars()
            self.source.go_to_line(int(raw))
