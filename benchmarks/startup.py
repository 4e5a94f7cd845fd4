"""Start-up: launch until the rubric list is usable, as a ratio to a bare Textual app's first frame.

Both are started as fresh Python processes, alternately, N times each, in the same terminal size;
each process reports the time from its first line to the first frame it writes that a user can act
on: for the bare app, its one Static; for the interviewer, Home with the rubric list on it (titles
shown and selectable, not a placeholder), plus the interpreter's own start measured from outside. It
also checks that no provider SDK was imported by then. Prints medians and the ratio (the bar is 1.5x
or less). The first launch, which creates the database, is not counted: it is done once, before.

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


def usable(screen):
    # the frame shows what the user acts on first: the bare app's Static, or Home's list of rubrics
    if KIND == "bare":
        return screen.__class__.__name__ == "Screen"
    if screen.__class__.__name__ != "HomeScreen":
        return False
    found = screen.query("#rubrics")
    return bool(found) and found.first().option_count > 0 and found.first().region.height > 0


def first_frame(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and not self._painted and usable(screen):
        self._painted = True
        if KIND == "app":
            assert "anthropic" not in sys.modules and "openai" not in sys.modules, "a provider SDK was imported"
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
    print(f"interviewer, rubric list on:  median {a * 1000:7.1f} ms")
    print(f"ratio {a / b:.2f}x (bar: <= 1.5x): {'met' if a / b <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
