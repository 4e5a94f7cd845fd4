"""OpenAI, and any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio), through the openai SDK.

The SDK is imported on first use, never at start-up. Retries with backoff on 429, 5xx, time-outs
and connection errors are the SDK's own (``max_retries``); a stream that drops half-way raises,
and the engine keeps what was said and lets the offline interviewer finish the turn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from interviewer.llm.base import Message, ModelError, ReplyRequest, T, Usage
from interviewer.llm.conversation import interviewer_messages
from interviewer.llm.remote import RemoteModel

DUMMY_KEY = "not-needed"
"""Local servers need no key, but the SDK insists on one."""


class OpenAIModel(RemoteModel):
    """Chat Completions with streaming and structured output (``response_format`` from a pydantic model)."""

    provider = "openai"

    def _make_client(self) -> Any:
        import openai  # imported on first use: it is slow to import

        key = self._key.get_secret_value() if self._key else DUMMY_KEY
        return openai.AsyncOpenAI(
            api_key=key, base_url=self._base_url, timeout=self._timeout, max_retries=self._retries
        )

    async def stream(self, request: ReplyRequest) -> AsyncIterator[str]:
        messages = interviewer_messages(request, model=self.name, context_window=self.context_window)
        self.last_usage = None
        try:
            response = await self._sdk().chat.completions.create(
                model=self.name,
                messages=[{"role": m.role, "content": m.content} for m in messages],
                stream=True,
                stream_options={"include_usage": True},
            )
            finished = False
            async for chunk in response:
                if getattr(chunk, "usage", None):
                    self.last_usage = Usage(chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0)
                for choice in chunk.choices or []:
                    finished = finished or bool(choice.finish_reason)
                    text = getattr(choice.delta, "content", None)
                    if text:
                        yield text
            if not finished:  # the connection closed before the model said it was done
                raise ModelError(f"{self.provider} model {self.name}: the reply stream was cut off")
        except ModelError:
            raise
        except Exception as exc:
            raise self._fail(exc) from exc

    async def structured(self, messages: tuple[Message, ...], schema: type[T]) -> T:
        try:
            completion = await self._sdk().chat.completions.parse(
                model=self.name,
                messages=[{"role": m.role, "content": m.content} for m in messages],
                response_format=schema,
            )
        except Exception as exc:
            raise self._fail(exc) from exc
        if completion.usage:
            self.last_usage = Usage(completion.usage.prompt_tokens or 0, completion.usage.completion_tokens or 0)
        message = completion.choices[0].message
        parsed = getattr(message, "parsed", None)
        if parsed is None:
            reason = getattr(message, "refusal", None) or "the reply did not match the schema"
            raise ModelError(f"{self.provider} model {self.name} gave no structured result: {reason}")
        return parsed
