"""The command line: a thin face over the rubric language and the store.

Exit codes: 0 success, 1 invalid input or a failure the message explains, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer import __version__, locations

if TYPE_CHECKING:
    from interviewer.rubric import Problem
    from interviewer.store import Repository

log = logging.getLogger("interviewer")

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report as one line on stderr, with exit code 1."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interviewer",
        description="Practise broad system-design and cloud-infrastructure interviews.",
    )
    parser.add_argument("--version", action="version", version=f"interviewer {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (env INTERVIEWER_DB; default: a file in the user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    rubrics = commands.add_parser("rubrics", help="list, validate, import and export rubrics")
    rubric_commands = rubrics.add_subparsers(dest="rubrics_command", metavar="ACTION", required=True)

    listing = rubric_commands.add_parser("list", help="the rubrics in the database")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=_rubrics_list)

    validate = rubric_commands.add_parser("validate", help="check rubric files; one line per problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(handler=_rubrics_validate)

    import_ = rubric_commands.add_parser("import", help="validate files, then import all or nothing")
    import_.add_argument("files", nargs="+", metavar="FILE")
    import_.set_defaults(handler=_rubrics_import)

    export = rubric_commands.add_parser("export", help="a rubric as TOML that imports back unchanged")
    export.add_argument("rubric_id", metavar="ID")
    export.add_argument("--version", type=int, dest="rubric_version", help="export this version (default: newest)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(handler=_rubrics_export)
    return parser


# -- rubric commands ---------------------------------------------------------------------------


def _load_files(files: Sequence[str]) -> tuple[list, list[Problem]]:
    from interviewer.rubric import Problem, RubricError, parse_rubric, read_rubric_text
    from interviewer.store import RubricInput

    inputs: list[RubricInput] = []
    problems: list[Problem] = []
    first_file: dict[str, str] = {}
    for name in files:
        try:
            text = read_rubric_text(Path(name), name)
            rubric = parse_rubric(text, name)
        except RubricError as exc:
            problems.extend(exc.problems)
            continue
        if rubric.id in first_file:
            problems.append(Problem(name, 1, "id", f"'{rubric.id}' is also the id of {first_file[rubric.id]}"))
            continue
        first_file[rubric.id] = name
        inputs.append(RubricInput(rubric, text, Path(name).name))
    return inputs, problems


def _report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _rubrics_validate(args: argparse.Namespace) -> int:
    inputs, problems = _load_files(args.files)
    if problems:
        _report_problems(problems)
        bad = len({p.file for p in problems})
        print(f"{bad} of {len(args.files)} file(s) invalid", file=sys.stderr)
        return EXIT_INVALID
    print(f"{len(inputs)} rubric file(s) valid")
    return EXIT_OK


def _rubrics_import(args: argparse.Namespace) -> int:
    inputs, problems = _load_files(args.files)
    if problems:
        _report_problems(problems)
        print("nothing imported: fix the problems above and import again", file=sys.stderr)
        return EXIT_INVALID
    for result in _repository(args).import_rubrics(inputs):
        if result.created:
            print(f"imported {result.id} as version {result.version}")
        else:
            print(f"{result.id} unchanged (version {result.version})")
    return EXIT_OK


def _rubrics_list(args: argparse.Namespace) -> int:
    summaries = _repository(args).list_rubrics()
    if args.json:
        rows = [
            {"id": s.id, "version": s.version, "title": s.title, "topic": s.topic, "difficulty": s.difficulty,
             "minutes": s.minutes, "tags": list(s.tags), "bundled": s.bundled}
            for s in summaries
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    table = [("ID", "VER", "LEVEL", "MIN", "TOPIC", "TITLE")]
    table += [(s.id, str(s.version), s.difficulty, str(s.minutes), s.topic, s.title) for s in summaries]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
    return EXIT_OK


def _rubrics_export(args: argparse.Namespace) -> int:
    repository = _repository(args)
    stored = repository.get_rubric(args.rubric_id, args.rubric_version)
    if stored is None:
        versions = repository.rubric_versions(args.rubric_id)
        if versions:
            raise CommandError(f"rubric '{args.rubric_id}' has no version {args.rubric_version} (it has {versions})")
        raise CommandError(f"no rubric '{args.rubric_id}'; 'interviewer rubrics list' shows the ids")
    text = stored.source if stored.source.endswith("\n") else stored.source + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        print(f"exported {stored.id} version {stored.version} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


# -- plumbing -----------------------------------------------------------------------------------


def _repository(args: argparse.Namespace) -> Repository:
    from interviewer.store import open_repository

    return open_repository(locations.database_url(args.db))


def _configure_logging() -> Path | None:
    path = locations.log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_OK
    log_path = _configure_logging()
    from interviewer.store import StoreError

    try:
        return handler(args)
    except (CommandError, StoreError) as exc:
        print(f"interviewer: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interviewer: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line for the user, the trace in the log
        log.exception("unexpected error in %s", args.command)
        where = f"; the full trace is in {log_path}" if log_path else ""
        print(f"interviewer: unexpected error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INVALID
