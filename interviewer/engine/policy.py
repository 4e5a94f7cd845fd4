"""The director: decides what the interviewer does next. Models only decide how to say it."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from interviewer.domain import (
    DEEP_DIVE,
    EARLY,
    FACTS_SEPARATOR,
    PUSH,
    RETURN,
    SUSPECTED,
    AnswerLabel,
    Assessment,
    Move,
    MoveKind,
    Persona,
    Phase,
)
from interviewer.rubric import Criterion, DeepDive, Rubric
from interviewer.scoring.signals import asks_for_the_answer, concept_hits, match_clarifications

MAX_PROBES_PER_CRITERION = 2
"""The interviewer asks about one criterion at most this often, so one gap does not eat the slot."""
STAY_BELOW = 0.5
"""After a partial answer, the interviewer stays on its criterion while less than this share of its concepts is shown."""
COVERED_AT = 0.75
"""A criterion with this share of its concepts shown needs no more probing."""
GENERAL_PROBES = (
    "Traffic grows tenfold over the next year. What breaks first in your design, and what do you change?",
    "Walk me through what happens when the most important component fails at the busiest hour.",
    "Where does the money go in this design, and what would you cut first if the budget were halved?",
    "How would you run this day to day: what do you watch, and what should wake someone up at night?",
    "How would you roll out a change to this system safely, and how would you know it went wrong?",
    "Which decision in your design are you least sure of, and what would you measure to settle it?",
)
"""The questions any interviewer asks once the rubric's own are spent: scale, failure, cost, operations."""
_GENERAL_THEMES = {
    GENERAL_PROBES[0]: regex.compile(r"\b(?:traffic|tenfold|10x|twice|doubles?|grows?|growth|peak)\b", regex.I),
    GENERAL_PROBES[2]: regex.compile(r"\$|\b(?:budget|cost|spend|cut|cap(?:ped)?|cheaper)\b", regex.I),
}
"""A general question is skipped when a curveball or deep dive already asked about its theme."""
DEEP_DIVE_AFTER = 3
"""Answers after which the design phase gives way to the deep dive."""
CURVEBALL_AT = (0.45, 0.65)
"""Shares of a timed slot after which the first and second curveball are thrown, even with criteria left."""
MAX_PUSHES = 3
"""How often a tough interviewer presses on the cost of a choice in one session: more reads as a tic."""
MAX_RETURNS = 2
"""Questions left unanswered that the interviewer comes back to, at most, in one session."""
DIVES_PER_CURVEBALL = 2
"""Deep dives asked before each curveball, when the clock has not called for it sooner."""


@dataclass(frozen=True)
class Style:
    """How a persona runs the interview (its tone is the voice's business)."""

    challenge_suspicions: bool
    """Whether a mere resemblance to a misconception is followed up, or only a stated one."""
    stay_below: float
    """After a partial answer, stay on its criterion while less than this share of its concepts is shown."""
    max_probes: int
    """How often one criterion is probed at most."""
    push_tradeoffs: bool
    """Whether a choice the candidate just made is pressed on for its cost, once per criterion."""


STYLES: dict[Persona, Style] = {
    Persona.FRIENDLY: Style(
        challenge_suspicions=False, stay_below=0.34, max_probes=MAX_PROBES_PER_CRITERION, push_tradeoffs=False
    ),
    Persona.NEUTRAL: Style(
        challenge_suspicions=True, stay_below=STAY_BELOW, max_probes=MAX_PROBES_PER_CRITERION, push_tradeoffs=False
    ),
    Persona.TOUGH: Style(challenge_suspicions=True, stay_below=0.75, max_probes=3, push_tradeoffs=True),
}


_ASKING = frozenset({MoveKind.PROBE, MoveKind.ACKNOWLEDGE_IDK, MoveKind.CURVEBALL})
"""Moves that put a question to the candidate."""
_AFTER_ANSWER = frozenset(
    {MoveKind.PROBE, MoveKind.ACKNOWLEDGE_IDK, MoveKind.CURVEBALL, MoveKind.WRAP_UP, MoveKind.CLOSE}
)
"""Moves that follow an answer (a time warning may come between a challenge and its answer)."""


