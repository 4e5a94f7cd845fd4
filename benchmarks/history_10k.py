"""History with 10,000 sessions: time from pushing the screen until its first page is on screen.

A generator fills a fresh database with 10,000 finished sessions (with reports) by direct SQL,
then the app runs headless: the History screen is pushed and the time until its table shows the
first page is measured, five times. The bar is 300 ms. Scrolling loads further pages of 100 rows
as the cursor nears the end, so the table never holds more than it shows plus a page.

    python benchmarks/history_10k.py [--sessions 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def generate(db: Path, sessions: int) -> None:
    """Sessions spread over a year, across the bundled rubrics, each with a report."""
    from interviewer.store import open_repository

    repository = open_repository(f"sqlite:///{db}")
    versions = [repository.get_rubric(s.id).version_id for s in repository.list_rubrics()]
    repository.database.close()
    connection = sqlite3.connect(db)
    session_rows, report_rows = [], []
    for index in range(1, sessions + 1):
        day = 1 + index % 28
        stamp = f"2026-{1 + index % 12:02d}-{day:02d} {index % 24:02d}:{index % 60:02d}:00.000000"
        session_rows.append(
            (
                index,
                versions[index % len(versions)],
                "finished",
                1,
                40,
                "offline",
                "offline",
                "wrap_up",
                1800.0 + index % 600,
                "{}",
                stamp,
                stamp,
                stamp,
            )
        )
        overall = 20 + (index * 37) % 75
        report_rows.append(
            (
                index,
                index,
                "offline",
                stamp,
                1,
                float(overall),
                "lean hire",
                1.5,
                (index % 5) / 4,
                1,
                json.dumps({"correct": 2, "partial": 1, "idk": 1, "hedged_wrong": 0, "confident_wrong": 1}),
                "[]",
                "{}",
                None,
                "[]",
                "[]",
            )
        )
    connection.executemany(
        "INSERT INTO interview_session (id, rubric_version_id, status, timed, minutes, provider, model, phase, "
        "elapsed_seconds, phase_seconds, started_at, ended_at, heartbeat_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        session_rows,
    )
    connection.executemany(
        "INSERT INTO report (id, session_id, grader, created_at, sufficient_evidence, overall, band, "
        "confidence_total, honesty_rate, asked_before_design, label_counts, clarifications, phase_seconds, "
        "calibration, study_next, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        report_rows,
    )
    connection.commit()
    connection.close()


async def measure(db: Path) -> list[float]:
    from interviewer.tui.app import InterviewerApp
    from interviewer.tui.screens.history import PAGE, HistoryScreen
    from interviewer.tui.screens.home import HomeScreen

    app = InterviewerApp(f"sqlite:///{db}")
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, HomeScreen) and app.screen.summaries):
            await pilot.pause(0.01)
        for _ in range(5):
            started = time.perf_counter()
            screen = HistoryScreen()
            await app.push_screen(screen)
            while not screen.sessions:
                await asyncio.sleep(0.001)
            await pilot.pause()
            timings.append(time.perf_counter() - started)
            table = screen.query_one("#sessions")
            assert table.row_count == PAGE, table.row_count
            app.pop_screen()
            await pilot.pause()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INTERVIEWER_HOME"] = tmp
        db = Path(tmp) / "history.db"
        started = time.perf_counter()
        generate(db, args.sessions)
        print(f"generated {args.sessions} sessions in {time.perf_counter() - started:.1f} s")
        timings = asyncio.run(measure(db))
    print("history open to first page: " + ", ".join(f"{t * 1000:.0f} ms" for t in timings))
    median = statistics.median(timings) * 1000
    print(f"median {median:.0f} ms (bar: under 300 ms): {'met' if median < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
