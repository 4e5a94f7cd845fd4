"""History: every past session in a table, with resume, delete, export and re-grade, and a progress chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import DataTable, Footer, Header, Input, Static

from interviewer.domain import SessionRecord, SessionStatus
from interviewer.render import mm_ss
from interviewer.scoring.rules import BANDS
from interviewer.tui.base import AppScreen
from interviewer.tui.dialogs import ConfirmScreen
from interviewer.tui.exporting import export_session
from interviewer.tui.widgets.lists import KeyedDataTable, clip
from interviewer.tui.widgets.progress import CHART_BANDS, HONESTY_COLOR, SCORE_COLOR, ProgressPlot, draw_progress

PAGE = 100
"""Rows loaded at a time; more load as the cursor nears the end."""
CHART_SESSIONS = 60
"""The newest sessions (matching the filter) the progress chart looks at; those with a score are drawn."""

COLUMNS = (
    ("Date", "started_at"),
    ("Rubric", "rubric"),
    ("Time", "elapsed"),
    ("Score", "overall"),
    ("Honesty", "honesty"),
    ("Status", "status"),
)
SORT_CYCLE = ("started_at", "overall", "rubric", "status")
"""The columns `s` steps through, in this order."""
FIRST_DESCENDING = frozenset({"started_at", "overall", "elapsed", "honesty"})
"""Columns a first sort puts high first (newest, best, longest); rubric and status go A to Z."""
LONG_DATE, SHORT_DATE = "%Y-%m-%d %H:%M", "%b %d %H:%M"
RUBRIC_COMFORT = 20
"""Characters of the rubric column worth more than the year of the date: a narrower table drops the year."""
RUBRIC_MIN = 8
CELL_PADDING = 1
"""DataTable's padding either side of a cell."""


@dataclass(frozen=True)
class ColumnPlan:
    """How the table is laid out at one width: the date's format and each column's width, in COLUMNS order."""

    date_format: str
    widths: tuple[int, ...]


def cells(session: SessionRecord, date_format: str) -> dict[str, str]:
    """A session's row, as text keyed by column."""
    return {
        "started_at": f"{session.started_at:{date_format}}",
        "rubric": session.rubric_id,
        "elapsed": mm_ss(session.elapsed_seconds),
        "overall": f"{session.overall:.0f} {session.band}" if session.overall is not None else "-",
        "honesty": f"{100 * session.honesty:.0f}%" if session.honesty is not None else "-",
        "status": session.status.value,
    }


WIDEST = {
    "elapsed": len("999:59"),
    "overall": len("100 ") + max(len(name) for _floor, name in BANDS),
    "honesty": len("Honesty ▼"),
    "status": max(len(status.value) for status in SessionStatus),
}
"""The widest each short column can be, to choose the date's format by the width alone (no jumps as rows change)."""


def date_width(date_format: str) -> int:
    return cell_len(f"{datetime(2000, 12, 31, 23, 59):{date_format}}")


def measure(sessions: Sequence[SessionRecord]) -> dict[str, int]:
    """The widest cell of each column but the date (whose width is its format's) among these sessions."""
    rows = [cells(s, SHORT_DATE) for s in sessions]
    return {key: max((cell_len(row[key]) for row in rows), default=0) for _, key in COLUMNS if key != "started_at"}


def plan_columns(widest: dict[str, int], labels: dict[str, str], width: int) -> ColumnPlan:
    """Widths that fit every column in `width` cells, given the widest cells loaded: the rubric column gives way,
    and below a width the date drops its year."""
    padding = 2 * CELL_PADDING * len(COLUMNS)
    long_room = width - padding - date_width(LONG_DATE) - sum(WIDEST.values())
    date_format = LONG_DATE if long_room >= RUBRIC_COMFORT else SHORT_DATE
    natural = {key: max(cell_len(labels[key]), widest.get(key, 0)) for _, key in COLUMNS}
    natural["started_at"] = max(natural["started_at"], date_width(date_format))
    room = width - padding - sum(w for key, w in natural.items() if key != "rubric")
    natural["rubric"] = max(RUBRIC_MIN, min(natural["rubric"], room))
    return ColumnPlan(date_format, tuple(natural[key] for _, key in COLUMNS))


