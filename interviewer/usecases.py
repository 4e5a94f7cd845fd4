"""The use cases every face calls: start, resume, regrade, load a session for display, choose a model.

The app, plain mode and the commands only read input and render what these return; none of them
opens the store, builds a grader or makes a model on its own. One ``Practice`` holds one database
per process (opened on first use, from any thread).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from interviewer import locations
from interviewer.config import ConfigError, Settings, load_settings
from interviewer.domain import (
    AnswerLabel,
    LabelOverride,
    Persona,
    Report,
    ReviewNote,
    Role,
    SessionRecord,
    SessionStatus,
    TurnKind,
)
from interviewer.engine import Clock, Interview
from interviewer.llm.base import Model
from interviewer.rubric import RubricSummary, StoredRubric
from interviewer.scoring.grader import OfflineGrader
from interviewer.scoring.grading import FELL_BACK, Grader, grade_transcript, read_transcript
from interviewer.store import ImportResult, Repository, RubricInput, StoreError
from interviewer.views import ModelChoice, ModelOffer, SessionView

if TYPE_CHECKING:
    from interviewer.scoring.evaluation import Disagreement
    from interviewer.scoring.llm_grader import LLMGrader

OLLAMA_URL = "http://localhost:11434/v1"
"""Where a local Ollama server speaks the OpenAI protocol."""

_KEYS = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "reviewer"


class PracticeError(Exception):
    """A use case cannot be done; the message says why and what to do, in one line."""


class NotFound(PracticeError):
    """No session or rubric with that id; ``kind`` says which, so a face can say where to look."""

    def __init__(self, kind: Literal["session", "rubric"], message: str) -> None:
        super().__init__(message)
        self.kind = kind


class SessionFinished(PracticeError):
    """The session has ended; it can be read and re-graded, not resumed."""

    def __init__(self, session_id: int) -> None:
        super().__init__(f"session {session_id} is finished; its transcript and report stay in the history")
        self.session_id = session_id


class ModelUnavailable(PracticeError):
    """The model a session ran on cannot be made here (its key is not set)."""


def fallbacks(report: Report) -> int:
    """How many of a report's answers a model was asked to grade and the offline grader graded instead."""
    return sum(1 for grade in report.grades if any(note.startswith(FELL_BACK) for note in grade.notes))


