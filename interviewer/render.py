"""Sessions and reports as text, Markdown and JSON, for the terminal, exports and other tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from interviewer.domain import AnswerLabel, Phase, Report, ReviewNote, Role, SessionRecord, Turn, TurnGrade, TurnKind
from interviewer.rubric import Rubric
from interviewer.safe import markdown_escape, terminal_safe
from interviewer.views import SessionView

LABEL_TEXT = {
    AnswerLabel.CORRECT: "correct",
    AnswerLabel.PARTIAL: "partial",
    AnswerLabel.IDK: "I don't know",
    AnswerLabel.HEDGED_WRONG: "hedged wrong",
    AnswerLabel.CONFIDENT_WRONG: "confident wrong",
}


def mm_ss(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


def report_json(report: Report, session: SessionRecord | None = None) -> dict[str, Any]:
    """The report as plain JSON data; the keys the command line promises come first."""
    data: dict[str, Any] = {
        "session_id": report.session_id,
        "rubric": report.rubric_id,
        "overall": report.overall,
        "band": report.band,
        "labels": dict(report.label_counts),
        "answer_counts": report.answer_counts,
        "criteria": {c.criterion_id: c.level for c in report.criteria},
        "clarifications_asked": len(report.clarifications),
        "sufficient_evidence": report.sufficient_evidence,
        "grader": report.grader,
        "confidence_total": report.confidence_total,
        "honesty_rate": report.honesty_rate,
        "asked_before_design": report.asked_before_design,
        "clarifications": [asdict(c) for c in report.clarifications],
        "criteria_detail": [
            {
                "id": c.criterion_id,
                "title": c.title,
                "level": c.level,
                "rationale": c.rationale,
                "flagged": c.flagged,
                "evidence": [asdict(e) for e in c.evidence],
            }
            for c in report.criteria
        ],
        "answers": [_grade_json(g) for g in report.grades],
        "phase_seconds": dict(report.phase_seconds),
        "calibration": report.calibration,
        "study_next": [asdict(s) for s in report.study_next],
        "notes": list(report.notes),
    }
    if session is not None:
        data["status"] = session.status.value
        data["minutes"] = session.minutes
        data["elapsed_seconds"] = round(session.elapsed_seconds, 1)
        data["persona"] = session.persona.value
    return data


def _grade_json(grade: TurnGrade) -> dict[str, Any]:
    data = asdict(grade)
    data["label"] = grade.label.value
    data["points"] = round(grade.points, 3)
    return data


def session_json(
    session: SessionRecord, turns: Sequence[Turn], report: Report | None, reviews: Sequence[ReviewNote] = ()
) -> dict[str, Any]:
    return {
        "session_id": session.id,
        "rubric": session.rubric_id,
        "rubric_version": session.rubric_version,
        "title": session.rubric_title,
        "status": session.status.value,
        "timed": session.timed,
        "minutes": session.minutes,
        "provider": session.provider,
        "model": session.model,
        "started_at": session.started_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        "elapsed_seconds": round(session.elapsed_seconds, 1),
        "turns": [
            {
                "seq": t.seq,
                "role": t.role.value,
                "kind": t.kind.value,
                "text": t.text,
                "phase": t.phase.value,
                "at_seconds": round(t.at_seconds, 1),
                "confidence": t.confidence.value if t.confidence else None,
                "fallback": t.fallback,
                "cut": t.cut,
            }
            for t in turns
        ],
        "report": report_json(report, session) if report else None,
        "user": session.user or None,
        "reviews": [
            {"turn": n.turn, "text": n.text, "reviewer": n.reviewer, "at": n.at.isoformat() if n.at else None}
            for n in reviews
        ],
    }


def _overall_line(report: Report) -> str:
    if not report.sufficient_evidence or report.overall is None:
        return "Overall: not scored (too little evidence)"
    return f"Overall: {report.overall:.0f}/100, {report.band}"


def grade_text(grade: TurnGrade) -> str:
    """An answer's label as the report says it: an idk that made no point, or is unverified, says so."""
    if grade.unanswered:
        return "unanswered"
    if grade.unverified:
        return "not verified"
    return LABEL_TEXT[grade.label]


_COUNT_TEXT = {
    **{label.value: LABEL_TEXT[label] for label in (AnswerLabel.CORRECT, AnswerLabel.PARTIAL, AnswerLabel.IDK)},
    "unanswered": "unanswered",
    "not_verified": "not verified",
    **{label.value: LABEL_TEXT[label] for label in (AnswerLabel.HEDGED_WRONG, AnswerLabel.CONFIDENT_WRONG)},
}


