"""Write a rubric back to TOML in the documented layout; the output parses to an equal rubric."""

from __future__ import annotations

import tomli_w

from interviewer.rubric.model import Criterion, Rubric


def _value(value: object) -> str:
    """One TOML value, escaped by tomli-w (which owns the quoting rules)."""
    return tomli_w.dumps({"v": value}, multiline_strings=False).removeprefix("v = ").rstrip("\n")


def _text(value: str) -> str:
    if "\n" in value.strip("\n") and '"""' not in value and "\\" not in value:
        return '"""\n' + value.strip("\n") + '\n"""'
    return _value(value)


def _pattern(pattern: str) -> str:
    # Literal strings keep regex backslashes readable: '\bnlb\b' rather than "\\bnlb\\b".
    if "'" not in pattern and "\n" not in pattern:
        return f"'{pattern}'"
    return _value(pattern)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _strings(values: list[str]) -> str:
    return "[" + ", ".join(_value(v) for v in values) + "]"


def _criterion(criterion: Criterion) -> list[str]:
    out = [
        "[[criterion]]",
        f"id = {_value(criterion.id)}",
        f"title = {_value(criterion.title)}",
        f"weight = {_number(criterion.weight)}",
        "concepts = [",
        *(f"  {{ name = {_value(c.name)}, phrases = {_strings(c.phrases)} }}," for c in criterion.concepts),
        "]",
    ]
    if criterion.follow_ups:
        out += ["follow_ups = [", *(f"  {_value(q)}," for q in criterion.follow_ups), "]"]
    for misconception in criterion.misconceptions:
        out += [
            "",
            "[[criterion.misconception]]",
            f"claim = {_value(misconception.claim)}",
            "match = [" + ", ".join(_pattern(p) for p in misconception.match) + "]",
            f"correction = {_value(misconception.correction)}",
        ]
    if criterion.levels:
        out += ["", "[criterion.levels]"]
        out += [f"{level} = {_value(text)}" for level, text in sorted(criterion.levels.items())]
    return out


def dump_rubric(rubric: Rubric) -> str:
    """The rubric as TOML text in the layout of the documented example."""
    out = [
        f"id = {_value(rubric.id)}",
        f"title = {_value(rubric.title)}",
        f"topic = {_value(rubric.topic)}",
        f"tags = {_strings(rubric.tags)}",
        f"difficulty = {_value(rubric.difficulty)}",
        f"minutes = {rubric.minutes}",
        f"confidence_target = {_number(rubric.confidence_target)}",
        "",
        f"question = {_text(rubric.question)}",
    ]
    for clarification in rubric.clarifications:
        out += [
            "",
            "[[clarification]]",
            f"about = {_value(clarification.about)}",
            f"asks = {_strings(clarification.asks)}",
            f"answer = {_text(clarification.answer)}",
        ]
    for criterion in rubric.criteria:
        out += ["", *_criterion(criterion)]
    for dive in rubric.deep_dives:
        out += [
            "",
            "[[deep_dive]]",
            f"criterion = {_value(dive.criterion)}",
            f"ask = {_text(dive.ask)}",
            f"strong = {_strings(dive.strong)}",
        ]
    for ball in rubric.curveballs:
        out += ["", "[[curveball]]", f"say = {_text(ball.say)}", f"reopens = {_strings(ball.reopens)}"]
    return "\n".join(out) + "\n"
