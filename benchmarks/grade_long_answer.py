"""Cost of grading one long answer offline, against a scan of the same text by one regex.

A pasted answer can be long: the engine grades up to 20,000 characters of it, and
`interviewer eval-grader` or a re-grade takes whole answers. This grades answers of 2, 20 and 100
thousand characters built from the labelled set's own sentences, on the probed criterion, and
times each against the baseline of finding every word of the same text with one regex (the least
work any grader must do). Prints the median of each and the ratio.

    python benchmarks/grade_long_answer.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import regex

from interviewer import locations
from interviewer.rubric import load_rubric_file
from interviewer.scoring.grader import OfflineGrader

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "labelled"
WORD = regex.compile(r"[a-z0-9]+")


def long_answer(rubric_id: str, size: int) -> str:
    """Sentences of the labelled answers to one rubric, repeated up to size characters."""
    rows = [
        json.loads(line) for part in ("part1.jsonl", "part2.jsonl") for line in (DATA / part).read_text().splitlines()
    ]
    answers = [row["answer"] for row in rows if row["rubric"] == rubric_id]
    text = " ".join(answers)
    return (text + " ") * (size // len(text) + 1)


def median_seconds(work, rounds: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rubric = load_rubric_file(Path(str(locations.bundled_rubrics())) / "caching-strategy.toml")
    grader = OfflineGrader()
    prompt = rubric.criteria[0].follow_ups[0]
    print(f"{'characters':>10}  {'grade':>10}  {'regex scan':>10}  ratio")
    for size in (2_000, 20_000, 100_000):
        text = long_answer(rubric.id, size)[:size]
        graded = median_seconds(
            lambda text=text: grader.grade_answer(rubric, text, prompt=prompt, criterion_id=rubric.criteria[0].id),
            args.rounds,
        )
        scanned = median_seconds(lambda text=text: WORD.findall(text.lower()), args.rounds)
        print(f"{size:>10,}  {graded * 1000:>8.1f}ms  {scanned * 1000:>8.2f}ms  {graded / scanned:,.0f}x")


if __name__ == "__main__":
    main()
