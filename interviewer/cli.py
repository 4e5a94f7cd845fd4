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
PROVIDERS = ("offline", "openai", "openai-compatible", "anthropic")


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

    practice = commands.add_parser("practice", help="a mock interview on one rubric")
    practice.add_argument("rubric_id", metavar="RUBRIC_ID")
    practice.add_argument("--minutes", type=int, help="length of the interview (default: the rubric's)")
    practice.add_argument("--untimed", action="store_true", help="practice without a time limit (can pause)")
    practice.add_argument("--plain", action="store_true", help="run on standard input and output, no TUI")
    practice.add_argument("--json", action="store_true", help="with --plain: print the report as JSON")
    practice.add_argument("--provider", choices=PROVIDERS, help="who interviews (env INTERVIEWER_PROVIDER)")
    practice.add_argument("--model", help="the model name (env INTERVIEWER_MODEL)")
    practice.set_defaults(handler=_practice)

    resume = commands.add_parser("resume", help="go on with an interrupted session")
    resume.add_argument("session_id", type=int, metavar="SESSION_ID")
    resume.add_argument("--json", action="store_true", help="print the report as JSON")
    resume.add_argument("--provider", choices=PROVIDERS, help="offline, openai, openai-compatible or anthropic")
    resume.add_argument("--model", help="the model name (env INTERVIEWER_MODEL)")
    resume.set_defaults(handler=_resume)

    history = commands.add_parser("history", help="past sessions, newest first")
    history.add_argument("--json", action="store_true", help="print JSON instead of a table")
    history.add_argument("--limit", type=int, default=None, help="show at most this many")
    history.set_defaults(handler=_history)

    show = commands.add_parser("show", help="a transcript with its scores")
    show.add_argument("session_id", type=int, metavar="SESSION_ID")
    show.add_argument("--format", choices=("md", "json"), default="md")
    show.set_defaults(handler=_show)

    grade = commands.add_parser("grade", help="score a session again (a new report; the old ones stay)")
    grade.add_argument("session_id", type=int, metavar="SESSION_ID")
    grade.add_argument("--grader", choices=("offline", "llm"), default="offline")
    grade.add_argument("--provider", choices=PROVIDERS, help="with --grader llm: which provider grades")
    grade.add_argument("--model", help="with --grader llm: the model name")
    grade.add_argument("--json", action="store_true", help="print the report as JSON")
    grade.set_defaults(handler=_grade)

    evaluate = commands.add_parser("eval-grader", help="measure a grader against labelled answers")
    evaluate.add_argument("data", metavar="DATA.jsonl")
    evaluate.add_argument("--rubrics", metavar="DIR", help="also load the rubric files in DIR (no database is touched)")
    evaluate.add_argument("--grader", choices=("offline", "llm"), default="offline")
    evaluate.add_argument("--provider", choices=PROVIDERS, help="with --grader llm: which provider grades")
    evaluate.add_argument("--model", help="with --grader llm: the model name")
    evaluate.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    evaluate.set_defaults(handler=_eval_grader)
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
            {
                "id": s.id,
                "version": s.version,
                "title": s.title,
                "topic": s.topic,
                "difficulty": s.difficulty,
                "minutes": s.minutes,
                "tags": list(s.tags),
                "bundled": s.bundled,
            }
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


# -- interviews -----------------------------------------------------------------------------------


def _practice(args: argparse.Namespace) -> int:
    from interviewer.engine import Interview

    model = _model(args)
    repository = _repository(args)
    stored = repository.get_rubric(args.rubric_id)
    if stored is None:
        raise CommandError(f"no rubric '{args.rubric_id}'; 'interviewer rubrics list' shows the ids")
    interview = Interview.begin(repository, stored, minutes=args.minutes, timed=not args.untimed, model=model)
    if not args.plain:
        return _run_app(args, interview)
    return _run_plain(interview, args.json)


def _run_app(args: argparse.Namespace, interview) -> int:  # type: ignore[no-untyped-def]
    from interviewer.tui.app import InterviewerApp

    InterviewerApp(args.db, interview=interview).run()
    return EXIT_OK


