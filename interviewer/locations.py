"""Every path the app reads or writes, each overridable by an environment variable."""

from __future__ import annotations

import os
from importlib import resources
from importlib.abc import Traversable
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
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def log_file() -> Path:
    """Where unexpected errors are logged with their full trace."""
    return data_dir() / "logs" / "interviewer.log"


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
