"""The rubric commands: validate, import, list, export."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer.commands import EXIT_INVALID, EXIT_OK, practice, print_table, write_output

if TYPE_CHECKING:
    from interviewer.rubric import ImportResult, Problem, RubricInput


def load_files(files: Sequence[str], advice: list[Problem] | None = None) -> tuple[list[RubricInput], list[Problem]]:
    """The valid rubrics and every problem of the others; warnings about valid ones go to advice when given."""
    from interviewer.rubric import Problem, RubricError, RubricInput, parse_rubric, read_rubric_text
    from interviewer.scoring.advice import rubric_advice

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
        if advice is not None:
            advice.extend(rubric_advice(rubric, text, name))
    return inputs, problems


def report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def validate(args: argparse.Namespace) -> int:
    advice: list[Problem] = []
    inputs, problems = load_files(args.files, advice)
    report_problems([*problems, *advice])
    if problems:
        bad = len({p.file for p in problems})
        print(f"{bad} of {len(args.files)} file(s) invalid", file=sys.stderr)
        return EXIT_INVALID
    warned = f" ({len(advice)} warning(s) above: worth fixing, not blocking)" if advice else ""
    print(f"{len(inputs)} rubric file(s) valid{warned}")
    return EXIT_OK


def import_files(args: argparse.Namespace) -> int:
    advice: list[Problem] = []
    inputs, problems = load_files(args.files, advice)
    if problems:
        report_problems(problems)
        print("nothing imported: fix the problems above and import again", file=sys.stderr)
        return EXIT_INVALID
    report_problems(advice)  # worth fixing, not blocking: the rubrics import as they are
    for result in practice(args).import_rubrics(inputs):
        print(import_message(result))
    return EXIT_OK


def import_message(result: ImportResult) -> str:
    """One line saying what importing a rubric did (shared by the command and the editor)."""
    if not result.created:
        return f"{result.id} unchanged (version {result.version})"
    message = f"imported {result.id} as version {result.version}"
    if result.replaced_bundled:
        message += (
            f"; it replaces the bundled question '{result.id}', which app updates will no longer change"
            f" ('interviewer rubrics restore {result.id}' undoes this; a new id keeps both)"
        )
    return message


def restore(args: argparse.Namespace) -> int:
    result = practice(args).restore_bundled(args.rubric_id)
    if result.created:
        print(
            f"{result.id} follows the bundled question again (version {result.version}); your versions stay in its history"
        )
    else:
        print(f"{result.id} already follows the bundled question (version {result.version})")
    return EXIT_OK


def list_rubrics(args: argparse.Namespace) -> int:
    summaries = practice(args).rubrics()
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
                "replaces_bundled": s.replaces_bundled,
            }
            for s in summaries
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    table = [("ID", "VER", "LEVEL", "MIN", "TOPIC", "FROM", "TITLE")]
    table += [(s.id, str(s.version), s.difficulty, str(s.minutes), s.topic, s.origin, s.title) for s in summaries]
    print_table(table)
    return EXIT_OK


def export(args: argparse.Namespace) -> int:
    stored = practice(args).rubric(args.rubric_id, args.rubric_version)
    text = stored.source if stored.source.endswith("\n") else stored.source + "\n"
    write_output(text, args.output, f"exported {stored.id} version {stored.version} to {args.output}")
    return EXIT_OK