@dataclass
class InterviewState:
    """What the director remembers: facts revealed, criteria probed, claims challenged, coverage."""

    phase: Phase = Phase.CLARIFY
    revealed: set[str] = field(default_factory=set)
    probes: dict[str, int] = field(default_factory=dict)
    used_follow_ups: set[str] = field(default_factory=set)
    challenged: set[str] = field(default_factory=set)
    pending_challenge: str | None = None
    current_criterion: str | None = None
    covered: dict[str, set[str]] = field(default_factory=dict)
    said: set[tuple[str, str]] = field(default_factory=set)  # (criterion, concept) the candidate has named
    asked: tuple[str, str] | None = None  # the last question on a criterion: (criterion id, its words)
    # a question left unanswered -> (its criterion, the answers given by then)
    to_return: dict[str, tuple[str, int]] = field(default_factory=dict)
    returned: set[str] = field(default_factory=set)
    returned_at: int = -2  # answers given when the interviewer last came back to a question
    pushed: set[str] = field(default_factory=set)  # criteria whose trade-offs were pressed on
    acknowledged: set[str] = field(default_factory=set)  # the candidate's words the interviewer has echoed
    last_note: str | None = None  # the note of the interviewer's last move
    dives: int = 0
    curveballs: int = 0
    answers: int = 0
    clarifications: int = 0
    wrapping_up: bool = False
    closed: bool = False

    def note_move(self, move: Move) -> None:
        """Remember a move the interviewer made (also used to rebuild state on resume)."""
        if move.kind is MoveKind.ANSWER_CLARIFICATION and move.note:
            self.revealed.update(move.note.split(FACTS_SEPARATOR))
        if move.kind in (MoveKind.PROBE, MoveKind.ACKNOWLEDGE_IDK) and move.criterion_id:
            self.probes[move.criterion_id] = self.probes.get(move.criterion_id, 0) + 1
            self.current_criterion = move.criterion_id
        if move.kind in _ASKING and move.follow_up:
            self.used_follow_ups.add(move.follow_up)
        asking = move.kind in _ASKING
        self.asked = (move.criterion_id, move.follow_up) if asking and move.criterion_id and move.follow_up else None
        if move.kind is not MoveKind.TIME_WARNING:
            self.last_note = move.note
        if move.note == DEEP_DIVE:
            self.dives += 1
        if move.note == RETURN and move.follow_up:
            self.to_return.pop(move.follow_up, None)
            self.returned.add(move.follow_up)
            self.returned_at = self.answers
        if move.note == PUSH and move.criterion_id:
            self.pushed.add(move.criterion_id)
        if move.heard:
            self.acknowledged.add(move.heard.casefold())
        if move.kind is MoveKind.CURVEBALL:
            self.curveballs += 1
            self.current_criterion = move.criterion_id
        if move.kind in _AFTER_ANSWER:
            self.pending_challenge = None  # the challenge, if any, was answered
        if move.kind is MoveKind.CHALLENGE and move.claim:
            self.challenged.add(move.claim)
            self.pending_challenge = move.claim
            self.current_criterion = move.criterion_id or self.current_criterion
        if move.kind is MoveKind.WRAP_UP:
            self.wrapping_up = True
            self.phase = Phase.WRAP_UP
        if move.kind is MoveKind.CLOSE:
            self.closed = True

    def note_answer(self, assessment: Assessment) -> None:
        self.answers += 1
        if self.asked and self.pending_challenge is None and len(self.returned) + len(self.to_return) < MAX_RETURNS:
            criterion_id, question = self.asked
            # answered with something else, or nothing: no credit at all, and not an honest "I don't know"
            elsewhere = assessment.label is AnswerLabel.IDK and not assessment.idk
            if elsewhere and question not in self.returned:
                self.to_return[question] = (criterion_id, self.answers)
        self.said.update((hit.criterion_id, hit.concept) for hit in assessment.concepts)
        if self.phase is Phase.CLARIFY:
            self.phase = Phase.DESIGN
        if assessment.label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL):
            for hit in assessment.concepts:
                self.covered.setdefault(hit.criterion_id, set()).add(hit.concept)


