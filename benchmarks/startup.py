"""Start-up: launch to the first painted frame of Home, as a ratio to a bare Textual app with one Static.

Both are started as fresh Python processes, alternately, N times each; each process reports the time
from its first line to the first frame it writes with its first screen on it (Home for the app),
plus the interpreter's own start measured from outside. It also checks that no provider SDK was
imported by then. Prints medians and the ratio (the bar is 1.5x or less).

    python benchmarks/startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

PROBE = r"""
import sys, time
started = time.perf_counter()
KIND = sys.argv[1]
from textual.app import App

_display = App._display


def first_frame(self, screen, renderable):
    # the first frame the app writes with its first real screen on it
    _display(self, screen, renderable)
    if renderable is not None and screen.__class__.__name__ in ("Screen", "HomeScreen") and not self._painted:
        self._painted = True
        if KIND == "app":
            assert "anthropic" not in sys.modules and "openai" not in sys.modules, "a provider SDK was imported"
            if screen.__class__.__name__ != "HomeScreen":
                return
        print(time.perf_counter() - started, flush=True)
        self.set_timer(0.05, self.exit)


App._display = first_frame
App._painted = False
if KIND == "bare":
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("hello")

    Bare().run(headless=True, size=(100, 32))
else:
    from interviewer.tui.app import InterviewerApp

    InterviewerApp(sys.argv[2]).run(headless=True, size=(100, 32))
"""


def launch(kind: str, db: str) -> float:
    """Seconds from the process's first line to its first painted frame, plus the interpreter's start."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
    interpreter = time.perf_counter() - started
    result = subprocess.run([sys.executable, "-c", PROBE, kind, db], check=True, capture_output=True, text=True)
    return interpreter + float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INTERVIEWER_HOME"] = tmp
        db = f"sqlite:///{tmp}/bench.db"
        launch("app", db)  # first run creates and migrates the database, as a first start would
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(launch("bare", db))
            app.append(launch("app", db))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"runs: {args.runs} each, alternating, fresh processes")
    print(f"bare Textual app, one Static: median {b * 1000:7.1f} ms")
    print(f"interviewer, Home painted:    median {a * 1000:7.1f} ms")
    print(f"ratio {a / b:.2f}x (bar: <= 1.5x): {'met' if a / b <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
