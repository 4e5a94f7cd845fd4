"""Interview: the conversation streamed in, an answer box, the countdown, and the candidate's keys."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator
from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Label, Static, TextArea

from interviewer.domain import Confidence, Role, TurnKind
from interviewer.engine import (
    CandidateSaved,
    Event,
    Interview,
    InterviewEnded,
    ReplyChunk,
    ReplyFinished,
    ReplyStarted,
)
from interviewer.engine.interview import IDK_TEXT
from interviewer.tui.base import AppScreen
from interviewer.tui.dialogs import ConfirmScreen
from interviewer.tui.widgets.countdown import Countdown
from interviewer.tui.widgets.turn import TurnView

SHOWN_CHARS = 4_000
"""A pasted wall of text is saved whole but shown shortened, so the transcript stays fast."""

DRAFT_SAVE_SECONDS = 1.5
"""The answer being typed is saved with the session this long after the last keystroke."""

BURST_SECONDS = 0.03
"""A send key this soon after another key is part of a burst (a paste without bracketed paste): a new line."""

_CONFIDENCE_CYCLE = [None, Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH]


class AnswerArea(TextArea):
    """The answer box; it notes when it last received a key, so a burst of keys (a paste) never sends."""

    last_key_at = 0.0

    async def _on_key(self, event: events.Key) -> None:
        self.last_key_at = time.monotonic()
        await super()._on_key(event)


class InterviewScreen(AppScreen):
    """A live interview. The model works in a worker; the answer box and the clock never freeze."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j,ctrl+enter", "send", "Send", id="interview.send", priority=True),
        Binding("ctrl+n", "idk", "I don't know", id="interview.idk", priority=True),
        Binding("ctrl+l", "confidence", "Confidence", id="interview.confidence", priority=True),
        Binding("ctrl+g", "end", "End", id="interview.end", priority=True),
        Binding("ctrl+r", "time", "Time left", id="interview.time", priority=True, show=False),
        Binding("ctrl+up", "scroll_conversation(-3)", "Scroll up", show=False, priority=True),
        Binding("ctrl+down", "scroll_conversation(3)", "Scroll down", show=False, priority=True),
        Binding("shift+pageup", "scroll_conversation(-15)", "Page up", show=False, priority=True),
        Binding("shift+pagedown", "scroll_conversation(15)", "Page down", show=False, priority=True),
    ]

    def __init__(self, interview: Interview, *, send_key: str = "ctrl+s") -> None:
        """``send_key`` sends an answer besides Ctrl+J and Ctrl+Enter (the ``send_key`` setting)."""
        super().__init__()
        if send_key not in ("ctrl+j", "ctrl+enter"):
            self._bindings.bind(send_key, "send", f"Send ({_key_name(send_key)})", show=False, priority=True)
        self.send_key = send_key
        self._draft_timer: Timer | None = None
        self._draft = interview.draft
        self.interview = interview
        self.confidence: Confidence | None = None
        self.sub_title = interview.rubric.title
        self.queue: asyncio.Queue[tuple[str, str | None, Confidence | None]] = asyncio.Queue()
        self._told = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="interview"):
            yield VerticalScroll(id="transcript")
            with Vertical(id="side"):
                yield Countdown(id="countdown")
                yield Static("", id="confidence")
                yield Static("", id="usage")
                yield Label("Clarifying questions", classes="section")
                yield Static("None yet.", id="clarifications")
        yield AnswerArea(id="answer", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        yield Footer()

    def on_mount(self) -> None:
        # Long-lived objects (modules, rubric, database) leave the collector's view, so collections
        # while a reply streams scan only what streaming creates: no pauses of 100 ms or more.
        gc.freeze()
        answer = self.query_one("#answer", TextArea)
        answer.border_title = f"Your answer · Enter: new line · Ctrl+J or {_key_name(self.send_key)}: send"
        if self.interview.draft:  # resumed: what was being typed is back
            answer.load_text(self.interview.draft)
            answer.move_cursor(answer.document.end)
        answer.focus()
        self._show_confidence()
        for turn in self.interview.turns:  # a resumed session shows what was said
            self._mount_turn(turn.role, turn.text, clarification=turn.kind is TurnKind.CLARIFICATION)
        self._refresh_clarifications()
        self.refresh_clock()
        self.set_interval(1.0, self.refresh_clock)
        self.converse()
        self.queue.put_nowait(("open", None, None))

    # -- the conversation worker -------------------------------------------------------------------

    @work(exclusive=True, group="model")
    async def converse(self) -> None:
        """Run the candidate's requests one after another and stream the interviewer's replies."""
        while True:
            kind, text, confidence = await self.queue.get()
            saved_before = len(self.interview.turns)
            try:
                if kind == "open":
                    await self._play(self.interview.opening())
                elif kind == "answer" and text is not None and not self.interview.finished:
                    await self._play(self.interview.respond(text, confidence=confidence))
                elif kind == "tick" and not self.interview.finished:
                    draft = self._take_draft() if self.interview.timekeeper.expired else ""
                    await self._play(self.interview.tick(draft=draft))
                elif kind == "end":
                    report = await self.interview.finish()
                    self._ended(report.session_id or self.interview.session_id)
            except Exception as exc:  # noqa: BLE001 - the transcript is saved; say what happened
                unsaved = kind == "answer" and text is not None and not self._was_saved(text, saved_before)
                if unsaved and text is not None:
                    self._keep_unsent(text)
                    self.notify(
                        f"{exc}. Your answer was not saved: it is back in the answer box; send it again when the "
                        "database answers. Everything before it is saved.",
                        title="Not saved",
                        severity="error",
                        timeout=15,
                    )
                    continue
                self.notify(
                    f"{exc}. What was said so far is saved.",
                    title="The interview hit a problem",
                    severity="error",
                    timeout=10,
                )

    def _was_saved(self, text: str, turns_before: int) -> bool:
        """Whether the candidate's message got into the transcript (the store may have failed before)."""
        return any(t.role is Role.CANDIDATE and t.text == text.strip() for t in self.interview.turns[turns_before:])

    def _keep_unsent(self, text: str) -> None:
        """An answer the store could not save goes back into the box (before whatever was typed since)."""
        answer = self.query_one("#answer", TextArea)
        typed = answer.text
        answer.load_text(text if not typed.strip() else f"{text}\n\n{typed}")
        answer.move_cursor(answer.document.end)
        shown = list(self.query("#transcript > .turn.candidate"))
        if shown:
            shown[-1].remove()  # it was shown as sent; it was not

    async def _play(self, events: AsyncIterator[Event]) -> None:
        reply: TurnView | None = None
        async for event in events:
            if isinstance(event, ReplyStarted):
                reply = self._mount_turn(Role.INTERVIEWER, "")
            elif isinstance(event, ReplyChunk) and reply is not None:
                reply.append(event.text)
                continue  # fragments come fast; the clock and scroll catch up at the end of the reply
            elif isinstance(event, ReplyFinished) and reply is not None:
                reply.finish(event.turn.text)
                reply = None
                self._scroll_end()
                self._show_usage()
                if event.turn.fallback and len(self.interview.notices) > self._told:  # each failure said once
                    self._told = len(self.interview.notices)
                    self.notify(
                        f"{self.interview.notices[-1]}. The built-in interviewer took this turn.",
                        title="The model did not answer",
                        severity="warning",
                        timeout=8,
                    )
            elif isinstance(event, CandidateSaved):
                if event.turn.kind is TurnKind.CLARIFICATION:
                    self._refresh_clarifications()
            elif isinstance(event, InterviewEnded):
                self._ended(self.interview.session_id)
            self.refresh_clock()

    def _take_draft(self) -> str:
        """Time is up: what is in the answer box becomes the last answer (it is saved and graded)."""
        answer = self.query_one("#answer", TextArea)
        draft = answer.text.strip()
        if draft:
            answer.clear()
            self._mount_turn(Role.CANDIDATE, draft)
        return draft

    def _ended(self, session_id: int) -> None:
        self.query_one("#answer", TextArea).disabled = True
        # after a refresh: a screen that ends as it opens (time already up) lets its header finish mounting
        self.call_after_refresh(self.interviewer.open_report, session_id, replace=True)

    # -- widgets -----------------------------------------------------------------------------------

    def _mount_turn(self, role: Role, text: str, *, clarification: bool = False) -> TurnView:
        who = "Interviewer" if role is Role.INTERVIEWER else "You"
        shown = (
            text
            if len(text) <= SHOWN_CHARS
            else text[:SHOWN_CHARS] + f"\n\n*… {len(text) - SHOWN_CHARS} more characters (saved in full)*"
        )
        widget = TurnView(
            shown,
            as_typed=role is Role.CANDIDATE,
            classes=f"turn {role.value}" + (" clarification" if clarification else ""),
        )
        widget.border_title = who
        self.query_one("#transcript", VerticalScroll).mount(widget)
        self._scroll_end()
        return widget

    def _scroll_end(self) -> None:
        self.query_one("#transcript", VerticalScroll).scroll_end(animate=False)

    def _refresh_clarifications(self) -> None:
        asked = self.interview.clarifications_asked()
        text = "\n".join(f"• {q[:80]}" for q in asked) if asked else "None yet."
        self.query_one("#clarifications", Static).update(text)

    def _show_usage(self) -> None:
        """Tokens so far and, where a price is configured, what they cost."""
        model = self.interview.model
        if model.provider == "offline":
            return
        tokens_in, tokens_out = self.interview.usage()
        text = f"{model.provider} {model.name}\ntokens: {tokens_in:,} in, {tokens_out:,} out"
        settings = self.interviewer.settings
        price = settings.prices.get(model.name) if settings else None
        if price is not None:
            text += f"\ncost: ${(tokens_in * price.input + tokens_out * price.output) / 1e6:.4f}"
        self.query_one("#usage", Static).update(text)

    def _show_confidence(self) -> None:
        label = self.confidence.value if self.confidence else "not stated"
        self.query_one("#confidence", Static).update(f"Confidence (Ctrl+L): {label}")

    # -- the draft ------------------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "answer" and not self.interview.finished:
            self._draft = event.text_area.text  # kept here too: when the app closes, the box may be gone
            if self._draft_timer is not None:
                self._draft_timer.stop()
            self._draft_timer = self.set_timer(DRAFT_SAVE_SECONDS, self._save_draft)

    def _save_draft(self) -> None:
        self._draft_timer = None
        try:
            self.interview.save_draft(self._draft)
        except Exception as exc:  # noqa: BLE001 - another window took the session over: refresh_clock says so
            self.log.warning(f"draft not saved: {exc}")

    def leaving_question(self) -> str | None:
        """Asked before the app quits with this interview open."""
        if self.interview.finished:
            return None
        number = self.interview.session_id
        return (
            f"Leave the interview? Session {number} is saved with your draft and its clock; "
            f"resume it from History or with: interviewer resume {number}"
        )

    def parting_note(self) -> str | None:
        """Said on the terminal after the app closes with this interview open."""
        if self.interview.finished:
            return None
        number = self.interview.session_id
        return f"Session {number} is saved. Go on with: interviewer resume {number}"

    def on_unmount(self) -> None:
        if self._draft_timer is not None and not self.interview.finished:
            self._draft_timer.stop()
            self._save_draft()
        try:
            self.interview.leave()  # unfinished: another window may resume it at once
        except Exception:  # noqa: BLE001 - the lease lapses on its own within a minute
            pass

    def refresh_clock(self) -> None:
        try:
            self.interview.keep_alive()
        except Exception as exc:  # noqa: BLE001 - another window took the session over: stop here, saying so
            if not self.query_one("#answer", TextArea).disabled:
                self.query_one("#answer", TextArea).disabled = True
                self.notify(str(exc), title="This session moved to another window", severity="error", timeout=20)
        timekeeper = self.interview.timekeeper
        seconds = timekeeper.remaining if timekeeper.timed else timekeeper.elapsed
        self.query_one(Countdown).show(seconds, self.interview.phase.heading, timed=timekeeper.timed)
        if timekeeper.timed and not self.interview.finished and self.queue.empty():
            if (
                timekeeper.expired
                or timekeeper.due_warnings_pending()
                or (timekeeper.wrap_up_due and not self.interview.state.wrapping_up)
            ):
                self.queue.put_nowait(("tick", None, None))

    # -- actions -----------------------------------------------------------------------------------

    def action_send(self) -> None:
        answer = self.query_one(AnswerArea)
        if time.monotonic() - answer.last_key_at < BURST_SECONDS:
            # keys arriving together are a paste (the terminal has no bracketed paste): a line break, not a send
            answer.call_later(answer.insert, "\n")
            return
        # a priority binding can overtake keys the answer box has not handled yet (a fast typist):
        # send from the box's own queue, after those keys
        answer.call_later(self._send_now)

    def action_scroll_conversation(self, lines: int) -> None:
        self.query_one("#transcript", VerticalScroll).scroll_relative(y=lines, animate=False)

    def _send_now(self) -> None:
        answer = self.query_one("#answer", TextArea)
        text = answer.text.strip()
        if not text:
            self.notify("Type an answer first, or press Ctrl+N to say you don't know.", title="Nothing to send")
            return
        if self.interview.finished:
            return
        answer.clear()
        self._mount_turn(Role.CANDIDATE, text)
        self.queue.put_nowait(("answer", text, self.confidence))
        self.confidence = None
        self._show_confidence()

    def action_idk(self) -> None:
        if self.interview.finished:
            return
        answer = self.query_one("#answer", TextArea)
        if not answer.text.strip():
            self._say_idk()
            return

        def decided(instead: bool | None) -> None:
            if instead:
                answer.clear()
                self._say_idk()

        question = 'Send "I don\'t know" instead of what you have typed? (Your draft would be discarded.)'
        self.app.push_screen(ConfirmScreen(question, yes="Send I don't know", destructive=True), decided)

    def _say_idk(self) -> None:
        self._mount_turn(Role.CANDIDATE, IDK_TEXT)
        self.queue.put_nowait(("answer", IDK_TEXT, None))

    def action_confidence(self) -> None:
        index = _CONFIDENCE_CYCLE.index(self.confidence)
        self.confidence = _CONFIDENCE_CYCLE[(index + 1) % len(_CONFIDENCE_CYCLE)]
        self._show_confidence()

    def action_time(self) -> None:
        self.notify(self.interview.time_left(), title="Time")

    def action_end(self) -> None:
        def decided(end: bool | None) -> None:
            if end:
                self.queue.put_nowait(("end", None, None))

        self.app.push_screen(
            ConfirmScreen("End the interview now and see your report?", yes="End", destructive=True), decided
        )


def _key_name(key: str) -> str:
    """A key as the footer writes it: "ctrl+s" is "Ctrl+S"."""
    return "+".join(part.capitalize() if len(part) > 1 else part.upper() for part in key.split("+"))