class Practice:
    """A person's practice: the rubric bank, interviews, their history and reports, and the models."""

    def __init__(
        self, db_url: str | None = None, *, clock: Clock | None = None, repository: Repository | None = None
    ) -> None:
        """Use cases on the database at db_url (the default one when None), or on an open repository."""
        self.db_url = db_url
        self.clock = clock
        self._repository = repository
        self._lock = threading.Lock()

    # -- plumbing ------------------------------------------------------------------------------------

    @property
    def repository(self) -> Repository:
        """The open database, migrated and with the bundled rubrics imported on first use."""
        with self._lock:
            if self._repository is None:
                from interviewer.store import open_repository

                self._repository = open_repository(locations.database_url(self.db_url))
            return self._repository

    def close(self) -> None:
        with self._lock:
            if self._repository is not None:
                self._repository.database.close()
                self._repository = None

    def backup(self, target: Path) -> None:
        """A consistent copy of the database at ``target`` (a new file), safe while interviews run."""
        from interviewer.store import backup

        backup(locations.database_url(self.db_url), target)

    @staticmethod
    def settings(provider: str | None = None, model: str | None = None) -> Settings:
        """The settings from flags, the environment and the config file."""
        try:
            return load_settings(provider=provider, model=model)
        except ConfigError as exc:
            raise PracticeError(str(exc)) from None

    def person(self, named: str | None = None) -> str:
        """Who is acting: the name given, else the ``user`` setting, else the login name (a config file that
        cannot be read does not stop anyone from importing, practising or reviewing)."""
        if named and named.strip():
            return named.strip()
        try:
            return self.settings().user or _login_name()
        except PracticeError:
            return _login_name()

    # -- rubrics -------------------------------------------------------------------------------------

    def rubrics(self) -> list[RubricSummary]:
        return self.repository.list_rubrics()

    def rubric(self, rubric_id: str, version: int | None = None) -> StoredRubric:
        stored = self.repository.get_rubric(rubric_id, version)
        if stored is None:
            if version is not None and (versions := self.repository.rubric_versions(rubric_id)):
                raise PracticeError(f"rubric '{rubric_id}' has no version {version} (it has {versions})")
            raise NotFound("rubric", f"no rubric '{rubric_id}'")
        return stored

    def rubric_versions(self, rubric_id: str) -> list[int]:
        return self.repository.rubric_versions(rubric_id)

    def import_rubrics(self, inputs: Sequence[RubricInput]) -> list[ImportResult]:
        """Store rubrics all together or not at all; changed content becomes a new version, with its author
        (the ``user`` setting, else the login name)."""
        author = self.person()
        return self.repository.import_rubrics([replace(item, author=item.author or author) for item in inputs])

    def restore_bundled(self, rubric_id: str) -> ImportResult:
        """Make rubric_id follow the bundled question of that id again (a new version; history is kept)."""
        result = self.repository.restore_bundled(rubric_id)
        if result is None:
            raise NotFound("rubric", f"no bundled rubric '{rubric_id}'")
        return result

    # -- models --------------------------------------------------------------------------------------

    def model(self, choice: ModelChoice | None = None) -> Model:
        """The model a choice names (the settings' model when it names none; offline when none is configured)."""
        from interviewer.llm.factory import make_model

        choice = choice or ModelChoice()
        settings = self.settings(choice.provider, choice.model)
        if choice.base_url:
            settings = settings.model_copy(update={"openai_base_url": choice.base_url})
        provider = settings.resolved_provider()
        if provider == "openai" and settings.openai_api_key is None:
            raise PracticeError(
                "the openai provider needs a key and none is set: set OPENAI_API_KEY or run "
                "'interviewer config set openai_api_key KEY' (or choose --provider offline)"
            )
        if provider == "anthropic" and settings.anthropic_api_key is None:
            raise PracticeError(
                "the anthropic provider needs a key and none is set: set ANTHROPIC_API_KEY or run "
                "'interviewer config set anthropic_api_key KEY' (or choose --provider offline)"
            )
        return make_model(settings)

    def models_on_offer(self, settings: Settings | None = None, *, look_for_ollama: bool = True) -> ModelOffer:
        """Offline, the configured provider, and the models of a local Ollama if one runs."""
        from interviewer.llm.factory import describe, local_ollama_models

        settings = settings or self.settings()
        choices = [ModelChoice("offline", label="built-in offline", key="offline")]
        provider = settings.resolved_provider()
        if provider != "offline":
            name = settings.resolved_model()
            choices.append(ModelChoice(provider, name, label=f"{provider}: {name}", key=provider))
        if look_for_ollama and settings.openai_base_url is None:
            choices += [
                ModelChoice("openai-compatible", name, OLLAMA_URL, label=f"Ollama: {name}", key=f"ollama:{name}")
                for name in local_ollama_models()[:5]
            ]
        remembered = settings.interviewer
        default = next((c.key for c in choices if c.key == remembered), provider)
        return ModelOffer(tuple(choices), default, describe(settings), configured=provider)

    def session_model(self, record: SessionRecord) -> Model:
        """The model a session ran on, so a resumed session goes on with the same interviewer."""
        if record.provider == "offline":
            return self.model(ModelChoice("offline"))
        settings = self.settings(record.provider, record.model)
        key = _KEYS.get(record.provider)
        if key and getattr(settings, f"{record.provider}_api_key") is None:
            raise ModelUnavailable(
                f"session {record.id} ran on {record.provider} {record.model}, but no {key} is set; "
                "set it, or choose another interviewer"
            )
        base_url = settings.openai_base_url or (OLLAMA_URL if record.provider == "openai-compatible" else None)
        return self.model(ModelChoice(record.provider, record.model, base_url))

    def grader(self, kind: Literal["offline", "llm"] | None = None, choice: ModelChoice | None = None) -> Grader:
        """The offline grader, or a model's (the LLM grader needs a configured model).

        With no kind named, a configured model grades and the offline grader stands in where it cannot.
        """
        if kind == "offline":
            return OfflineGrader()
        if kind is None:
            return self.grader_for(self.model(choice))
        return self._llm_grader(choice)

    @staticmethod
    def grader_for(model: Model) -> Grader:
        """The grader that goes with an interviewer: the model itself, or the offline grader for the offline one."""
        if model.provider == "offline":
            return OfflineGrader()
        from interviewer.scoring.llm_grader import LLMGrader

        return LLMGrader(model)

    def _llm_grader(self, choice: ModelChoice | None) -> LLMGrader:
        from interviewer.llm.offline import OfflineModel
        from interviewer.scoring.llm_grader import LLMGrader

        model = self.model(choice)
        if isinstance(model, OfflineModel):
            raise PracticeError(
                "grading with a model needs one: set OPENAI_API_KEY, ANTHROPIC_API_KEY or OPENAI_BASE_URL, "
                "or name a provider"
            )
        return LLMGrader(model)

    # -- interviews ----------------------------------------------------------------------------------

    def start(
        self,
        rubric: StoredRubric | str,
        *,
        minutes: int | None = None,
        timed: bool = True,
        model: Model | None = None,
        grader: Grader | None = None,
        persona: Persona | None = None,
    ) -> Interview:
        """A new interview on a rubric's newest version (or the version given).

        The persona is the one given, else the configured one (``persona`` in the config file).
        """
        stored = self.rubric(rubric) if isinstance(rubric, str) else rubric
        model = model or self.model()
        return Interview.begin(
            self.repository,
            stored,
            minutes=minutes,
            timed=timed,
            model=model,
            grader=grader or self.grader_for(model),
            clock=self.clock,
            persona=persona or Persona(self.settings().persona),
            user=self.person(),
        )

    def resume(self, session_id: int, *, model: Model | None = None, grader: Grader | None = None) -> Interview:
        """Go on with an unfinished session, on the model it ran on unless another is given.

        The answers keep the assessments made when they were given; none is graded again.
        """
        repository = self.repository
        record = self.session_record(session_id)
        if record.status is SessionStatus.FINISHED:
            raise SessionFinished(session_id)
        stored = repository.session_rubric(session_id)
        if stored is None:
            raise PracticeError(f"the rubric of session {session_id} is missing from the database")
        model = model or self.session_model(record)
        repository.reopen_session(session_id)
        return Interview(
            repository,
            stored,
            record,
            repository.session_turns(session_id),
            assessments=repository.session_assessments(session_id),
            model=model,
            grader=grader or self.grader_for(model),
            clock=self.clock,
        )

    # -- past sessions -------------------------------------------------------------------------------

    def session_record(self, session_id: int) -> SessionRecord:
        record = self.repository.get_session(session_id)
        if record is None:
            raise NotFound("session", f"no session {session_id}")
        return record

    def session(self, session_id: int) -> SessionView:
        """A stored session with its rubric version, transcript and newest report, for display."""
        repository = self.repository
        record = self.session_record(session_id)
        stored = repository.session_rubric(session_id)
        if stored is None:
            raise PracticeError(f"the rubric of session {session_id} is missing from the database")
        return SessionView(
            record,
            stored.rubric,
            stored.version,
            tuple(repository.session_turns(session_id)),
            repository.latest_report(session_id),
            tuple(repository.session_review_notes(session_id)),
            tuple(repository.session_overrides(session_id).values()),
        )

    def review(self, session_id: int, text: str, *, turn: int | None = None, reviewer: str | None = None) -> ReviewNote:
        """Add a reviewer's note to a turn of anyone's session, or to the whole session (no turn), with who and
        when; the reviewer is the one named, else the ``user`` setting, else the login name."""
        text = text.strip()
        if not text:
            raise PracticeError("a review note needs some text")
        turns = [t.seq for t in self.repository.session_turns(self.session_record(session_id).id)]
        if turn is not None and turn not in turns:
            raise PracticeError(f"session {session_id} has no turn {turn}; its turns are 1 to {len(turns)}")
        who = self.person(reviewer)
        return self.repository.add_review_note(session_id, ReviewNote(turn, text, who))

    async def regrade(self, session_id: int, grader: Grader | None = None) -> SessionView:
        """Grade a session again with the rubric version it ran on; the new report joins the old ones."""
        view = self.session(session_id)
        report = await grade_transcript(
            grader or OfflineGrader(),
            view.rubric,
            view.turns,
            overrides=self.repository.session_overrides(session_id),
            phase_seconds=view.record.phase_seconds,
            session_id=session_id,
        )
        self.repository.save_report(session_id, report)
        return self.session(session_id)

    # -- a reviewer's labels -------------------------------------------------------------------------

    async def override_label(
        self, session_id: int, seq: int, label: AnswerLabel, *, note: str | None = None, reviewer: str | None = None
    ) -> SessionView:
        """Set an answer's label as a reviewer, kept with who and why; the report is recomputed from it.

        The other answers keep the assessments they were given; nothing is graded again.
        """
        view = self.session(session_id)
        turn = next((t for t in view.turns if t.seq == seq), None)
        if turn is None or turn.role is not Role.CANDIDATE or turn.kind is not TurnKind.ANSWER:
            answers = [t.seq for t in view.turns if t.role is Role.CANDIDATE and t.kind is TurnKind.ANSWER]
            raise PracticeError(f"turn {seq} of session {session_id} is not an answer; its answers are turns {answers}")
        who = self.person(reviewer)
        self.repository.add_override(session_id, LabelOverride(seq, label, who, (note or "").strip() or None))
        report = await grade_transcript(
            OfflineGrader(),
            view.rubric,
            view.turns,
            assessments=self.repository.session_assessments(session_id),
            overrides=self.repository.session_overrides(session_id),
            phase_seconds=view.record.phase_seconds,
            session_id=session_id,
        )
        self.repository.save_report(session_id, report)
        return self.session(session_id)

    def overridden_answers(self, rubric_id: str | None = None) -> list[dict[str, Any]]:
        """Every answer a reviewer labelled, as eval-grader data (one dict per JSON line)."""
        rows = []
        for session_id in self.repository.overridden_sessions(rubric_id):
            view = self.session(session_id)
            overrides = self.repository.session_overrides(session_id)
            for turn, target in read_transcript(view.rubric, view.turns).answers:
                if (override := overrides.get(turn.seq)) is None:
                    continue
                row: dict[str, Any] = {"rubric": view.rubric.id, "prompt": target.prompt, "answer": turn.text}
                if target.criterion_id:
                    row["criterion"] = target.criterion_id
                row |= {"label": override.label.value, "reviewer": override.reviewer, "note": override.note}
                rows.append(row | {"session": session_id, "turn": turn.seq})
        return rows

    def history(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        search: str = "",
        order: str = "started_at",
        descending: bool = True,
        user: str | None = None,
    ) -> list[SessionRecord]:
        """Past sessions with their newest score: one person's or everyone's, filtered by words of the rubric,
        topic, status or person."""
        return self.repository.list_sessions(
            limit=limit, offset=offset, search=search, order=order, descending=descending, user=user
        )

    def delete_session(self, session_id: int) -> bool:
        return self.repository.delete_session(session_id)

    # -- the grader itself ---------------------------------------------------------------------------

    async def evaluate_grader(
        self, data: Path, grader: Grader, rubric_folder: Path | None = None
    ) -> tuple[dict[str, Any], list[Disagreement]]:
        """A grader's figures on labelled answers (eval-grader), and every answer it labelled otherwise.

        The bundled rubrics and those in rubric_folder are read from their files; no database is touched.
        All answers are graded in one event loop. RubricError names every problem of the rubric files;
        DataError every bad line. ``fallbacks`` counts answers a model could not grade (graded offline).
        """
        from interviewer.rubric import RubricError, load_rubric_file
        from interviewer.scoring.evaluation import Disagreement, evaluate, read_labelled
        from interviewer.scoring.grading import AnswerTarget

        rubrics, problems = {}, []
        for folder in [Path(str(locations.bundled_rubrics())), *([rubric_folder] if rubric_folder else [])]:
            for path in sorted(folder.glob("*.toml")):
                try:
                    rubric = load_rubric_file(path)
                except RubricError as exc:
                    problems.extend(exc.problems)
                    continue
                rubrics[rubric.id] = rubric
        if problems:
            raise RubricError(problems)
        items = read_labelled(data, rubrics)
        graded = {}
        for item in items:
            target = AnswerTarget(item.prompt, item.criterion)
            graded[id(item)] = await grader.assess(rubrics[item.rubric], item.answer, target)
        metrics = evaluate(items, lambda item: (graded[id(item)].label, graded[id(item)].points))
        metrics["fallbacks"] = sum(1 for a in graded.values() if any(n.startswith(FELL_BACK) for n in a.notes))
        disagreements = [
            Disagreement(item.line, item.label, graded[id(item)].label, item.answer, graded[id(item)].notes)
            for item in items
            if graded[id(item)].label is not item.label
        ]
        return metrics, disagreements


__all__ = [
    "ModelChoice",
    "ModelUnavailable",
    "NotFound",
    "Practice",
    "PracticeError",
    "SessionFinished",
    "SessionView",
    "StoreError",
]
