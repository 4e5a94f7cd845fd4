"""The model protocol: stream a reply for a conversation, or return a structured object for a schema.

The engine's director decides *what* the interviewer does (a ``Move``); a model decides *how to say
it*. Requests carry both the rendered conversation (for LLMs) and the move itself (for the
offline model, which voices it from the rubric's own lines).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from interviewer.domain import Move, Turn

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ReplyRequest:
    """What the interviewer should say next, with the context an LLM needs to phrase it."""

    move: Move
    transcript: tuple[Turn, ...] = ()
    context: dict[str, Any] = field(default_factory=dict)


class ModelError(RuntimeError):
    """A model failed in a way the user should hear about (the message names provider and model)."""


@dataclass
class Usage:
    """Tokens a call used, as the provider reported them (or as counted, when it did not)."""

    tokens_in: int = 0
    tokens_out: int = 0


@runtime_checkable
class Model(Protocol):
    """Anything that can voice the interviewer and return structured objects."""

    provider: str
    name: str
    last_usage: Usage | None

    def stream(self, request: ReplyRequest) -> AsyncIterator[str]:
        """Yield the reply in fragments as they are produced."""
        ...

    async def structured(self, messages: tuple[Message, ...], schema: type[T]) -> T:
        """Return an object of the schema for the conversation."""
        ...
