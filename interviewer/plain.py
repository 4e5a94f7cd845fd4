"""Plain mode: an interview on standard input and output, scriptable with a file of answers.

The interviewer's lines start with ``Interviewer: ``. A candidate message ends at an empty line
or at the end of input. ``/idk``, ``/sure low|medium|high``, ``/time`` and ``/end`` are commands.
Time is kept by a timer, not by the next message: warnings are printed when they fall due, and at
zero the interview ends, with the lines typed so far saved and graded as the last answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from typing import IO

from interviewer.domain import Confidence, Report, Role
from interviewer.engine import (
    CandidateSaved,
    Interview,
    InterviewEnded,
    PauseRefused,
    ReplyChunk,
    ReplyFinished,
    ReplyStarted,
)
from interviewer.engine.interview import Event
from interviewer.render import report_json, report_lines, terminal_safe

log = logging.getLogger(__name__)

COMMANDS = "/idk, /sure low|medium|high, /time, /end"
_CONTROL = {c: None for c in range(32) if chr(c) not in "\n\t"}
TICK_SECONDS = 1.0
"""How often the timer looks at the clock while the candidate types."""


class _TimeUp(Exception):
    """The clock ran out while a message was being typed; the interview has ended."""


class PlainSession:
    """Runs one interview between a reader and a writer."""

    def __init__(
        self,
        interview: Interview,
        reader: IO[str],
        writer: IO[str],
        *,
        as_json: bool = False,
        talk: IO[str] | None = None,
        resumed: bool = False,
        tick_seconds: float = TICK_SECONDS,
    ) -> None:
        """Run ``interview``; the report goes to ``writer``, the conversation to ``talk`` (None: nowhere)."""
        self.interview = interview
        self.tick_seconds = tick_seconds
        self._lines: asyncio.Queue[str] | None = None
        self._next_line: asyncio.Task[str] | None = None
        self.typed: list[str] = []
        self._told = 0
        self._ended = False
        self.reader = reader
        self.writer = writer
        self.talk = talk
        self.as_json = as_json
        self.resumed = resumed
        self.confidence: Confidence | None = None
        self.interactive = bool(getattr(reader, "isatty", lambda: False)())

    def _write(self, text: str) -> None:
        """The conversation: the interviewer's words, notices, prompts."""
        if self.talk is not None:
            self.talk.write(terminal_safe(text))
            self.talk.flush()

    async def _show(self, events: AsyncIterator[Event]) -> None:
        async for event in events:
            self._render(event)

    def _render(self, event: Event) -> None:
        if isinstance(event, ReplyStarted):
            self._write("Interviewer: ")
        elif isinstance(event, ReplyChunk):
            self._write(event.text)
        elif isinstance(event, ReplyFinished):
            self._write("\n\n")
            if event.turn.fallback and len(self.interview.notices) > self._told:  # each failure said once
                self._told = len(self.interview.notices)
                print(f"interviewer: {self.interview.notices[-1]}", file=sys.stderr)
        elif isinstance(event, (CandidateSaved, InterviewEnded)):
            pass

    def _start_reading(self) -> None:
        """Read standard input in a thread, so the clock can be kept while the candidate types."""
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str] = asyncio.Queue()
        self._lines = lines

        def read() -> None:
            while True:
                try:
                    line = self.reader.readline()
                except (OSError, ValueError):  # closed underneath us: the same as the end of input
                    line = ""
                try:
                    loop.call_soon_threadsafe(lines.put_nowait, line)
                except RuntimeError:  # the loop is closed: the interview is over
                    return
                if line == "":
                    return

        threading.Thread(target=read, name="plain-input", daemon=True).start()

    async def _readline(self) -> str:
        """The next line of input; meanwhile the timer gives warnings, and ends the interview at zero."""
        assert self._lines is not None
        if self._ended:
            return ""  # the end of input stays the end
        if self._next_line is None:
            self._next_line = asyncio.ensure_future(self._lines.get())
        while True:
            done, _ = await asyncio.wait({self._next_line}, timeout=self.tick_seconds)
            _raise_pending()
            self.interview.keep_alive()  # the lease is renewed while the candidate thinks and types
            if done:
                line, self._next_line = self._next_line.result(), None
                self._ended = line == ""
                return line
            if self.interview.timekeeper.timed:
                await self._show(self.interview.tick(draft="\n".join(self.typed)))
                if self.interview.finished:
                    raise _TimeUp

    async def _read_message(self) -> str | None:
        """Lines up to an empty line; None at the end of input with nothing read."""
        if self.interactive:
            self._write("You (an empty line sends; " + COMMANDS + "):\n")
        self.typed = []  # the message being typed: at time-out, it is the last answer
        while True:
            line = await self._readline()
            if line == "":
                return "\n".join(self.typed) if self.typed else None
            line = line.rstrip("\r\n").translate(_CONTROL)
            if not line.strip():
                if self.typed:
                    return "\n".join(self.typed)
                continue
            if not self.typed and _is_command(line):
                return line.strip()
            self.typed.append(line)

    async def run(self) -> Report:
        last = next((t for t in reversed(self.interview.turns) if t.role is Role.INTERVIEWER), None)
        if self.resumed and last is not None and not self.interview.awaiting_reply:
            self._write(f"Interviewer: {last.text}\n\n")  # where the conversation stopped
        self._start_reading()
        await self._show(self.interview.opening())
        while not self.interview.finished:
            try:
                message = await self._read_message()
            except _TimeUp:
                break
            if message is None:
                break
            if "\n" not in message and _is_command(message):
                if await self._command(message):
                    break
                continue
            message, confidence = _confidence_tag(message)
            confidence = confidence or self.confidence
            self.confidence = None
            if not message:
                continue
            await self._respond(message, confidence)
        if self._next_line is not None:
            self._next_line.cancel()  # the reader thread may still wait on a terminal; nothing more is read
        report = self.interview.report or await self.interview.finish()
        self._print_report(report)
        return report

    async def _respond(self, message: str, confidence: Confidence | None) -> None:
        """Send a message; when the database fails, say in one line what was not saved and go on."""
        from interviewer.usecases import StoreError

        before = len(self.interview.turns)
        try:
            await self._show(self.interview.respond(message, confidence=confidence))
        except StoreError as exc:
            saved = any(t.role is Role.CANDIDATE for t in self.interview.turns[before:])
            if saved:
                print(f"interviewer: your answer is saved; the interviewer's reply was not ({exc})", file=sys.stderr)
                return
            print(
                f"interviewer: NOT SAVED: your last answer ({exc}). Send it again once the database answers "
                "(it is repeated below), or /end.",
                file=sys.stderr,
            )
            self._write(f"(not saved) {message}\n\n")

    async def _command(self, line: str) -> bool:
        """Run a command; True when the interview should end."""
        name, _, argument = line.partition(" ")
        argument = argument.strip().lower()
        if name == "/end":
            return True
        if name == "/idk":
            await self._show(self.interview.idk())
        elif name == "/time":
            self._write(f"({self.interview.time_left()})\n\n")
            await self._show(self.interview.tick())
        elif name == "/sure":
            if argument not in ("low", "medium", "high"):
                self._write("(usage: /sure low|medium|high, before or inside an answer)\n\n")
            else:
                self.confidence = Confidence(argument)
                self._write(f"(stated confidence for your next answer: {argument})\n\n")
        elif name in ("/pause", "/resume"):
            try:
                self.interview.pause() if name == "/pause" else self.interview.unpause()
                self._write("(paused; /resume to go on)\n\n" if name == "/pause" else "(resumed)\n\n")
            except PauseRefused as exc:
                self._write(f"({exc})\n\n")
        else:
            self._write(f"(unknown command {name}; commands: {COMMANDS})\n\n")
        return False

    def _report(self, text: str) -> None:
        self.writer.write(text)
        self.writer.flush()

    def _print_report(self, report: Report) -> None:
        if self.as_json:
            self._report(json.dumps(report_json(report, self.interview.record), indent=2) + "\n")
            return
        title = f"Report for session {self.interview.session_id}: {self.interview.rubric.title}"
        self._report(
            "\n".join(
                [
                    "=" * min(len(title), 78),
                    title,
                    "=" * min(len(title), 78),
                    *report_lines(report, self.interview.rubric, session=self.interview.record),
                ]
            )
            + "\n"
        )


