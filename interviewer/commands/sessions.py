"""The interview commands: practice, resume, history, show, grade, eval-grader."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer.commands import EXIT_INVALID, EXIT_OK, CommandError, practice, print_table, write_output
from interviewer.commands.rubrics import report_problems

if TYPE_CHECKING:
    from interviewer.engine import Interview
    from interviewer.llm.base import Model
    from interviewer.usecases import Practice
    from interviewer.views import SessionView


def practice_interview(args: argparse.Namespace) -> int:
    from interviewer.domain import Persona
    from interviewer.engine import InterviewError

    practising = practice(args)
    model = chosen_model(practising, args)
    persona = Persona(args.persona) if args.persona else None
    try:
        interview = practising.start(
            args.rubric_id, minutes=args.minutes, timed=not args.untimed, model=model, persona=persona
        )
    except InterviewError as exc:
        raise CommandError(f"--minutes: {exc}") from None
    if not args.plain:
        return run_app(practising, interview)
    return run_plain_mode(interview, args.json, quiet=args.quiet)


def run_app(practising: Practice, interview: Interview) -> int:
    from interviewer.tui.app import run

    return run(practice=practising, interview=interview)


def chosen_model(practising: Practice, args: argparse.Namespace) -> Model | None:
    """The model --provider and --model name, or None when neither is given."""
    from interviewer.views import ModelChoice

    provider, model = getattr(args, "provider", None), getattr(args, "model", None)
    if provider is None and model is None:
        return None
    return practising.model(ModelChoice(provider, model))


def resume(args: argparse.Namespace) -> int:
    from interviewer.usecases import ModelUnavailable, SessionFinished

    practising = practice(args)
    try:
        interview = practising.resume(args.session_id, model=chosen_model(practising, args))
    except ModelUnavailable as exc:
        raise CommandError(f"{exc} (--provider offline goes on with the built-in interviewer)") from None
    except SessionFinished:
        raise CommandError(
            f"session {args.session_id} is finished; 'interviewer show {args.session_id}' shows it"
        ) from None
    model = interview.model
    on = "" if model.provider == "offline" else f" on {model.provider} {model.name}"
    print(f"Resuming session {args.session_id}{on}: {interview.time_left()}", file=sys.stderr)
    return run_plain_mode(interview, args.json, quiet=args.quiet, resumed=True)


def run_plain_mode(interview: Interview, as_json: bool, *, quiet: bool = False, resumed: bool = False) -> int:
    from interviewer.plain import Terminated, run_plain

    try:
        run_plain(interview, as_json=as_json, quiet=quiet, resumed=resumed)
    except KeyboardInterrupt as exc:
        number = interview.session_id
        if interview.report is not None:  # it ended before the interruption: nothing to resume
            print(
                f"\ninterviewer: interrupted; session {number} is finished: 'interviewer show {number}' shows it",
                file=sys.stderr,
            )
        else:
            print(
                f"\ninterviewer: interrupted; session {number} is saved. Go on with: interviewer resume {number}",
                file=sys.stderr,
            )
        return exc.exit_code if isinstance(exc, Terminated) else 130
    return EXIT_OK


def history(args: argparse.Namespace) -> int:
    from interviewer.render import mm_ss

    sessions = practice(args).history(limit=args.limit, user=args.user)
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
                "user": s.user or None,
            }
            for s in sessions
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not sessions:
        if args.user:
            print(f"No sessions by {args.user}.")
        else:
            print("No sessions yet. Start one with: interviewer practice RUBRIC_ID --plain")
        return EXIT_OK
    table = [("ID", "DATE", "RUBRIC", "TIME", "SCORE", "HONESTY", "STATUS", "USER")]
    for s in sessions:
        score = f"{s.overall:.0f} {s.band}" if s.overall is not None else "-"
        honesty = f"{100 * s.honesty:.0f}%" if s.honesty is not None else "-"
        table.append(
            (
                str(s.id),
                f"{s.started_at:%Y-%m-%d %H:%M}",
                s.rubric_id,
                mm_ss(s.elapsed_seconds),
                score,
                honesty,
                s.status.value,
                s.user or "-",
            )
        )
    print_table(table)
    return EXIT_OK


def show(args: argparse.Namespace) -> int:
    from interviewer.render import render_session

    view = practice(args).session(args.session_id)
    sys.stdout.write(render_session(view, as_json=args.format == "json"))
    return EXIT_OK


def grade(args: argparse.Namespace) -> int:
    from interviewer.views import ModelChoice

    practising = practice(args)
    practising.session_record(args.session_id)  # a missing session is named before a model is made
    from interviewer.usecases import fallbacks

    grader = practising.grader(args.grader, ModelChoice(args.provider, args.model))
    view = asyncio.run(practising.regrade(args.session_id, grader))
    print_report(view, as_json=args.json)
    assert view.report is not None
    missed = fallbacks(view.report)
    if missed:
        print(
            f"interviewer: warning: the model gave no usable grade for {missed} of {len(view.report.grades)} "
            "answers; those were graded offline (the log says why)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    return EXIT_OK


def print_report(view: SessionView, *, as_json: bool) -> None:
    """A session's newest report on standard output, as text or JSON."""
    from interviewer.render import report_json, report_lines

    assert view.report is not None
    if as_json:
        print(json.dumps(report_json(view.report, view.record), indent=2))
    else:
        print("\n".join(report_lines(view.report, view.rubric, session=view.record)))


