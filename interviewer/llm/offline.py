"""The built-in interviewer: no network, no key. It voices the director's moves with the rubric's own lines.

Variety comes from several phrasings per move, chosen by the move's seed, so a session reads
like a person and a replay of the same session reads the same.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator, Sequence

from interviewer.domain import DEEP_DIVE, EARLY, PUSH, RETURN, SUSPECTED, Move, MoveKind, Persona, Role
from interviewer.llm.base import Message, ModelError, ReplyRequest, T, Usage

_OPEN = [
    "{question}\n\nTake a moment, and feel free to ask me anything before you start designing.",
    "Here's the problem.\n\n{question}\n\nAsk whatever you need to know first; I'll tell you what I can.",
    "Let's begin.\n\n{question}\n\nWhere would you like to start? Questions are welcome.",
]
_FACT = [
    "Good question. {fact}",
    "{fact}",
    "Sure. {fact}",
    "Glad you asked. {fact}",
    "Here's what I can tell you: {fact}",
]
_ASSUME = [
    "I don't have a number for that. State an assumption and carry on with it.",
    "That's open; pick a reasonable assumption, say it out loud, and go on.",
    "Nothing fixed there. What would you assume, and why?",
    "I'll leave that to you: make an assumption and tell me what it changes.",
]
_DECLINE = [
    "I can't tell you what I'm looking for, but I can answer questions about the requirements. What would you like to know?",
    "That part is yours to work out. Ask me about the situation instead, and I'll tell you what I know.",
]
# Acknowledgements, by persona. A phrasing is used once a session; when all are used, none is said.
_PROBE_AFTER_ANSWER = {
    Persona.FRIENDLY: ["Thanks, that's helpful. ", "Nice. ", "Good, thank you. ", "That makes sense. ", "Great. "],
    Persona.NEUTRAL: ["Okay. ", "Thanks. ", "Got it. ", "Understood. ", "Right. ", "Noted. ", "All right. "],
    Persona.TOUGH: ["Fine. ", "Next. ", "Okay. ", "Moving on. "],
}
_PROBE_AFTER_HEARING = {
    Persona.FRIENDLY: [
        "Nice, {heard}. ",
        "Good thinking on {heard}. ",
        "I like that you brought up {heard}. ",
        "Thanks, {heard} makes sense here. ",
        "Great, {heard}. ",
        "That's a fair call, {heard}. ",
    ],
    Persona.NEUTRAL: [
        "Okay, {heard}. ",
        "Noted: {heard}. ",
        "Got it, {heard}. ",
        "Thanks. So, {heard}. ",
        "Right, {heard}. ",
        "Understood, {heard}. ",
        "All right, {heard}. ",
    ],
    Persona.TOUGH: ["{heard}. Fine. ", "So, {heard}. ", "Noted, {heard}. ", "{heard}, okay. "],
}
_PROBE_FRESH = [
    "Let's go a bit deeper on {title}. How would you approach it?",
    "What about {title}? Walk me through your thinking.",
    "Tell me how {title} fits into your design.",
]
_CHALLENGE = [
    'You said: "{quote}". How sure are you about that?',
    'Let me stop you there. "{quote}" - are you confident in that?',
    'Hmm, "{quote}". Can you talk me through why that holds?',
    'Interesting. You said "{quote}". Would you stand by that in production?',
]
_CHALLENGE_TONE = {
    Persona.FRIENDLY: [
        'You said "{quote}". Are you sure about that one? Take a second to think it through.',
        'Let\'s pause on "{quote}". How confident are you in that?',
    ],
    Persona.TOUGH: [
        '"{quote}". I don\'t buy it yet. Convince me.',
        'You said "{quote}". Would you bet production on that? Why?',
        '"{quote}" - defend that.',
    ],
}
_PROBE_SUSPECTED = [
    'You said: "{quote}". Can you say precisely what you mean there?',
    'Let me make sure I follow. "{quote}" - what exactly does that cover, and what doesn\'t it?',
    'When you say "{quote}", how would that play out in practice?',
]
_ACK_IDK = {
    Persona.FRIENDLY: [
        "That's completely fine, thanks for being honest. ",
        "No problem at all; knowing where your edges are is useful. ",
        "That's okay, it's a hard one. ",
        "Thanks for saying so rather than guessing. ",
    ],
    Persona.NEUTRAL: [
        "That's fine, thanks for saying so. ",
        "No problem, that's an honest answer. ",
        "Fair enough. ",
        "Okay, good to know where the edges are. ",
        "Understood, let's leave that one. ",
    ],
    Persona.TOUGH: ["Noted. ", "Okay, moving on. ", "Fine, let's leave it. "],
}
DEEP_DIVE_LEADS = [
    "Let's go deeper. ",
    "A harder one. ",
    "Let me push on this. ",
    "Digging in a bit. ",
]
_RETURN = [
    'Let me come back to something I asked earlier: "{question}" Could you take that one now?',
    'Earlier I asked: "{question}" I\'d like to hear your answer to that.',
]
_PUSH = [
    "Your design leans on {heard}. What does that cost you, and when would you choose differently?",
    "Why {heard} and not an alternative? What do you give up?",
    "{heard} has a price. What is it, and at what point would it stop being worth paying?",
]
_CURVEBALL = [
    "Let me change the brief. {change} How does your design change?",
    "New information: {change} What do you change, and what stays?",
    "Here's a twist. {change} Walk me through what you'd revisit.",
]
_WARNING = [
    "Just so you know, about {minutes} left.",
    "Heads up: roughly {minutes} to go.",
    "We have about {minutes} left.",
]
_WRAP = [
    "We're nearly out of time. Summarise your design in a few sentences: the main components, and the biggest risk you'd tackle first.",
    "Let's wrap up. If you had to present this to the customer tomorrow, what are the two or three decisions that matter most?",
    "Time to bring it together. What would you build first, and what would you revisit with more time?",
]
_WRAP_EARLY = [
    "I think we've covered the ground. Summarise your design in a few sentences: the main components, and the biggest risk you'd tackle first.",
    "Let's bring it together. If you presented this to the customer tomorrow, what are the two or three decisions that matter most?",
]
_CLOSE = [
    "That's time. Thanks, that was a good conversation. Your report is ready.",
    "Let's stop there. Thank you; the scores and notes are in your report.",
    "We're done. Thanks for working through it with me; have a look at your report.",
]


def _minutes(value: float | None) -> str:
    if value is None:
        return "a few minutes"
    whole = max(1, round(value))
    return f"{whole} minute" + ("" if whole == 1 else "s")


def compose(move: Move, question: str = "", earlier: Sequence[str] = (), persona: Persona = Persona.NEUTRAL) -> str:
    """The offline interviewer's words for a move; a phrasing already used in ``earlier`` turns is not repeated."""
    rng = random.Random(move.seed)

    def pick(lines: list[str]) -> str:
        fresh = [line for line in lines if not any(_opening(line) in said for said in earlier)]
        return rng.choice(fresh or lines)

    def fresh(lines: list[str]) -> str:
        """A phrasing not used yet this session, or nothing: an acknowledgement never repeats."""
        unused = [line for line in lines if not any(_opening(line) in said for said in earlier)]
        return rng.choice(unused) if unused else ""

    kind = move.kind
    if kind is MoveKind.OPEN:
        # rubric files wrap the question at ~100 columns; a terminal should wrap it itself
        return pick(_OPEN).format(question=re.sub(r"(?<!\n)\n(?!\n)", " ", question.strip()))
    if kind is MoveKind.ANSWER_CLARIFICATION:
        return pick(_FACT).format(fact=move.fact or "")
    if kind is MoveKind.ASK_ASSUMPTION:
        return pick(_ASSUME)
    if kind is MoveKind.DECLINE_REVEAL:
        return pick(_DECLINE)
    if kind is MoveKind.CHALLENGE:
        lines = _PROBE_SUSPECTED if move.note == SUSPECTED else _CHALLENGE_TONE.get(persona, _CHALLENGE)
        return pick(lines).format(quote=(move.quote or move.claim or "").strip().rstrip("."))
    if kind is MoveKind.TIME_WARNING:
        return pick(_WARNING).format(minutes=_minutes(move.minutes_left))
    if kind is MoveKind.WRAP_UP:
        return pick(_WRAP_EARLY if move.note == EARLY else _WRAP)
    if kind is MoveKind.CLOSE:
        return pick(_CLOSE)
    if move.note == PUSH and move.heard:
        return pick(_PUSH).format(heard=move.heard)
    if kind is MoveKind.ACKNOWLEDGE_IDK:
        lead = fresh(_ACK_IDK[persona])
    elif move.heard:
        lead = fresh(_PROBE_AFTER_HEARING[persona]).format(heard=move.heard)
        lead = lead[:1].upper() + lead[1:]
    else:
        lead = fresh(_PROBE_AFTER_ANSWER[persona])
    if kind is MoveKind.CURVEBALL:
        return lead + pick(_CURVEBALL).format(change=(move.follow_up or "").strip())
    if move.note == RETURN and move.follow_up:
        return lead + pick(_RETURN).format(question=move.follow_up)
    if move.note == DEEP_DIVE and move.follow_up:
        return lead + fresh(DEEP_DIVE_LEADS) + move.follow_up
    if move.follow_up:
        return lead + move.follow_up
    if move.criterion_title:
        return lead + pick(_PROBE_FRESH).format(title=_in_a_sentence(move.criterion_title))
    return lead + "What else would you consider?"


