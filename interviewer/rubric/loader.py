"""Read rubric files: every problem in a file is reported as ``FILE:LINE: field: message``."""

from __future__ import annotations

import difflib
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from interviewer.rubric.locate import Path as KeyPath
from interviewer.rubric.locate import key_lines, line_of
from interviewer.rubric.model import (
    MAX_WEIGHT,
    MIN_WEIGHT,
    Clarification,
    Concept,
    Criterion,
    Curveball,
    DeepDive,
    Misconception,
    Rubric,
)

MAX_FILE_BYTES = 1024 * 1024

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")

# Which keys each table allows, by the alias the file uses; drives "did you mean" hints.
_KNOWN_KEYS: dict[str, list[str]] = {
    "rubric": [f.alias or name for name, f in Rubric.model_fields.items()],
    "clarification": [f.alias or name for name, f in Clarification.model_fields.items()],
    "criterion": [f.alias or name for name, f in Criterion.model_fields.items()],
    "concepts": [f.alias or name for name, f in Concept.model_fields.items()],
    "misconception": [f.alias or name for name, f in Misconception.model_fields.items()],
    "deep_dive": [f.alias or name for name, f in DeepDive.model_fields.items()],
    "curveball": [f.alias or name for name, f in Curveball.model_fields.items()],
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a rubric file, located to the line of the offending key."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class RubricError(ValueError):
    """A rubric file that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def field_name(path: Iterable[str | int]) -> str:
    """``("criterion", 1, "weight")`` -> ``criterion[1].weight``."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "file"


def parse_rubric(text: str, source: str = "<rubric>") -> Rubric:
    """Validate TOML text as a rubric; raise RubricError listing every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError([_syntax_problem(source, exc)]) from None
    except RecursionError:  # arrays or tables nested thousands deep: no rubric needs that
        line = _deepest_line(text)
        raise RubricError(
            [Problem(source, line, "syntax", "nested too deeply to read (a rubric needs a few levels)")]
        ) from None
    try:
        return _validated(text, data, source)
    except RecursionError:
        raise RubricError([Problem(source, 1, "file", "nested too deeply to check")]) from None


def _deepest_line(text: str) -> int:
    """The line where brackets first nest more than a hundred deep."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > 100:
                return number
    return 1


def _validated(text: str, data: dict[str, Any], source: str) -> Rubric:
    lines = key_lines(text)
    problems = _semantic_problems(data, source, lines)
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, source, lines))
        raise RubricError(problems) from None
    if problems:
        raise RubricError(problems)
    return rubric


def read_rubric_text(path: Path, source: str | None = None) -> str:
    """The text of a rubric file, or RubricError with one clear line for an unusable file."""
    source = source or str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe would block and a device never ends: files only
            raise _file_error(source, "not a regular file; a rubric is a TOML file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _file_error(source, f"file is {size / 1024 / 1024:.1f} MiB; a rubric file is at most 1 MiB")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the size can change between stat and read
        if len(raw) > MAX_FILE_BYTES:
            raise _file_error(source, "file is over 1 MiB; a rubric file is at most 1 MiB")
    except OSError as exc:
        raise _file_error(source, f"cannot read file: {exc.strerror or exc}") from None
    if not raw.strip():
        raise _file_error(source, "file is empty")
    if b"\x00" in raw:
        raise _file_error(source, "not a text file (it contains NUL bytes); a rubric is a UTF-8 TOML file")
    try:
        return raw.decode("utf-8-sig")  # editors on Windows may start the file with a BOM
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RubricError([Problem(source, line, "file", "not valid UTF-8 text; save the file as UTF-8")]) from None


def load_rubric_file(path: Path | str) -> Rubric:
    """Read and validate one rubric file."""
    path = Path(path)
    return parse_rubric(read_rubric_text(path), str(path))


def _file_error(source: str, message: str) -> RubricError:
    return RubricError([Problem(source, 1, "file", message)])


def _syntax_problem(source: str, exc: tomllib.TOMLDecodeError) -> Problem:
    message = str(exc)
    lineno = getattr(exc, "lineno", None)
    found = _TOML_POSITION.search(message)
    if lineno is None and found and found.group(1):
        lineno = int(found.group(1))
    if lineno is None:  # "at end of document"
        lineno = max(1, getattr(exc, "doc", "").count("\n") + 1)
    message = _TOML_POSITION.sub("", getattr(exc, "msg", message))
    return Problem(source, int(lineno), "syntax", f"TOML syntax error: {message}")


def _validation_problems(exc: ValidationError, source: str, lines: dict[KeyPath, int]) -> list[Problem]:
    problems: dict[tuple[int, str], Problem] = {}
    for error in exc.errors():
        path = tuple(part for part in error["loc"] if part != "[key]")
        if "[key]" in error["loc"]:
            message = "levels are numbered 0 to 4"
        else:
            message = _message(error, path)
        problem = Problem(source, line_of(lines, path), field_name(path), message)
        problems.setdefault((problem.line, problem.field), problem)
    return list(problems.values())


def _message(error: Mapping[str, Any], path: KeyPath) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else ""
        table = _table_kind(path[:-1])
        hint = difflib.get_close_matches(key, _KNOWN_KEYS.get(table, []), n=1)
        return "unknown key" + (f" (did you mean '{hint[0]}'?)" if hint else "")
    if kind == "missing":
        return "missing required key"
    if kind == "string_pattern_mismatch":
        return "must be a slug: lowercase letters, digits and single hyphens, e.g. 'llm-serving'"
    if kind == "too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "must not be empty" if error.get("input") != "" else "must not be blank"
    if kind == "string_too_short":
        return "must not be blank"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}"
    if kind in ("greater_than", "less_than", "greater_than_equal", "less_than_equal"):
        return _range_message(path, error)
    if kind == "value_error":
        return str(error["ctx"]["error"])
    message = str(error["msg"])
    return message[0].lower() + message[1:]


