"""Every test runs with the user's environment isolated: its own data folder and database."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

_USER_VARIABLES = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "INTERVIEWER_PROVIDER",
    "INTERVIEWER_MODEL",
    "INTERVIEWER_DB",
    "INTERVIEWER_HOME",
    "INTERVIEWER_BUSY_TIMEOUT_MS",
    "INTERVIEWER_PERSONA",
    "INTERVIEWER_CONFIG",
)


@pytest.fixture(autouse=True)
def isolated_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app's data folder and database at a temporary folder; hide real keys."""
    for name in _USER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("INTERVIEWER_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def repository(db_url: str):
    from interviewer.store import open_repository

    repo = open_repository(db_url)
    yield repo
    repo.database.close()
