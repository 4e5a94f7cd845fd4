"""Shared plumbing of the commands: exit codes, the one-line error, the database, tables."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from interviewer import locations

if TYPE_CHECKING:
    from interviewer.store import Repository

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
PROVIDERS = ("offline", "openai", "openai-compatible", "anthropic")


class CommandError(Exception):
    """A failure to report as one line on stderr, with exit code 1."""


def open_store(args: argparse.Namespace) -> Repository:
    from interviewer.store import open_repository

    return open_repository(locations.database_url(args.db))


def print_table(table: list[tuple[str, ...]]) -> None:
    """Columns padded to their widest cell; the last column runs free."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