def regrade_turn(args: argparse.Namespace) -> int:
    from interviewer.domain import AnswerLabel

    view = asyncio.run(
        practice(args).override_label(
            args.session_id, args.seq, AnswerLabel(args.label), note=args.note, reviewer=args.reviewer
        )
    )
    print(
        f"turn {args.seq} of session {args.session_id} is now {args.label}; the report is recomputed", file=sys.stderr
    )
    print_report(view, as_json=args.json)
    return EXIT_OK


def review(args: argparse.Namespace) -> int:
    """List a session's reviews, or add a note (on a turn or the whole) and/or a label (on a turn)."""
    from interviewer.domain import AnswerLabel

    practising = practice(args)
    if args.label is not None:
        if args.turn is None:
            raise CommandError("--label needs --turn: the answer it relabels")
        asyncio.run(
            practising.override_label(
                args.session_id, args.turn, AnswerLabel(args.label), note=args.note, reviewer=args.reviewer
            )
        )
        print(f"turn {args.turn} of session {args.session_id} is now {args.label}", file=sys.stderr)
    elif args.note is not None:
        note = practising.review(args.session_id, args.note, turn=args.turn, reviewer=args.reviewer)
        where = f"turn {note.turn}" if note.turn is not None else "the session"
        print(f"note by {note.reviewer} added to {where} of session {args.session_id}", file=sys.stderr)
    elif args.turn is not None:
        raise CommandError("--turn needs --note or --label")
    view = practising.session(args.session_id)
    if args.json:
        from interviewer.render import session_json

        data = session_json(view.record, view.turns, view.report, view.reviews)
        overrides = [
            {"turn": o.turn, "label": o.label.value, "reviewer": o.reviewer, "note": o.note} for o in view.overrides
        ]
        print(json.dumps({"session_id": args.session_id, "reviews": data["reviews"], "labels": overrides}, indent=2))
        return EXIT_OK
    from interviewer.render import terminal_safe

    if not view.reviews and not view.overrides:
        print(f"session {args.session_id} has no reviews yet")
    for note in view.reviews:
        where = f"turn {note.turn}" if note.turn is not None else "session"
        when = f"{note.at:%Y-%m-%d %H:%M}" if note.at else ""
        print(terminal_safe(f"{when}  {note.reviewer}  {where}: {note.text}"))
    for label in view.overrides:
        why = f" ({label.note})" if label.note else ""
        print(terminal_safe(f"label  {label.reviewer}  turn {label.turn}: {label.label.value}{why}"))
    return EXIT_OK


def export_labels(args: argparse.Namespace) -> int:
    rows = practice(args).overridden_answers(args.rubric)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    write_output(text, args.output, f"{len(rows)} labelled answer(s) written to {args.output}")
    return EXIT_OK


def eval_grader(args: argparse.Namespace) -> int:
    from interviewer.rubric import RubricError
    from interviewer.scoring.evaluation import DataError, format_metrics
    from interviewer.views import ModelChoice

    if args.rubrics and not Path(args.rubrics).is_dir():
        raise CommandError(f"--rubrics {args.rubrics}: not a folder")
    practising = practice(args)
    grader = practising.grader(args.grader, ModelChoice(args.provider, args.model))
    try:
        metrics, disagreements = asyncio.run(
            practising.evaluate_grader(Path(args.data), grader, Path(args.rubrics) if args.rubrics else None)
        )
    except RubricError as exc:
        report_problems(exc.problems)
        return EXIT_INVALID
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps(metrics, indent=2) if args.json else format_metrics(metrics))
    if args.explain:
        for disagreement in disagreements:
            print(disagreement.describe(), file=sys.stderr if args.json else sys.stdout)
    if args.grader == "llm" and metrics["fallbacks"]:
        print(
            f"interviewer: {metrics['fallbacks']} of {metrics['n']} answers fell back to the offline grader; "
            "the figures are not the model's alone (the log says why)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    return EXIT_OK


def backup(args: argparse.Namespace) -> int:
    target = Path(args.target).expanduser()
    practice(args).backup(target)
    print(f"backed up to {target}")
    return EXIT_OK
