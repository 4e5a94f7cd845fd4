"""The app: wires screens, bindings, theme and the command palette. Nothing else lives here."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import Resize

from interviewer.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from interviewer.engine import Interview
    from interviewer.engine.clock import Clock
    from interviewer.store import Repository

MIN_WIDTH, MIN_HEIGHT = 80, 24


def _screen_actions() -> type:
    from interviewer.tui.commands import ScreenActionsProvider  # the palette is not needed for the first frame

    return ScreenActionsProvider


class InterviewerApp(App[None]):
    """Practise system-design interviews: Home, Interview, Report, History, Transcript, Rubric editor."""

    TITLE = "interviewer"
    SUB_TITLE = "system-design interview practice"
    CSS_PATH = Path(__file__).parent / "app.tcss"
    COMMANDS = App.COMMANDS | {_screen_actions}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "change_theme", "Theme", id="app.theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self, db_url: str | None = None, *, clock: Clock | None = None, interview: Interview | None = None
    ) -> None:
        super().__init__()
        self.db_url = db_url
        self.clock = clock
        self.first_interview = interview
        self._repository: Repository | None = None
        self._lock = threading.Lock()

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if self.first_interview is not None:
            from interviewer.tui.screens.interview import InterviewScreen

            self.push_screen(InterviewScreen(self.first_interview))

    def repository(self) -> Repository:
        """The open database (opened on first use, off the UI thread by the screens' workers)."""
        with self._lock:
            if self._repository is None:
                from interviewer import locations
                from interviewer.store import open_repository

                self._repository = open_repository(locations.database_url(self.db_url))
            return self._repository

    def on_resize(self, event: Resize) -> None:
        from interviewer.tui.screens.dialogs import TooSmallScreen

        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif not small and showing:
            self.pop_screen()


def run(db_url: str | None = None) -> None:
    InterviewerApp(db_url).run()
