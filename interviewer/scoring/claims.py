"""Finding misconceptions in candidate text: patterns find sentences, negation decides.

A rubric pattern like ``nlb.{0,30}rout\\w* on path`` also matches "an NLB does not route on
paths", which is the correction, not the misconception. A match counts only when no negation
word governs it: none in the few words before it, and none inside it unless the pattern itself
spells one (a claim may be negative: "security groups are not stateful").
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz

from interviewer.domain import MisconceptionHit
from interviewer.rubric import Criterion, Rubric
from interviewer.rubric.patterns import search
from interviewer.scoring.text import canonical, content_words, fold_quotes, normalise, sentences, stem

_NEGATION = regex.compile(
    r"\b(?:not|no|never|none|nothing|neither|nor|without|cannot|can't|won't|isn't|aren't|wasn't|weren't|"
    r"doesn't|don't|didn't|shouldn't|wouldn't|couldn't|hasn't|haven't|hadn't|mustn't|nobody)\b|n't\b",
    regex.IGNORECASE,
)
_WINDOW_WORDS = 6
_REGEX_ESCAPE = regex.compile(r"\\[bBsSwWdDAZ]")  # "\bno need" spells "no" as a word of the pattern
_LOOKAROUND_NOT = regex.compile(r"\(\?<?!(?:[^()]|\([^()]*\))*\)")  # "(?!not)" excludes a negation, claims none


def negation_count(text: str) -> int:
    """How many negation words the text has (its parity tells a claim from its denial)."""
    return len(_NEGATION.findall(fold_quotes(text).lower()))


_DENIAL_LEAD = regex.compile(
    r"(?:\b(?:not|n't|never)\s+(?:\w+\s+)?(?:true|the case|correct|right|accurate|so)"
    r"|\b(?:do|does|did)\s*(?:not|n't)\s+(?:\w+\s+)?(?:think|believe|mean|say|claim|agree)"
    r"|\bdon't\s+(?:\w+\s+)?(?:think|believe)|\bmyth|\bmisconception|\bwrong to (?:say|think)"
    r"|\bno longer)\W+(?:\w+\W+){0,3}$",
    regex.IGNORECASE,
)


_DENIED_SENTENCE = regex.compile(
    r"^\W*(?:(?:it|that|this)(?:'s| is| was)\s+(?:not|n't|never)\b|(?:it|that|this) isn't\b|(?:i\s+)?(?:don't|do not)"
    r"\s+(?:think|believe|agree)\b|no,|nope\b|(?:that's|that is|it's) (?:a myth|wrong|false|incorrect)\b)",
    regex.IGNORECASE,
)


_DISTANCED_LEAD = regex.compile(
    # the speaker reports a belief as mistaken, theirs in the past or someone else's: not the speaker's claim
    r"\b(?:wrongly|mistakenly|incorrectly|naively|falsely)\s+(?:\w+\s+)?(?:think|thinks|thought|assume[sd]?|believe[sd]?"
    r"|say|says|said|claim[s]?|expect[s]?)\b"
    r"|\bused to (?:think|believe|assume)\b|\b(?:i|we) (?:once|originally|first) (?:thought|assumed|believed)\b"
    r"|\b(?:if|whoever|anyone who) (?:you |we |they |anyone |someone )?(?:believes?|thinks?|assumes?)\b"
    r"|\b(?:rather than|instead of) (?:assuming|thinking|believing)\b|\b(?:don'?t|do not|never) (?:just )?(?:assume|think|believe)\b"
    r"|\b(?:wrong|a mistake|an error|naive|dangerous|misleading) to (?:say|think|assume|believe|claim)\b"
    r"|\b(?:it|that)(?:'s| is| was)(?: not|n't) (?:true|the case|correct|right) that\b|\bit isn't (?:true|the case) that\b"
    r"|\b(?:myth|misconception|mistake|fallacy|trap|pitfall|misunderstanding|misbelief)s?\b(?:\s+\w+){0,3}?\s+"
    r"(?:is|was|are|being)?\s*(?:that|believing|thinking|assuming|to (?:think|believe|assume))\b",
    regex.IGNORECASE,
)
_ATTRIBUTED_LEAD = regex.compile(
    r"\b(?:people|many|some|most|teams|engineers|folks|others|developers|candidates|juniors|beginners|everyone|they"
    r"|a lot of \w+|lots of \w+)\s+(?:\w+\s+)?(?:think|believe|assume|say|claim|expect|imagine)\b"
    r"|\b(?:it'?s|it is) (?:often|commonly|widely|sometimes) (?:said|believed|assumed|thought)\b",
    regex.IGNORECASE,
)
_REJECTED_AFTER = regex.compile(
    r"\b(?:but|however|whereas|yet)\b|\bin (?:reality|fact|practice)\b|\bactually\b"
    r"|\b(?:which|that|this|it)(?:'s| is| was)\s+(?:wrong|false|a myth|not true|incorrect|not the case|a misconception)\b",
    regex.IGNORECASE,
)
_REJECTED_NEXT = regex.compile(r"^\W*(?:but|however|in (?:reality|fact|practice)|actually)\b", regex.IGNORECASE)
_DENIED_AFTER = regex.compile(
    r"^[^.;]*?\b(?:but|and|which|though)\s+(?:that|this|it|which)?(?:'s|\s*is|\s*was|\s*are)\s+"
    r"(?:(?:simply|just|plainly|completely|totally)\s+)?(?:wrong|false|a myth|not true|incorrect|not the case|a misconception"
    r"|a mistake|untrue|mistaken)\b",
    regex.IGNORECASE,
)
_DENIAL_SENTENCE = regex.compile(
    r"^\W*(?:(?:but\s+)?(?:that|this|it)(?:'s| is| was)\s+(?:(?:simply|just|completely|totally)\s+)?(?:wrong|false|a myth"
    r"|not true|incorrect|not the case|a misconception|untrue|mistaken|not right|not correct)\b|(?:wrong|not true|false)\W*$)",
    regex.IGNORECASE,
)


def distanced(sentence: str, start: int, end: int, following: str = "") -> bool:
    """Whether the speaker holds the text sentence[start:end] at a distance: a question ("Is it true that X?"), a
    belief they call mistaken ("a common myth is that", "I used to think", "teams wrongly assume", "don't
    assume", "it would be wrong to say"), one they give to others and then reject ("people assume X, but ..."),
    or one denied after it ("X, but that's wrong"; "X. That's a myth.")."""
    if sentence.rstrip().endswith("?"):
        return True  # "Is it true that X? No, ...": a question asks, it does not claim
    lead = fold_quotes(sentence[:end])  # up to the match's end: a pattern anchored at "^" swallows the lead
    tail = fold_quotes(sentence[end:])
    if _DISTANCED_LEAD.search(lead) or _DENIED_AFTER.search(tail) or _DENIAL_SENTENCE.search(fold_quotes(following)):
        return True
    rejected = _REJECTED_AFTER.search(tail) or _REJECTED_NEXT.match(fold_quotes(following))
    return bool(_ATTRIBUTED_LEAD.search(lead) and rejected)


def sentence_distanced(sentence: str, following: str = "") -> bool:
    """Whether a whole sentence reports a belief at a distance (see ``distanced``): for the resemblance checks,
    which compare whole sentences with a claim."""
    return distanced(sentence, len(sentence), len(sentence), following) or bool(
        _DENIED_AFTER.search(fold_quotes(sentence))
        or (_ATTRIBUTED_LEAD.search(fold_quotes(sentence)) and _REJECTED_AFTER.search(fold_quotes(sentence)))
    )


_WOULD = regex.compile(r"(?<!\b(?:i|we)\s)\bwould\b", regex.IGNORECASE)  # a consequence, not "I would" (a proposal)
_OTHERWISE = regex.compile(r"\b(?:otherwise|or else)\b", regex.IGNORECASE)


def is_negated(sentence: str, start: int, end: int, pattern: str) -> bool:
    """Whether the match sentence[start:end] of pattern is negated in its sentence.

    A clause that denies what follows ("it's not true that", "I don't think") always negates. For a
    positive claim, so does a negation word inside the match or in the ``_WINDOW_WORDS`` words before it in the
    same clause; for a claim that is itself negative ("X has no transactions"), only a denial does.
    """
    lead = fold_quotes(sentence[:start])
    span = fold_quotes(sentence[start:end])
    if _DENIED_SENTENCE.search(lead):
        return True  # "It is not true that if a DataNode dies, ..." denies the whole sentence
    if _WOULD.search(" ".join(lead.split()[-3:]) + " " + span) and (_OTHERWISE.search(lead) or _NEGATION.search(lead)):
        return True  # "They can't each keep a count, so each pod would allow the full limit": what would go wrong
    clause = regex.split(r"[,;:()]|\s(?:but|and|so|because|although|though|whereas|if)\s", lead)[-1]
    if _DENIAL_LEAD.search(clause + " "):
        return True
    if _NEGATION.search(_REGEX_ESCAPE.sub(" ", _LOOKAROUND_NOT.sub(" ", pattern))) and _NEGATION.search(span):
        return False  # a negative claim ("X has no transactions"): its own negation is the claim
    return bool(_NEGATION.search(" ".join(clause.split()[-_WINDOW_WORDS:])) or _NEGATION.search(span))


PATTERN_BUDGET = 1.0
"""Seconds all of a rubric's patterns may spend on one answer; past it, the rest is not searched (and the
grade says so), so no rubric can stall an interview however its patterns backtrack."""


def find_misconceptions(text: str, rubric: Rubric) -> list[MisconceptionHit]:
    """Every misconception of the rubric stated (not negated) somewhere in text, once per claim."""
    return _search_misconceptions(text, rubric)[0]


def _search_misconceptions(text: str, rubric: Rubric) -> tuple[list[MisconceptionHit], bool]:
    """The misconceptions stated, and whether the search was cut short by its time budget."""
    hits: list[MisconceptionHit] = []
    seen: set[str] = set()
    deadline = time.monotonic() + PATTERN_BUDGET
    parts = sentences(text)
    for sentence, following in zip(parts, [*parts[1:], ""][: len(parts)], strict=True):
        for criterion in rubric.criteria:
            for misconception in criterion.misconceptions:
                if misconception.claim in seen:
                    continue
                if time.monotonic() > deadline:
                    return hits, True
                for pattern in misconception.match:
                    found = search(pattern, sentence)
                    if (
                        found
                        and not is_negated(sentence, found.start(), found.end(), pattern)
                        and not distanced(sentence, found.start(), found.end(), following)
                    ):
                        seen.add(misconception.claim)
                        hits.append(
                            MisconceptionHit(
                                criterion.id, misconception.claim, misconception.correction, sentence, found.group(0)
                            )
                        )
                        break
    return hits, False


RESTATED_CLAIM = 0.35
"""Share of a claim's content words one or two adjacent sentences must use to restate it."""
RESTATED_MARGIN = 0.15
"""How much more of the claim's wording than of its correction's the answer must use."""
CLOSE_RESTATEMENT = 0.55
"""Share of a claim's content words at which a restatement is close: like a paraphrase, it earns no credit
until a follow-up settles it (and still costs no points)."""
CLOSE_AGAINST = 0.4
"""A close restatement also uses less than this share of the correction's words (a right answer echoes it)."""
CLOSE_DISTINCT = 0.5
"""... and at least this share of the claim's own words: those that are not the criterion's concept phrases
(in "Data drift and concept drift are the same thing", "same thing"), since a right answer names the concepts too."""
_DENIAL_WORDS = 5
_WORD = regex.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Restatement:
    hit: MisconceptionHit
    share: float
    """The share of the claim's content words the sentences use."""
    against: float
    """The share of the correction's content words the whole answer uses."""
    distinct: float
    """The share of the claim's words that are not the criterion's concept phrases the sentences use."""

    @property
    def close(self) -> bool:
        return self.share >= CLOSE_RESTATEMENT and self.against < CLOSE_AGAINST and self.distinct >= CLOSE_DISTINCT


