"""Per-turn cost of the engine (grading, policy, persistence) against raw SQLite writes of the same turns.

Runs 60 turns (30 candidate messages, 30 interviewer replies) through the engine with the offline
model and a fake clock (a new session starts when the director wraps one up), timing each candidate turn from the call until the interviewer's
reply is committed. The baseline writes the same 60 turns straight into SQLite (WAL, one commit per
turn) in the same process. Prints p50/p95 of both and their ratio.

    python benchmarks/engine_turns.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def messages() -> list[str]:
    lines = [
        "How many users do we expect, and what is the peak traffic?",
        "Is there any PII in the tickets, and where must the data stay?",
        "I'd start with Amazon Bedrock as a managed API, retrieval over the help articles in OpenSearch, "
        "and stream tokens back to the agent through API Gateway and Lambda.",
        "With Bedrock you provision and manage the GPU instances yourself.",
        "I don't know.",
        "We'd use VPC endpoints with PrivateLink, encrypt with KMS, and Bedrock doesn't train on our data.",
        "I think we'd cache frequent answers and watch latency, errors and token cost per request.",
        "Guardrails on input and output, an evaluation set, and canary rollouts of prompt changes.",
    ]
    return [lines[i % len(lines)] for i in range(30)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def engine_run(folder: Path) -> list[float]:
    from interviewer.engine import FakeClock
    from interviewer.usecases import Practice

    practice = Practice(f"sqlite:///{folder / 'engine.db'}", clock=FakeClock())
    stored = practice.rubric("llm-support-assistant")

    async def run() -> list[float]:
        interview = None
        timings = []
        for message in messages():
            if interview is None or interview.finished:
                # the director wraps up once every criterion is probed; go on in a fresh session
                interview = practice.start(stored, timed=False)
                async for _ in interview.opening():
                    pass
            started = time.perf_counter()
            async for _ in interview.respond(message):
                pass
            timings.append(time.perf_counter() - started)
        return timings

    timings = asyncio.run(run())
    practice.close()
    return timings


def baseline_run(folder: Path) -> list[float]:
    connection = sqlite3.connect(folder / "raw.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE turn (id INTEGER PRIMARY KEY, seq INTEGER, role TEXT, text TEXT)")
    timings = []
    seq = 0
    for message in messages():
        started = time.perf_counter()
        for role, text in (("candidate", message), ("interviewer", "Okay. What decides it?")):
            seq += 1
            connection.execute("BEGIN")
            connection.execute("INSERT INTO turn (seq, role, text) VALUES (?, ?, ?)", (seq, role, text))
            connection.execute("COMMIT")
        timings.append(time.perf_counter() - started)
    connection.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INTERVIEWER_HOME"] = tmp
        engine, baseline = [], []
        for round_ in range(args.rounds):
            folder = Path(tmp) / f"round{round_}"
            folder.mkdir()
            baseline += baseline_run(folder)
            engine += engine_run(folder)
    e50, e95 = percentile(engine, 0.5) * 1000, percentile(engine, 0.95) * 1000
    b50, b95 = percentile(baseline, 0.5) * 1000, percentile(baseline, 0.95) * 1000
    print(f"turns timed: {len(engine)} engine, {len(baseline)} baseline ({args.rounds} rounds of 30 messages)")
    print(f"engine   p50 {e50:7.2f} ms   p95 {e95:7.2f} ms   mean {statistics.mean(engine) * 1000:7.2f} ms")
    print(f"baseline p50 {b50:7.2f} ms   p95 {b95:7.2f} ms   (the same turns written straight to SQLite)")
    print(f"ratio    p50 {e50 / b50:7.1f}x    p95 {e95 / b95:7.1f}x")
    print(f"bar: engine p95 under 50 ms: {'met' if e95 < 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
