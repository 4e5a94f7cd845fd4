"""Rubric editor: highlighted TOML with live validation, problems marked beside the text, find, a preview, save
as a new version; a bundled question opens as a copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Label, Markdown, OptionList, TextArea
from textual.widgets.option_list import Option

from interviewer.rubric import Problem, Rubric, RubricError, RubricInput, parse_rubric, read_rubric_text
from interviewer.scoring.advice import rubric_advice
from interviewer.tui.base import AppScreen
from interviewer.tui.dialogs import ConfirmScreen, PathScreen
from interviewer.tui.widgets.toml_editor import TomlArea, TomlEditor

TEMPLATE = '''id = "my-question"
title = "A short title for the question"
topic = "Caching"
tags = ["caching"]
difficulty = "mid"            # junior | mid | senior | staff
minutes = 30
confidence_target = 0.75      # a confident wrong answer costs t/(1-t) = 3 points

question = """
A deliberately broad question: what would you build, and why?
"""

[[clarification]]             # a fact revealed only when the candidate asks
about = "scale"
asks = ["how many users", "traffic", "peak"]
answer = "About 10,000 requests per second at peak."

[[criterion]]
id = "approach"
title = "The main approach"
weight = 2
concepts = [
  { name = "an idea a good answer names", phrases = ["phrase one", "phrase two"] },
]
follow_ups = ["What would you do first, and why?"]

[[criterion.misconception]]
claim = "A confidently wrong claim"
match = ['wrong.{0,20}claim']
correction = "What is actually true."

[criterion.levels]
0 = "Not addressed."
2 = "Names the idea without weighing it."
4 = "Weighs the options against the requirements."

[[deep_dive]]                 # a harder question for the deep-dive phase
criterion = "approach"
ask = "Traffic grows tenfold. What breaks first, and what do you change?"
strong = ["names the first bottleneck", "a measured way to find it"]   # shown after the interview

[[curveball]]                 # a change of brief in the middle of the interview
say = "The budget has just been cut by half."
reopens = ["approach"]        # the criteria it re-opens
'''

SOURCE_NAME = "editor.toml"
VALIDATE_AFTER = 0.3
"""Seconds of quiet typing before the text is validated again."""


def cloned(text: str, rubric: Rubric, new_id: str | None = None) -> str:
    """The text with a new id (and title) so saving creates a new rubric, not a version of the old."""
    new_id = new_id or f"{rubric.id}-copy"
    return text.replace(f'id = "{rubric.id}"', f'id = "{new_id}"', 1).replace(
        f'title = "{rubric.title}"', f'title = "{rubric.title} (copy)"', 1
    )


def copy_ids(rubric_id: str) -> Iterator[str]:
    """The ids a copy of rubric_id may take, in the order they are tried: id-copy, id-copy-2, id-copy-3..."""
    yield f"{rubric_id}-copy"
    for number in count(2):
        yield f"{rubric_id}-copy-{number}"


def written_id(text: str) -> str | None:
    """The rubric's id as written before its first table; read even while the rest of the text does not parse."""
    head = re.split(r"^\s*\[", text, maxsplit=1, flags=re.MULTILINE)[0]
    found = re.search(r"""^\s*id\s*=\s*["']([^"'\n]*)["']""", head, re.MULTILINE)
    return found.group(1) if found else None


@dataclass(frozen=True)
class BundledOrigin:
    """The bundled question the editor opened a copy of: the two texts it can edit and their ids."""

    id: str
    title: str
    source: str
    copy_id: str
    copy_text: str


