"""The command line: a thin face over the rubric language and the store.

Exit codes: 0 success, 1 invalid input or a failure the message explains, 2 usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from interviewer import __version__, locations
from interviewer.commands import EXIT_INVALID, PROVIDERS, CommandError, configure, rubrics, sessions

log = logging.getLogger("interviewer")

_WHERE_TO_LOOK = {"session": "'interviewer history' lists them", "rubric": "'interviewer rubrics list' shows the ids"}


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

    rubrics_parser = commands.add_parser("rubrics", help="list, validate, import and export rubrics")
    rubric_commands = rubrics_parser.add_subparsers(dest="rubrics_command", metavar="ACTION", required=True)

    listing = rubric_commands.add_parser("list", help="the rubrics in the database")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=rubrics.list_rubrics)

    validate = rubric_commands.add_parser("validate", help="check rubric files; one line per problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(handler=rubrics.validate)

    import_ = rubric_commands.add_parser("import", help="validate files, then import all or nothing")
    import_.add_argument("files", nargs="+", metavar="FILE")
    import_.set_defaults(handler=rubrics.import_files)

    export = rubric_commands.add_parser("export", help="a rubric as TOML that imports back unchanged")
    export.add_argument("rubric_id", metavar="ID")
    export.add_argument("--version", type=int, dest="rubric_version", help="export this version (default: newest)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(handler=rubrics.export)

    restore = rubric_commands.add_parser(
        "restore", help="make a rubric that replaced a bundled one follow the bundled question again"
    )
    restore.add_argument("rubric_id", metavar="ID")
    restore.set_defaults(handler=rubrics.restore)

    practice = commands.add_parser("practice", help="a mock interview on one rubric")
    practice.add_argument("rubric_id", metavar="RUBRIC_ID")
    practice.add_argument("--minutes", type=int, help="length of the interview (default: the rubric's)")
    practice.add_argument("--untimed", action="store_true", help="practice without a time limit (can pause)")
    practice.add_argument("--plain", action="store_true", help="run on standard input and output, no TUI")
    practice.add_argument(
        "--json", action="store_true", help="with --plain: print only the report on stdout, as JSON (talk on stderr)"
    )
    practice.add_argument("--quiet", action="store_true", help="with --plain: do not print the conversation")
    practice.add_argument("--provider", choices=PROVIDERS, help="who interviews (env INTERVIEWER_PROVIDER)")
    practice.add_argument("--model", help="the model name (env INTERVIEWER_MODEL)")
    practice.add_argument(
        "--persona",
        choices=("friendly", "neutral", "tough"),
        help="the interviewer's manner (default: 'persona' in the config file, else neutral)",
    )
    practice.set_defaults(handler=sessions.practice_interview)

    resume = commands.add_parser("resume", help="go on with an interrupted session")
    resume.add_argument("session_id", type=int, metavar="SESSION_ID")
    resume.add_argument("--json", action="store_true", help="print only the report on stdout, as JSON (talk on stderr)")
    resume.add_argument("--quiet", action="store_true", help="do not print the conversation")
    resume.add_argument("--provider", choices=PROVIDERS, help="offline, openai, openai-compatible or anthropic")
    resume.add_argument("--model", help="the model name (env INTERVIEWER_MODEL)")
    resume.set_defaults(handler=sessions.resume)

    backup_ = commands.add_parser("backup", help="a consistent copy of the database, safe while it is in use")
    backup_.add_argument("target", metavar="PATH", help="the new file to write (never overwritten)")
    backup_.set_defaults(handler=sessions.backup)

    history = commands.add_parser("history", help="past sessions, newest first")
    history.add_argument("--json", action="store_true", help="print JSON instead of a table")
    history.add_argument("--limit", type=int, default=None, help="show at most this many")
    history.add_argument("--user", metavar="NAME", help="only the sessions NAME practised")
    history.set_defaults(handler=sessions.history)

    show = commands.add_parser("show", help="a transcript with its scores")
    show.add_argument("session_id", type=int, metavar="SESSION_ID")
    show.add_argument("--format", choices=("md", "json"), default="md")
    show.set_defaults(handler=sessions.show)

    grade = commands.add_parser("grade", help="score a session again (a new report; the old ones stay)")
    grade.add_argument("session_id", type=int, metavar="SESSION_ID")
    grade.add_argument(
        "--grader", choices=("offline", "llm"), help="who grades (default: the configured model, else offline)"
    )
    grade.add_argument("--provider", choices=PROVIDERS, help="with --grader llm: which provider grades")
    grade.add_argument("--model", help="with --grader llm: the model name")
    grade.add_argument("--json", action="store_true", help="print the report as JSON")
    grade.set_defaults(handler=sessions.grade)

    override = commands.add_parser("regrade-turn", help="set an answer's label as a reviewer (kept with who and why)")
    override.add_argument("session_id", type=int, metavar="SESSION_ID")
    override.add_argument("seq", type=int, metavar="SEQ", help="the answer's turn number (as 'show' numbers them)")
    override.add_argument("label", choices=("correct", "partial", "idk", "hedged_wrong", "confident_wrong"))
    override.add_argument("--note", help="why, for whoever reads the transcript")
    override.add_argument("--reviewer", help="who (default: your login name)")
    override.add_argument("--json", action="store_true", help="print the recomputed report as JSON")
    override.set_defaults(handler=sessions.regrade_turn)

    review = commands.add_parser(
        "review", help="review anyone's session: list its notes, add one (to a turn or the whole), set a label"
    )
    review.add_argument("session_id", type=int, metavar="SESSION_ID")
    review.add_argument("--note", metavar="TEXT", help="add this note (to the whole session, or to --turn)")
    review.add_argument("--turn", type=int, metavar="SEQ", help="the turn the note or label is about")
    review.add_argument(
        "--label", choices=("correct", "partial", "idk", "hedged_wrong", "confident_wrong"), help="relabel --turn"
    )
    review.add_argument("--reviewer", metavar="NAME", help="who (default: the user setting, else your login name)")
    review.add_argument("--json", action="store_true", help="print the session's reviews as JSON")
    review.set_defaults(handler=sessions.review)

    labels = commands.add_parser("export-labels", help="every answer a reviewer labelled, as eval-grader data")
    labels.add_argument("--rubric", metavar="ID", help="only the sessions of this rubric")
    labels.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    labels.set_defaults(handler=sessions.export_labels)

    evaluate = commands.add_parser("eval-grader", help="measure a grader against labelled answers")
    evaluate.add_argument("data", metavar="DATA.jsonl")
    evaluate.add_argument("--rubrics", metavar="DIR", help="also load the rubric files in DIR (no database is touched)")
    evaluate.add_argument("--grader", choices=("offline", "llm"), default="offline")
    evaluate.add_argument("--provider", choices=PROVIDERS, help="with --grader llm: which provider grades")
    evaluate.add_argument("--model", help="with --grader llm: the model name")
    evaluate.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    evaluate.add_argument(
        "--explain", action="store_true", help="list every disagreement: line, labels, the answer and the grader's note"
    )
    evaluate.set_defaults(handler=sessions.eval_grader)

    configuration = commands.add_parser("config", help="show or change the settings (keys are never shown)")
    configuration.add_argument("action", choices=("show", "set", "path"))
    configuration.add_argument("name", nargs="?", help="with set: the setting, e.g. provider or openai_api_key")
    configuration.add_argument("value", nargs="?", help="with set: its value")
    configuration.set_defaults(handler=configure.config)
    return parser


# -- plumbing -----------------------------------------------------------------------------------


def _configure_logging() -> Path | None:
    path = locations.log_file()
    try:
        handler = locations.private_log_handler(path)
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
        from interviewer.tui.app import run

        return run(args.db)
    log_path = _configure_logging()
    from interviewer.engine import InterviewError
    from interviewer.usecases import NotFound, PracticeError, StoreError

    try:
        return handler(args)
    except NotFound as exc:
        print(f"interviewer: error: {exc}; {_WHERE_TO_LOOK[exc.kind]}", file=sys.stderr)
        return EXIT_INVALID
    except (CommandError, PracticeError, StoreError, InterviewError) as exc:
        print(f"interviewer: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interviewer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly, as a command killed by SIGPIPE
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit flush must not fail again
        return 128 + 13
    except Exception as exc:  # the last line of defence: one line for the user, the trace in the log
        log.exception("unexpected error in %s", args.command)
        where = f"; the full trace is in {log_path}" if log_path else ""
        print(f"interviewer: unexpected error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INVALID
