"""Time: an injectable clock, and the interview's countdown with its phase budgets and warnings."""

from __future__ import annotations

import time
from typing import Protocol

from interviewer.domain import Phase

PHASE_SHARES: dict[Phase, float] = {
    Phase.CLARIFY: 0.15,
    Phase.DESIGN: 0.35,
    Phase.DEEP_DIVE: 0.35,
    Phase.WRAP_UP: 0.15,
}
"""How an interview's minutes are split between its phases."""

WARNINGS = (5 * 60.0, 60.0)
"""Seconds left at which the candidate is warned."""


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.value = start

    def now(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


class PauseRefused(RuntimeError):
    """A timed interview cannot be paused."""


class Timekeeper:
    """Active time of an interview. Time while the app is not running is never counted."""

    def __init__(
        self, clock: Clock, minutes: float, *, timed: bool = True, elapsed: float = 0.0, warned: tuple[float, ...] = ()
    ) -> None:
        self.clock = clock
        self.total = minutes * 60.0
        self.timed = timed
        self._banked = elapsed
        self._since: float | None = None
        self._warned = set(warned) | {w for w in WARNINGS if self.total - elapsed <= w}

    def start(self) -> None:
        if self._since is None:
            self._since = self.clock.now()

    def stop(self) -> None:
        if self._since is not None:
            self._banked += self.clock.now() - self._since
            self._since = None

    def pause(self) -> None:
        """Stop the clock for a break; only untimed practice may pause."""
        if self.timed:
            raise PauseRefused("a timed interview cannot be paused; untimed practice can")
        self.stop()

    def resume(self) -> None:
        self.start()

    @property
    def elapsed(self) -> float:
        running = self.clock.now() - self._since if self._since is not None else 0.0
        return self._banked + running

    @property
    def remaining(self) -> float:
        return max(0.0, self.total - self.elapsed)

    @property
    def expired(self) -> bool:
        return self.timed and self.remaining <= 0

    def phase_by_time(self) -> Phase:
        """The phase the clock alone says the interview should be in."""
        spent = self.elapsed / self.total if self.total else 1.0
        edge = 0.0
        for phase, share in PHASE_SHARES.items():
            edge += share
            if spent < edge:
                return phase
        return Phase.WRAP_UP

    @property
    def wrap_up_due(self) -> bool:
        return self.timed and self.remaining <= self.total * PHASE_SHARES[Phase.WRAP_UP]

    def due_warnings_pending(self) -> bool:
        """Whether a warning is due (without giving it)."""
        return self.timed and any(w not in self._warned and self.remaining <= w < self.total for w in WARNINGS)

    def due_warnings(self) -> list[float]:
        """Warnings (seconds left) that are now due and were not given yet; each is given once."""
        if not self.timed:
            return []
        due = [w for w in WARNINGS if w not in self._warned and self.remaining <= w and self.total > w]
        self._warned.update(due)
        return due

    def describe(self) -> str:
        if not self.timed:
            return f"{_clock_text(self.elapsed)} elapsed (untimed)"
        return f"{_clock_text(self.remaining)} left of {_clock_text(self.total)}"


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"
