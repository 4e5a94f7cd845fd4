"""Messages the app's widgets and screens post upward, named for what happened."""

from __future__ import annotations

from textual.message import Message


class InterviewEnded(Message):
    """An interview finished; its report is stored."""

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        super().__init__()


class AnswerSubmitted(Message):
    """The candidate sent a message."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


class RubricSaved(Message):
    """The editor stored a rubric version."""

    def __init__(self, rubric_id: str, version: int) -> None:
        self.rubric_id = rubric_id
        self.version = version
        super().__init__()
