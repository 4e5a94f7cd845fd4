"""The offline grader: deterministic labels for answers and a full report for a session."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from interviewer.domain import (
    CORRECTED_AFTER_CHALLENGE,
    NOT_VERIFIED,
    STOOD_BY,
    UNANSWERED,
    WITHDREW_CLAIM,
    AnswerLabel,
    Assessment,
    ClarificationAsked,
    ConceptHit,
    Confidence,
    CriterionResult,
    Evidence,
    MisconceptionHit,
    Report,
    StudyItem,
    Turn,
    TurnGrade,
)
from interviewer.rubric import Criterion, Rubric
from interviewer.scoring import signals
from interviewer.scoring.claims import PATTERN_BUDGET, misconceptions_in
from interviewer.scoring.grading import AnswerTarget, probed_criterion, read_transcript
from interviewer.scoring.rules import (
    CORRECTED_LEVEL_CAP,
    HIRE_FLOOR,
    MIN_ANSWERS,
    STRONG_HIRE_FLOOR,
    UNCORRECTED_LEVEL_CAP,
    band,
    level,
    overall,
    points,
    uncovered_heavy_criteria,
)
from interviewer.scoring.text import Tokens, find_phrase, sentences

MIN_EXPLAINED_WORDS = 12
"""An answer shorter than this can name a concept but not explain it, so it is at most partial."""
NO_POINT_RECOGNISED = (
    "no point of the rubric recognised (the offline grader knows the rubric's words only; a right answer in other"
    " words is not penalised, and a model grader can judge it)"
)
"""What the report says of an answer that names nothing of the rubric: not that it is wrong or empty, which
the offline grader cannot know (an off-topic answer and a right one in unforeseen words look alike to it)."""
WHOLE_QUESTION_CONCEPTS = 4
"""An answer to the opening question covers it with this many concepts, spread over two criteria or more."""


class OfflineGrader:
    """Grades with concept phrases, misconception patterns and the "I don't know" and hedge lexicons."""

    name = "offline"

    async def assess(
        self, rubric: Rubric, answer: str, target: AnswerTarget, confidence: Confidence | None = None
    ) -> Assessment:
        return self.grade_answer(
            rubric,
            answer,
            prompt=target.prompt,
            criterion_id=target.criterion_id,
            confidence=confidence,
            challenged=target.challenged,
            only_suspected=target.only_suspected,
        )

    def grade_answer(
        self,
        rubric: Rubric,
        answer: str,
        *,
        prompt: str = "",
        criterion_id: str | None = None,
        confidence: Confidence | None = None,
        challenged: str | None = None,
        only_suspected: bool = False,
    ) -> Assessment:
        """Label one answer relative to what it answers (a criterion, or the whole question).

        A wrong label needs evidence: a listed misconception matched by its pattern, or standing by a
        challenged claim. What only resembles a misconception is a suspicion the interviewer follows up.
        Concepts count only in sentences that explain something, never in a list of terms or an echo.
        """
        target = probed_criterion(rubric, AnswerTarget(prompt, criterion_id))
        target_id = target.id if target else None
        # one pass over the rubric's phrases per sentence: what each names, and whether it explains anything
        named_in = [(signals.concept_hits(s, rubric.criteria), signals.explains(s, prompt)) for s in sentences(answer)]
        concepts = _first_per_concept(hit for hits, explains in named_in if explains for hit in hits)
        named = _first_per_concept(hit for hits, _ in named_in for hit in hits)
        on_target = [h for h in concepts if target is None or h.criterion_id == target.id]
        check = signals.quality(answer, prompt, phrases_hit=len(named))
        injection = signals.injection_suspected(answer)
        notes: list[str] = ["asks the grader to change its rules"] if injection else []
        withdrawn = challenged is not None and signals.retracts(answer)
        idk = signals.says_idk(answer) or withdrawn  # withdrawing a claim owns up to not knowing

        said = misconceptions_in(
            answer, rubric, target, suspicions=not check.no_credit and not check.stuffed and not idk
        )
        found, suspected = said.stated, said.suspected
        if said.cut_short:
            notes.append(
                f"checked in part: the rubric's patterns used their {PATTERN_BUDGET:g} s on this answer before reaching its end"
            )
        if withdrawn:
            found = [hit for hit in found if hit.claim != challenged]
        if check.no_credit or check.stuffed:
            found, suspected = [], []
        stood_by = next((hit for hit in found if hit.claim == challenged), None) if not withdrawn else None
        if challenged and not withdrawn and not found:
            # standing by a matched misconception is wrong; by a mere resemblance, only if it is said again
            recurs = any(hit.claim == challenged for hit in suspected)
            stood_by = self._stood_by(rubric, answer, challenged) if recurs or not only_suspected else None
        if stood_by is not None:
            found = [stood_by]
            suspected = [hit for hit in suspected if hit.claim != challenged]
            notes.append(STOOD_BY)
        for hit in suspected:
            notes.append(f'{NOT_VERIFIED}: "{hit.quote}" resembles the misconception "{hit.claim}"')
        if found:
            stance = "confident" if stood_by else self._stance(answer, found[0], confidence)
            label = AnswerLabel.CONFIDENT_WRONG if stance == "confident" else AnswerLabel.HEDGED_WRONG
        else:
            stance = confidence.value if confidence else ("hedged" if signals.hedge_in(answer) else "plain")
            label = self._label_without_misconception(on_target, concepts, target, check, idk, notes)
            close = {hit.claim for hit in said.close}
            if any(hit.claim in close for hit in suspected) and label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL):
                label = (
                    AnswerLabel.IDK
                )  # close to a listed claim: no credit until a follow-up settles it, and no penalty
            if withdrawn:
                notes.append(
                    CORRECTED_AFTER_CHALLENGE if label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL) else WITHDREW_CLAIM
                )
        return Assessment(
            label,
            points(label, rubric.confidence_target),
            target_id,
            stance,
            tuple(concepts),
            tuple(found),
            idk,
            tuple(notes),
            injection,
            suspicions=tuple(suspected),
        )

    @staticmethod
    def _stood_by(rubric: Rubric, answer: str, claim: str) -> MisconceptionHit | None:
        """The challenged claim, when the answer stands by it ("Yes, absolutely ...") instead of withdrawing it."""
        if not signals.reaffirms(answer):
            return None
        for criterion in rubric.criteria:
            for misconception in criterion.misconceptions:
                if misconception.claim == claim:
                    quote = sentences(answer)[0] if sentences(answer) else answer
                    return MisconceptionHit(criterion.id, claim, misconception.correction, quote, quote)
        return None

    def _label_without_misconception(
        self,
        on_target: Sequence[ConceptHit],
        concepts: Sequence[ConceptHit],
        target: Criterion | None,
        check: signals.Quality,
        idk: bool,
        notes: list[str],
    ) -> AnswerLabel:
        if check.no_credit or check.stuffed:
            notes.append(f"{UNANSWERED}: {check.reason}")
            return AnswerLabel.IDK
        if idk and len(on_target) < 2:
            return AnswerLabel.IDK
        if self._covers(on_target, concepts, target, check, idk):
            return AnswerLabel.CORRECT
        if on_target or len(concepts) >= 2:
            return AnswerLabel.PARTIAL
        if not idk:
            notes.append(f"{UNANSWERED}: {NO_POINT_RECOGNISED}")
        return AnswerLabel.IDK

    @staticmethod
    def _covers(
        on_target: Sequence[ConceptHit],
        concepts: Sequence[ConceptHit],
        target: Criterion | None,
        check: signals.Quality,
        idk: bool,
    ) -> bool:
        if check.stuffed or check.words < MIN_EXPLAINED_WORDS:
            return False
        if target is None:
            return len(concepts) >= WHOLE_QUESTION_CONCEPTS and len({h.criterion_id for h in concepts}) >= 2
        needed = 2 if len(target.concepts) >= 3 else 1
        return len(on_target) >= needed + (1 if idk else 0)

    @staticmethod
    def _stance(answer: str, hit: MisconceptionHit, confidence: Confidence | None) -> str:
        if confidence is not None:
            return "confident" if confidence is Confidence.HIGH else "hedged"
        parts = sentences(answer)
        index = next((i for i, s in enumerate(parts) if hit.sentence in s or s in hit.sentence), 0)
        nearby = parts[max(0, index - 1) : index + 1]
        if len(parts) <= 3:
            nearby.append(parts[0])
        return "hedged" if any(signals.hedge_in(s) for s in nearby) or signals.says_idk(hit.sentence) else "confident"

    # -- a whole session -----------------------------------------------------------------------

    async def report(
        self,
        rubric: Rubric,
        turns: Sequence[Turn],
        assessments: Mapping[int, Assessment],
        *,
        phase_seconds: Mapping[str, float],
        session_id: int | None,
    ) -> Report:
        reading = read_transcript(rubric, turns)
        graded = [(turn, assessments[turn.seq]) for turn, _ in reading.answers]
        return self.build_report(rubric, graded, reading.clarifications, phase_seconds, session_id)

    def build_report(
        self,
        rubric: Rubric,
        graded: Sequence[tuple[Turn, Assessment]],
        clarifications: Sequence[ClarificationAsked],
        phase_seconds: Mapping[str, float],
        session_id: int | None,
        *,
        criteria: tuple[CriterionResult, ...] | None = None,
        grader: str | None = None,
    ) -> Report:
        """Build the report from graded answers (criterion levels computed here unless given)."""
        grades = tuple(
            TurnGrade(
                turn.seq,
                a.label,
                a.points,
                a.criterion_id,
                a.stance,
                tuple(sorted({h.concept for h in a.concepts})),
                tuple(
                    {"criterion_id": m.criterion_id, "claim": m.claim, "quote": m.quote, "correction": m.correction}
                    for m in a.misconceptions
                ),
                a.notes,
                a.grader,
            )
            for turn, a in graded
        )
        counts = {label.value: 0 for label in AnswerLabel}
        for grade in grades:
            counts[grade.label.value] += 1
        criteria = criteria or tuple(self.criterion_result(c, graded) for c in rubric.criteria)
        # a gap is a point the candidate did not know: met honestly with "I don't know", or with a wrong claim
        honest = sum(1 for g in grades if g.honest_idk)
        gaps = honest + counts["hedged_wrong"] + counts["confident_wrong"]
        honesty = honest / gaps if gaps else None
        total = sum(g.points for g in grades)
        answers = [g for g in grades if not g.unanswered]
        uncovered = {fact for c in clarifications if c.before_design for fact in c.facts}
        asked_first = any(c.before_design for c in clarifications)
        notes: list[str] = []
        if not asked_first and graded:
            notes.append("Started designing without asking a clarifying question.")
        # enough evidence: MIN_ANSWERS answers that said something, or fewer that reached every criterion
        sufficient = len(answers) >= MIN_ANSWERS or (bool(answers) and all(r.level > 0 for r in criteria))
        score = band_name = None
        if sufficient:
            weights = sum(c.weight for c in rubric.criteria)
            coverage = sum(c.weight * r.level / 4 for c, r in zip(rubric.criteria, criteria, strict=True)) / weights
            k = rubric.penalty
            accuracy = (total / len(grades) + k) / (1 + k)
            facts = len(rubric.clarifications) or 1
            curiosity = 0.5 * asked_first + 0.5 * min(1.0, len(uncovered) / facts)  # asking, and what it uncovered
            score = overall(coverage, accuracy, curiosity)
            thin = uncovered_heavy_criteria(rubric, criteria)
            if thin and score >= HIRE_FLOOR:
                score = HIRE_FLOOR - 1  # shown whole, so it reads below the floor too
                notes.append(f"A hire needs every heavy criterion covered; not yet: {', '.join(thin)}.")
            stood_by = [g.turn for g in grades if STOOD_BY in g.notes]
            if stood_by and score >= STRONG_HIRE_FLOOR:
                score = STRONG_HIRE_FLOOR - 1
                turns = ", ".join(str(t) for t in stood_by)
                notes.append(f"A strong hire does not stand by a wrong claim once it is questioned (turn {turns}).")
            band_name = band(score)
        else:
            notes.append(
                f"Too little evidence for an overall score: {len(answers)} answer(s); at least {MIN_ANSWERS} are needed."
            )
        if any(a.injection for _, a in graded):
            notes.append("An answer tried to instruct the grader; it was graded as an answer only.")
        return Report(
            session_id=session_id,
            rubric_id=rubric.id,
            grader=grader or self.name,
            sufficient_evidence=sufficient,
            overall=score,
            band=band_name,
            criteria=criteria,
            grades=grades,
            label_counts=counts,
            confidence_total=round(total, 3),
            honesty_rate=honesty,
            clarifications=tuple(clarifications),
            asked_before_design=asked_first,
            phase_seconds=dict(phase_seconds),
            calibration=_calibration(graded),
            study_next=_study_next(rubric, criteria, graded),
            notes=tuple(notes),
        )

    @staticmethod
    def criterion_result(criterion: Criterion, graded: Sequence[tuple[Turn, Assessment]]) -> CriterionResult:
        covered: dict[str, Evidence] = {}
        wrong: list[tuple[int, MisconceptionHit]] = []
        for turn, assessment in graded:
            wrong += [(turn.seq, m) for m in assessment.misconceptions if m.criterion_id == criterion.id]
            if assessment.label not in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL):
                continue
            for concept in assessment.concepts:
                if concept.criterion_id == criterion.id and concept.concept not in covered:
                    covered[concept.concept] = Evidence(turn.seq, _sentence_with(turn.text, concept.phrase))
        shown = level(len(covered), len(criterion.concepts))
        rationale = f"{len(covered)} of {len(criterion.concepts)} concepts shown"
        if wrong:
            last_wrong = max(seq for seq, _ in wrong)
            # standing by a claim once it was questioned is not undone by a later right answer on another point
            # of the criterion: only withdrawing it is
            stood_by = any(
                STOOD_BY in a.notes and any(m.criterion_id == criterion.id for m in a.misconceptions) for _, a in graded
            )
            corrected = any(
                t.seq > last_wrong
                and a.criterion_id == criterion.id
                and a.label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL)
                and (not stood_by or any(n in a.notes for n in (CORRECTED_AFTER_CHALLENGE, WITHDREW_CLAIM)))
                for t, a in graded
            )
            shown = min(shown, CORRECTED_LEVEL_CAP if corrected else UNCORRECTED_LEVEL_CAP)
            rationale += "; a misconception was stated" + (" and then corrected" if corrected else "")
        evidence = list(
            dict.fromkeys([*list(covered.values())[:3], *(Evidence(seq, hit.sentence) for seq, hit in wrong[:2])])
        )
        return CriterionResult(criterion.id, criterion.title, min(shown, 4), tuple(evidence), rationale=rationale)


def _first_per_concept(hits: Iterable[ConceptHit]) -> list[ConceptHit]:
    """Each concept once, where it is first named."""
    seen: dict[tuple[str, str], ConceptHit] = {}
    for hit in hits:
        seen.setdefault((hit.criterion_id, hit.concept), hit)
    return list(seen.values())


def _sentence_with(text: str, phrase: str) -> str:
    """The sentence of text that names phrase, quoted verbatim."""
    for sentence in sentences(text):
        if find_phrase(phrase, Tokens.of(sentence)) is not None:
            return sentence
    return sentences(text)[0] if sentences(text) else text


def _calibration(graded: Sequence[tuple[Turn, Assessment]]) -> dict[str, float | int | None] | None:
    stated = [(t.confidence, a.label) for t, a in graded if t.confidence is not None]
    if not stated:
        return None
    outcome = {AnswerLabel.CORRECT: 1.0, AnswerLabel.PARTIAL: 0.5}
    brier = sum((c.probability - outcome.get(label, 0.0)) ** 2 for c, label in stated) / len(stated)
    high = [label for c, label in stated if c is Confidence.HIGH]
    return {
        "answers": len(stated),
        "brier": round(brier, 3),
        "high_confidence": len(high),
        "high_confidence_wrong_share": round(sum(1 for label in high if label.is_wrong) / len(high), 3)
        if high
        else None,
    }


def _study_next(
    rubric: Rubric, results: Sequence[CriterionResult], graded: Sequence[tuple[Turn, Assessment]]
) -> tuple[StudyItem, ...]:
    items = []
    weights = {c.id: c.weight for c in rubric.criteria}
    for result in sorted(results, key=lambda r: (r.level, -weights[r.criterion_id])):
        if result.level > 2:
            continue
        criterion = rubric.criterion(result.criterion_id)
        shown = {
            h.concept for _, a in graded for h in a.concepts if a.label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL)
        }
        missed = [c.name for c in criterion.concepts if c.name not in shown]
        wrong = [(t.seq, m) for t, a in graded for m in a.misconceptions if m.criterion_id == criterion.id]
        if wrong:
            seq, hit = wrong[0]
            withdrawn = any(
                t.seq > seq
                and a.criterion_id == criterion.id
                and (CORRECTED_AFTER_CHALLENGE in a.notes or WITHDREW_CLAIM in a.notes)
                for t, a in graded
            )
            said = "and took it back when asked" if withdrawn else "but in fact"
            why = f'You said "{hit.sentence}", {said}: {hit.correction}'
        else:
            why = "Not yet shown: " + ", ".join(missed[:4]) + "."

        items.append(StudyItem(criterion.id, criterion.title, result.level, rubric.topic, why))
    return tuple(items[:4])
