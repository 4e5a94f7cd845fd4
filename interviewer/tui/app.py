"""The app: wires screens, bindings, theme and the command palette, and routes between the screens."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import Resize

from interviewer.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from interviewer.config import Settings
    from interviewer.engine import Clock, Interview
    from interviewer.usecases import Practice

MIN_WIDTH, MIN_HEIGHT = 80, 24


def _screen_actions() -> type:
    from interviewer.tui.palette import ScreenActionsProvider  # the palette is not needed for the first frame

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
        self,
        db_url: str | None = None,
        *,
        clock: Clock | None = None,
        practice: Practice | None = None,
        interview: Interview | None = None,
    ) -> None:
        """Open on Home (and straight into ``interview`` when given), over ``practice`` or a new one on db_url."""
        super().__init__()
        if practice is None:
            from interviewer.usecases import Practice

            practice = Practice(db_url, clock=clock)
        self.practice = practice
        self.settings: Settings | None = None
        """The settings as Home last read them (prices for the cost shown during an interview)."""
        self.first_interview = interview

    def on_mount(self) -> None:
        self._exit_on_termination()
        self.push_screen(HomeScreen())
        if self.first_interview is not None:
            self.open_interview(self.first_interview)

    def _exit_on_termination(self) -> None:
        """SIGTERM (``kill``) or SIGHUP (the terminal closed) exits as Ctrl+Q does: the terminal is restored
        (no alternate screen or mouse mode left on) and a running interview is saved and released."""
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(number, self.exit, None, 128 + number)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no such signal here
                pass

    # -- routing: screens ask the app, so no screen imports another ------------------------------------

    def open_interview(self, interview: Interview) -> None:
        from interviewer.tui.screens.interview import InterviewScreen

        self.push_screen(InterviewScreen(interview))

    def open_report(self, session_id: int, *, replace: bool = False) -> None:
        """The report of a session; ``replace`` swaps it for the current screen (an interview that ended)."""
        from interviewer.tui.screens.report import ReportScreen

        if replace:
            self.switch_screen(ReportScreen(session_id))
        else:
            self.push_screen(ReportScreen(session_id))

    def open_transcript(self, session_id: int, turn: int | None = None) -> None:
        from interviewer.tui.screens.transcript import TranscriptScreen

        self.push_screen(TranscriptScreen(session_id, focus_turn=turn))

    def open_history(self) -> None:
        from interviewer.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    def open_editor(self, text: str | None, *, clone: bool = False) -> None:
        """The rubric editor on a rubric's TOML (None: a new rubric from the template)."""
        from interviewer.tui.screens.editor import RubricEditorScreen

        self.push_screen(RubricEditorScreen(text, clone=clone))

    def go_home(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.switch_screen(HomeScreen())

    def on_resize(self, event: Resize) -> None:
        from interviewer.tui.dialogs import TooSmallScreen

        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif not small and showing:
            self.pop_screen()


def run(db_url: str | None = None, *, practice: Practice | None = None, interview: Interview | None = None) -> int:
    """Run the app; its exit code (128 + the signal's number when a signal ended it)."""
    app = InterviewerApp(db_url, practice=practice, interview=interview)
    app.run()
    return app.return_code or 0
