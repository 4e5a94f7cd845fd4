"""What the SDK-backed models share: their settings, a lazily built client, and user-facing errors."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from interviewer.llm.base import ModelError, ModelUnreachable, Usage
from interviewer.llm.errors import model_failure, unreachable


class RemoteModel:
    """A model behind an SDK client that is created on first use."""

    provider = "remote"

    def __init__(
        self,
        model: str,
        *,
        api_key: SecretStr | None = None,
        base_url: str | None = None,
        provider: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        context_window: int = 16_000,
    ) -> None:
        if provider:
            self.provider = provider
        self.name = model
        self._key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._retries = max_retries
        self.context_window = context_window
        self.last_usage: Usage | None = None
        self._client: Any = None

    def _sdk(self) -> Any:
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def _make_client(self) -> Any:
        raise NotImplementedError

    def _fail(self, exc: Exception) -> ModelError:
        """The failure in words a user can act on; ModelUnreachable when the call itself failed."""
        kind = ModelUnreachable if unreachable(exc) else ModelError
        return kind(model_failure(exc, self.provider, self.name, self._base_url))