def _labels_line(report: Report, rubric: Rubric) -> str:
    answers = report.answer_counts
    counts = ", ".join(
        f"{answers[key]} {text}"
        for key, text in _COUNT_TEXT.items()
        if answers[key] or key not in ("unanswered", "not_verified")
    )
    t = rubric.confidence_target
    return (
        f"Answers: {counts} (points {report.confidence_total:+.2f}: correct +1, partial +0.5, "
        f"\"I don't know\" 0, confident wrong -{t / (1 - t):.3g} at this rubric's confidence target t = {t})"
    )


def interviewer_line(session: SessionRecord) -> str:
    """Who interviewed: the persona and the model that voiced it."""
    voice = (
        "the built-in offline interviewer" if session.provider == "offline" else f"{session.provider} {session.model}"
    )
    return f"Interviewer persona: {session.persona.described}; voiced by {voice}"


def _grader_line(report: Report) -> str:
    if report.grader == "offline":
        return (
            "Graded by: the built-in offline grader (provisional: it reads words, not meaning; "
            "a configured model re-grades with `interviewer grade ID --grader llm`)"
        )
    return f"Graded by: {report.grader.removeprefix('llm:')}, with the offline grader where the model gave no grade"


def _honesty_line(report: Report) -> str:
    answers = report.answer_counts
    gaps = answers["idk"] + answers["hedged_wrong"] + answers["confident_wrong"]
    if not gaps:
        return "Honesty: no gaps showed; nothing was bluffed"
    honest = answers["idk"]
    return f'Honesty: {honest} of {gaps} gaps met with an honest "I don\'t know" ({100 * honest / gaps:.0f}%)'


def strong_answers(report: Report, rubric: Rubric) -> list[tuple[str, str, list[str]]]:
    """After the attempt, the model answer: for each criterion below level 3 or met with "I don't know",
    what a level-4 answer covers (its level description and concepts) and the corrections to know."""
    levels = {result.criterion_id: result.level for result in report.criteria}
    unknown = {grade.criterion_id for grade in report.grades if grade.honest_idk}
    shown = []
    for criterion in rubric.criteria:
        if levels.get(criterion.id, 0) >= 3 and criterion.id not in unknown:
            continue
        top = criterion.levels.get(4, "").rstrip(".")
        if top.lower().startswith("all of level 3"):  # level 4 often builds on level 3: say both
            rest = top.split(",", 1)[1].strip() if "," in top else top
            top = f"{criterion.levels.get(3, '').rstrip('.')}. Beyond that, {rest.removeprefix('plus ')}"
        concepts = ", ".join(concept.name for concept in criterion.concepts)
        covers = f"{top}. Concepts: {concepts}." if top else f"Concepts: {concepts}."
        shown.append((criterion.title, covers, [m.correction for m in criterion.misconceptions][:2]))
    return shown


