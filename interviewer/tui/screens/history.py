"""History: every past session in a table, with resume, delete, export and re-grade, and a progress chart."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input
from textual_plotext import PlotextPlot

from interviewer.domain import SessionRecord, SessionStatus
from interviewer.render import mm_ss
from interviewer.tui.base import AppScreen
from interviewer.tui.dialogs import ConfirmScreen
from interviewer.tui.exporting import export_session

PAGE = 100
"""Rows loaded at a time; more load as the cursor nears the end."""

COLUMNS = (
    ("Date", "started_at"),
    ("Rubric", "rubric"),
    ("Time", "elapsed"),
    ("Overall", "overall"),
    ("Honesty", "honesty"),
    ("Status", "status"),
)


class HistoryScreen(AppScreen):
    """Past sessions: sortable, filterable, loaded in pages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Transcript", id="history.open"),
        Binding("f2", "resume", "Resume", id="history.resume"),
        Binding("f3", "export", "Export", id="history.export"),
        Binding("f4", "regrade", "Re-grade", id="history.regrade"),
        Binding("f8", "delete", "Delete", id="history.delete"),
        Binding("ctrl+f", "focus_filter", "Filter", id="history.filter"),
        Binding("escape", "back", "Back", id="history.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[SessionRecord] = []
        self.order = "started_at"
        self.descending = True
        self.exhausted = False
        self.fetching = False
        self.sub_title = "History"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history"):
            yield Input(placeholder="Filter: words of the rubric, topic or status", id="history-filter")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield PlotextPlot(id="progress")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        for title, key in COLUMNS:
            table.add_column(title, key=key)
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.sessions = []
        self.exhausted = False
        self.query_one("#sessions", DataTable).clear()
        self.load_page()

    @work(thread=True, exclusive=True, group="history-load")
    def load_page(self) -> None:
        self.fetching = True
        search = self.query_one("#history-filter", Input).value
        try:
            page = self.practice.history(
                limit=PAGE, offset=len(self.sessions), search=search, order=self.order, descending=self.descending
            )
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self.notify, str(exc), title="Cannot read history", severity="error")
            self.fetching = False
            return
        self.app.call_from_thread(self._add_rows, page)

    def _add_rows(self, page: list[SessionRecord]) -> None:
        self.fetching = False
        self.exhausted = len(page) < PAGE
        first = not self.sessions
        self.sessions.extend(page)
        table = self.query_one("#sessions", DataTable)
        for s in page:
            overall = f"{s.overall:.0f} {s.band}" if s.overall is not None else "-"
            honesty = f"{100 * s.honesty:.0f}%" if s.honesty is not None else "-"
            table.add_row(
                f"{s.started_at:%Y-%m-%d %H:%M}",
                s.rubric_id,
                mm_ss(s.elapsed_seconds),
                overall,
                honesty,
                s.status.value,
                key=str(s.id),
            )
        if first:
            self.call_after_refresh(self._plot)  # the table first; the chart a frame later
            if not self.sessions:
                self.notify("No sessions yet: start one from Home.", title="History")

    def _plot(self) -> None:
        scored = [s for s in reversed(self.sessions) if s.overall is not None][-100:]
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        search = self.query_one("#history-filter", Input).value.strip()
        plt.title("Overall and honesty over time" + (f" ({search})" if search else ""))
        if scored:
            xs = list(range(1, len(scored) + 1))
            plt.plot(xs, [s.overall or 0 for s in scored], label="overall", marker="braille")
            plt.plot(
                xs,
                [100 * (s.honesty if s.honesty is not None else 1.0) for s in scored],
                label="honesty %",
                marker="braille",
            )
            plt.ylim(0, 100)
            plt.xlabel("session (oldest to newest)")
        plot.refresh()

    @on(DataTable.RowHighlighted, "#sessions")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if not self.exhausted and not self.fetching and event.cursor_row >= len(self.sessions) - 20:
            self.load_page()

    @on(DataTable.HeaderSelected, "#sessions")
    def _sort(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        self.descending = not self.descending if key == self.order else True
        self.order = key
        self.reload()

    @on(Input.Changed, "#history-filter")
    def _filter(self) -> None:
        self.reload()

    def _current(self) -> SessionRecord | None:
        table = self.query_one("#sessions", DataTable)
        if not self.sessions or table.cursor_row >= len(self.sessions):
            return None
        return self.sessions[table.cursor_row]

    def action_open(self) -> None:
        if (current := self._current()) is not None:
            self.interviewer.open_transcript(current.id)

    @on(DataTable.RowSelected, "#sessions")
    def _selected(self) -> None:
        self.action_open()

    def action_resume(self) -> None:
        """Go on with the session, on the model it ran on."""
        current = self._current()
        if current is None:
            return
        if current.status is SessionStatus.FINISHED:
            self.notify("That session is finished; open its transcript instead.", title="Nothing to resume")
            return
        try:
            interview = self.practice.resume(current.id)
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), title="Cannot resume", severity="error")
            return
        self.interviewer.open_interview(interview)

    def action_export(self) -> None:
        if (current := self._current()) is not None:
            export_session(self, current.id)

    def action_regrade(self) -> None:
        if (current := self._current()) is not None:
            self.regrade(current.id)

    @work(thread=True, exclusive=True, group="history-regrade")
    def regrade(self, session_id: int) -> None:
        """Grade the session again with the offline grader, off the UI thread (grading is CPU work)."""
        import asyncio

        try:
            view = asyncio.run(self.practice.regrade(session_id))
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self.notify, str(exc), title="Cannot re-grade", severity="error")
            return
        report = view.report
        overall = (
            f"{report.overall:.0f} ({report.band})"
            if report is not None and report.overall is not None
            else "not scored"
        )
        self.app.call_from_thread(self.notify, f"Session {session_id} re-graded: {overall}.", title="Re-graded")
        self.app.call_from_thread(self.reload)

    def action_delete(self) -> None:
        current = self._current()
        if current is None:
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.practice.delete_session(current.id)
                self.notify(f"Session {current.id} deleted.", title="Deleted")
                self.reload()

        self.app.push_screen(
            ConfirmScreen(f"Delete session {current.id} ({current.rubric_id}) for good?", "Delete"), decided
        )

    def action_focus_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()