def restated_misconceptions(text: str, criterion: Criterion) -> list[Restatement]:
    """The probed criterion's misconceptions restated in the candidate's own words, which no pattern anticipated.

    A pattern only finds the wording its author foresaw. Here a claim counts as restated when one or
    two adjacent sentences use at least ``RESTATED_CLAIM`` of its content words, ``RESTATED_MARGIN``
    more of them than the answer as a whole uses of the correction's, and no negation stands in the
    ``_DENIAL_WORDS`` words before a claim word ("RAID isn't a backup" denies "RAID is a backup").
    Words are compared by stem and through the thesaurus in synonyms.toml ("mean" is "average",
    "rewrap" is "re-encrypt"). Only the criterion the answer is about is searched: its
    misconceptions are the ones a candidate is likely to state.
    """
    parts = sentences(text)
    part_stems = [_stems(part) for part in parts]
    answer_stems = [s for stems in part_stems for s in stems]
    hits = []
    topic = _concept_stems(criterion)
    for misconception in criterion.misconceptions:
        if not _names_the_same(misconception.claim, text):
            continue
        claim = _stem_set(misconception.claim)
        own = frozenset(w for w in claim if not any(_same_word(w, t) for t in topic))
        against = _coverage(_stem_set(misconception.correction), answer_stems)
        negative_claim = negation_count(misconception.claim) > 0
        for start in range(max(1, len(parts) - 1)):
            window = range(start, min(start + 2, len(parts)))
            share = _coverage(claim, [s for i in window for s in part_stems[i]])
            if share < RESTATED_CLAIM or share - against < RESTATED_MARGIN:
                continue
            if not negative_claim and any(_denies(parts[i], claim) for i in window):
                continue
            if any(sentence_distanced(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in window):
                continue  # "a common myth is that ...": the candidate reports the claim to reject it
            quote = parts[max(window, key=lambda i: _coverage(claim, part_stems[i]))]
            hit = MisconceptionHit(criterion.id, misconception.claim, misconception.correction, quote, quote)
            hits.append(Restatement(hit, share, against, _coverage(own, [s for i in window for s in part_stems[i]])))
            break
    return hits


def _concept_stems(criterion: Criterion) -> frozenset[str]:
    """The stems of a criterion's concept names and phrases: what right and wrong answers alike name."""
    return frozenset(
        s for concept in criterion.concepts for text in (concept.name, *concept.phrases) for s in _stem_set(text)
    )


def _stems(text: str) -> list[str]:
    """Content words as thesaurus stems."""
    return [canonical(stem(word)) for word in content_words(text)]


@functools.lru_cache(maxsize=4096)
def _stem_set(rubric_text: str) -> frozenset[str]:
    """A claim's or correction's stems, worked out once per rubric line."""
    return frozenset(_stems(rubric_text))


def _same_word(wanted: str, word: str) -> bool:
    return (
        wanted == word or (len(wanted) >= 5 and word.startswith(wanted)) or (len(word) >= 5 and wanted.startswith(word))
    )


def _coverage(wanted: frozenset[str], words: list[str]) -> float:
    """The share of wanted stems that some word stands for."""
    if not wanted:
        return 0.0
    return sum(1 for w in wanted if any(_same_word(w, word) for word in words)) / len(wanted)


def _denies(sentence: str, claim: frozenset[str]) -> bool:
    """Whether a negation stands just before one of the claim's words in sentence."""
    words = _WORD.findall(fold_quotes(sentence).lower())
    for i, word in enumerate(words):
        if any(_same_word(c, canonical(stem(word))) for c in claim):
            if any(_NEGATION.fullmatch(w) or w.endswith("n't") for w in words[max(0, i - _DENIAL_WORDS) : i]):
                return True
    return False


PARAPHRASE_SIMILARITY = 82
"""rapidfuzz token-set ratio (0-100) of a sentence to a claim at which the claim may be paraphrased."""
PARAPHRASE_MARGIN = 12
"""How much closer to the claim than to its correction a paraphrase must be."""
_CONTRAST = regex.compile(r"\b(?:rather than|instead of|unlike|versus|vs\.?|differs?|different from|not the same)\b")


def paraphrased_misconceptions(text: str, rubric: Rubric, found: Sequence[MisconceptionHit]) -> list[MisconceptionHit]:
    """Misconceptions said in other words than the patterns expect: close to the claim, far from its correction."""
    known = {hit.claim for hit in found}
    hits = []
    parts = sentences(text)
    for sentence, following in zip(parts, [*parts[1:], ""][: len(parts)], strict=True):
        words = " ".join(content_words(sentence))
        if len(words.split()) < 3 or _CONTRAST.search(normalise(sentence)):
            continue  # "X rather than Y" draws the distinction a claim like "X and Y are the same" misses
        if sentence_distanced(sentence, following):
            continue
        for criterion in rubric.criteria:
            for misconception in criterion.misconceptions:
                if misconception.claim in known or not _names_the_same(misconception.claim, sentence):
                    continue
                claim = " ".join(content_words(misconception.claim))
                to_claim = fuzz.token_set_ratio(words, claim)
                to_correction = fuzz.token_set_ratio(words, " ".join(content_words(misconception.correction)))
                same_polarity = (negation_count(sentence) % 2) == (negation_count(misconception.claim) % 2)
                if (
                    to_claim >= PARAPHRASE_SIMILARITY
                    and to_claim - to_correction >= PARAPHRASE_MARGIN
                    and same_polarity
                ):
                    known.add(misconception.claim)
                    hits.append(
                        MisconceptionHit(
                            criterion.id, misconception.claim, misconception.correction, sentence, sentence
                        )
                    )
    return hits


@dataclass(frozen=True)
class Misconceptions:
    """What an answer says of the rubric's misconceptions, by how sure the offline grader can be."""

    stated: list[MisconceptionHit]
    """Matched by a listed pattern, not negated: evidence."""
    close: list[MisconceptionHit]
    """Close to a claim's wording and far from its correction (a paraphrase, or a close restatement): a strong
    suspicion, worth no credit until a follow-up settles it, and no penalty."""
    restated: list[MisconceptionHit]
    """Many of a claim's words in one or two sentences: a weak suspicion the interviewer follows up."""
    cut_short: bool = False
    """The patterns ran out of their time budget before the whole answer was searched."""

    @property
    def suspected(self) -> list[MisconceptionHit]:
        return [*self.close, *self.restated]


def misconceptions_in(text: str, rubric: Rubric, probed: Criterion | None, *, suspicions: bool) -> Misconceptions:
    """The misconceptions the text states, and those it only resembles.

    A listed misconception matched by one of its patterns (and not negated) is evidence. A close
    paraphrase of a claim, or the probed criterion's claim restated in other words, is only a
    suspicion: the interviewer follows it up, and it costs no points unless the candidate stands by
    it when challenged.
    """
    stated, cut_short = _search_misconceptions(text, rubric)
    if not suspicions:
        return Misconceptions(stated, [], [], cut_short)
    paraphrased = paraphrased_misconceptions(text, rubric, stated)
    restated = restated_misconceptions(text, probed) if not stated and not paraphrased and probed else []
    close = [*paraphrased, *(r.hit for r in restated if r.close)]
    return Misconceptions(stated, close, [r.hit for r in restated if not r.close], cut_short)


_ACRONYM = regex.compile(r"\b[A-Z][A-Z0-9]{1,7}s?\b")


def _names_the_same(claim: str, text: str) -> bool:
    """Whether text names every acronym the claim does: "RTO is how long..." does not restate a claim about RPO."""
    named = {word.lower().rstrip("s") for word in _ACRONYM.findall(text)} | set(content_words(text))
    return all(word.lower().rstrip("s") in named for word in _ACRONYM.findall(claim))