def report_lines(
    report: Report, rubric: Rubric, *, markdown: bool = False, session: SessionRecord | None = None
) -> list[str]:
    """The report as lines of text (or Markdown); with the session, who interviewed is said too."""
    bullet = "- " if markdown else "  "
    head = "### " if markdown else ""
    point = "- " if markdown else ""
    reviewed = sum(1 for grade in report.grades if grade.reviewed)
    lines = [
        point + _overall_line(report),
        *([point + interviewer_line(session)] if session is not None else []),
        point + _grader_line(report) + (f"; {reviewed} answer label(s) set by a reviewer" if reviewed else ""),
        point + _labels_line(report, rubric),
        point + _honesty_line(report),
    ]
    if report.calibration:
        cal = report.calibration
        wrong = cal.get("high_confidence_wrong_share")
        lines.append(
            f"{point}Calibration: Brier score {cal['brier']:.3f} (how far stated confidence was from being right: "
            f"0 is perfect, 0.25 is guessing) over {cal['answers']} answer(s) with stated confidence"
            + (f"; {100 * wrong:.0f}% of high-confidence answers were wrong" if wrong is not None else "")
        )
    before = sum(1 for c in report.clarifications if c.before_design)
    facts = sorted({fact for c in report.clarifications for fact in c.facts})
    lines.append(
        f"{point}Clarifying questions: {len(report.clarifications)} ({before} before designing)"
        + (f"; facts uncovered: {', '.join(facts)}" if facts else "")
    )
    lines += ["", f"{head}Criteria"]
    for result in report.criteria:
        lines.append(f"{bullet}[{result.level}/4] {result.title}" + (" (flagged for review)" if result.flagged else ""))
        for evidence in result.evidence[:2]:
            quote = markdown_escape(_short(evidence.quote)) if markdown else terminal_safe(_short(evidence.quote))
            lines.append(("  - " if markdown else "      ") + f'turn {evidence.turn}: "{quote}"')
    spent = [f"{Phase(p).heading.lower()} {mm_ss(s)}" for p, s in report.phase_seconds.items() if s >= 1]
    if spent:
        lines += ["", f"{point}Time per phase: " + ", ".join(spent)]
    if report.study_next:
        lines += ["", f"{head}Study next"]
        lines += [f"{bullet}{item.title} ({item.topic}): {item.why}" for item in report.study_next]
    strong = strong_answers(report, rubric)
    if strong:
        lines += ["", f"{head}What a strong answer covers"]
        for criterion, covers, watch in strong:
            lines.append(f"{bullet}{criterion}: {covers}")
            lines += [("  - " if markdown else "      ") + f"Watch out: {correction}" for correction in watch]
    if report.notes:
        lines += ["", *(f"{point}Note: {note}" for note in report.notes)]
    return [terminal_safe(line) for line in lines]


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def review_line(note: ReviewNote) -> str:
    """A review note as one line of Markdown: who, when, and the note (escaped: it is someone's text)."""
    when = f" on {note.at:%Y-%m-%d %H:%M}" if note.at else ""
    return f"*Review by {markdown_escape(note.reviewer)}{when}:* {markdown_escape(note.text)}"


def session_markdown(
    session: SessionRecord,
    turns: Sequence[Turn],
    report: Report | None,
    rubric: Rubric,
    reviews: Sequence[ReviewNote] = (),
) -> str:
    """A transcript with its scores and reviewers' notes that reads well on its own."""
    grades = {g.turn: g for g in report.grades} if report else {}
    out = [
        f"# {session.rubric_title}",
        "",
        f"Session {session.id} · rubric `{session.rubric_id}` v{session.rubric_version} · "
        f"{session.started_at:%Y-%m-%d %H:%M} UTC · {mm_ss(session.elapsed_seconds)} of {session.minutes}:00 "
        f"{'timed' if session.timed else 'untimed'} · {session.status.value} · interviewer: {session.provider}, "
        f"{session.persona.value}",
        "",
        "## Question",
        "",
        rubric.question.strip(),
        "",
    ]
    if report is not None:
        out += ["## Report", "", *report_lines(report, rubric, markdown=True, session=session), ""]
    else:
        out += ["_Not graded yet: `interviewer grade " + str(session.id) + "` scores it._", ""]
    overall = [note for note in reviews if note.turn is None]
    if overall:
        out += ["## Review", ""]
        for note in overall:
            out += [review_line(note), ""]
    out += ["## Transcript", ""]
    for turn in turns:
        who = "Interviewer" if turn.role is Role.INTERVIEWER else "Candidate"
        tag = ""
        if turn.role is Role.CANDIDATE and turn.kind is TurnKind.CLARIFICATION:
            tag = " · clarifying question"
        grade = grades.get(turn.seq)
        if grade is not None:
            tag = f" · **{grade_text(grade)}** ({grade.points:+.2f})"
            if turn.confidence:
                tag += f" · stated confidence: {turn.confidence.value}"
        out.append(f"**{turn.seq}. {who}** [{mm_ss(turn.at_seconds)}]{tag}")
        out.append("")
        out += [f"> {markdown_escape(line)}" if line else ">" for line in turn.text.splitlines()]
        if grade is not None:
            for miss in grade.misconceptions:
                out += ["", f'*Misconception:* "{markdown_escape(miss["quote"])}"; {miss["correction"]}']
            if grade.notes:
                out += ["", f"*Grader:* {markdown_escape('; '.join(grade.notes))}"]
        for note in reviews:
            if note.turn == turn.seq:
                out += ["", review_line(note)]
        out.append("")
    return terminal_safe("\n".join(out).rstrip() + "\n")


def render_session(view: SessionView, *, as_json: bool) -> str:
    """A stored session as Markdown or JSON text."""
    if as_json:
        return json.dumps(session_json(view.record, view.turns, view.report, view.reviews), indent=2) + "\n"
    return session_markdown(view.record, view.turns, view.report, view.rubric, view.reviews)