def _in_a_sentence(title: str) -> str:
    """A criterion's title inside a sentence: "Replication and backups" -> "replication and backups", but an
    acronym keeps its capitals ("RTO and RPO", "DR strategies")."""
    first = title.split(" ", 1)[0]
    return title if first[1:2].isupper() else title[:1].lower() + title[1:]


def _opening(line: str) -> str:
    """The fixed words a phrasing starts with, before any slot: what would repeat if it were used twice."""
    return max(re.split(r"\{\w+\}", line), key=len).strip() or line


class OfflineModel:
    """Voices moves from the rubric's lines; streams them word by word like a remote model would."""

    provider = "offline"
    name = "offline"
    last_usage: Usage | None = None  # it uses no tokens

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    async def stream(self, request: ReplyRequest) -> AsyncIterator[str]:
        earlier = [t.text for t in request.transcript if t.role is Role.INTERVIEWER]
        persona = Persona(str(request.context.get("persona", Persona.NEUTRAL)))
        text = compose(request.move, str(request.context.get("question", "")), earlier, persona)
        words = text.split(" ")
        for index, word in enumerate(words):
            yield word if index == len(words) - 1 else word + " "
            await asyncio.sleep(self.delay)

    async def structured(self, messages: tuple[Message, ...], schema: type[T]) -> T:
        """The offline model has no judgement of its own; the offline grader stands in for it."""
        raise ModelError("the built-in offline model cannot grade; the offline grader does that without a model")
