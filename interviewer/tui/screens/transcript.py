"""Transcript: a past session read-only, each answer marked with its label and points, beside the report."""

from __future__ import annotations

from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Header, Markdown

from interviewer.domain import AnswerLabel, Report, Role, Turn, TurnKind
from interviewer.render import grade_text, markdown_escape, mm_ss, report_lines, review_line
from interviewer.tui.base import AppScreen
from interviewer.tui.dialogs import NoteScreen, OverrideScreen
from interviewer.tui.exporting import export_session
from interviewer.tui.widgets.turn import TurnView
from interviewer.views import SessionView


def turn_markdown(turn: Turn, report: Report | None) -> tuple[str, str, str]:
    """A turn's title line with label and points, its text, and the grader's notes on it (Markdown)."""
    grade = next((g for g in report.grades if g.turn == turn.seq), None) if report else None
    who = "Interviewer" if turn.role is Role.INTERVIEWER else "You"
    title = f"{turn.seq}. {who} · {mm_ss(turn.at_seconds)}"
    if turn.role is Role.CANDIDATE and turn.kind is TurnKind.CLARIFICATION:
        title += " · clarifying question"
    notes = ""
    if grade is not None:
        title += f" · {grade_text(grade)} ({grade.points:+.2f})"
        for miss in grade.misconceptions:
            notes += f'\n\n> **Misconception:** "{markdown_escape(miss["quote"])}"\n>\n> {miss["correction"]}'
        if grade.notes:
            notes += f"\n\n*Grader: {markdown_escape('; '.join(grade.notes))}*"
    return title, turn.text, notes.strip()


class TurnsScroll(VerticalScroll):
    """The conversation; a pinned turn stays at the top while the turns above it get their heights
    (Markdown lays out over several refreshes), until the reader scrolls."""

    pinned: Widget | None = None

    def pin(self, widget: Widget) -> None:
        self.pinned = widget
        self._to_pinned()

    def on_turn_view_resized(self, event: TurnView.Resized) -> None:
        self._to_pinned()

    def _to_pinned(self) -> None:
        if self.pinned is not None and self.pinned.is_mounted:
            # its place among the turns (not on screen, which lags a refresh behind the layout)
            self.scroll_to(y=self.pinned.virtual_region_with_margin.y, animate=False, immediate=True)

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.pinned = None
        super()._on_mouse_scroll_down(event)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.pinned = None
        super()._on_mouse_scroll_up(event)


class TranscriptScreen(AppScreen):
    """A past session, read-only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export", id="transcript.export"),
        Binding("l", "override", "Set a label", id="transcript.override"),
        Binding("n", "note", "Add a note", id="transcript.note"),
        Binding("escape", "back", "Back", id="transcript.back"),
        Binding("j", "scroll_turns(3)", "Down", show=False),
        Binding("k", "scroll_turns(-3)", "Up", show=False),
    ]

    def __init__(self, session_id: int, *, focus_turn: int | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.focus_turn = focus_turn
        self.view: SessionView | None = None
        self.sub_title = f"Transcript · session {session_id}"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="transcript-view"):
            yield TurnsScroll(id="turns")
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
        overall = view.notes_on(None)
        if overall:
            side = "### Review\n\n" + "\n\n".join(review_line(n) for n in overall) + "\n\n" + side
        self.app.call_from_thread(self._show, view, side)  # type: ignore[arg-type]  # an async callback is awaited; the stub cannot say so

    async def _show(self, view: SessionView, side: str) -> None:
        container = self.query_one("#turns", VerticalScroll)
        await container.remove_children()  # a reload after a label was set replaces the turns
        widgets = []
        for turn in view.turns:
            title, body, notes = turn_markdown(turn, view.report)
            reviews = "\n\n".join(review_line(n) for n in view.notes_on(turn.seq))
            notes = f"{notes}\n\n{reviews}".strip()
            widget = TurnView(
                body,
                as_typed=turn.role is Role.CANDIDATE,
                notes=notes,
                id=f"turn-{turn.seq}",
                classes=f"turn {turn.role.value}",
            )
            widget.border_title = title
            widgets.append(widget)
        await container.mount_all(widgets)
        self.query_one("#side-report", Markdown).update(side)
        self.view = view  # set last: the turns on screen are this view's
        if self.focus_turn is not None:
            self.call_after_refresh(self._focus, self.focus_turn)

    def _focus(self, seq: int) -> None:
        """Highlight a turn and keep it at the top while the turns above it are laid out."""
        target = self.query(f"#turn-{seq}")
        if target:
            widget = target.first()
            widget.add_class("focused-turn")
            self.query_one("#turns", TurnsScroll).pin(widget)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_scroll_turns(self, lines: int) -> None:
        turns = self.query_one("#turns", TurnsScroll)
        turns.pinned = None
        turns.scroll_relative(y=lines, animate=False)

    def action_export(self) -> None:
        export_session(self, self.session_id)

    def action_override(self) -> None:
        """As a reviewer, set an answer's label; the report is recomputed and the label kept with your name."""
        if self.view is None or self.view.report is None:
            self.notify("Only a graded session's answers can be relabelled.", title="Nothing to relabel")
            return
        current = {g.turn: g.label for g in self.view.report.grades}
        answers = sorted(current)
        if not answers:
            self.notify("This session has no answers.", title="Nothing to relabel")
            return

        def chosen(choice: tuple[int, AnswerLabel, str] | None) -> None:
            if choice is not None:
                self.override(*choice)

        self.app.push_screen(OverrideScreen(answers, current), chosen)

    def action_note(self) -> None:
        """As a reviewer, add a note to a turn (the highlighted one is offered) or to the whole session."""
        if self.view is None:
            return

        def chosen(choice: tuple[int | None, str] | None) -> None:
            if choice is not None:
                self.add_note(*choice)

        self.app.push_screen(NoteScreen(len(self.view.turns), self.focus_turn), chosen)

    @work(thread=True, exclusive=True, group="transcript-note")
    def add_note(self, turn: int | None, text: str) -> None:
        try:
            note = self.practice.review(self.session_id, text, turn=turn)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            self.app.call_from_thread(self.notify, str(exc), title="Note not added", severity="error")
            return
        where = f"turn {note.turn}" if note.turn is not None else "the session"
        self.app.call_from_thread(self.notify, f"Your note on {where} is kept.", title="Note added")
        self.app.call_from_thread(self.load)

    @work(thread=True, exclusive=True, group="transcript-override")
    def override(self, seq: int, label: AnswerLabel, note: str) -> None:
        import asyncio

        try:
            asyncio.run(self.practice.override_label(self.session_id, seq, label, note=note))
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            self.app.call_from_thread(self.notify, str(exc), title="Label not set", severity="error")
            return
        self.app.call_from_thread(
            self.notify, f"Turn {seq} is now {label.value}; the report is recomputed.", title="Label set"
        )
        self.app.call_from_thread(self.load)