class FollowUpPolicy:
    """Chooses each interviewer move from the rubric, the state and the candidate's last turn."""

    def __init__(self, rubric: Rubric, persona: Persona = Persona.NEUTRAL) -> None:
        self.rubric = rubric
        self.style = STYLES[persona]
        self._asked: dict[tuple[str, str], frozenset[str]] = {}

    def hear_clarification(self, state: InterviewState, question: str) -> None:
        """Remember a clarifying question: what it names counts as said, so it is not asked back."""
        state.clarifications += 1
        state.said.update((hit.criterion_id, hit.concept) for hit in concept_hits(question, self.rubric.criteria))

    def after_clarification(self, state: InterviewState, question: str, seed: int) -> Move:
        self.hear_clarification(state, question)
        if asks_for_the_answer(question):
            return Move(MoveKind.DECLINE_REVEAL, seed=seed)
        facts = match_clarifications(question, self.rubric)  # a compound question gets every fact it asks for
        if not facts:
            return Move(MoveKind.ASK_ASSUMPTION, seed=seed)
        answer = " ".join(fact.answer for fact in facts)
        note = FACTS_SEPARATOR.join(f.about for f in facts)
        return Move(MoveKind.ANSWER_CLARIFICATION, fact=answer, note=note, seed=seed)

    def after_answer(
        self,
        state: InterviewState,
        assessment: Assessment,
        *,
        wrap_up_due: bool,
        seed: int,
        answer: str = "",
        progress: float | None = None,
    ) -> Move:
        """The move after an answer; ``progress`` is the share of a timed slot spent (None when untimed)."""
        if state.wrapping_up:
            return Move(MoveKind.CLOSE, seed=seed)
        challenge = self._challenge(state, assessment, seed)
        if challenge is not None:
            return challenge
        answered_challenge = state.pending_challenge is not None
        state.pending_challenge = None
        if wrap_up_due:
            return Move(MoveKind.WRAP_UP, seed=seed)
        idk = assessment.label is AnswerLabel.IDK and assessment.idk
        kind = MoveKind.ACKNOWLEDGE_IDK if idk else MoveKind.PROBE
        heard = next(
            (
                said
                for hit in assessment.concepts
                if not idk
                and (said := _in_their_words(answer, hit.phrase))
                and said.casefold() not in state.acknowledged
            ),
            None,
        )  # echoing the same words twice ("Got it, RTO." ... "Noted: RTO.") sounds like a machine
        if state.phase is Phase.DESIGN and state.answers >= DEEP_DIVE_AFTER:
            state.phase = Phase.DEEP_DIVE
        push = self._push(state, assessment, answer, seed) if not answered_challenge and not idk else None
        if push is not None:
            return push
        back = self._return(state, kind, heard, seed)
        if back is not None:
            return back
        if progress is not None and state.curveballs < min(len(CURVEBALL_AT), len(self.rubric.curveballs)):
            if progress >= CURVEBALL_AT[state.curveballs]:
                return self._curveball(state, heard, seed)
        stay = not idk and not answered_challenge and assessment.label is AnswerLabel.PARTIAL
        criterion = self._next_criterion(
            state,
            stay_on=state.current_criterion if stay else None,
            avoid=state.current_criterion if idk or answered_challenge else None,
        )
        if criterion is None:
            return self._depth(state, kind, heard, seed)
        unused = self._unused_follow_up(state, [criterion])
        return _ask(kind, criterion, unused[1] if unused else None, heard, seed)

    def _push(self, state: InterviewState, assessment: Assessment, answer: str, seed: int) -> Move | None:
        """A tough interviewer presses on what a choice just made costs, once per criterion."""
        target = assessment.criterion_id
        if not self.style.push_tradeoffs or target is None or target in state.pushed:
            return None
        if len(state.pushed) >= MAX_PUSHES or state.last_note == PUSH:  # never twice running, a few a session
            return None
        if assessment.label not in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL):
            return None
        chosen = next((hit for hit in assessment.concepts if hit.criterion_id == target), None)
        if chosen is None:
            return None
        heard = _in_their_words(answer, chosen.phrase)
        if heard is None:
            return None
        return _ask(MoveKind.PROBE, self.rubric.criterion(target), None, heard, seed, note=PUSH)

    def _return(self, state: InterviewState, kind: MoveKind, heard: str | None, seed: int) -> Move | None:
        """Come back, once, to a question the candidate answered with something else, after one other question."""
        if state.answers - state.returned_at < 2:
            return None  # never two returns in a row
        for question, (criterion_id, at) in state.to_return.items():
            if state.answers > at:
                return _ask(kind, self.rubric.criterion(criterion_id), question, heard, seed, note=RETURN)
        return None

    def _curveball(self, state: InterviewState, heard: str | None, seed: int) -> Move:
        ball = self.rubric.curveballs[state.curveballs]
        reopened = self.rubric.criterion(ball.reopens[0])  # the answer is graded against what it re-opens first
        return _ask(MoveKind.CURVEBALL, reopened, ball.say, heard, seed)

    def _depth(self, state: InterviewState, kind: MoveKind, heard: str | None, seed: int) -> Move:
        """Every criterion is probed: deep dives and curveballs, then the rubric's unused follow-ups, then
        scale, failure, cost and operations, until the clock says wrap up or nothing is left to ask."""
        if state.phase is Phase.DESIGN:
            state.phase = Phase.DEEP_DIVE
        balls_left = state.curveballs < len(self.rubric.curveballs)
        dive = self._next_dive(state)
        if balls_left and (dive is None or state.dives >= DIVES_PER_CURVEBALL * (state.curveballs + 1)):
            return self._curveball(state, heard, seed)
        if dive is not None:
            return _ask(kind, self.rubric.criterion(dive.criterion), dive.ask, heard, seed, note=DEEP_DIVE)
        # the rubric's own questions on criteria still short of covered, then the general ones; the rubric's
        # questions on covered criteria would ask for what was said, so then the interview wraps up early
        left = self._unused_follow_up(state, [c for c in self.rubric.criteria if self._level(state, c) < COVERED_AT])
        if left is None:
            asked = [q for q in state.used_follow_ups if q not in GENERAL_PROBES]
            general = next(
                (
                    q
                    for q in GENERAL_PROBES
                    if q not in state.used_follow_ups
                    and not (q in _GENERAL_THEMES and any(_GENERAL_THEMES[q].search(a) for a in asked))
                ),
                None,
            )
            if general is not None:
                return Move(kind, follow_up=general, heard=heard, seed=seed)
            return Move(MoveKind.WRAP_UP, note=EARLY, seed=seed)
        return _ask(kind, *left, heard, seed)

    def _unused_follow_up(self, state: InterviewState, criteria: list[Criterion]) -> tuple[Criterion, str] | None:
        """A follow-up of these criteria not asked yet and not asking for what was said, least-probed first."""
        for criterion in sorted(criteria, key=lambda c: state.probes.get(c.id, 0)):
            for question in criterion.follow_ups:
                if question not in state.used_follow_ups and not self._asks_for_said(state, criterion, question):
                    return criterion, question
        return None

    def _next_dive(self, state: InterviewState) -> DeepDive | None:
        """The next deep dive not asked yet, on a criterion other than the one just discussed where possible."""
        left = [dive for dive in self.rubric.deep_dives if dive.ask not in state.used_follow_ups]
        if not left:
            return None
        return next((dive for dive in left if dive.criterion != state.current_criterion), left[0])

    def _challenge(self, state: InterviewState, assessment: Assessment, seed: int) -> Move | None:
        if state.pending_challenge is not None:
            return None  # one chance to reconsider, then move on
        stated = [(hit, None) for hit in assessment.misconceptions]
        suspected = [(hit, SUSPECTED) for hit in assessment.suspicions] if self.style.challenge_suspicions else []
        for hit, note in [*stated, *suspected]:
            if hit.claim not in state.challenged:
                return Move(
                    MoveKind.CHALLENGE,
                    criterion_id=hit.criterion_id,
                    claim=hit.claim,
                    quote=hit.sentence if len(hit.sentence) <= 240 else hit.quote,
                    note=note,
                    seed=seed,
                )
        return None

    def _level(self, state: InterviewState, criterion: Criterion) -> float:
        """The share of the criterion's concepts the candidate has shown or named (in answers or questions)."""
        named = {concept for cid, concept in state.said if cid == criterion.id} | state.covered.get(criterion.id, set())
        return len(named) / len(criterion.concepts)

    def _asks_for_said(self, state: InterviewState, criterion: Criterion, question: str) -> bool:
        """Whether a follow-up only asks about concepts the candidate has already named, or asks what they
        need to know when they have already asked the brief's questions."""
        if state.revealed and _ELICITS_REQUIREMENTS.search(question):
            return True
        key = (criterion.id, question)
        if key not in self._asked:  # the rubric's lines do not change: read each once
            self._asked[key] = frozenset(hit.concept for hit in concept_hits(question, [criterion]))
        asked = self._asked[key]
        return bool(asked) and all((criterion.id, concept) in state.said for concept in asked)

    def _next_criterion(self, state: InterviewState, *, stay_on: str | None, avoid: str | None) -> Criterion | None:
        if stay_on:
            current = self.rubric.criterion(stay_on)
            if (
                state.probes.get(stay_on, 0) < self.style.max_probes
                and self._level(state, current) < self.style.stay_below
            ):
                return current
        candidates = [
            c
            for c in self.rubric.criteria
            if c.id != avoid
            and state.probes.get(c.id, 0) < self.style.max_probes
            and self._level(state, c) < COVERED_AT
        ]
        if not candidates:
            return None
        order = {c.id: i for i, c in enumerate(self.rubric.criteria)}
        # the heaviest criterion not yet covered, probed least, in rubric order
        return min(candidates, key=lambda c: (state.probes.get(c.id, 0), -c.weight, self._level(state, c), order[c.id]))