class HistoryScreen(AppScreen):
    """Past sessions: sortable, filterable, loaded in pages, with the progress they show."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Transcript", id="history.open", priority=True),
        Binding("r", "resume", "Resume", id="history.resume"),
        Binding("x", "export", "Export", id="history.export"),
        Binding("g", "regrade", "Re-grade", id="history.regrade"),
        Binding("d", "delete", "Delete", id="history.delete"),
        Binding("s", "cycle_sort", "Sort", key_display="s/S", id="history.sort"),
        Binding("S,shift+s", "reverse_sort", "Reverse the order", show=False, id="history.reverse"),
        Binding("slash,ctrl+f", "focus_filter", "Filter", id="history.filter"),
        Binding("p", "toggle_chart", "Chart", id="history.chart"),
        Binding("escape", "back", "Back", id="history.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[SessionRecord] = []
        self.order = "started_at"
        self.descending = True
        self.exhausted = False
        self.fetching = False
        self.plan: ColumnPlan | None = None
        self.widest: dict[str, int] = {}  # the widest cell of each column among the rows loaded
        self.charted: list[SessionRecord] = []
        self.keep_row = 0
        self.generation = 0  # counts reloads: a page fetched for an earlier filter or order is dropped
        self.sub_title = "History"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history"):
            yield Input(
                placeholder="/ Filter: words of the rubric, topic, status or person", id="history-filter", compact=True
            )
            yield KeyedDataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with Vertical(id="progress-panel", classes="-empty"):
                yield Static(id="progress-legend")
                yield ProgressPlot(id="progress")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sessions", DataTable).focus()
        self.reload()

    # -- loading ------------------------------------------------------------------------------------

    def reload(self, keep_row: int = 0) -> None:
        """Load the first page again (after a sort, a filter, a delete); the cursor goes back to `keep_row`."""
        self.sessions = []
        self.widest = {}
        self.exhausted = False
        self.keep_row = keep_row
        self.generation += 1
        self.query_one("#sessions", DataTable).clear()
        self.load_page()

    @work(thread=True, exclusive=True, group="history-load")
    def load_page(self) -> None:
        self.fetching = True
        search = self.query_one("#history-filter", Input).value
        offset, generation = len(self.sessions), self.generation
        try:
            page = self.practice.history(
                limit=PAGE, offset=offset, search=search, order=self.order, descending=self.descending
            )
            self.app.call_from_thread(self._add_rows, page, generation)
            if offset == 0 and generation == self.generation:
                # the chart shows the newest sessions whatever the table's order; newest first, the page has them
                newest_first = (self.order, self.descending) == ("started_at", True)
                newest = page if newest_first else self.practice.history(limit=CHART_SESSIONS, search=search)
                charted = [s for s in reversed(newest[:CHART_SESSIONS]) if s.overall is not None]
                self.app.call_from_thread(self._chart, charted, generation)
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self.notify, str(exc), title="Cannot read history", severity="error")
            self.fetching = False

    def _add_rows(self, page: list[SessionRecord], generation: int) -> None:
        if generation != self.generation:
            return
        self.fetching = False
        self.exhausted = len(page) < PAGE
        first = not self.sessions
        self.sessions.extend(page)
        for key, width in measure(page).items():
            self.widest[key] = max(self.widest.get(key, 0), width)
        table = self.query_one("#sessions", DataTable)
        plan = self._plan()
        if plan != self.plan or first:
            self._fill(plan)
        else:
            for session in page:
                self._add_row(table, session, plan)
        if first:
            table.move_cursor(row=min(self.keep_row, max(0, len(self.sessions) - 1)))
            self.refresh_bindings()
            if not self.sessions and not self.query_one("#history-filter", Input).value.strip():
                self.notify("No sessions yet: start one from Home.", title="History")

    def _chart(self, charted: list[SessionRecord], generation: int) -> None:
        if generation != self.generation:
            return
        self.charted = charted
        self.call_after_refresh(self._plot)  # the table first; the chart a frame later

    # -- the table ----------------------------------------------------------------------------------

    def _labels(self) -> dict[str, str]:
        arrow = " ▼" if self.descending else " ▲"
        return {key: title + (arrow if key == self.order else "") for title, key in COLUMNS}

    def _plan(self) -> ColumnPlan:
        table = self.query_one("#sessions", DataTable)
        return plan_columns(self.widest, self._labels(), table.scrollable_content_region.width)

    def _fill(self, plan: ColumnPlan) -> None:
        """Lay the table out again for this plan, with every loaded row and the cursor where it was."""
        table = self.query_one("#sessions", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        labels = self._labels()
        for (_title, key), width in zip(COLUMNS, plan.widths, strict=True):
            table.add_column(labels[key], key=key, width=width)
        for session in self.sessions:
            self._add_row(table, session, plan)
        self.plan = plan
        if self.sessions:
            table.move_cursor(row=min(row, len(self.sessions) - 1))

    def _add_row(self, table: DataTable[str], session: SessionRecord, plan: ColumnPlan) -> None:
        row = cells(session, plan.date_format)
        table.add_row(
            *(escape(clip(row[key], width)) for (_title, key), width in zip(COLUMNS, plan.widths, strict=True)),
            key=str(session.id),
        )

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self._relayout)

    def _relayout(self) -> None:
        if self.plan is not None and (plan := self._plan()) != self.plan:
            self._fill(plan)
        if self.query_one("#progress-panel").display:
            self._plot()

    # -- the chart ----------------------------------------------------------------------------------

    def _plot(self) -> None:
        """Show the chart for the sessions charted (only the legend's line when none has a score), then draw it."""
        self.query_one("#progress-panel").set_class(not self.charted, "-empty")
        self.call_after_refresh(self._draw)  # once the plot has its size: it decides the date labels and the bands

    def _draw(self) -> None:
        plot = self.query_one("#progress", ProgressPlot)
        bands = draw_progress(plot, self.charted)
        search = self.query_one("#history-filter", Input).value.strip()
        legend = f"[b]Progress[/b]{f' ({escape(search)})' if search else ''}: "
        if self.charted:
            legend += f"[{SCORE_COLOR}]● score[/]  [{HONESTY_COLOR}]● honesty %[/]"
            if bands:
                legend += "  [dim]lines: " + ", ".join(f"{name} {floor:.0f}" for floor, name in CHART_BANDS) + "[/]"
        else:
            legend += "[dim]no scored sessions yet[/]"
        self.query_one("#progress-legend", Static).update(legend)
        plot.refresh()

    def on_progress_plot_resized(self, event: ProgressPlot.Resized) -> None:
        if self.query_one("#progress-panel").display:
            self._draw()  # a new size can change the date labels and whether the bands fit

    def action_toggle_chart(self) -> None:
        """Show or hide the chart; hidden, the table has the whole screen."""
        panel = self.query_one("#progress-panel")
        panel.display = not panel.display
        if panel.display:
            self._plot()

    # -- sorting and filtering ----------------------------------------------------------------------

    def sort_by(self, key: str, descending: bool | None = None) -> None:
        """Order the table by a column: high first for dates and numbers, A to Z for words, unless told."""
        self.order = key
        self.descending = key in FIRST_DESCENDING if descending is None else descending
        self.reload()

    def action_cycle_sort(self) -> None:
        index = SORT_CYCLE.index(self.order) if self.order in SORT_CYCLE else -1
        self.sort_by(SORT_CYCLE[(index + 1) % len(SORT_CYCLE)])

    def action_reverse_sort(self) -> None:
        self.sort_by(self.order, not self.descending)

    @on(DataTable.HeaderSelected, "#sessions")
    def _sort(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        self.sort_by(key, not self.descending if key == self.order else None)

    @on(Input.Changed, "#history-filter")
    def _filter(self) -> None:
        self.reload()

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#history-filter", Input))  # at once: the next key typed is the filter's

    # -- acting on the session under the cursor -----------------------------------------------------

    @on(DataTable.RowHighlighted, "#sessions")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if not self.exhausted and not self.fetching and event.cursor_row >= len(self.sessions) - 20:
            self.load_page()

    def _current(self) -> SessionRecord | None:
        table = self.query_one("#sessions", DataTable)
        if not self.sessions or table.cursor_row >= len(self.sessions):
            return None
        return self.sessions[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions on a session are shown dimmed while there is none."""
        if action in {"resume", "export", "regrade", "delete"} and not self.sessions:
            return None
        return True

    def action_open(self) -> None:
        """Enter: the transcript of the session under the cursor; from the filter, go to the table."""
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one("#sessions", DataTable))
        elif (current := self._current()) is not None:
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
            self.regrade(current.id, self.query_one("#sessions", DataTable).cursor_row)

    @work(thread=True, exclusive=True, group="history-regrade")
    def regrade(self, session_id: int, row: int = 0) -> None:
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
        self.app.call_from_thread(self.reload, row)

    def action_delete(self) -> None:
        current = self._current()
        if current is None:
            return
        row = self.query_one("#sessions", DataTable).cursor_row

        def decided(yes: bool | None) -> None:
            if yes:
                self.practice.delete_session(current.id)
                self.notify(f"Session {current.id} deleted.", title="Deleted")
                self.reload(row)

        question = f"Delete session {current.id} ({current.rubric_id}, {current.started_at:%Y-%m-%d}) for good?"
        self.app.push_screen(ConfirmScreen(question, yes="Delete", destructive=True), decided)

    def action_back(self) -> None:
        """Escape: out of the filter first, then back to where History was opened from."""
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one("#sessions", DataTable))
        else:
            self.app.pop_screen()
