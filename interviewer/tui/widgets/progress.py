"""The progress chart of History: score and honesty (0 to 100) per session, dated, with the hiring bands."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.message import Message
from textual_plotext import PlotextPlot

from interviewer.domain import SessionRecord
from interviewer.scoring.rules import BANDS

LEAN_HIRE_FLOOR = next(floor for floor, name in BANDS if name == "lean hire")
CHART_BANDS = tuple(band for band in BANDS if band[0] >= LEAN_HIRE_FLOOR)
"""The hiring bands drawn across the chart as lines (lean hire, hire, strong hire)."""
BAND_ROWS = 10
"""Plot rows needed to draw the bands apart; a shorter chart leaves them out rather than blur them together."""
Y_TICKS = (0, 25, 50, 75, 100)
X_LABEL_SPACING = 10
"""Columns per date label on the x axis, so labels never run into each other."""
SCORE_COLOR, HONESTY_COLOR, BAND_COLOR = "cyan", "magenta", "gray"


def date_labels(sessions: Sequence[SessionRecord]) -> list[str]:
    """Each session's date as the x axis shows it: "Dec 01", or "2025-12" when the sessions span years."""
    one_year = len({s.started_at.year for s in sessions}) <= 1
    return [f"{s.started_at:%b %d}" if one_year else f"{s.started_at:%Y-%m}" for s in sessions]


def draw_progress(plot: PlotextPlot, scored: Sequence[SessionRecord]) -> bool:
    """Score and honesty per session, oldest to newest, dated on the x axis; True when the bands were drawn."""
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    width, height = plot.size
    plt.plotsize(max(width, 1), max(height, 1))
    plt.ylim(0, 100)
    plt.yticks(list(Y_TICKS))
    bands = height - 3 >= BAND_ROWS  # the frame's two lines and the date labels take three rows
    if bands:
        for floor, _name in CHART_BANDS:
            plt.hline(floor, BAND_COLOR)
    if not scored:
        plt.xticks([], [])
        return bands
    xs = list(range(1, len(scored) + 1))
    honesty = [100 * (s.honesty if s.honesty is not None else 1.0) for s in scored]
    score = [s.overall or 0.0 for s in scored]
    for ys, color in ((honesty, HONESTY_COLOR), (score, SCORE_COLOR)):
        if len(scored) > 1:  # braille: four dots a row, finer than any mark
            plt.plot(xs, ys, marker="braille", color=color)
        else:
            plt.scatter(xs, ys, marker="●", color=color)
    plt.xlim(0.5, len(scored) + 0.5)
    labels = date_labels(scored)
    shown = max(1, min(len(scored), (width - 6) // X_LABEL_SPACING))
    picks = sorted({round(i * (len(scored) - 1) / max(1, shown - 1)) for i in range(shown)})
    ticks = [p for n, p in enumerate(picks) if n == 0 or labels[p] != labels[picks[n - 1]]]
    plt.xticks([xs[p] for p in ticks], [labels[p] for p in ticks])
    return bands


class ProgressPlot(PlotextPlot):
    """The chart's plot; it says when its size changes, since its size decides the date labels and the bands."""

    class Resized(Message):
        """The plot has a new size: draw it again."""

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())
