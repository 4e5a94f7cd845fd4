"""Shared plumbing of the commands: exit codes, the one-line error, the use cases, tables."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewer.usecases import Practice

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
PROVIDERS = ("offline", "openai", "openai-compatible", "anthropic")


class CommandError(Exception):
    """A failure to report as one line on stderr, with exit code 1."""


def practice(args: argparse.Namespace) -> Practice:
    """The use cases on the database the command line names (``--db``, else the default)."""
    from interviewer.usecases import Practice

    return Practice(args.db)


def write_output(text: str, output: str | None, written: str) -> None:
    """Write text to the file named by ``-o`` (saying ``written`` on standard error), or to standard output."""
    import sys
    from pathlib import Path

    if not output:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(written, file=sys.stderr)


def print_table(table: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell; the last column runs free. Cells are made terminal-safe."""
    from interviewer.render import terminal_safe

    table = [[terminal_safe(cell) for cell in row] for row in table]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
