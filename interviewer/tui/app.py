"""The app: wires screens, bindings, theme and the command palette, and routes between the screens."""

from __future__ import annotations

import asyncio
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import Resize

from interviewer import locations
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
        Binding("question_mark,f1", "toggle_keys", "Keys", id="app.keys", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("q", "back", "Back / quit", id="app.back", show=False),
        Binding("ctrl+t", "change_theme", "Theme", id="app.theme", show=False),
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
        self.db_url = db_url
        self._clock = clock
        self._practice = practice
        self._practice_lock = threading.Lock()
        self._theme_chosen = False
        """Theme changes from here on are the user's, and are remembered."""
        theme = locations.remembered_theme()
        if theme in self.available_themes:
            self.theme = theme
        self.settings: Settings | None = None
        """The settings as Home last read them (prices for the cost shown during an interview)."""
        self.first_interview = interview

    @property
    def practice(self) -> Practice:
        """The use cases, made on first use: their imports (the database layer) are not needed for the first
        frame, so Home asks for them from a worker thread after it is painted."""
        with self._practice_lock:
            if self._practice is None:
                from interviewer.usecases import Practice

                self._practice = Practice(self.db_url, clock=self._clock)
            return self._practice

    # -- keys every screen shares --------------------------------------------------------------------

    def action_toggle_keys(self) -> None:
        """Show or hide the panel of the keys that work here (the focused widget's, the screen's, the app's)."""
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    async def action_back(self) -> None:
        """``q`` outside a text field: back out of this screen, or quit from Home."""
        screen = self.screen
        if isinstance(screen, HomeScreen):
            await self.action_quit()
            return
        for action in ("back", "home"):
            if hasattr(screen, f"action_{action}"):
                await screen.run_action(action)
                return

    async def action_quit(self) -> None:
        """Quit, asking first when something would be lost or left (an interview, unsaved edits)."""
        from interviewer.tui.dialogs import ConfirmScreen

        questions = [ask() for screen in self.screen_stack if (ask := getattr(screen, "leaving_question", None))]
        question = next((q for q in questions if q), None)
        if question is None:
            self.exit(message=self._goodbye())
            return

        def decided(leave: bool | None) -> None:
            if leave:
                self.exit(message=self._goodbye())

        self.push_screen(ConfirmScreen(question, yes="Quit", destructive=True), decided)

    def _goodbye(self) -> str | None:
        """What to say on the terminal after the app closes (how to resume an interview left open)."""
        notes = [note() for screen in self.screen_stack if (note := getattr(screen, "parting_note", None))]
        return next((n for n in notes if n), None)

    def watch_theme(self, theme: str) -> None:
        if self._theme_chosen:
            self.remember_theme(theme)

    @work(thread=True, exclusive=True, group="theme")
    def remember_theme(self, theme: str) -> None:
        from interviewer.config import ConfigError, update_config

        try:
            update_config(theme=theme)
        except (ConfigError, OSError) as exc:
            self.call_from_thread(self.notify, f"The theme was not remembered: {exc}", severity="warning")

    def on_mount(self) -> None:
        self._theme_chosen = True
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

        settings = self.settings
        if settings is None:
            try:
                settings = self.practice.settings()
            except Exception:  # noqa: BLE001 - Home says what is wrong with the config file
                settings = None
        self.push_screen(InterviewScreen(interview, send_key=settings.send_key if settings else "ctrl+s"))

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
