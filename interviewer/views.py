"""Values the use cases hand to the faces for display: rendering works on these, never on the store."""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.domain import LabelOverride, Report, ReviewNote, SessionRecord, Turn
from interviewer.rubric import Rubric


@dataclass(frozen=True)
class SessionView:
    """A stored session for display: its header, the rubric version it ran on, the transcript and the newest report."""

    record: SessionRecord
    rubric: Rubric
    rubric_version: int
    turns: tuple[Turn, ...]
    report: Report | None
    reviews: tuple[ReviewNote, ...] = ()
    """Reviewers' notes, on turns and on the whole session, oldest first."""
    overrides: tuple[LabelOverride, ...] = ()
    """Reviewers' labels of answers, newest per answer."""

    def notes_on(self, turn: int | None) -> list[ReviewNote]:
        """The review notes on one turn (None: on the whole session)."""
        return [note for note in self.reviews if note.turn == turn]

    @property
    def session_id(self) -> int:
        return self.record.id


@dataclass(frozen=True)
class ModelChoice:
    """Who interviews (or grades): a provider and model, or None for what the settings say."""

    provider: str | None = None
    model: str | None = None
    base_url: str | None = None
    label: str = ""
    key: str = ""  # how a chooser names it: "offline", a provider, or "ollama:MODEL"


@dataclass(frozen=True)
class ModelOffer:
    """The interviewers on offer, the key of the default one, and one line saying which runs."""

    choices: tuple[ModelChoice, ...]
    default: str
    line: str
    """Which interviewer the settings configure, and how to change it."""
    configured: str = "offline"
    """The key of the interviewer the settings configure (``line`` describes it)."""

    def choice(self, key: str) -> ModelChoice:
        """The choice with this key (offline when none has it)."""
        return next((c for c in self.choices if c.key == key), ModelChoice("offline", key="offline"))

    def line_for(self, key: str) -> str:
        """One line saying who interviews when this choice is made."""
        choice = self.choice(key)
        if choice.key == self.configured:
            return self.line
        if choice.key == "offline":
            return "Interviewer: built-in offline (no network, no key)."
        return f"Interviewer: {choice.label} (offline if it fails)."
