"""What a candidate turn says about itself: a question or an answer, "I don't know", hedging, concepts.

Each detector is small and separately tested; the grader combines them.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from rapidfuzz import fuzz

from interviewer.domain import ConceptHit
from interviewer.rubric import Clarification, Criterion, Rubric
from interviewer.scoring.text import (
    STOPWORDS,
    Tokens,
    content_words,
    find_phrase,
    normalise,
    sentences,
    stem,
    tokens,
)

QUESTION_SHARE = 0.5
"""A turn is a clarifying question when its questions hold at least this share of its words."""
CLARIFICATION_FUZZY_MATCH = 88
"""rapidfuzz partial ratio (0-100) at which a long ask phrase counts as asked despite typos."""
MIN_WORDISH_SHARE = 0.6
"""Below this share of pronounceable words, a turn is gibberish."""
GIBBERISH_STOPWORD_SHARE = 0.05
"""Real sentences have connecting words; six or more words with fewer than this share are not prose."""
STUFFED_STOPWORD_SHARE = 0.12
"""Three or more rubric phrases with fewer connecting words than this is a list of terms, not an explanation."""
ECHO_SIMILARITY = 90
"""rapidfuzz token-set ratio at which an answer that adds almost nothing repeats the question."""

_I = r"(?:i|i'm|im|i've|ive|i'd|id)"

IDK_PATTERNS = [
    rf"\b{_I}\s+(?:really |honestly |just |genuinely |simply )?(?:do ?n[o']?t|dont) (?:really |actually )?know\b",
    r"(?:^|[.!?]\s*)(?:honestly,? )?(?:don'?t|dunno) know\b|\bdunno\b",
    r"\bidk\b",
    r"\bno (?:idea|clue)\b",
    r"\b(?:not|never) (?:been )?(?:familiar|worked with|used|touched|dealt with|done)\b",
    r"\bhaven'?t (?:really )?(?:used|worked|done|touched|dealt|seen|come across|had)\b",
    r"\b(?:can'?t|cannot|don'?t|do not) (?:really )?(?:remember|recall)\b",
    r"\b(?:i'?d|i would|i'?ll|i will|i) (?:have|need) to (?:look|check|read|google|research)\b",
    r"\blook (?:it|that|this) up\b",
    r"\b(?:outside|beyond) (?:my|what i)\b",
    r"\bnot (?:something|an area|a topic|a thing) (?:i|that i)\b",
    r"\bnot my (?:area|strength|expertise)\b",
    r"\b(?:i'?m|i am) (?:blanking|drawing a blank)\b",
    r"\bdraw(?:ing)? a blank\b",
    r"\b(?:i'?m|i am) (?:honestly |really |genuinely |just )?not sure\b",
    r"\bno (?:real |hands-on )?experience (?:with|in)\b",
    r"\bnot (?:too |very |that )?(?:sure|confident) (?:about|of|on|how|what|which|whether)\b",
    r"\bunsure\b",
    # "I'd be guessing" owns up to not knowing; "I'm guessing it's 10k QPS" is an estimate
    r"\b(?:i'?d|i would|we'?d|it'?d|it would|that'?d|that would) (?:just |only |really )?be (?:a |just a |pure )?guess(?:ing|work)?\b",
    r"^\s*(?:pass|skip)\W*$",
]
_IDK = [regex.compile(p, regex.IGNORECASE) for p in IDK_PATTERNS]

HEDGE_PATTERNS = [
    rf"\b{_I} (?:think|believe|guess|suppose|reckon|assume|feel like)\b",
    r"\b(?:i'?d|i would) (?:guess|think|say maybe|imagine)\b",
    r"\b(?:don'?t|do not) think\b",
    r"\b(?:probably|maybe|perhaps|possibly|presumably|likely)\b",
    r"\b(?:might|may|could) (?:be|have|need|work|use|give|mean|not)\b",
    r"\bif i (?:remember|recall)\b",
    r"\biirc\b",
    r"\bnot (?:100 ?%|a hundred percent|entirely|totally|completely|fully|quite) (?:sure|certain)\b",
    r"\b(?:i'?m|i am) not (?:sure|certain|positive)\b",
    r"\bi'?m (?:fairly|reasonably|somewhat) (?:sure|confident)\b",
    r"\bif i'?m not mistaken\b",
    r"\bcorrect me if\b",
    r"\bsomething like that\b",
    r"\bi (?:could|might) be wrong\b",
    r"\bmy understanding is\b",
    r"\bas far as i know\b",
    r"\bafaik\b",
    r"\b(?:i'?ve|i have|i) heard\b",  # hearsay: "I've heard SQS delivers exactly once"
    r"\bi (?:read|saw) (?:it )?somewhere\b",
    r"\b(?:apparently|supposedly|allegedly)\b",
    r"\bfrom what i (?:remember|recall|heard|read|know)\b",
]
_HEDGE = [regex.compile(p, regex.IGNORECASE) for p in HEDGE_PATTERNS]

_AUX = r"(?:is|are|was|were|do|does|did|will|would|should|can|could|has|have|happens?)"
_QUESTION_LEAD = regex.compile(
    r"^(?:so,?\s+|and\s+|also,?\s+|ok(?:ay)?,?\s+|first,?\s+|quick question,?\s+)?"
    r"(?:how (?:many|much|big|often|long|fast|large|critical|strict|important)"
    # a question word asks only when a verb comes straight after it ("when is", "which region do"):
    # "when memory runs out, ..." and "what I'd do is ..." are statements
    rf"|(?!which is why\b)(?:what|which|who|when|where|why)(?:'s|'re|\s+{_AUX}\b|\s+(?:kind|sort|type|about|exactly)\b)"
    rf"|(?:what|which)\s+(?!(?:i|we|you|they|he|she|it|that|this)\b)[a-z-]+\s+{_AUX}\b"
    r"|do(?:es)? (?:we|they|you|it|the|users|customers)|is (?:there|it|the|this)|are (?:there|we|the|they)"
    r"|can (?:i|we|you)|could (?:you|i|we)|should (?:i|we)|would (?:it|you|the)|will (?:we|the|it|there)|may i)\b",
    regex.IGNORECASE,
)
_REVEAL = regex.compile(
    r"\b(?:what(?:'s| is) the (?:right |correct |best |expected )?(?:answer|solution)|tell me the (?:answer|solution)"
    r"|what (?:are|were) you looking for|what (?:does|would) the rubric|what(?:'s| is) in the rubric"
    r"|give me the answer|how would you (?:do|design|solve) it)\b",
    regex.IGNORECASE,
)
_INJECTION = regex.compile(
    r"\b(?:ignore|disregard|forget) (?:all |any |the )?(?:previous|prior|above|earlier|your) (?:instructions|rules|prompt)"
    r"|\b(?:mark|grade|score|label|rate) (?:this|my answer|the answer|it|me) (?:as )?(?:correct|full marks|4|perfect|strong hire)\b"
    r"|\b(?:reveal|print|show|repeat|output) (?:me )?(?:your|the) (?:system prompt|instructions|rubric)\b"
    r"|\b(?:dear|hey|attention|note to the) (?:grader|evaluator|model|ai|assistant)\b"
    r"|^\W*(?:you are now|new instructions\s*:|system\s*:)",
    regex.IGNORECASE | regex.MULTILINE,
)
_TALKS_ABOUT = regex.compile(
    r"(?:[\"'\u201c\u2018]|\b(?:like|such as|e\.g\.|say|says|saying|write|writes|type|types|types in|attacker|attackers|"
    r"user|users|someone|malicious|injection|injected|phrases?|strings?|text)\W*)\s*$",
    regex.IGNORECASE,
)

_RETRACT = regex.compile(
    r"\b(?:i was wrong|i'?m wrong|that'?s wrong|that was wrong|i stand corrected|you'?re right|i take (?:that|it) back"
    r"|let me correct|correction\b|scratch that|i misspoke|on (?:second thought|reflection)|i was mistaken"
    r"|i (?:got|had) (?:that|it|them|those) (?:wrong|backwards|mixed up|the wrong way round|reversed|confused)"
    r"|i (?:mixed|muddled) (?:that|it|them|those|these|the two) up|i confused (?:the two|them|those)"
    r"|my (?:mistake|bad)\b|i was confusing|not quite right|actually,? no\b|no,? actually"
    r"|i (?:should|need to) (?:correct|revise)|i'?d (?:correct|revise) that|that'?s not (?:right|correct|true))",
    regex.IGNORECASE,
)
_REAFFIRM = regex.compile(
    r"^\W*(?:yes|yeah|yep|absolutely|definitely|certainly|of course|correct|exactly)\b"
    r"|\b(?:(?:i'?m|i am) (?:very |quite |completely |totally )?(?:sure|certain|confident|positive)|i stand by (?:it|that)|100 ?%|no doubt|without a doubt"
    r"|i'?d stand by|that'?s (?:right|correct|true)|it (?:does|is|will|can),? (?:really|definitely))\b",
    regex.IGNORECASE,
)


def says_idk(text: str) -> bool:
    """Whether the text plainly says the candidate does not know."""
    low = normalise(text)
    return any(p.search(low) for p in _IDK)


def hedge_in(sentence: str) -> bool:
    """Whether a first-person or epistemic hedge governs this sentence.

    "I'm sure it's not X" is not a hedge, and neither is an estimate ("about 10k QPS").
    """
    low = normalise(sentence)
    return any(p.search(low) for p in _HEDGE)


def injection_suspected(text: str) -> bool:
    """Whether the text addresses the grader or the interviewer's instructions instead of answering.

    Talk about prompt injection as a topic ("an attacker may type 'ignore previous instructions'",
    "prompt caching for the fixed system prompt") is an answer, not an attack.
    """
    low = normalise(text)
    return any(not _TALKS_ABOUT.search(low[max(0, m.start() - 40) : m.start()]) for m in _INJECTION.finditer(low))


def retracts(text: str) -> bool:
    """Whether the text withdraws what the candidate said before ("I was wrong", "let me correct that")."""
    return bool(_RETRACT.search(normalise(text)))


def reaffirms(text: str) -> bool:
    """Whether the text stands by what the candidate said before ("Yes, absolutely", "I'm sure")."""
    return bool(_REAFFIRM.search(normalise(text))) and not retracts(text)


def asks_for_the_answer(text: str) -> bool:
    return bool(_REVEAL.search(normalise(text)))


def is_question(sentence: str) -> bool:
    stripped = sentence.strip()
    return stripped.endswith("?") or bool(_QUESTION_LEAD.match(stripped))


def is_clarifying_question(text: str) -> bool:
    """Whether a candidate turn is mainly a question to the interviewer rather than an answer."""
    parts = sentences(text)
    if not parts:
        return False
    asked = [s for s in parts if is_question(s)]
    if not asked or not any("?" in s for s in parts) and len(parts) > 1:
        return False
    asked_words = sum(len(tokens(s)) for s in asked)
    total_words = sum(len(tokens(s)) for s in parts) or 1
    return asked_words / total_words >= QUESTION_SHARE


_GENERIC = frozenset(
    "need know question like would want much many expect expected also really think mean go get".split()
)


def match_clarification(question: str, rubric: Rubric) -> Clarification | None:
    """The rubric fact a clarifying question asks about, or None when it asks about none of them.

    An ask phrase in the question decides; failing that, a close fuzzy match of a phrase, or two
    or more words shared with the fact itself ("does the data have to stay in a region?").
    """
    text = Tokens.of(question)
    low = normalise(question)
    asked = {stem(w) for w in content_words(question)} - _GENERIC
    best: tuple[float, Clarification | None] = (0.0, None)
    for clarification in rubric.clarifications:
        score = 0.0
        for phrase in [*clarification.asks, clarification.about]:
            if find_phrase(phrase, text) is not None:
                score = max(score, 200.0 + len(phrase))
            elif len(phrase) >= 8:
                ratio = fuzz.partial_ratio(normalise(phrase), low)
                score = max(score, 100.0 + ratio if ratio >= CLARIFICATION_FUZZY_MATCH else 0.0)
        fact_words = {
            stem(w) for w in content_words(" ".join([*clarification.asks, clarification.about, clarification.answer]))
        }
        shared = len(asked & fact_words)
        if shared >= 2:
            score = max(score, 50.0 + shared)
        if score > best[0]:
            best = (score, clarification)
    return best[1]


def concept_hits(text: str, criteria: list[Criterion] | tuple[Criterion, ...]) -> list[ConceptHit]:
    """Every concept of the given criteria that the text names (once per concept)."""
    found = Tokens.of(text)
    hits = []
    for criterion in criteria:
        for concept in criterion.concepts:
            for phrase in concept.phrases:
                if find_phrase(phrase, found) is not None:
                    hits.append(ConceptHit(criterion.id, concept.name, phrase))
                    break
    return hits


@dataclass(frozen=True)
class Quality:
    """Guards against inflation: what keeps an answer from earning credit it has not shown."""

    words: int
    empty: bool
    gibberish: bool
    stuffed: bool
    copies_prompt: bool
    foreign: bool = False

    @property
    def no_credit(self) -> bool:
        return self.empty or self.foreign or self.gibberish or self.copies_prompt

    @property
    def reason(self) -> str:
        """Why the answer earns nothing, in the words the report uses."""
        if self.empty:
            return "empty"
        if self.foreign:
            return "not in English, the only language the offline grader reads (a model grader can grade it)"
        if self.gibberish:
            return "not readable as an answer"
        if self.copies_prompt:
            return "repeats the question"
        return "a list of terms without an explanation" if self.stuffed else "no point of the rubric recognised"


_FRAGMENT = regex.compile(r"[,;/|\u2022\u00b7]+|\s+-\s+|\s+and\s+|\s+or\s+")
_NUMBER = regex.compile(r"\d")
BARE_TERMS_SHARE = 2 / 3
"""A sentence of three or more fragments, this share of them bare terms, is a list, not an explanation."""


def _bare_term(fragment: str) -> bool:
    """A fragment that only names something: no connecting word, no number, three words at most."""
    words = tokens(fragment)
    return 0 < len(words) <= 3 and not _NUMBER.search(fragment) and not any(w in STOPWORDS for w in words)


def explains(sentence: str, prompt: str = "") -> bool:
    """Whether a sentence says something (a claim, a reason, a trade-off, a number) rather than naming terms.

    Questions back, "I don't know", a list of terms, and an echo of the interviewer's words explain nothing.
    """
    words = tokens(sentence)
    if len(words) < 2 or is_question(sentence) or says_idk(sentence):
        return False
    fragments = [f for f in _FRAGMENT.split(sentence) if tokens(f)]
    if len(fragments) >= 3 and sum(map(_bare_term, fragments)) >= BARE_TERMS_SHARE * len(fragments):
        return False
    if len(words) > 3 and not _NUMBER.search(sentence) and not any(w in STOPWORDS for w in words):
        return False  # a run of terms with nothing connecting them
    if prompt:
        new_words = set(content_words(sentence)) - set(content_words(prompt))
        if fuzz.token_set_ratio(normalise(sentence), normalise(prompt)) >= ECHO_SIMILARITY and len(new_words) < 3:
            return False
    return True


FOREIGN_SHARE = 0.5
"""An answer with at least this share of words outside the Latin alphabet is in a language the lexicons do not know."""
_WORDISH = regex.compile(r"^[a-z]{1,18}$|^[0-9][0-9a-z]*$")
_VOWEL = regex.compile(r"[aeiouy]")


def quality(text: str, prompt: str = "", phrases_hit: int = 0) -> Quality:
    words = tokens(text)
    if not words:
        return Quality(0, True, False, False, False)
    if sum(1 for w in words if not w.isascii()) >= FOREIGN_SHARE * len(words):
        return Quality(len(words), False, False, False, False, foreign=True)
    wordish = [w for w in words if _WORDISH.match(w) and (w[0].isdigit() or _VOWEL.search(w))]
    known_share = sum(1 for w in words if w in STOPWORDS) / len(words)
    gibberish = len(wordish) / len(words) < MIN_WORDISH_SHARE or (
        len(words) >= 6 and known_share < GIBBERISH_STOPWORD_SHARE and phrases_hit == 0
    )
    # keyword stuffing: a list of terms with almost no connecting words
    stuffed = len(words) >= 6 and known_share < STUFFED_STOPWORD_SHARE and phrases_hit >= 3
    copies = False
    if prompt:
        new_words = set(content_words(text)) - set(content_words(prompt))
        copies = fuzz.token_set_ratio(normalise(text), normalise(prompt)) >= ECHO_SIMILARITY and len(new_words) < 4
    return Quality(len(words), False, gibberish, stuffed, copies)


_QUESTION_PARTS = regex.compile(
    r"(?<=\?)\s+|\s+and\s+(?=(?:what|how|which|who|when|where|is|are|do|does|can)\b)", regex.I
)


def match_clarifications(question: str, rubric: Rubric) -> list[Clarification]:
    """Every rubric fact a clarifying question asks about: a compound question ("How many users? And what is
    the budget?") asks for each of its parts."""
    parts = [part for part in _QUESTION_PARTS.split(question) if part.strip()]
    facts: list[Clarification] = []
    for part in parts if len(parts) > 1 else [question]:
        fact = match_clarification(part, rubric)
        if fact is not None and fact not in facts:
            facts.append(fact)
    if not facts and len(parts) > 1:
        whole = match_clarification(question, rubric)  # the parts alone may be too short to match
        facts = [whole] if whole is not None else []
    return facts
