"""Anthropic, through the anthropic SDK: ``messages.stream`` for replies, a forced tool for structured output.

The SDK is imported on first use (importing it takes over a second), never at start-up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from pydantic import ValidationError

from interviewer.llm.base import Message, ModelError, ReplyRequest, T, Usage
from interviewer.llm.conversation import interviewer_messages
from interviewer.llm.remote import RemoteModel

MAX_TOKENS = 1024


class AnthropicModel(RemoteModel):
    """Claude models; structured output by forcing a tool whose input schema is the pydantic schema."""

    provider = "anthropic"

    def _make_client(self) -> Any:
        import anthropic  # imported on first use: it is slow to import

        return anthropic.AsyncAnthropic(
            api_key=self._key.get_secret_value() if self._key else "missing",
            base_url=self._base_url,
            timeout=self._timeout,
            max_retries=self._retries,
        )

    @staticmethod
    def _split(messages: list[Message] | tuple[Message, ...]) -> tuple[str, list[dict[str, str]]]:
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        rest = [{"role": m.role, "content": m.content} for m in messages if m.role != "system"]
        return system, rest or [{"role": "user", "content": "(The interview is starting.)"}]

    async def stream(self, request: ReplyRequest) -> AsyncIterator[str]:
        system, messages = self._split(
            interviewer_messages(request, model=self.name, context_window=self.context_window)
        )
        self.last_usage = None
        try:
            async with self._sdk().messages.stream(
                model=self.name, system=system, messages=messages, max_tokens=MAX_TOKENS
            ) as stream:
                async for text in stream.text_stream:
                    yield text
                final = await stream.get_final_message()
            if final.stop_reason is None:  # the connection closed before the model said it was done
                raise ModelError(f"anthropic model {self.name}: the reply stream was cut off")
            self.last_usage = Usage(final.usage.input_tokens or 0, final.usage.output_tokens or 0)
        except ModelError:
            raise
        except Exception as exc:
            raise self._fail(exc) from exc

    async def structured(self, messages: tuple[Message, ...], schema: type[T]) -> T:
        system, rest = self._split(messages)
        tool = {"name": "record", "description": "Record the result.", "input_schema": schema.model_json_schema()}
        try:
            reply = await self._sdk().messages.create(
                model=self.name,
                system=system,
                messages=rest,
                max_tokens=MAX_TOKENS,
                tools=[tool],
                tool_choice={"type": "tool", "name": "record"},
            )
        except Exception as exc:
            raise self._fail(exc) from exc
        self.last_usage = Usage(reply.usage.input_tokens or 0, reply.usage.output_tokens or 0)
        for block in reply.content:
            if getattr(block, "type", None) == "tool_use":
                try:
                    return schema.model_validate(block.input)
                except ValidationError as exc:
                    raise ModelError(
                        f"anthropic model {self.name} returned a result that does not fit: {exc.errors()[0]['msg']}"
                    ) from None
        raise ModelError(f"anthropic model {self.name} gave no structured result")
