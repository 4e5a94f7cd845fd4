"""Small modal screens: confirm, ask for a path, set an answer's label, and "make the window larger"."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from interviewer.domain import AnswerLabel

LABEL_CHOICES = [
    ("correct", AnswerLabel.CORRECT),
    ("partial", AnswerLabel.PARTIAL),
    ("I don't know", AnswerLabel.IDK),
    ("hedged wrong", AnswerLabel.HEDGED_WRONG),
    ("confident wrong", AnswerLabel.CONFIDENT_WRONG),
]


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no. The non-destructive choice has the focus, so Enter on opening never deletes or ends anything."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", *, no: str = "Cancel", destructive: bool = False) -> None:
        """`destructive` marks the yes button as the one that loses something (shown in the error colour)."""
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-question", markup=False)
            yield Label(f"y: {self.yes}   n or Esc: {self.no}", classes="dialog-keys", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="error" if self.destructive else "primary", id="yes")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class PathScreen(ModalScreen[str | None]):
    """Ask for a file path (to export to or import from)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="path.cancel")]

    def __init__(self, title: str, default: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-question")
            yield Input(value=self.default, id="path")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.query_one(Input).value.strip() or None if event.button.id == "ok" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class OverrideScreen(ModalScreen[tuple[int, AnswerLabel, str] | None]):
    """Ask a reviewer which answer gets which label, and why."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="override.cancel")]

    def __init__(self, answers: list[int], current: dict[int, AnswerLabel]) -> None:
        super().__init__()
        self.answers = answers
        self.current = current

    def compose(self) -> ComposeResult:
        first = self.answers[0]
        with Vertical(classes="dialog"):
            yield Label(
                f"Set the label of answer (turn {', '.join(map(str, self.answers))}):", classes="dialog-question"
            )
            yield Input(value=str(first), type="integer", id="override-turn")
            yield Select(
                LABEL_CHOICES,
                value=self.current.get(first, AnswerLabel.CORRECT),
                allow_blank=False,
                id="override-label",
            )
            yield Input(placeholder="Why (kept with your name)", id="override-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Set label", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "override-turn" and event.value.isdigit() and int(event.value) in self.current:
            self.query_one("#override-label", Select).value = self.current[int(event.value)]

    def on_input_submitted(self) -> None:
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._done() if event.button.id == "ok" else self.dismiss(None)

    def _done(self) -> None:
        raw = self.query_one("#override-turn", Input).value
        if not raw.isdigit() or int(raw) not in self.answers:
            self.notify(f"Turn {raw or '?'} is not an answer; answers are turns {self.answers}.", severity="warning")
            return
        label = self.query_one("#override-label", Select).value
        note = self.query_one("#override-note", Input).value.strip()
        self.dismiss((int(raw), AnswerLabel(str(label)), note))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[tuple[int | None, str] | None]):
    """Ask a reviewer for a note, on one turn or (no turn) on the whole session."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, turns: int, turn: int | None = None) -> None:
        super().__init__()
        self.turns = turns
        self.turn = turn

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                f"A review note on turn (1 to {self.turns}; empty: the whole session):", classes="dialog-question"
            )
            yield Input(value="" if self.turn is None else str(self.turn), type="integer", id="note-turn")
            yield Input(placeholder="The note (kept with your name and the time)", id="note-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add note", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    def on_input_submitted(self) -> None:
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._done() if event.button.id == "ok" else self.dismiss(None)

    def _done(self) -> None:
        raw = self.query_one("#note-turn", Input).value.strip()
        text = self.query_one("#note-text", Input).value.strip()
        if raw and (not raw.isdigit() or not 1 <= int(raw) <= self.turns):
            self.notify(f"There is no turn {raw}: choose 1 to {self.turns}, or none.", severity="warning")
            return
        if not text:
            self.notify("Write the note first.", severity="warning")
            return
        self.dismiss((int(raw) if raw else None, text))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TooSmallScreen(ModalScreen[None]):
    """Shown instead of a broken layout while the terminal is too small."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.need = (width, height)

    def compose(self) -> ComposeResult:
        width, height = self.need
        yield Static(
            f"The window is too small.\n\nMake the window larger: at least {width} columns by {height} rows.",
            id="too-small",
        )
