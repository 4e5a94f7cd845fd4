"""The director: decides what the interviewer does next. Models only decide how to say it."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from interviewer.domain import EARLY, FACTS_SEPARATOR, SUSPECTED, AnswerLabel, Assessment, Move, MoveKind, Phase
from interviewer.rubric import Criterion, Rubric
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
DEEP_DIVE_AFTER = 3
"""Answers after which the design phase gives way to the deep dive."""


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
        if move.kind in (MoveKind.PROBE, MoveKind.ACKNOWLEDGE_IDK) and move.follow_up:
            self.used_follow_ups.add(move.follow_up)
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
        self.said.update((hit.criterion_id, hit.concept) for hit in assessment.concepts)
        if self.phase is Phase.CLARIFY:
            self.phase = Phase.DESIGN
        if assessment.label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL):
            for hit in assessment.concepts:
                self.covered.setdefault(hit.criterion_id, set()).add(hit.concept)


class FollowUpPolicy:
    """Chooses each interviewer move from the rubric, the state and the candidate's last turn."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
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
        self, state: InterviewState, assessment: Assessment, *, wrap_up_due: bool, seed: int, answer: str = ""
    ) -> Move:
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
        stay = not idk and not answered_challenge and assessment.label is AnswerLabel.PARTIAL
        criterion = self._next_criterion(
            state,
            stay_on=state.current_criterion if stay else None,
            avoid=state.current_criterion if idk or answered_challenge else None,
        )
        if criterion is None:
            # every criterion is probed: dig into scale, failure, cost and operations until the clock says wrap up
            general = next((q for q in GENERAL_PROBES if q not in state.used_follow_ups), None)
            if general is None:
                return Move(MoveKind.WRAP_UP, note=EARLY, seed=seed)
            if state.phase is Phase.DESIGN:
                state.phase = Phase.DEEP_DIVE
            kind = MoveKind.ACKNOWLEDGE_IDK if idk else MoveKind.PROBE
            return Move(kind, follow_up=general, seed=seed)
        follow_up = next(
            (
                q
                for q in criterion.follow_ups
                if q not in state.used_follow_ups and not self._asks_for_said(state, criterion, q)
            ),
            None,
        )
        if state.phase is Phase.DESIGN and state.answers >= DEEP_DIVE_AFTER:
            state.phase = Phase.DEEP_DIVE
        kind = MoveKind.ACKNOWLEDGE_IDK if idk else MoveKind.PROBE
        heard = _in_their_words(answer, assessment.concepts[0].phrase) if assessment.concepts and not idk else None
        return Move(
            kind,
            criterion_id=criterion.id,
            criterion_title=criterion.title,
            follow_up=follow_up,
            heard=heard,
            seed=seed,
        )

    def _challenge(self, state: InterviewState, assessment: Assessment, seed: int) -> Move | None:
        if state.pending_challenge is not None:
            return None  # one chance to reconsider, then move on
        stated = [(hit, None) for hit in assessment.misconceptions]
        suspected = [(hit, SUSPECTED) for hit in assessment.suspicions]
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
        """Whether a follow-up only asks about concepts the candidate has already named."""
        key = (criterion.id, question)
        if key not in self._asked:  # the rubric's lines do not change: read each once
            self._asked[key] = frozenset(hit.concept for hit in concept_hits(question, [criterion]))
        asked = self._asked[key]
        return bool(asked) and all((criterion.id, concept) in state.said for concept in asked)

    def _next_criterion(self, state: InterviewState, *, stay_on: str | None, avoid: str | None) -> Criterion | None:
        if stay_on:
            current = self.rubric.criterion(stay_on)
            if state.probes.get(stay_on, 0) < MAX_PROBES_PER_CRITERION and self._level(state, current) < STAY_BELOW:
                return current
        candidates = [
            c
            for c in self.rubric.criteria
            if c.id != avoid
            and state.probes.get(c.id, 0) < MAX_PROBES_PER_CRITERION
            and self._level(state, c) < COVERED_AT
        ]
        if not candidates:
            return None
        order = {c.id: i for i, c in enumerate(self.rubric.criteria)}
        # the heaviest criterion not yet covered, probed least, in rubric order
        return min(candidates, key=lambda c: (state.probes.get(c.id, 0), -c.weight, self._level(state, c), order[c.id]))


def _in_their_words(answer: str, phrase: str) -> str:
    """The phrase as the candidate wrote it ("Bedrock", not "bedrock"), when it is there word for word."""
    found = regex.search(rf"\b{regex.escape(phrase)}\b", answer, regex.IGNORECASE)
    return found.group(0) if found else phrase
