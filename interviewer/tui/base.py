"""What every screen of the app shares: typed access to the app's use cases, clock and settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events, on
from textual.screen import Screen
from textual.widgets import Footer

if TYPE_CHECKING:
    from interviewer.tui.app import InterviewerApp
    from interviewer.usecases import Practice


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
