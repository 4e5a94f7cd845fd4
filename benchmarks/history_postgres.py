"""A team's history on PostgreSQL: 100,000 sessions by 200 people, the first page and one person's page.

A generator fills a fresh schema on the server with finished sessions (each with a report) by COPY,
then the store's history query is timed, five times each: the first page of everyone's sessions
(newest first, 100 rows, as History opens) and the first page of one person's. The bar is 300 ms
for each. The schema is dropped afterwards.

    python benchmarks/history_postgres.py [--sessions 100000] [--people 200] [--url postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta

URL = os.environ.get("INTERVIEWER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def generate(url: str, sessions: int, people: int) -> None:
    """Sessions spread over two years, across the bundled rubrics and people, each with a report."""
    import psycopg

    from interviewer.store import open_repository

    repository = open_repository(url)
    versions = [repository.get_rubric(s.id).version_id for s in repository.list_rubrics()]
    repository.database.close()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    labels = json.dumps({"correct": 2, "partial": 1, "idk": 1, "hedged_wrong": 0, "confident_wrong": 1})
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY interview_session (id, rubric_version_id, status, timed, minutes, provider, model, persona, "
                'phase, elapsed_seconds, phase_seconds, started_at, ended_at, heartbeat_at, "user") FROM STDIN'
            ) as copy:
                for index in range(1, sessions + 1):
                    stamp = start + timedelta(minutes=7 * index)
                    copy.write_row(
                        (index, versions[index % len(versions)], "finished", True, 40, "offline", "offline",
                         "neutral", "wrap_up", 1800.0 + index % 600, "{}", stamp, stamp, stamp,
                         f"person-{index % people}")
                    )  # fmt: skip
            with cursor.copy(
                "COPY report (id, session_id, grader, created_at, sufficient_evidence, overall, band, "
                "confidence_total, honesty_rate, asked_before_design, label_counts, clarifications, phase_seconds, "
                "calibration, study_next, notes) FROM STDIN"
            ) as copy:
                for index in range(1, sessions + 1):
                    stamp = start + timedelta(minutes=7 * index)
                    copy.write_row(
                        (index, index, "offline", stamp, True, float(20 + (index * 37) % 75), "lean hire", 1.5,
                         (index % 5) / 4, 1, labels, "[]", "{}", None, "[]", "[]")
                    )  # fmt: skip
        connection.execute("ANALYZE interview_session")
        connection.execute("ANALYZE report")


def measure(url: str, person: str) -> tuple[list[float], list[float]]:
    from interviewer.store import open_repository

    repository = open_repository(url)
    everyone, one = [], []
    for _ in range(5):
        started = time.perf_counter()
        page = repository.list_sessions(limit=100)
        everyone.append(time.perf_counter() - started)
        assert len(page) == 100
        started = time.perf_counter()
        page = repository.list_sessions(limit=100, user=person)
        one.append(time.perf_counter() - started)
        assert page and all(s.user == person for s in page)
    repository.database.close()
    return everyone, one


def main() -> None:
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--url", default=URL, help="a PostgreSQL server (default: INTERVIEWER_TEST_POSTGRES)")
    args = parser.parse_args()
    os.environ["INTERVIEWER_HOME"] = tempfile.mkdtemp()
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(args.url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    url = f"{args.url}?options=-csearch_path%3D{schema}"
    try:
        started = time.perf_counter()
        generate(url, args.sessions, args.people)
        print(f"generated {args.sessions} sessions by {args.people} people in {time.perf_counter() - started:.1f} s")
        everyone, one = measure(url, "person-17")
    finally:
        with psycopg.connect(args.url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
    for name, timings in (("first page, everyone", everyone), ("first page, one person", one)):
        median = statistics.median(timings) * 1000
        shown = ", ".join(f"{t * 1000:.0f}" for t in timings)
        print(f"{name}: {shown} ms; median {median:.0f} ms (bar: under 300 ms): {'met' if median < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