class RubricEditorScreen(AppScreen):
    """Write or change a rubric; saving stores a new version (earlier sessions keep theirs)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True),
        Binding("ctrl+f", "find", "Find", id="editor.find"),
        Binding("ctrl+g", "go_to_line", "Go to line", id="editor.goto"),
        Binding("ctrl+n", "next_problem", "Next problem", id="editor.problem"),
        # Escape has priority: the text area would otherwise take it to move the focus (Tab indents there).
        Binding("escape", "close_bars", "Close", id="editor.close-bar", priority=True),
        Binding("escape", "back", "Back", id="editor.back", priority=True),
        Binding("ctrl+o", "import_file", "Import", id="editor.import"),
        Binding("ctrl+r", "export_file", "Export", id="editor.export"),
        Binding("ctrl+b", "switch_bundled", "Copy or original", id="editor.bundled"),
    ]

    def __init__(self, text: str | None = None, *, clone: bool = False) -> None:
        """Edit text (a new rubric from the template when None); ``clone`` gives it a new id first.

        A bundled question's text opens as a copy too (see ``BundledOrigin``), unless ``clone`` already asked.
        """
        super().__init__()
        self.given = TEMPLATE if text is None else text
        self.clone = clone
        self.problems: list[Problem] = []
        self.advice: list[Problem] = []
        self.rubric: Rubric | None = None
        self.origin: BundledOrigin | None = None
        self.saved_text = self.given
        """The text as last saved or loaded: the editor says "modified" when the text differs from it."""
        self.saved_in_store = text is not None and not clone
        self.switch_target: str | None = None
        """The id Ctrl+B gives the text (the bundled question's or its copy's); None when it does not apply."""
        self._timer: Timer | None = None
        self.sub_title = "Rubric editor"  # set before the header mounts, never after

    def compose(self) -> ComposeResult:
        self.saved_text = self._opening_text()
        yield Header()
        yield Label("", id="editor-notice")
        with Horizontal(id="editor"):
            yield TomlEditor(self.saved_text, id="editor-main")
            with Vertical(id="editor-side"):
                yield Label("Problems", classes="section")
                yield OptionList(id="problems")
                yield Label("Preview", classes="section")
                with VerticalScroll(id="editor-preview-scroll"):
                    yield Markdown("", id="editor-preview")
        yield Footer()

    def _opening_text(self) -> str:
        """The text to edit first: a copy under a free id when cloning or when the text is a bundled question's."""
        from interviewer.usecases import PracticeError

        try:
            rubric = parse_rubric(self.given, SOURCE_NAME)
            bundled = not self.clone and self.practice.rubric(rubric.id).bundled
        except (RubricError, PracticeError):
            return self.given
        if not (self.clone or bundled):
            return self.given
        copy_id = next(c for c in copy_ids(rubric.id) if not self.practice.rubric_versions(c))
        text = cloned(self.given, rubric, copy_id)
        self.saved_in_store = False
        if bundled and written_id(text) == copy_id:
            self.origin = BundledOrigin(rubric.id, rubric.title, self.given, copy_id, text)
        return text

    def on_mount(self) -> None:
        self.validate_now()
        self._show_state()
        self.source.focus()

    @property
    def source(self) -> TomlArea:
        return self.query_one("#source", TomlArea)

    @on(TextArea.Changed, "#source")
    def _changed(self) -> None:
        self._show_state()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(VALIDATE_AFTER, self.validate_now)

    # -- what the text is: modified or saved, a copy or the bundled question ------------------------------

    def _baseline(self, text: str) -> tuple[str, bool]:
        """The text this one is compared with to say "modified", and whether that text is in the store."""
        if self.origin is not None:
            if written_id(text) == self.origin.id:
                return self.origin.source, True
            if written_id(text) == self.origin.copy_id:
                return self.origin.copy_text, False
        return self.saved_text, self.saved_in_store

    @property
    def modified(self) -> bool:
        """The text differs from what was last saved or loaded."""
        text = self.source.text
        return text != self._baseline(text)[0]

    def leaving_question(self) -> str | None:
        """The question to ask before these edits are thrown away; None when leaving loses nothing."""
        if not self.modified:
            return None
        return f"Discard your unsaved changes to {written_id(self.source.text) or 'this rubric'}?"

    def _show_state(self) -> None:
        text = self.source.text
        rubric_id = written_id(text)
        baseline, stored = self._baseline(text)
        self.source.border_title = f"{rubric_id or 'rubric'}.toml"
        self.source.border_subtitle = "● modified" if text != baseline else "saved" if stored else "not saved yet"
        self.switch_target = self._switch_to(rubric_id)
        notice = self.query_one("#editor-notice", Label)
        notice.update(self._notice(rubric_id))
        notice.display = self.switch_target is not None
        self.refresh_bindings()

    def _notice(self, rubric_id: str | None) -> str:
        origin = self.origin
        if origin is None:
            return ""
        if rubric_id == origin.copy_id:
            return (
                f"Editing a copy of the bundled question {origin.id}: saving creates {origin.copy_id} and leaves"
                f" {origin.id} as it is. Ctrl+B edits {origin.id} itself."
            )
        return (
            f"Editing the bundled question {origin.id} itself: saving makes your version replace it, and app"
            f" updates will no longer change it. Ctrl+B edits a copy instead."
        )

    def _switch_to(self, rubric_id: str | None) -> str | None:
        """The id Ctrl+B would give the text: the bundled question's from its copy's, and back."""
        if self.origin is None or rubric_id not in (self.origin.id, self.origin.copy_id):
            return None
        return self.origin.id if rubric_id == self.origin.copy_id else self.origin.copy_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_bundled":
            return self.switch_target is not None
        if action in ("close_bars", "back"):
            bar_open = self.is_mounted and self.query_one(TomlEditor).bar_open
            return bar_open == (action == "close_bars")
        return True

    def action_switch_bundled(self) -> None:
        origin, current, target = self.origin, written_id(self.source.text), self.switch_target
        if origin is None or target is None:
            return
        titles = (origin.title, f"{origin.title} (copy)")
        old_title, new_title = titles if target == origin.copy_id else titles[::-1]
        self._rewrite(f'id = "{current}"', f'id = "{target}"')
        self._rewrite(f'title = "{old_title}"', f'title = "{new_title}"')
        self.validate_now()

    def _rewrite(self, old: str, new: str) -> None:
        """Replace the first ``old`` in the text, undoably (Ctrl+Z)."""
        index = self.source.text.find(old)
        if index >= 0:
            locate = self.source.location_of
            self.source.replace(new, locate(index), locate(index + len(old)))

    # -- validation and problems ------------------------------------------------------------------------

    def validate_now(self) -> None:
        text = self.source.text
        try:
            self.rubric = parse_rubric(text, SOURCE_NAME)
            self.problems = []
        except RubricError as exc:
            self.rubric = None
            self.problems = exc.problems
        self.source.problem_lines = frozenset(problem.line for problem in self.problems)
        options = self.query_one("#problems", OptionList)
        options.clear_options()
        if not self.problems:
            options.add_option(Option("No problems: ready to save.", id="ok", disabled=True))
        for index, problem in enumerate(self.problems):
            options.add_option(Option(f"line {problem.line}: {problem.field}\n{problem.message}", id=str(index)))
        # advice on a valid rubric (patterns that miss their claim or find its correction): worth fixing, not blocking
        self.advice = rubric_advice(self.rubric, text, SOURCE_NAME) if self.rubric is not None else []
        for index, advice in enumerate(self.advice):
            options.add_option(Option(f"line {advice.line}: {advice.field}\n{advice.message}", id=f"advice-{index}"))
        self._preview()

    def _preview(self) -> None:
        preview = self.query_one("#editor-preview", Markdown)
        if self.rubric is None:
            preview.update(f"*{len(self.problems)} problem(s) to fix before the question can be previewed.*")
            return
        r = self.rubric
        preview.update(
            f"### {r.title}\n\n{r.question.strip()}\n\n*{r.topic} · {r.difficulty} · {r.minutes} min · "
            f"{len(r.clarifications)} facts · {len(r.criteria)} criteria · "
            f"{sum(len(c.misconceptions) for c in r.criteria)} misconceptions*"
        )

    @on(OptionList.OptionSelected, "#problems")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id.isdigit():
            self._go_to(self.problems[int(event.option.id)])
        elif event.option.id and event.option.id.startswith("advice-"):
            self._go_to(self.advice[int(event.option.id.removeprefix("advice-"))])

    def _go_to(self, problem: Problem) -> None:
        self.source.go_to_line(max(1, problem.line))
        self.source.focus()

    def action_next_problem(self) -> None:
        if not self.problems:
            self.notify("There are no problems to go to.", title="No problems")
            return
        row = self.source.cursor_location[0] + 1
        later = [p for p in self.problems if p.line > row]
        self._go_to(later[0] if later else self.problems[0])

    # -- find and go to line (the TomlEditor's bars) ---------------------------------------------------

    def action_find(self) -> None:
        self.query_one(TomlEditor).open_find()

    def action_go_to_line(self) -> None:
        self.query_one(TomlEditor).open_go_to_line()

    def action_close_bars(self) -> None:
        self.query_one(TomlEditor).close_bars()

    # -- saving, files, leaving -------------------------------------------------------------------------

    def action_save(self) -> None:
        self.validate_now()
        if self.rubric is None:
            self.notify(
                f"Fix the {len(self.problems)} problem(s) first; nothing was saved.",
                title="Not saved",
                severity="error",
            )
            return
        text = self.source.text
        try:
            [result] = self.practice.import_rubrics([RubricInput(self.rubric, text, f"{self.rubric.id}.toml")])
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.saved_text, self.saved_in_store, self.origin = text, True, None
        self._show_state()
        if result.created and result.replaced_bundled:
            self.notify(
                f"Saved {result.id} as version {result.version}. It now replaces the bundled question of that id;"
                f" app updates will not change it ('interviewer rubrics restore {result.id}' undoes this).",
                title="Saved",
            )
        elif result.created:
            self.notify(f"Saved {result.id} as version {result.version}.", title="Saved")
        else:
            self.notify(f"{result.id} is unchanged (version {result.version}).", title="Nothing new to save")

    def action_import_file(self) -> None:
        def chosen(path: str | None) -> None:
            if not path:
                return
            try:
                text = read_rubric_text(Path(path).expanduser(), path)
            except RubricError as exc:
                self.notify(str(exc), title="Cannot import", severity="error")
                return
            self.source.replace(text, (0, 0), self.source.document.end)  # undoable, unlike load_text
            self.source.move_cursor((0, 0))
            self.saved_text, self.saved_in_store, self.origin = text, False, None
            self.validate_now()
            self._show_state()

        def confirmed(replace: bool | None) -> None:
            if replace:
                self.app.push_screen(PathScreen("Import a rubric file:", str(Path.cwd()) + "/"), chosen)

        if not self.modified:
            confirmed(True)
        else:
            question = f"Replace your unsaved changes to {written_id(self.source.text) or 'this rubric'} with a file?"
            self.app.push_screen(ConfirmScreen(question, yes="Replace"), confirmed)

    def action_export_file(self) -> None:
        name = f"{written_id(self.source.text) or 'rubric'}.toml"

        def chosen(path: str | None) -> None:
            if not path:
                return
            try:
                Path(path).expanduser().write_text(self.source.text, encoding="utf-8")
            except OSError as exc:
                self.notify(f"Cannot write {path}: {exc.strerror or exc}.", title="Export failed", severity="error")
                return
            self.notify(f"Written to {path}.", title="Exported")

        self.app.push_screen(PathScreen("Export the rubric to:", str(Path.cwd() / name)), chosen)

    def action_back(self) -> None:
        question = self.leaving_question()
        if question is None:
            self.app.pop_screen()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(question, yes="Discard"), answered)
