"""Kill plain-mode interviews with SIGKILL at random moments and resume them, racing two resumes each time.

Checks what a crash may never do:
- lose a message: every answer the interviewer replied to (the reply was on screen) is in the database;
- duplicate one: no answer is stored twice;
- let two processes own one session: while a session runs, a resume is refused; after a kill, of two
  resumes started together exactly one goes on; no process ever finds its session taken over.

Run:  python benchmarks/kill_and_resume.py --runs 100 [--seed 1] [--keep]
It prints one line per run and a summary; the exit code is 1 when any check failed.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

RUBRIC = "caching-strategy"
SENTENCES = [
    "I would put a CDN in front for the anonymous catalogue responses",
    "Redis as a cache-aside layer with a TTL of about five minutes",
    "I don't know how the hit ratio would behave under a sale",
    "How many requests per second do we see at peak?",
    "Prices must be read from the database at checkout",
    "Request coalescing protects the database from a stampede",
    "Write-behind risks losing writes if a cache node fails",
]
BUSY_WORDS = ("another window", "is running in")


def _default_signals() -> None:
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


@dataclass
class Process:
    """One interviewer process with its standard output read line by line in a thread."""

    popen: subprocess.Popen[str]
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)

    @classmethod
    def start(cls, database: str, *args: str) -> Process:
        popen = subprocess.Popen(
            [sys.executable, "-m", "interviewer", "--db", database, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_default_signals,  # Ctrl-C works in the child even when this script runs in the background
        )
        process = cls(popen)
        threading.Thread(target=process._pump, daemon=True).start()
        return process

    def _pump(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def say(self, text: str) -> bool:
        """Send one message (a blank line ends it); False when the process is gone."""
        try:
            assert self.popen.stdin is not None
            self.popen.stdin.write(text + "\n\n")
            self.popen.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def next_reply(self, seconds: float = 60) -> bool:
        """Wait for the interviewer's next message on screen; False when the process ended first."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                return False
            if line.startswith("Interviewer:"):
                return True
        raise TimeoutError("no reply from the interviewer in time")

    def stderr(self) -> str:
        assert self.popen.stderr is not None
        return self.popen.stderr.read()


def latest_session(database: str) -> tuple[int, str] | None:
    if not Path(database).exists():
        return None
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        row = connection.execute("SELECT id, status FROM interview_session ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else (row[0], row[1])


def candidate_texts(database: str) -> list[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT text FROM turn WHERE role = 'candidate' ORDER BY session_id, seq").fetchall()
    return [row[0] for row in rows]


@dataclass
class Tally:
    """What the runs exercised, so a clean summary cannot come from checks that never ran."""

    sent: set[str] = field(default_factory=set)
    acked: set[str] = field(default_factory=set)
    kills: int = 0
    killed_mid_answer: int = 0
    refused_while_running: int = 0
    races: int = 0
    race_losers_refused: int = 0


def one_run(database: str, number: int, rng: random.Random, tally: Tally) -> list[str]:
    """Start or resume, talk, try a second resume while it runs, kill it, race two resumes. Problems found."""
    problems: list[str] = []
    latest = latest_session(database)
    if latest is None or latest[1] == "finished":
        process = Process.start(database, "practice", RUBRIC, "--plain", "--untimed")
        session = None
    else:
        session = latest[0]
        process = Process.start(database, "resume", str(session))
    if not process.next_reply():
        return problems  # it ended at once (e.g. the session had nothing left to ask): nothing to check
    session = session or latest_session(database)[0]  # type: ignore[index]
    for count in range(rng.randint(0, 4)):
        message = f"{rng.choice(SENTENCES)} (run {number}, message {count})"
        if not process.say(message):
            break
        tally.sent.add(message)
        if rng.random() < 0.3:  # killed while the answer is being saved, graded or replied to
            time.sleep(rng.uniform(0, 0.3))
            tally.killed_mid_answer += 1
            break
        if not process.next_reply():
            break
        tally.acked.add(message)
    else:
        if rng.random() < 0.5:  # a second window tries to resume the running session: refused
            second = Process.start(database, "resume", str(session))
            second.popen.stdin.close()  # type: ignore[union-attr]
            code = second.popen.wait(timeout=60)
            err = second.stderr()
            if process.popen.poll() is None and (code == 0 or not any(w in err for w in BUSY_WORDS)):
                problems.append(f"a second resume of running session {session} was not refused: {err.strip()!r}")
            else:
                tally.refused_while_running += 1
    tally.kills += process.popen.poll() is None
    process.popen.kill()
    process.popen.wait()
    err = process.stderr()
    if "taken over" in err or "moved" in err:
        problems.append(f"run {number}: the killed process had lost its session: {err.strip()!r}")
    # two windows resume the crashed session at the same moment: exactly one may go on
    racers = [Process.start(database, "resume", str(session)) for _ in range(2)]
    going_on = []
    for racer in racers:
        if racer.next_reply(seconds=60):
            going_on.append(racer)
    refused = 0
    for racer in racers:
        if racer not in going_on:
            racer.popen.wait(timeout=60)
            refused += any(w in racer.stderr() for w in BUSY_WORDS)
    finished = latest_session(database) == (session, "finished")
    tally.races += 1
    tally.race_losers_refused += refused
    if len(going_on) > 1:
        problems.append(f"run {number}: two processes went on with session {session}")
    elif not going_on and not finished:
        problems.append(f"run {number}: neither resume of session {session} went on ({refused} refused)")
    for racer in going_on:
        racer.popen.send_signal(signal.SIGINT)  # the winner leaves properly; the next run resumes again
        racer.popen.wait(timeout=60)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database and print where it is")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = tempfile.mkdtemp(prefix="kill-and-resume-")
    os.environ["INTERVIEWER_HOME"] = folder  # never the user's own data
    database = str(Path(folder) / "stress.db")
    tally = Tally()
    problems: list[str] = []
    started = time.monotonic()
    for number in range(args.runs):
        found = one_run(database, number, rng, tally)
        problems += found
        print(f"run {number + 1:3}: {'ok' if not found else '; '.join(found)}", flush=True)
    stored = candidate_texts(database)
    lost = sorted(tally.acked - set(stored))
    duplicated = sorted({text for text in stored if stored.count(text) > 1 and text in tally.sent})
    problems += [f"lost: {text!r}" for text in lost] + [f"duplicated: {text!r}" for text in duplicated]
    print(
        f"\n{args.runs} runs in {time.monotonic() - started:.0f} s: {tally.kills} kill -9 "
        f"({tally.killed_mid_answer} while an answer was in flight), {len(tally.sent)} messages sent, "
        f"{len(tally.acked)} replied to before the kill, {len(stored)} stored;\n"
        f"{tally.refused_while_running} resumes of a running session refused; {tally.races} races of two resumes, "
        f"{tally.race_losers_refused} losers refused;\n"
        f"{len(lost)} lost, {len(duplicated)} duplicated, "
        f"{sum('two processes' in p or 'not refused' in p for p in problems)} sessions owned by two processes"
    )
    if args.keep:
        print(f"database: {database}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
