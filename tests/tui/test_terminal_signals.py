"""The app in a real pseudo-terminal: a termination signal gives the terminal back as it found it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


def read_until(fd: int, wanted: bytes, seen: bytearray, seconds: float = 60) -> None:
    """Read the terminal's output into seen until wanted appears (or the child is gone)."""
    deadline = time.monotonic() + seconds
    while wanted not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"{wanted!r} never appeared; last output: {bytes(seen[-300:])!r}")
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                return
            if not chunk:
                return
            seen.extend(chunk)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_termination_signal_restores_the_terminal(tmp_path: Path, number: int) -> None:
    database = str(tmp_path / "app.db")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, as a user starts it, in a 100x30 terminal
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-m", "interviewer", "--db", database])
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        seen = bytearray()
        read_until(fd, b"Interviewer", seen)  # Home is painted: the app is mounted
        painted = len(seen)
        os.kill(pid, number)
        read_until(fd, b"\0never\0", seen)  # everything up to the end of the child's output
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    after = bytes(seen[painted:])
    assert os.waitstatus_to_exitcode(status) == 128 + number
    assert LEAVE_ALTERNATE_SCREEN in after
    assert MOUSE_OFF in after
    assert b"Traceback" not in seen
