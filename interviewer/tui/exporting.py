"""Export a stored session from any screen: ask for a path, then write Markdown, or JSON for a .json path."""

from __future__ import annotations

from pathlib import Path

from interviewer.render import render_session
from interviewer.tui.base import AppScreen
from interviewer.tui.dialogs import ConfirmScreen, PathScreen
from interviewer.usecases import PracticeError


def export_session(screen: AppScreen, session_id: int, default: str | None = None) -> None:
    """Ask for a path and write the session there; a file already there is replaced only when the user says so."""

    def chosen(path: str | None) -> None:
        if path:
            _export_to(screen, session_id, Path(path).expanduser())

    title = (
        "Export to (a .json path exports JSON):"
        if default is None
        else "Export to another file (a .json path exports JSON):"
    )
    path = default or str(Path.home() / _file_name(session_id))
    screen.app.push_screen(PathScreen(title, path), chosen)


def _file_name(session_id: int) -> str:
    return f"interviewer-session-{session_id}.md"


def _export_to(screen: AppScreen, session_id: int, path: Path) -> None:
    if path.is_dir():
        path = path / _file_name(session_id)
    if not path.exists():
        _write_export(screen, session_id, path)
        return

    def decided(replace: bool | None) -> None:
        if replace:
            _write_export(screen, session_id, path)
        else:  # back to the path, to choose another name
            export_session(screen, session_id, str(path))

    screen.app.push_screen(
        ConfirmScreen(f"{path} already exists. Replace it?", yes="Replace", destructive=True), decided
    )


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
    screen.notify(f"Session {session_id} saved to {path.absolute()}.", title="Exported")
