"""Every path the app reads or writes, each overridable by an environment variable."""

from __future__ import annotations

import logging
import logging.handlers
import os
from importlib import resources
from importlib.abc import Traversable
from io import TextIOWrapper
from pathlib import Path

APP_NAME = "interviewer"


def data_dir() -> Path:
    """Where the database and logs live: ``INTERVIEWER_HOME`` or the platform's user data dir."""
    override = os.environ.get("INTERVIEWER_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def database_url(explicit: str | None = None) -> str:
    """The database to use: ``--db``, then ``INTERVIEWER_DB``, then a SQLite file in data_dir()."""
    target = explicit or os.environ.get("INTERVIEWER_DB") or str(data_dir() / "interviewer.db")
    if "://" in target:
        return target
    path = Path(target).expanduser()
    try:
        path = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the store says so in one line
        path = path.absolute()
    return f"sqlite:///{path}"


def config_file() -> Path:
    """The config file: ``INTERVIEWER_CONFIG`` or ``config.toml`` in the platform's config folder."""
    override = os.environ.get("INTERVIEWER_CONFIG")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path("interviewer", appauthor=False) / "config.toml"


def remembered_theme() -> str | None:
    """The app's theme from the config file, read without the settings machinery (it is needed before the
    first frame); None when there is none or the file cannot be read (the settings report that later)."""
    import tomllib

    try:
        theme = tomllib.loads(config_file().read_text(encoding="utf-8")).get("theme")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return theme if isinstance(theme, str) else None


def log_file() -> Path:
    """Where unexpected errors are logged with their full trace."""
    return data_dir() / "logs" / "interviewer.log"


LOG_BYTES, LOG_BACKUPS = 1024 * 1024, 3
"""The log rotates at this size and keeps this many old files: it can never fill a disk."""


def private_log_handler(path: Path) -> logging.Handler:
    """A size-bounded, rotating log file readable by its owner only (it may quote transcripts)."""
    path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data folder: transcripts are private
    path.parent.mkdir(mode=0o700, exist_ok=True)
    return _PrivateRotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True)


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    def _open(self) -> TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(descriptor, "a", encoding=self.encoding, errors=self.errors)


def _bundled(name: str) -> Traversable:
    # An installed wheel carries the folder inside the package (hatch force-include);
    # a source checkout or editable install keeps it beside the package.
    packaged = resources.files("interviewer") / name
    if packaged.is_dir():
        return packaged
    return resources.files("interviewer").joinpath("..", name)


def bundled_rubrics() -> Traversable:
    """The folder of rubric files shipped with the app."""
    return _bundled("rubrics")


def prompts_dir() -> Traversable:
    """The folder of prompt templates shipped with the app."""
    return _bundled("prompts")
