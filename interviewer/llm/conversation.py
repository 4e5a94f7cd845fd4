"""What a language model is sent to voice a move: the rendered interviewer prompt and the transcript."""

from __future__ import annotations

from types import SimpleNamespace

from interviewer.domain import Role
from interviewer.llm.base import Message, ReplyRequest
from interviewer.llm.prompts import render
from interviewer.llm.tokens import count_tokens

KEEP_RECENT = 8
"""Turns always sent word for word; older ones are summarised when the window is tight."""


def interviewer_messages(request: ReplyRequest, *, model: str, context_window: int) -> list[Message]:
    """System prompt for the move, then the conversation; older turns summarised past the window."""
    context = request.context
    rubric = SimpleNamespace(
        title=context.get("title", ""), topic=context.get("topic", ""), difficulty=context.get("difficulty", "")
    )
    minutes = context.get("minutes_left")
    system = render(
        "interviewer.md.j2",
        rubric=rubric,
        move=SimpleNamespace(
            **{
                "detail": None,
                "fact": None,
                "follow_up": None,
                "claim": None,
                "note": None,
                "quote": None,
                "heard": None,
                **request.move.as_dict(),
            }
        ),
        question=str(context.get("question", "")).strip(),
        minutes_left=f"{minutes:.0f}" if isinstance(minutes, int | float) else "unknown",
        phase=context.get("phase", ""),
        persona=context.get("persona", "neutral"),
    )
    turns = [
        Message("assistant" if t.role is Role.INTERVIEWER else "user", t.text) for t in request.transcript if t.text
    ]
    if not turns:
        turns = [Message("user", "(The interview is starting.)")]
    messages = [Message("system", system), *turns]
    if count_tokens([m.content for m in messages], model).tokens <= context_window or len(turns) <= KEEP_RECENT:
        return _alternate(messages)
    old, recent = turns[:-KEEP_RECENT], turns[-KEEP_RECENT:]
    digest = "\n".join(f"- {'Interviewer' if m.role == 'assistant' else 'Candidate'}: {_clip(m.content)}" for m in old)
    summary = Message("user", f"(Summary of the {len(old)} earlier turns, shortened to fit:)\n{digest}")
    return _alternate([Message("system", system), summary, *recent])


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _alternate(messages: list[Message]) -> list[Message]:
    """Merge consecutive messages of one role (some APIs insist on alternation) and start with the user."""
    merged: list[Message] = []
    for message in messages:
        if merged and merged[-1].role == message.role and message.role != "system":
            merged[-1] = Message(message.role, merged[-1].content + "\n\n" + message.content)
        else:
            merged.append(message)
    if len(merged) > 1 and merged[1].role == "assistant":
        merged.insert(1, Message("user", "(The interview is starting.)"))
    return merged
