"""The interview commands: practice, resume, history, show, grade, eval-grader."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer import locations
from interviewer.commands import EXIT_INVALID, EXIT_OK, CommandError, open_store, print_table
from interviewer.commands.rubrics import report_problems

if TYPE_CHECKING:
    from interviewer.store import Repository


def practice(args: argparse.Namespace) -> int:
    from interviewer.engine import Interview

    model = choose_model(args)
    repository = open_store(args)
    stored = repository.get_rubric(args.rubric_id)
    if stored is None:
        raise CommandError(f"no rubric '{args.rubric_id}'; 'interviewer rubrics list' shows the ids")
    interview = Interview.begin(repository, stored, minutes=args.minutes, timed=not args.untimed, model=model)
    if not args.plain:
        return run_app(args, interview)
    return run_plain_mode(interview, args.json)


def run_app(args: argparse.Namespace, interview) -> int:  # type: ignore[no-untyped-def]
    from interviewer.tui.app import InterviewerApp

    InterviewerApp(args.db, interview=interview).run()
    return EXIT_OK


def choose_model(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from interviewer.config import ConfigError, load_settings
    from interviewer.llm.select import make_model

    try:
        settings = load_settings(provider=getattr(args, "provider", None), model=getattr(args, "model", None))
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    return make_model(settings)


def resume(args: argparse.Namespace) -> int:
    from interviewer.engine import Interview

    interview = Interview.resume(open_store(args), args.session_id, model=choose_model(args))
    print(f"Resuming session {args.session_id}: {interview.time_left()}", file=sys.stderr)
    return run_plain_mode(interview, args.json)


def run_plain_mode(interview, as_json: bool) -> int:  # type: ignore[no-untyped-def]
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


def history(args: argparse.Namespace) -> int:
    from interviewer.export import clock

    sessions = open_store(args).list_sessions(limit=args.limit)
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
    print_table(table)
    return EXIT_OK


def session_or_fail(repository: Repository, session_id: int):  # type: ignore[no-untyped-def]
    session = repository.get_session(session_id)
    if session is None:
        raise CommandError(f"no session {session_id}; 'interviewer history' lists them")
    return session


def show(args: argparse.Namespace) -> int:
    from interviewer.export import render_session

    repository = open_store(args)
    session_or_fail(repository, args.session_id)
    sys.stdout.write(render_session(repository, args.session_id, as_json=args.format == "json"))
    return EXIT_OK


def grade(args: argparse.Namespace) -> int:
    from interviewer.engine import regrade_session
    from interviewer.export import report_json, report_lines

    repository = open_store(args)
    session_or_fail(repository, args.session_id)
    session, stored, report = regrade_session(repository, args.session_id, session_grader(args).grade)
    if args.json:
        print(json.dumps(report_json(report, session), indent=2))
    else:
        print("\n".join(report_lines(report, stored.rubric)))
    return EXIT_OK


class SyncGrader:
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


def session_grader(args: argparse.Namespace) -> SyncGrader:
    from interviewer.scoring.grader import OfflineGrader

    if args.grader == "offline":
        return SyncGrader(OfflineGrader())
    from interviewer.llm.offline import OfflineModel
    from interviewer.scoring.llm_grader import LLMGrader

    model = choose_model(args)
    if isinstance(model, OfflineModel):
        raise CommandError(
            "--grader llm needs a model: set OPENAI_API_KEY, ANTHROPIC_API_KEY or OPENAI_BASE_URL, or pass --provider"
        )
    return SyncGrader(LLMGrader(model))


def eval_grader(args: argparse.Namespace) -> int:
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
        report_problems(problems)
        return EXIT_INVALID
    try:
        items = read_labelled(Path(args.data), rubrics)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    grader = session_grader(args)

    def predict(item):  # type: ignore[no-untyped-def]
        result = grader.answer(rubrics[item.rubric], item.answer, prompt=item.prompt, criterion_id=item.criterion)
        return result.label, result.points

    metrics = evaluate(items, predict)
    print(json.dumps(metrics, indent=2) if args.json else format_metrics(metrics))
    return EXIT_OK
