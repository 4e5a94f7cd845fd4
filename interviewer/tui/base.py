"""What every screen of the app shares: typed access to the app's use cases, clock and settings."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar, cast

from textual import events, on
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer

if TYPE_CHECKING:
    from interviewer.tui.app import InterviewerApp
    from interviewer.usecases import Practice


P = ParamSpec("P")
R = TypeVar("R")


class AppScreen(Screen[None]):
    """A screen of the interviewer app. Screens never import each other: they ask the app to route."""

    @on(events.ScreenResume)
    def _compact_footer(self) -> None:
        # Footers are compact and leave out the palette hint (``?`` lists every key, Ctrl+P included),
        # so a screen's main actions fit at 80 columns.
        for footer in self.query(Footer):
            footer.compact = True
            footer.show_command_palette = False

    @property
    def interviewer(self) -> InterviewerApp:
        """The app, typed: routing between screens and the services screens use."""
        return cast("InterviewerApp", self.app)

    @property
    def practice(self) -> Practice:
        """The use cases (the one database of this process)."""
        return self.interviewer.practice


def while_shown(method: Callable[P, R]) -> Callable[P, R | None]:
    """For what a worker hands back when its work is done: if the screen is closing (the app quits, or the user
    left) its widgets may be gone, and there is nothing left to update. Anywhere else a missing widget is a bug."""

    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return method(*args, **kwargs)
        except NoMatches:
            screen = args[0]
            assert isinstance(screen, Screen)
            if screen.app._exit or screen._closing or screen._closed or not screen.is_attached:
                return None
            raise

    return guarded
