"""Misconception patterns: compiled once, matched with a time limit so no pattern can hang the app."""

from __future__ import annotations

import functools
import logging

import regex

log = logging.getLogger(__name__)

MAX_PATTERN_LENGTH = 300
"""Longer patterns are rejected: rubric patterns find one claim in one sentence."""

MATCH_TIMEOUT = 0.05
"""Seconds one pattern may spend on one text before it counts as no match."""

MAX_TEXT_LENGTH = 4_000
"""Patterns look at one sentence; text past this is cut before matching."""


@functools.lru_cache(maxsize=2048)
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile a rubric pattern case-insensitively; ValueError says what is wrong with it."""
    if not pattern.strip():
        raise ValueError("pattern is empty")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"pattern is {len(pattern)} characters; at most {MAX_PATTERN_LENGTH} are allowed")
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
    except regex.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None


PROBE_TIMEOUTS = (0.1, 1.0)
"""Seconds a pattern may take on a short probe text at validation before it is called catastrophic; it must
time out twice, the second time with a long allowance, so a busy machine never rejects a good pattern. A
catastrophic pattern needs about 2**40 steps on the probe: no allowance is long enough for it."""
PROBE_LENGTH = 40


def check_pattern(pattern: str) -> None:
    """Refuse a pattern that cannot work: it does not compile, matches every sentence, or backtracks badly."""
    problem = _pattern_problem(pattern)
    if problem:
        raise ValueError(problem)


@functools.lru_cache(maxsize=4096)
def _pattern_problem(pattern: str) -> str | None:
    """What is wrong with a pattern, or None; each distinct pattern is probed once per process."""
    try:
        _probe(pattern)
    except ValueError as exc:
        return str(exc)
    return None


def _probe(pattern: str) -> None:
    compiled = compile_pattern(pattern)
    if compiled.search("") is not None:
        raise ValueError("pattern matches an empty sentence, so it would match every answer")
    letters = sorted({c for c in pattern.lower() if c.isalnum()} | {"a"})[:12]
    thirds = PROBE_LENGTH // 3
    probes = [c * PROBE_LENGTH + "!" for c in letters] + ["ab " * thirds + "!", "a1-" * thirds + "!"]
    for probe in probes:
        if not any(_finishes(compiled, probe, timeout) for timeout in PROBE_TIMEOUTS):
            raise ValueError(
                f"pattern takes too long on the {len(probe)}-character text {probe!r} (it backtracks "
                "catastrophically); simplify nested repetition such as (a|a)+ or (\\w+\\s?)+"
            )


def _finishes(compiled: regex.Pattern[str], text: str, timeout: float) -> bool:
    try:
        compiled.search(text, timeout=timeout)
    except TimeoutError:
        return False
    return True


def search(pattern: str, text: str) -> regex.Match[str] | None:
    """The first match of a compiled rubric pattern in text, or None (also on time-out)."""
    compiled = compile_pattern(pattern)
    try:
        return compiled.search(text[:MAX_TEXT_LENGTH], timeout=MATCH_TIMEOUT)
    except TimeoutError:
        log.warning("pattern %r timed out on a %d-character text; treated as no match", pattern, len(text))
        return None
