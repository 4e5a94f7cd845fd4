"""Report: the score, levels with evidence (select one to jump to the turn), honesty, clarifications, time."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Label, Markdown, OptionList
from textual.widgets.option_list import Option

from interviewer.render import markdown_escape, report_lines, review_line, terminal_safe
from interviewer.tui.base import AppScreen, while_shown
from interviewer.tui.widgets.lists import KeyedOptionList
from interviewer.views import SessionView


class ReportScreen(AppScreen):
    """One session's report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "transcript", "Transcript", id="report.transcript"),
        Binding("h", "history", "History", id="report.history"),
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
                yield Label("Evidence: Enter opens the turn", classes="section")
                yield KeyedOptionList(id="evidence")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#evidence", OptionList).focus()  # Down and Enter choose evidence at once
        self.load()

    @work(thread=True, exclusive=True, group="report-load")
    def load(self) -> None:
        from interviewer.usecases import PracticeError

        try:
            view = self.practice.session(self.session_id)
        except PracticeError as exc:
            self.app.call_from_thread(self.notify, f"{exc}.", title="No report", severity="warning")
            return
        if view.report is None:
            self.app.call_from_thread(
                self.notify, f"Session {self.session_id} has no report.", title="No report", severity="warning"
            )
            return
        text = "\n".join(report_lines(view.report, view.rubric, markdown=True, session=view.record))
        self.app.call_from_thread(self._show, view, text)

    @while_shown
    def _show(self, view: SessionView, text: str) -> None:
        assert view.report is not None
        report = view.report
        if report.sufficient_evidence and report.overall is not None:
            headline = f"# {report.overall:.0f}/100 · {report.band}"
        else:
            headline = "# Not scored: too little evidence"
        if report.grader == "offline":
            headline += "\n\n*Provisional: graded offline, from the words used (a configured model re-grades).*"
        overall = view.notes_on(None)
        review = ("### Review\n\n" + "\n\n".join(map(review_line, overall)) + "\n\n") if overall else ""
        self.query_one("#report-text", Markdown).update(
            f"{headline}\n\n## {markdown_escape(view.record.rubric_title)}\n\n{review}{text}"
        )
        options = self.query_one("#evidence", OptionList)
        options.clear_options()
        for result in view.report.criteria:
            for evidence in result.evidence:
                quote = terminal_safe(evidence.quote if len(evidence.quote) < 90 else evidence.quote[:89] + "…")
                options.add_option(
                    Option(
                        Text(f"[{result.level}/4] {terminal_safe(result.title)}\nturn {evidence.turn}: {quote}"),
                        id=f"{result.criterion_id}:{evidence.turn}:{options.option_count}",
                    )
                )

    @on(OptionList.OptionSelected, "#evidence")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        turn = int(str(event.option.id).split(":")[1])
        self._open_transcript(turn)

    def _open_transcript(self, turn: int | None = None) -> None:
        self.interviewer.open_transcript(self.session_id, turn)

    def action_transcript(self) -> None:
        self._open_transcript()

    def action_history(self) -> None:
        self.interviewer.open_history()

    def action_home(self) -> None:
        self.interviewer.go_home()
