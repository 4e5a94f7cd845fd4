"""Text made safe to show: nothing a terminal would obey, nothing Markdown would turn into markup.

Kept apart from rendering, with the standard library only, so the first screen can use it cheaply.
"""

from __future__ import annotations

import re

__all__ = ["markdown_escape", "terminal_safe"]

_TERMINAL_UNSAFE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI sequences: colours, cursor moves, erasing
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC sequences: window titles, hyperlinks, clipboard
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the same, introduced by the one-byte C1 CSI
    r"|\x1b[@-~]?"  # any other escape
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # C0 controls but tab and newline, DEL, C1 controls
    r"|[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"  # bidirectional overrides that spoof text
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&])")


def terminal_safe(text: str) -> str:
    """Text with everything a terminal would obey removed: escape sequences, control and bidi characters."""
    return _TERMINAL_UNSAFE.sub("", text)


def markdown_escape(text: str) -> str:
    """Candidate (or model) text as literal Markdown: no links, HTML, emphasis or headings can come of it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", terminal_safe(text))
