"""One message of the conversation: Markdown rendered by Rich, one light widget per few paragraphs.

Streaming re-renders only the group of paragraphs being written, at most every ``INTERVAL`` seconds,
and a long reply stays a few dozen widgets, so the screen never re-lays out hundreds of them on every
fragment.
"""

from __future__ import annotations

import time

from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from interviewer.render import terminal_safe

INTERVAL = 0.05
GROUP = 12
"""Paragraphs per widget: few enough to re-render in a millisecond or two, many enough to keep widgets few."""


def grouped(text: str) -> list[str]:
    """The Markdown as the widgets show it: GROUP paragraphs to a widget."""
    blocks = split_blocks(text)
    return ["\n\n".join(blocks[i : i + GROUP]) for i in range(0, len(blocks), GROUP)]


def split_blocks(text: str) -> list[str]:
    """Markdown split at blank lines, never inside a fenced code block."""
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


class TurnView(Vertical):
    """A turn's text; ``append`` streams into it."""

    class Resized(Message):
        """The turn got a new size (its Markdown was laid out): what is below it moved."""

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())

    DEFAULT_CSS = """
    TurnView { height: auto; }
    TurnView > .block { height: auto; margin: 0 0 1 0; }
    """

    def __init__(
        self,
        text: str = "",
        *,
        as_typed: bool = False,
        notes: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``as_typed`` shows the text exactly as written (a candidate's answer), not as Markdown; ``notes``
        (Markdown) follow it, e.g. the grader's remarks on an answer."""
        super().__init__(id=id, classes=classes)
        self.as_typed = as_typed
        self.notes = notes
        self._text = text
        self._rendered: list[str] = []
        self._shown_at = 0.0
        self._pending = False

    @property
    def source(self) -> str:
        """The text of the turn so far, with its notes."""
        return f"{self._text}\n\n{self.notes}" if self.notes else self._text

    def compose(self) -> ComposeResult:
        if self.as_typed:
            yield Static(Text(terminal_safe(self._text).strip("\n")), classes="block typed")
        else:
            for block in grouped(terminal_safe(self._text)):
                self._rendered.append(block)
                yield Static(RichMarkdown(block), classes="block")
        for block in split_blocks(terminal_safe(self.notes)):
            yield Static(RichMarkdown(block), classes="block note")

    def append(self, fragment: str) -> None:
        """Add streamed text; the widget re-renders at most every INTERVAL seconds."""
        self._text += fragment
        now = time.monotonic()
        if now - self._shown_at >= INTERVAL:
            self._show()
        elif not self._pending:
            self._pending = True
            self.set_timer(INTERVAL - (now - self._shown_at), self._show)

    def finish(self, text: str | None = None) -> None:
        """Show the final text now (the engine's saved turn text, when given)."""
        if text is not None:
            self._text = text
        self._show()

    def _show(self) -> None:
        self._pending = False
        self._shown_at = time.monotonic()
        blocks = grouped(terminal_safe(self._text))
        statics = list(self.query_children(".block").results(Static))
        for index, block in enumerate(blocks):
            if index < len(statics):
                if index >= len(self._rendered) or self._rendered[index] != block:
                    statics[index].update(RichMarkdown(block))
            else:
                self.mount(Static(RichMarkdown(block), classes="block"))
        for extra in statics[len(blocks) :]:
            extra.remove()
        self._rendered = blocks
