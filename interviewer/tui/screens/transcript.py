"""Transcript: a past session read-only, each answer marked with its label and points, beside the report."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Markdown

from interviewer.domain import Report, Role, Turn, TurnKind
from interviewer.render import grade_text, mm_ss, report_lines
from interviewer.tui.base import AppScreen
from interviewer.tui.exporting import export_session
from interviewer.tui.widgets.turn import TurnView
from interviewer.views import SessionView


def turn_markdown(turn: Turn, report: Report | None) -> tuple[str, str]:
    """A turn's text and its title line with label, points and any misconception's correction."""
    grade = next((g for g in report.grades if g.turn == turn.seq), None) if report else None
    who = "Interviewer" if turn.role is Role.INTERVIEWER else "You"
    title = f"{turn.seq}. {who} · {mm_ss(turn.at_seconds)}"
    if turn.role is Role.CANDIDATE and turn.kind is TurnKind.CLARIFICATION:
        title += " · clarifying question"
    body = turn.text
    if grade is not None:
        title += f" · {grade_text(grade)} ({grade.points:+.2f})"
        for miss in grade.misconceptions:
            body += f'\n\n> **Misconception:** "{miss["quote"]}"\n>\n> {miss["correction"]}'
        if grade.notes:
            body += f"\n\n*Grader: {'; '.join(grade.notes)}*"
    return title, body


class TranscriptScreen(AppScreen):
    """A past session, read-only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="transcript.back"),
        Binding("f2", "export", "Export", id="transcript.export"),
    ]

    def __init__(self, session_id: int, *, focus_turn: int | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.focus_turn = focus_turn
        self.sub_title = f"Transcript · session {session_id}"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="transcript-view"):
            yield VerticalScroll(id="turns")
            with VerticalScroll(id="transcript-report"):
                yield Markdown("", id="side-report")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="transcript-load")
    def load(self) -> None:
        from interviewer.usecases import PracticeError

        try:
            view = self.practice.session(self.session_id)
        except PracticeError as exc:
            self.app.call_from_thread(self.notify, f"{exc}.", title="Not found", severity="error")
            return
        report = view.report
        side = "\n".join(report_lines(report, view.rubric, markdown=True)) if report else "Not graded."
        self.app.call_from_thread(self._show, view, side)

    def _show(self, view: SessionView, side: str) -> None:
        container = self.query_one("#turns", VerticalScroll)
        widgets = []
        for turn in view.turns:
            title, body = turn_markdown(turn, view.report)
            widget = TurnView(body, id=f"turn-{turn.seq}", classes=f"turn {turn.role.value}")
            widget.border_title = title
            widgets.append(widget)
        container.mount_all(widgets)
        self.query_one("#side-report", Markdown).update(side)
        if self.focus_turn is not None:
            self.call_after_refresh(self._focus, self.focus_turn)

    def _focus(self, seq: int) -> None:
        target = self.query(f"#turn-{seq}")
        if target:
            widget = target.first()
            widget.add_class("focused-turn")
            self.query_one("#turns", VerticalScroll).scroll_to_widget(widget, animate=False, top=True)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        export_session(self, self.session_id)