def _ask(
    kind: MoveKind, criterion: Criterion, question: str | None, heard: str | None, seed: int, note: str | None = None
) -> Move:
    """A move that puts a question on one criterion (its own words, or an open one when None)."""
    return Move(
        kind,
        criterion_id=criterion.id,
        criterion_title=criterion.title,
        follow_up=question,
        heard=heard,
        note=note,
        seed=seed,
    )


_ELICITS_REQUIREMENTS = regex.compile(
    r"\bwhat (?:do|would|should) you (?:need to know|want to know|ask)\b|\bbefore (?:choosing|designing|picking)\b"
    r"|\bwhich (?:questions|requirements)\b|\bwhat (?:questions|requirements)\b",
    regex.IGNORECASE,
)
"""A follow-up that asks the candidate to elicit requirements: asked already when they uncovered the brief's facts."""


def _in_their_words(answer: str, phrase: str) -> str | None:
    """The phrase as the candidate wrote it ("Bedrock", not "bedrock"), only when it is there word for word: an
    acknowledgement never puts words in the candidate's mouth (a concept can match a plural or a typo)."""
    if _FRAGMENT_LEAD.match(phrase):
        return None  # "Thanks. So, each AZ." names a fragment, not a thing the candidate chose
    found = regex.search(rf"\b{regex.escape(phrase)}(?:e?s)?\b", answer, regex.IGNORECASE)  # "NAT gateways" too
    return found.group(0) if found else None


_FRAGMENT_LEAD = regex.compile(
    r"(?:each|per|every|all|any|no|one|the|a|an|by|in|on|at|to|for|of|with|without|from|not|more|less)\b",
    regex.IGNORECASE,
)
