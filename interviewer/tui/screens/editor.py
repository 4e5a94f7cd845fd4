"""Rubric editor: TOML with live validation, problems beside the text, a preview, save as a new version."""

from __future__ import annotations

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
from interviewer.tui.base import AppScreen
from interviewer.tui.dialogs import PathScreen

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


def cloned(text: str, rubric: Rubric) -> str:
    """The text with a new id (and title) so saving creates a new rubric, not a version of the old."""
    return text.replace(f'id = "{rubric.id}"', f'id = "{rubric.id}-copy"', 1).replace(
        f'title = "{rubric.title}"', f'title = "{rubric.title} (copy)"', 1
    )


class RubricEditorScreen(AppScreen):
    """Write or change a rubric; saving stores a new version (earlier sessions keep theirs)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save version", id="editor.save", priority=True),
        Binding("f2", "import_file", "Import file", id="editor.import"),
        Binding("f3", "export_file", "Export file", id="editor.export"),
        Binding("f4", "next_problem", "Next problem", id="editor.problem"),
        Binding("escape", "back", "Back", id="editor.back"),
    ]

    def __init__(self, text: str | None = None, *, clone: bool = False) -> None:
        """Edit text (a new rubric from the template when None); ``clone`` gives it a new id first."""
        super().__init__()
        text = TEMPLATE if text is None else text
        self.problems: list[Problem] = []
        self.rubric: Rubric | None = None
        self._timer: Timer | None = None
        if clone:
            try:
                text = cloned(text, parse_rubric(text, SOURCE_NAME))
            except RubricError:
                pass
        self.initial = text
        self.sub_title = "Rubric editor"  # set before the header mounts, never after

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="editor"):
            yield TextArea(self.initial, id="source", show_line_numbers=True, tab_behavior="indent")
            with Vertical(id="editor-side"):
                yield Label("Problems", classes="section")
                yield OptionList(id="problems")
                yield Label("Preview", classes="section")
                with VerticalScroll(id="editor-preview-scroll"):
                    yield Markdown("", id="editor-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.validate_now()
        self.query_one("#source", TextArea).focus()

    @on(TextArea.Changed, "#source")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.3, self.validate_now)

    def validate_now(self) -> None:
        text = self.query_one("#source", TextArea).text
        try:
            self.rubric = parse_rubric(text, SOURCE_NAME)
            self.problems = []
        except RubricError as exc:
            self.rubric = None
            self.problems = exc.problems
        options = self.query_one("#problems", OptionList)
        options.clear_options()
        if not self.problems:
            options.add_option(Option("No problems: ready to save.", id="ok", disabled=True))
        for index, problem in enumerate(self.problems):
            options.add_option(Option(f"line {problem.line}: {problem.field}\n{problem.message}", id=str(index)))
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

    def _go_to(self, problem: Problem) -> None:
        source = self.query_one("#source", TextArea)
        source.move_cursor((max(0, problem.line - 1), 0))
        source.focus()

    def action_next_problem(self) -> None:
        if self.problems:
            row = self.query_one("#source", TextArea).cursor_location[0] + 1
            later = [p for p in self.problems if p.line > row]
            self._go_to(later[0] if later else self.problems[0])

    def action_save(self) -> None:
        self.validate_now()
        if self.rubric is None:
            self.notify(
                f"Fix the {len(self.problems)} problem(s) first; nothing was saved.",
                title="Not saved",
                severity="error",
            )
            return
        text = self.query_one("#source", TextArea).text
        try:
            [result] = self.practice.import_rubrics([RubricInput(self.rubric, text, f"{self.rubric.id}.toml")])
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), title="Not saved", severity="error")
            return
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
            self.query_one("#source", TextArea).load_text(text)
            self.validate_now()

        self.app.push_screen(PathScreen("Import a rubric file:", str(Path.cwd()) + "/"), chosen)

    def action_export_file(self) -> None:
        name = f"{self.rubric.id}.toml" if self.rubric else "rubric.toml"

        def chosen(path: str | None) -> None:
            if not path:
                return
            try:
                Path(path).expanduser().write_text(self.query_one("#source", TextArea).text, encoding="utf-8")
            except OSError as exc:
                self.notify(f"Cannot write {path}: {exc.strerror or exc}.", title="Export failed", severity="error")
                return
            self.notify(f"Written to {path}.", title="Exported")

        self.app.push_screen(PathScreen("Export the rubric to:", str(Path.cwd() / name)), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
