"""The countdown: time left and the current phase, turning to warning colours at 5 and 1 minutes."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from interviewer.render import mm_ss


class Countdown(Static):
    """Shows an interview's clock; the screen refreshes it with ``show``."""

    DEFAULT_CSS = """
    Countdown {
        height: 3;
        content-align: center middle;
        text-style: bold;
        border: round $primary;
    }
    Countdown.warning { border: round $warning; color: $warning; }
    Countdown.critical { border: round $error; color: $error; text-style: bold reverse; }
    """

    seconds_left: reactive[float] = reactive(0.0)
    phase: reactive[str] = reactive("")
    timed: reactive[bool] = reactive(True)

    def show(self, seconds: float, phase: str, *, timed: bool) -> None:
        self.seconds_left, self.phase, self.timed = seconds, phase, timed
        self.set_class(timed and seconds <= 60, "critical")
        self.set_class(timed and 60 < seconds <= 300, "warning")
        self.update(self.render_text())

    def render_text(self) -> str:
        if not self.timed:
            return f"{self.phase} · {mm_ss(self.seconds_left)} (untimed)"
        return f"{self.phase} · {mm_ss(self.seconds_left)} left"