def _is_command(line: str) -> bool:
    """A line that is a command: a known one exactly (``/sure`` with its level), or one word starting with ``/``
    (a mistyped command gets a hint). "/products and /categories are cached" is the start of an answer."""
    words = line.split()
    if not words or not words[0].startswith("/"):
        return False
    if words[0] == "/sure":
        return len(words) <= 2
    return len(words) == 1


def _leave(interview: Interview) -> None:
    """Let go of an unfinished session (Ctrl-C, a failure), so another window can resume it at once."""
    try:
        interview.leave()
    except Exception:  # noqa: BLE001 - leaving must not hide why the session stopped; the lease lapses anyway
        log.debug("could not release session %s", interview.session_id, exc_info=True)


def _confidence_tag(message: str) -> tuple[str, Confidence | None]:
    """A '/sure LEVEL' line inside a message tags that message."""
    kept, confidence = [], None
    for line in message.splitlines():
        parts = line.strip().split()
        if len(parts) == 2 and parts[0] == "/sure" and parts[1].lower() in ("low", "medium", "high"):
            confidence = Confidence(parts[1].lower())
        else:
            kept.append(line)
    return "\n".join(kept).strip(), confidence


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP ended plain mode: handled as Ctrl-C is (the session is saved, released and resumable)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.exit_code = 128 + number


