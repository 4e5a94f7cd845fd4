"""Export a stored session from any screen: ask for a path, then write Markdown, or JSON for a .json path."""

from __future__ import annotations

from pathlib import Path

from interviewer.render import render_session
from interviewer.tui.base import AppScreen
from interviewer.tui.dialogs import PathScreen
from interviewer.usecases import PracticeError


def export_session(screen: AppScreen, session_id: int) -> None:
    """Ask for a path and write the session there."""

    def chosen(path: str | None) -> None:
        if path:
            _write_export(screen, session_id, Path(path).expanduser())

    default = str(Path.home() / f"interviewer-session-{session_id}.md")
    screen.app.push_screen(PathScreen("Export to (a .json path exports JSON):", default), chosen)


def _write_export(screen: AppScreen, session_id: int, path: Path) -> None:
    try:
        text = render_session(screen.practice.session(session_id), as_json=path.suffix.lower() == ".json")
    except PracticeError as exc:
        screen.notify(f"{exc}.", title="Export failed", severity="error")
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        screen.notify(
            f"Cannot write {path}: {exc.strerror or exc}. Choose another path.", title="Export failed", severity="error"
        )
        return
    screen.notify(f"Session {session_id} saved to {path}.", title="Exported")
