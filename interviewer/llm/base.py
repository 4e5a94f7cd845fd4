"""The model protocol: stream a reply for a conversation, or return a structured object for a schema.

The engine's director decides *what* the interviewer does (a ``Move``); a model decides *how to say
it*. Requests carry both the rendered conversation (for LLMs) and the move itself (for the
offline model, which voices it from the rubric's own lines).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
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


class ModelUnreachable(ModelError):
    """The call itself failed (no connection, no answer in time, key refused, server error): asking again
    at once would most likely fail the same way, after the same wait."""


MODEL_REST_SECONDS = 60.0
"""After a model call fails, the model is left alone this long: a dead server costs one wait, not one per turn."""


class Breaker:
    """A circuit breaker: after a failure the caller skips the model for a rest, then tries it again."""

    def __init__(self, now: Callable[[], float] = time.monotonic, rest: float = MODEL_REST_SECONDS) -> None:
        self._now = now
        self._rest = rest
        self._until: float | None = None

    @property
    def resting(self) -> bool:
        return self._until is not None and self._now() < self._until

    def failed(self) -> None:
        self._until = self._now() + self._rest

    def succeeded(self) -> None:
        self._until = None


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