def _range_message(path: KeyPath, error: Mapping[str, Any]) -> str:
    last = path[-1] if path else ""
    if last == "confidence_target":
        return "must be between 0 and 1, both excluded (0.75 means a confident wrong answer costs 3 points)"
    if last == "weight":
        return f"must be a positive number from {MIN_WEIGHT} to {MAX_WEIGHT:g} (only the ratio between weights matters)"
    if last == "minutes":
        return "must be between 5 and 240"
    if len(path) >= 2 and path[-2] == "levels":
        return "levels are numbered 0 to 4"
    message = str(error["msg"])
    return message[0].lower() + message[1:]


def _table_kind(path: KeyPath) -> str:
    names = [p for p in path if isinstance(p, str)]
    if not names:
        return "rubric"
    return {
        "criterion": "criterion",
        "clarification": "clarification",
        "concepts": "concepts",
        "misconception": "misconception",
        "deep_dive": "deep_dive",
        "curveball": "curveball",
    }.get(names[-1], "")


def _semantic_problems(data: dict[str, Any], source: str, lines: dict[KeyPath, int]) -> list[Problem]:
    """Rules across entries, checked on the raw data so they are reported with field errors."""
    problems: list[Problem] = []
    criteria = data.get("criterion")
    if isinstance(criteria, list):
        seen: dict[str, int] = {}
        for index, criterion in enumerate(criteria):
            if not isinstance(criterion, dict) or not isinstance(criterion.get("id"), str):
                continue
            path: KeyPath = ("criterion", index, "id")
            if criterion["id"] in seen:
                first = seen[criterion["id"]]
                problems.append(
                    Problem(
                        source,
                        line_of(lines, path),
                        field_name(path),
                        f"duplicate criterion id '{criterion['id']}' (first used by criterion[{first}])",
                    )
                )
            else:
                seen[criterion["id"]] = index
        problems.extend(_reference_problems(data, source, lines, list(seen)))
    return problems


def _reference_problems(data: dict[str, Any], source: str, lines: dict[KeyPath, int], ids: list[str]) -> list[Problem]:
    """Deep dives and curveballs name criteria: each name must be one of the rubric's criterion ids."""
    references: list[tuple[KeyPath, object]] = []
    for index, dive in enumerate(_tables(data.get("deep_dive"))):
        references.append((("deep_dive", index, "criterion"), dive.get("criterion")))
    for index, ball in enumerate(_tables(data.get("curveball"))):
        reopens = ball.get("reopens")
        for item, name in enumerate(reopens if isinstance(reopens, list) else []):
            references.append((("curveball", index, "reopens", item), name))
    problems = []
    for path, name in references:
        if not isinstance(name, str) or name in ids:
            continue  # a missing or mistyped value is the model's to report
        hint = difflib.get_close_matches(name, ids, n=1)
        known = f"did you mean '{hint[0]}'?" if hint else "the criteria are " + ", ".join(ids)
        problems.append(
            Problem(source, line_of(lines, path), field_name(path), f"no criterion has the id '{name}' ({known})")
        )
    return problems


def _tables(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