_PENDING: list[int] = []
"""Signals received and not yet acted on. Raising from a signal handler is lost when the handler happens to
run inside a finaliser (``__del__``: "Exception ignored"), so the input loop also checks this list."""


def _interruption(number: int) -> KeyboardInterrupt:
    return KeyboardInterrupt() if number == signal.SIGINT else Terminated(number)


def _raise_pending() -> None:
    """Act on a signal whose exception was swallowed where it was raised."""
    if _PENDING:
        raise _interruption(_PENDING.pop())


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While plain mode runs, Ctrl-C and a termination signal unwind at once (the session is saved and
    released) instead of killing the process with the lease held; outside the main thread (tests driving
    it) signals are left alone."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(number: int, _frame: object) -> None:
        _PENDING.append(number)
        raise _interruption(number)

    # a signal the process was started ignoring (nohup, a background job) stays ignored
    numbers = [n for n in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP) if signal.getsignal(n) is not signal.SIG_IGN]
    previous = {number: signal.signal(number, interrupted) for number in numbers}
    try:
        yield
    finally:
        _PENDING.clear()
        for number, handler in previous.items():
            signal.signal(number, handler)


def run_plain(
    interview: Interview,
    *,
    as_json: bool = False,
    quiet: bool = False,
    resumed: bool = False,
    reader: IO[str] | None = None,
    writer: IO[str] | None = None,
    tick_seconds: float = TICK_SECONDS,
) -> Report:
    """Run an interview on standard input and output until /end, the end of input or time.

    The report goes to standard output; so does the conversation, except with ``as_json`` (then it goes
    to standard error, so standard output is valid JSON) or ``quiet`` (then it is not printed).
    """
    reader = reader or sys.stdin
    if reader is sys.stdin and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # binary junk must not crash the interview
    out = writer or sys.stdout
    talk = None if quiet else (sys.stderr if as_json else out)
    session = PlainSession(
        interview, reader, out, as_json=as_json, talk=talk, resumed=resumed, tick_seconds=tick_seconds
    )
    # Not asyncio.run: its SIGINT handler only cancels the task, which a blocking read of standard
    # input never notices, so Ctrl-C would wait for the end of input and then finish the session.
    # Without it, Ctrl-C raises KeyboardInterrupt at once and the session stays resumable.
    loop = asyncio.new_event_loop()
    try:
        with _terminate_as_interrupt():
            return loop.run_until_complete(session.run())
    finally:
        _leave(interview)
        # after Ctrl-C the conversation is still pending: cancel it cleanly (what was said is saved)
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.wait(pending))
        loop.close()
