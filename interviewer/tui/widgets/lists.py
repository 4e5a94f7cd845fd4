"""Lists and tables that also move with j and k, as terminal users expect, and cells cut to fit."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, OptionList


class KeyedOptionList(OptionList):
    """An OptionList that j and k move through."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class KeyedDataTable(DataTable[str]):
    """A DataTable that j and k move through."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


def clip(text: str, width: int) -> str:
    """The text cut to ``width`` terminal cells, ending in "…" when it was longer (Rich measures wide characters)."""
    cut = Text(text)
    cut.truncate(width, overflow="ellipsis")
    return cut.plain