def _model(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from interviewer.config import ConfigError, load_settings
    from interviewer.llm.select import make_model

    try:
        settings = load_settings(provider=getattr(args, "provider", None), model=getattr(args, "model", None))
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    return make_model(settings)


def _resume(args: argparse.Namespace) -> int:
    from interviewer.engine import Interview

    interview = Interview.resume(_repository(args), args.session_id, model=_model(args))
    print(f"Resuming session {args.session_id}: {interview.time_left()}", file=sys.stderr)
    return _run_plain(interview, args.json)


def _run_plain(interview, as_json: bool) -> int:  # type: ignore[no-untyped-def]
    from interviewer.plain import run_plain

    try:
        run_plain(interview, as_json=as_json)
    except KeyboardInterrupt:
        print(
            f"\ninterviewer: interrupted; session {interview.session_id} is saved. "
            f"Go on with: interviewer resume {interview.session_id}",
            file=sys.stderr,
        )
        return 130
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    from interviewer.export import clock

    sessions = _repository(args).list_sessions(limit=args.limit)
    if args.json:
        rows = [
            {
                "id": s.id,
                "started_at": s.started_at.isoformat(),
                "rubric": s.rubric_id,
                "version": s.rubric_version,
                "title": s.rubric_title,
                "topic": s.topic,
                "status": s.status.value,
                "minutes": s.minutes,
                "elapsed_seconds": round(s.elapsed_seconds, 1),
                "overall": s.overall,
                "band": s.band,
                "honesty": s.honesty,
            }
            for s in sessions
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not sessions:
        print("No sessions yet. Start one with: interviewer practice RUBRIC_ID --plain")
        return EXIT_OK
    table = [("ID", "DATE", "RUBRIC", "TIME", "SCORE", "HONESTY", "STATUS")]
    for s in sessions:
        score = f"{s.overall:.0f} {s.band}" if s.overall is not None else "-"
        honesty = f"{100 * s.honesty:.0f}%" if s.honesty is not None else "-"
        table.append(
            (
                str(s.id),
                f"{s.started_at:%Y-%m-%d %H:%M}",
                s.rubric_id,
                clock(s.elapsed_seconds),
                score,
                honesty,
                s.status.value,
            )
        )
    _print_table(table)
    return EXIT_OK


def _print_table(table: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])


def _session_or_fail(repository: Repository, session_id: int):  # type: ignore[no-untyped-def]
    session = repository.get_session(session_id)
    if session is None:
        raise CommandError(f"no session {session_id}; 'interviewer history' lists them")
    return session


def _show(args: argparse.Namespace) -> int:
    from interviewer.export import session_json, session_markdown

    repository = _repository(args)
    session = _session_or_fail(repository, args.session_id)
    turns = repository.session_turns(session.id)
    report = repository.latest_report(session.id)
    if args.format == "json":
        print(json.dumps(session_json(session, turns, report), indent=2))
    else:
        stored = repository.session_rubric(session.id)
        assert stored is not None
        sys.stdout.write(session_markdown(session, turns, report, stored.rubric))
    return EXIT_OK


def _grade(args: argparse.Namespace) -> int:
    from interviewer.export import report_json, report_lines

    repository = _repository(args)
    session = _session_or_fail(repository, args.session_id)
    stored = repository.session_rubric(session.id)
    assert stored is not None
    turns = repository.session_turns(session.id)
    report = _session_grader(args).grade(
        stored.rubric, turns, phase_seconds=session.phase_seconds, session_id=session.id
    )
    repository.save_report(session.id, report)
    if args.json:
        print(json.dumps(report_json(report, session), indent=2))
    else:
        print("\n".join(report_lines(report, stored.rubric)))
    return EXIT_OK


class _SyncGrader:
    """The offline or the LLM grader behind one synchronous call."""

    def __init__(self, grader) -> None:  # type: ignore[no-untyped-def]
        self.grader = grader

    def grade(self, rubric, turns, **kwargs):  # type: ignore[no-untyped-def]
        import asyncio
        import inspect

        result = self.grader.grade_session(rubric, turns, **kwargs)
        return asyncio.run(result) if inspect.isawaitable(result) else result

    def answer(self, rubric, answer, **kwargs):  # type: ignore[no-untyped-def]
        import asyncio
        import inspect

        result = self.grader.grade_answer(rubric, answer, **kwargs)
        if inspect.isawaitable(result):
            result = asyncio.run(result)[0]
        return result


def _session_grader(args: argparse.Namespace) -> _SyncGrader:
    from interviewer.scoring.grader import OfflineGrader

    if args.grader == "offline":
        return _SyncGrader(OfflineGrader())
    from interviewer.llm.offline import OfflineModel
    from interviewer.scoring.llm_grader import LLMGrader

    model = _model(args)
    if isinstance(model, OfflineModel):
        raise CommandError(
            "--grader llm needs a model: set OPENAI_API_KEY, ANTHROPIC_API_KEY or OPENAI_BASE_URL, or pass --provider"
        )
    return _SyncGrader(LLMGrader(model))


def _eval_grader(args: argparse.Namespace) -> int:
    from interviewer.rubric import RubricError, load_rubric_file
    from interviewer.scoring.evaluation import DataError, evaluate, format_metrics, read_labelled

    rubrics = {}
    folders = [Path(str(locations.bundled_rubrics()))]
    if args.rubrics:
        if not Path(args.rubrics).is_dir():
            raise CommandError(f"--rubrics {args.rubrics}: not a folder")
        folders.append(Path(args.rubrics))
    problems = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            try:
                rubric = load_rubric_file(path)
            except RubricError as exc:
                problems.extend(exc.problems)
                continue
            rubrics[rubric.id] = rubric
    if problems:
        _report_problems(problems)
        return EXIT_INVALID
    try:
        items = read_labelled(Path(args.data), rubrics)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    grader = _session_grader(args)

    def predict(item):  # type: ignore[no-untyped-def]
        result = grader.answer(rubrics[item.rubric], item.answer, prompt=item.prompt, criterion_id=item.criterion)
        return result.label, result.points

    metrics = evaluate(items, predict)
    print(json.dumps(metrics, indent=2) if args.json else format_metrics(metrics))
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
        from interviewer.tui.app import run

        run(args.db)
        return EXIT_OK
    log_path = _configure_logging()
    from interviewer.engine import InterviewError
    from interviewer.store import StoreError

    try:
        return handler(args)
    except (CommandError, StoreError, InterviewError) as exc:
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
