"""A local HTTP server that speaks the OpenAI and Anthropic wire formats, scripted per request.

Each request takes the next scripted step: a streamed text, a JSON result, an HTTP error, a stream
that drops half-way, or a server that never answers. Every request body is recorded.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    kind: str  # "text" | "json" | "status" | "drop" | "hang"
    text: str = ""
    data: Any = None
    status: int = 200
    usage: tuple[int, int] = (42, 7)


def text(value: str, usage: tuple[int, int] = (42, 7)) -> Step:
    return Step("text", text=value, usage=usage)


def result(data: Any) -> Step:
    return Step("json", data=data)


def status(code: int) -> Step:
    return Step("status", status=code)


def drop(value: str) -> Step:
    return Step("drop", text=value)


def hang() -> Step:
    return Step("hang")


@dataclass
class FakeProvider:
    steps: list[Step] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: Step | None = None
    server: ThreadingHTTPServer | None = None
    replay: dict[str, Any] | None = None  # recorded answers by the key of their request's messages

    def step_for(self, body: dict[str, Any]) -> Step:
        """The recorded answer for this request when replaying, else the next scripted step."""
        if self.replay is not None:
            key = replay_key(body.get("messages", []))
            if key in self.replay:
                return result(self.replay[key])
            return status(500)
        return self.next_step()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def next_step(self) -> Step:
        if self.steps:
            return self.steps.pop(0)
        return self.default or text("Okay. What would you do next?")


_MARKER = re.compile(r"<<<([A-Za-z_-]+)-[0-9a-f]{6,}>>>")


def replay_key(messages: list[dict[str, Any]]) -> str:
    """The key a recorded answer is filed under: a hash of the messages with random fence markers normalised."""
    norm = json.dumps([[m.get("role"), _MARKER.sub(r"<<<\1>>>", str(m.get("content")))] for m in messages])
    return hashlib.sha256(norm.encode()).hexdigest()[:20]


def _words(value: str) -> list[str]:
    parts = value.split(" ")
    return [p + (" " if i < len(parts) - 1 else "") for i, p in enumerate(parts)]


class _Handler(BaseHTTPRequestHandler):
    provider: FakeProvider

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        if self.path == "/api/tags":  # Ollama's model list
            self._json({"models": [{"name": "llama3.1:8b"}, {"name": "qwen2.5:7b"}]})
        else:
            self.send_error(404)

    def do_POST(self) -> None:  # noqa: N802 - the http.server name
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.provider.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
        step = self.provider.step_for(body)
        anthropic = self.path.endswith("/messages")
        if step.kind == "hang":
            time.sleep(5)
            return
        if step.kind == "status":
            payload = json.dumps({"error": {"type": "server_error", "message": "scripted failure"}}).encode()
            self.send_response(step.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if step.kind == "json":
            self._json(self._anthropic_tool(step.data) if anthropic else self._openai_completion(step.data))
            return
        if not body.get("stream"):
            self._json(self._openai_completion(step.text) if not anthropic else self._anthropic_text(step.text))
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.end_headers()
        events = self._anthropic_events(step) if anthropic else self._openai_events(step)
        for index, event in enumerate(events):
            if step.kind == "drop" and index == 3:
                self.wfile.flush()
                self.connection.shutdown(2)  # the connection dies mid-stream
                return
            self.wfile.write(event.encode())
            self.wfile.flush()

    def _json(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    @staticmethod
    def _openai_completion(content: Any) -> dict[str, Any]:
        value = content if isinstance(content, str) else json.dumps(content)
        return {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": value}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }

    @staticmethod
    def _openai_events(step: Step) -> list[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            data = {
                "id": "chatcmpl-2",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "fake",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(data)}\n\n"

        events = [chunk({"role": "assistant", "content": ""})]
        events += [chunk({"content": word}) for word in _words(step.text)]
        events.append(chunk({}, "stop"))
        usage = {
            "id": "chatcmpl-2",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "fake",
            "choices": [],
            "usage": {
                "prompt_tokens": step.usage[0],
                "completion_tokens": step.usage[1],
                "total_tokens": sum(step.usage),
            },
        }
        events.append(f"data: {json.dumps(usage)}\n\n")
        events.append("data: [DONE]\n\n")
        return events

    @staticmethod
    def _anthropic_events(step: Step) -> list[str]:
        def event(name: str, data: dict[str, Any]) -> str:
            return f"event: {name}\ndata: {json.dumps(data)}\n\n"

        message = {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "fake",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": step.usage[0], "output_tokens": 1},
        }
        events = [
            event("message_start", {"type": "message_start", "message": message}),
            event(
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            ),
        ]
        events += [
            event(
                "content_block_delta",
                {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": word}},
            )
            for word in _words(step.text)
        ]
        events += [
            event("content_block_stop", {"type": "content_block_stop", "index": 0}),
            event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": step.usage[1]},
                },
            ),
            event("message_stop", {"type": "message_stop"}),
        ]
        return events

    @staticmethod
    def _anthropic_tool(data: Any) -> dict[str, Any]:
        content = (
            [{"type": "text", "text": data}]
            if isinstance(data, str)
            else [{"type": "tool_use", "id": "toolu_1", "name": "record", "input": data}]
        )
        return {
            "id": "msg_2",
            "type": "message",
            "role": "assistant",
            "model": "fake",
            "content": content,
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 100, "output_tokens": 20},
        }

    @staticmethod
    def _anthropic_text(value: str) -> dict[str, Any]:
        return {
            "id": "msg_3",
            "type": "message",
            "role": "assistant",
            "model": "fake",
            "content": [{"type": "text", "text": value}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 100, "output_tokens": 20},
        }


def start() -> FakeProvider:
    provider = FakeProvider()
    handler = type("Handler", (_Handler,), {"provider": provider})
    provider.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider.server.daemon_threads = True
    threading.Thread(target=provider.server.serve_forever, daemon=True).start()
    return provider
