"""Report: the score, levels with evidence (select one to jump to the turn), honesty, clarifications, time."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Markdown, OptionList
from textual.widgets.option_list import Option

from interviewer.domain import Report, SessionRecord
from interviewer.export import report_lines


class ReportScreen(Screen[None]):
    """One session's report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "transcript", "Transcript", id="report.transcript"),
        Binding("f3", "history", "History", id="report.history"),
        Binding("escape", "home", "Home", id="report.home"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.sub_title = f"Report · session {session_id}"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="report"):
            with VerticalScroll(id="report-body"):
                yield Markdown("Loading the report…", id="report-text")
            with VerticalScroll(id="evidence-side"):
                yield Label("Evidence: select to open the turn", classes="section")
                yield OptionList(id="evidence")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="report-load")
    def load(self) -> None:
        repository = self.app.repository()  # type: ignore[attr-defined]
        session = repository.get_session(self.session_id)
        report = repository.latest_report(self.session_id)
        stored = repository.session_rubric(self.session_id)
        if session is None or report is None or stored is None:
            self.app.call_from_thread(
                self.notify, f"Session {self.session_id} has no report.", title="No report", severity="warning"
            )
            return
        text = "\n".join(report_lines(report, stored.rubric, markdown=True))
        self.app.call_from_thread(self._show, session, report, text)

    def _show(self, session: SessionRecord, report: Report, text: str) -> None:
        self.query_one("#report-text", Markdown).update(f"# {session.rubric_title}\n\n{text}")
        options = self.query_one("#evidence", OptionList)
        options.clear_options()
        for result in report.criteria:
            for evidence in result.evidence:
                quote = evidence.quote if len(evidence.quote) < 90 else evidence.quote[:89] + "…"
                options.add_option(
                    Option(
                        f"[{result.level}/4] {result.title}\nturn {evidence.turn}: {quote}",
                        id=f"{result.criterion_id}:{evidence.turn}:{options.option_count}",
                    )
                )

    @on(OptionList.OptionSelected, "#evidence")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        turn = int(str(event.option.id).split(":")[1])
        self._open_transcript(turn)

    def _open_transcript(self, turn: int | None = None) -> None:
        from interviewer.tui.screens.transcript import TranscriptScreen

        self.app.push_screen(TranscriptScreen(self.session_id, focus_turn=turn))

    def action_transcript(self) -> None:
        self._open_transcript()

    def action_history(self) -> None:
        from interviewer.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_home(self) -> None:
        from interviewer.tui.screens.home import HomeScreen

        while len(self.app.screen_stack) > 2 and not isinstance(self.app.screen, HomeScreen):
            self.app.pop_screen()
        if not isinstance(self.app.screen, HomeScreen):
            self.app.switch_screen(HomeScreen())
