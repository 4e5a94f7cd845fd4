"""Every query the app makes, in one place."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from interviewer import locations
from interviewer.domain import (
    Assessment,
    LabelOverride,
    Persona,
    Phase,
    Report,
    ReviewNote,
    Role,
    SessionRecord,
    SessionStatus,
    Turn,
)
from interviewer.rubric import RubricError, parse_rubric
from interviewer.rubric.versions import ImportResult, RubricInput, RubricSummary, StoredRubric
from interviewer.store.converters import (
    LEASE_SECONDS,
    assessment_from_json,
    assessment_json,
    content_hash,
    override_from_row,
    report_from_rows,
    report_rows,
    rubric_from_row,
    session_from_row,
    summary_from_row,
    turn_from_row,
    turn_row,
    version_row,
)
from interviewer.store.database import Database, StoreError
from interviewer.store.tables import (
    AppMeta,
    CriterionResultRow,
    LabelOverrideRow,
    ReportRow,
    ReviewNoteRow,
    RubricRow,
    RubricVersionRow,
    SessionRow,
    TurnRow,
    TurnScoreRow,
    utc_now,
)

log = logging.getLogger(__name__)

_BUNDLED_KEY = "bundled_rubrics_hash"


class SessionBusy(StoreError):
    """Another live process holds the session's lease."""


class LeaseLost(StoreError):
    """The session was taken over by another process; this one may not write to it any more."""


def lease_owner() -> str:
    """Who this process is, for a session's lease: host, process id and a random token (pids repeat)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _host_and_pid(owner: str) -> tuple[str, str]:
    """The machine and process of a lease holder ("host:pid:token")."""
    host, _, rest = owner.partition(":")
    return host, rest.partition(":")[0]


def _died_here(owner: str) -> bool:
    """Whether the lease holder was a process on this machine that no longer runs (its lease can go at once)."""
    host, pid = _host_and_pid(owner)
    if os.name != "posix" or host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process (or no way to ask safely): wait for its lease to lapse
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def describe_owner(owner: str) -> str:
    host, pid = _host_and_pid(owner)
    return f"host {host}, process {pid}"


def _bundled_texts() -> list[tuple[str, str]]:
    """The bundled rubric files as (name, text), in name order."""
    files = sorted((f for f in locations.bundled_rubrics().iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def _bundled_inputs(texts: list[tuple[str, str]]) -> list[RubricInput]:
    inputs, problems = [], []
    for name, text in texts:
        try:
            inputs.append(RubricInput(parse_rubric(text, f"rubrics/{name}"), text, name))
        except RubricError as exc:  # a broken bundled file must not keep the app from starting
            problems.extend(exc.problems)
    for problem in problems:
        log.error("bundled rubric skipped: %s", problem)
    return inputs


class Repository:
    """Queries over an open database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.owner = lease_owner()

    # -- rubrics -------------------------------------------------------------------------------

    def import_rubrics(self, inputs: Sequence[RubricInput], *, bundled: bool = False) -> list[ImportResult]:
        """Store rubrics all together or not at all; changed content becomes a new version."""
        results = []
        with self.database.session() as session:
            for item in inputs:
                results.append(self._import_one(session, item, bundled))
        return results

    def _import_one(self, session: Session, item: RubricInput, bundled: bool) -> ImportResult:
        rubric = item.rubric
        owner = session.get(RubricRow, rubric.id)
        if owner is None:
            owner = RubricRow(id=rubric.id, bundled=bundled)
            session.add(owner)
            session.flush()
        latest = self._latest_version(session, rubric.id)
        if bundled and not owner.bundled:  # the user's rubric of this id wins over the bundled set
            owner.replaces_bundled = True
            return ImportResult(rubric.id, latest.version if latest else 0, created=False, kept_yours=True)
        if latest is not None and latest.content_hash == content_hash(rubric):
            return ImportResult(rubric.id, latest.version, created=False)
        replaced = not bundled and owner.bundled
        if replaced:
            owner.bundled, owner.replaces_bundled = False, True
        version = 1 if latest is None else latest.version + 1
        session.add(version_row(rubric, version, item.source, item.source_name, item.author))
        session.flush()
        return ImportResult(rubric.id, version, created=True, replaced_bundled=replaced)

    @staticmethod
    def _latest_version(session: Session, rubric_id: str) -> RubricVersionRow | None:
        statement = (
            select(RubricVersionRow)
            .where(RubricVersionRow.rubric_id == rubric_id)
            .order_by(col(RubricVersionRow.version).desc())
            .limit(1)
        )
        return session.exec(statement).first()

    def list_rubrics(self) -> list[RubricSummary]:
        """The newest version of every rubric, ordered by topic then id."""
        newest = (
            select(RubricVersionRow.rubric_id, func.max(RubricVersionRow.version).label("version"))
            .group_by(col(RubricVersionRow.rubric_id))
            .subquery()
        )
        statement = (
            select(RubricVersionRow, RubricRow)
            .join(
                newest,
                (col(RubricVersionRow.rubric_id) == newest.c.rubric_id)
                & (col(RubricVersionRow.version) == newest.c.version),
            )
            .join(RubricRow, col(RubricRow.id) == col(RubricVersionRow.rubric_id))
            .order_by(col(RubricVersionRow.topic), col(RubricVersionRow.rubric_id))
        )
        with self.database.session() as session:
            return [summary_from_row(row, owner) for row, owner in session.exec(statement).all()]

    def get_rubric(self, rubric_id: str, version: int | None = None) -> StoredRubric | None:
        """A rubric's newest version, or the given one; None when there is no such rubric or version."""
        with self.database.session() as session:
            owner = session.get(RubricRow, rubric_id)
            if owner is None:
                return None
            if version is None:
                row = self._latest_version(session, rubric_id)
            else:
                statement = select(RubricVersionRow).where(
                    RubricVersionRow.rubric_id == rubric_id, RubricVersionRow.version == version
                )
                row = session.exec(statement).first()
            return None if row is None else rubric_from_row(row, owner)

    def rubric_versions(self, rubric_id: str) -> list[int]:
        """The version numbers a rubric has, oldest first."""
        statement = (
            select(RubricVersionRow.version)
            .where(RubricVersionRow.rubric_id == rubric_id)
            .order_by(col(RubricVersionRow.version))
        )
        with self.database.session() as session:
            return list(session.exec(statement).all())

    # -- bundled rubrics -----------------------------------------------------------------------

    def ensure_bundled_rubrics(self) -> list[ImportResult]:
        """Import the rubrics shipped with the app when they changed since the last run.

        Cheap when nothing changed: one hash over the files and one row read.
        """
        texts = _bundled_texts()
        digest = hashlib.sha256("\0".join(f"{name}\0{text}" for name, text in texts).encode()).hexdigest()
        with self.database.session() as session:
            meta = session.get(AppMeta, _BUNDLED_KEY)
            if meta is not None and meta.value == digest:
                return []
        inputs = _bundled_inputs(texts)
        with self.database.session() as session:
            self.database.one_at_a_time(session)  # two programs starting together import the set once
            meta = session.get(AppMeta, _BUNDLED_KEY)
            if meta is not None and meta.value == digest:
                return []
            results = [self._import_one(session, item, True) for item in inputs]
            session.merge(AppMeta(key=_BUNDLED_KEY, value=digest))
        for result in results:
            if result.kept_yours:
                log.info("bundled rubric %s not updated: your rubric of that id is kept", result.id)
        return results

    def restore_bundled(self, rubric_id: str) -> ImportResult | None:
        """Make a rubric follow the bundled set again; None when no bundled rubric has that id.

        The user's versions stay in the history (sessions point at them); the bundled content becomes
        the newest version.
        """
        found = [item for item in _bundled_inputs(_bundled_texts()) if item.rubric.id == rubric_id]
        if not found:
            return None
        with self.database.session() as session:
            owner = session.get(RubricRow, rubric_id)
            if owner is not None:
                owner.bundled, owner.replaces_bundled = True, False
            return self._import_one(session, found[0], bundled=True)

    # -- sessions and turns ----------------------------------------------------------------------

    def create_session(
        self,
        rubric: StoredRubric,
        *,
        minutes: int,
        timed: bool,
        provider: str,
        model: str,
        persona: Persona = Persona.NEUTRAL,
        user: str | None = None,
    ) -> SessionRecord:
        """Start a session on one rubric version, for a person (``user``)."""
        with self.database.session() as session:
            row = SessionRow(
                rubric_version_id=rubric.version_id,
                minutes=minutes,
                timed=timed,
                provider=provider,
                model=model,
                persona=persona.value,
                user=user,
                heartbeat_at=utc_now(),
                owner=self.owner,
            )
            session.add(row)
            session.flush()
            version = session.get(RubricVersionRow, rubric.version_id)
            assert version is not None
            return session_from_row(row, version, None)

    def add_turn(
        self,
        session_id: int,
        turn: Turn,
        *,
        elapsed: float,
        phase: Phase,
        phase_seconds: dict[str, float],
        assessed: Sequence[tuple[int, Assessment]] = (),
    ) -> Turn:
        """Commit one turn together with the session's clock, before anything else happens.

        ``assessed`` are earlier answers' (turn number, assessment), kept in the same transaction.
        """
        with self.database.session() as session:
            self._hold(session, session_id)  # first: the write lock, and proof that this process owns the session
            row = turn_row(session_id, turn)
            session.add(row)
            self._keep_assessments(session, session_id, assessed)
            clock = self._update_clock(session, session_id, elapsed, phase, phase_seconds)
            if turn.role is Role.CANDIDATE:
                clock.draft = None  # the draft has become this turn
            session.flush()
            return turn_from_row(row)

    @staticmethod
    def _keep_assessments(session: Session, session_id: int, assessed: Sequence[tuple[int, Assessment]]) -> None:
        for seq, assessment in assessed:
            session.execute(
                update(TurnRow)
                .where(col(TurnRow.session_id) == session_id, col(TurnRow.seq) == seq)
                .values(assessment=assessment_json(assessment))
            )

    def session_assessments(self, session_id: int) -> dict[int, Assessment]:
        """The assessment kept with each answer of a session, by turn number."""
        with self.database.session() as session:
            rows = session.exec(
                select(TurnRow.seq, TurnRow.assessment).where(
                    TurnRow.session_id == session_id, col(TurnRow.assessment).is_not(None)
                )
            ).all()
        return {seq: assessment_from_json(dict(data)) for seq, data in rows if data}

    def save_clock(
        self,
        session_id: int,
        *,
        elapsed: float,
        phase: Phase,
        phase_seconds: dict[str, float],
        draft: str | None = None,
    ) -> None:
        """Record the session's clock (also a sign of life), and the answer being typed when one is given."""
        with self.database.session() as session:
            self._hold(session, session_id)
            row = self._update_clock(session, session_id, elapsed, phase, phase_seconds)
            if draft is not None:
                row.draft = draft or None

    @staticmethod
    def _update_clock(
        session: Session, session_id: int, elapsed: float, phase: Phase, phase_seconds: dict[str, float]
    ) -> SessionRow:
        row = session.get(SessionRow, session_id)
        if row is None:
            raise StoreError(f"session {session_id} no longer exists")
        row.elapsed_seconds = elapsed
        row.phase = phase.value
        row.phase_seconds = dict(phase_seconds)
        row.heartbeat_at = utc_now()
        session.add(row)
        return row

    def finish_session(
        self,
        session_id: int,
        report: Report,
        *,
        elapsed: float,
        phase: Phase,
        phase_seconds: dict[str, float],
        assessed: Sequence[tuple[int, Assessment]] = (),
    ) -> SessionRecord:
        """Mark a session finished and store its report, together; the session as it now stands."""
        with self.database.session() as session:
            self._hold(session, session_id)
            self._keep_assessments(session, session_id, assessed)
            row = self._update_clock(session, session_id, elapsed, phase, phase_seconds)
            row.status = SessionStatus.FINISHED.value
            row.ended_at = utc_now()
            row.owner = None
            report_row = self._add_report(session, session_id, report)
            version = session.get(RubricVersionRow, row.rubric_version_id)
            assert version is not None
            return session_from_row(row, version, report_row)

    def save_report(self, session_id: int, report: Report) -> None:
        """Store a new grading of a session; the newest is the session's score."""
        with self.database.session() as session:
            self._add_report(session, session_id, report)

    @staticmethod
    def _add_report(session: Session, session_id: int, report: Report) -> ReportRow:
        turn_ids = {
            seq: tid
            for seq, tid in session.exec(select(TurnRow.seq, TurnRow.id).where(TurnRow.session_id == session_id)).all()
            if tid is not None
        }
        row, criteria, scores = report_rows(session_id, report, turn_ids)
        session.add(row)
        session.flush()
        for item in [*criteria, *scores]:
            item.report_id = row.id
            session.add(item)
        return row

    def get_session(self, session_id: int) -> SessionRecord | None:
        with self.database.session() as session:
            row = session.get(SessionRow, session_id)
            if row is None:
                return None
            version = session.get(RubricVersionRow, row.rubric_version_id)
            assert version is not None
            return session_from_row(row, version, self._latest_report_row(session, session_id))

    def session_turns(self, session_id: int) -> list[Turn]:
        statement = select(TurnRow).where(TurnRow.session_id == session_id).order_by(col(TurnRow.seq))
        with self.database.session() as session:
            return [turn_from_row(row) for row in session.exec(statement).all()]

    def add_override(self, session_id: int, override: LabelOverride) -> None:
        """Keep a reviewer's label for one answer (the newest per answer counts)."""
        with self.database.session() as session:
            session.add(
                LabelOverrideRow(
                    session_id=session_id,
                    turn_seq=override.turn,
                    label=override.label.value,
                    note=override.note,
                    reviewer=override.reviewer,
                )
            )

    def add_review_note(self, session_id: int, note: ReviewNote) -> ReviewNote:
        """Keep a reviewer's note on a turn or on the whole session; the note as stored (with its time)."""
        with self.database.session() as session:
            if session.get(SessionRow, session_id) is None:
                raise StoreError(f"session {session_id} no longer exists")
            row = ReviewNoteRow(session_id=session_id, turn_seq=note.turn, text=note.text, reviewer=note.reviewer)
            session.add(row)
            session.flush()
            return ReviewNote(row.turn_seq, row.text, row.reviewer, row.created_at)

    def session_review_notes(self, session_id: int) -> list[ReviewNote]:
        """A session's review notes, oldest first."""
        statement = select(ReviewNoteRow).where(ReviewNoteRow.session_id == session_id).order_by(col(ReviewNoteRow.id))
        with self.database.session() as session:
            return [
                ReviewNote(row.turn_seq, row.text, row.reviewer, row.created_at)
                for row in session.exec(statement).all()
            ]

    def session_overrides(self, session_id: int) -> dict[int, LabelOverride]:
        """The reviewers' labels of a session's answers, newest per answer, by turn number."""
        statement = (
            select(LabelOverrideRow).where(LabelOverrideRow.session_id == session_id).order_by(col(LabelOverrideRow.id))
        )
        with self.database.session() as session:
            return {row.turn_seq: override_from_row(row) for row in session.exec(statement).all()}

    def overridden_sessions(self, rubric_id: str | None = None) -> list[int]:
        """The sessions with at least one reviewer's label, oldest first (of one rubric when given)."""
        statement = (
            select(LabelOverrideRow.session_id)
            .join(SessionRow, col(SessionRow.id) == col(LabelOverrideRow.session_id))
            .join(RubricVersionRow, col(RubricVersionRow.id) == col(SessionRow.rubric_version_id))
            .distinct()
            .order_by(col(LabelOverrideRow.session_id))
        )
        if rubric_id is not None:
            statement = statement.where(col(RubricVersionRow.rubric_id) == rubric_id)
        with self.database.session() as session:
            return list(session.exec(statement).all())

    def session_rubric(self, session_id: int) -> StoredRubric | None:
        """The rubric version a session was run (and is scored) with."""
        with self.database.session() as session:
            row = session.get(SessionRow, session_id)
            if row is None:
                return None
            version = session.get(RubricVersionRow, row.rubric_version_id)
            owner = session.get(RubricRow, version.rubric_id) if version else None
            return rubric_from_row(version, owner) if version and owner else None

    @staticmethod
    def _latest_report_row(session: Session, session_id: int) -> ReportRow | None:
        statement = (
            select(ReportRow).where(ReportRow.session_id == session_id).order_by(col(ReportRow.id).desc()).limit(1)
        )
        return session.exec(statement).first()

    def latest_report(self, session_id: int) -> Report | None:
        """The newest report of a session, or None when it was never graded."""
        with self.database.session() as session:
            row = self._latest_report_row(session, session_id)
            if row is None:
                return None
            session_row = session.get(SessionRow, session_id)
            version = session.get(RubricVersionRow, session_row.rubric_version_id) if session_row else None
            titles = {c["id"]: c["title"] for c in (version.document.get("criterion", []) if version else [])}
            criteria = list(
                session.exec(
                    select(CriterionResultRow)
                    .where(CriterionResultRow.report_id == row.id)
                    .order_by(col(CriterionResultRow.id))
                ).all()
            )
            scores = list(
                session.exec(
                    select(TurnScoreRow, TurnRow.seq)
                    .join(TurnRow, col(TurnRow.id) == col(TurnScoreRow.turn_id))
                    .where(TurnScoreRow.report_id == row.id)
                ).all()
            )
            return report_from_rows(row, version.rubric_id if version else "", titles, criteria, scores)

    SESSION_ORDER = ("started_at", "rubric", "elapsed", "overall", "honesty", "status")

    def list_sessions(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        search: str = "",
        order: str = "started_at",
        descending: bool = True,
        user: str | None = None,
    ) -> list[SessionRecord]:
        """Sessions with their latest score, in pages: one person's (``user``) or everyone's, filtered by words
        of the rubric, topic, status or person."""
        latest = (
            select(ReportRow.session_id, func.max(ReportRow.id).label("report_id"))
            .group_by(col(ReportRow.session_id))
            .subquery()
        )
        columns = {
            "started_at": col(SessionRow.started_at),
            "rubric": col(RubricVersionRow.rubric_id),
            "elapsed": col(SessionRow.elapsed_seconds),
            "overall": col(ReportRow.overall),
            "honesty": col(ReportRow.honesty_rate),
            "status": col(SessionRow.status),
        }
        key = columns.get(order, columns["started_at"])
        statement = (
            select(SessionRow, RubricVersionRow, ReportRow)
            .join(RubricVersionRow, col(RubricVersionRow.id) == col(SessionRow.rubric_version_id))
            .outerjoin(latest, latest.c.session_id == col(SessionRow.id))
            .outerjoin(ReportRow, col(ReportRow.id) == latest.c.report_id)
            .order_by(key.desc() if descending else key.asc(), col(SessionRow.id).desc())
            .offset(offset)
        )
        for word in search.lower().split():
            pattern = f"%{word}%"
            statement = statement.where(
                col(RubricVersionRow.rubric_id).ilike(pattern)
                | col(RubricVersionRow.title).ilike(pattern)
                | col(RubricVersionRow.topic).ilike(pattern)
                | col(SessionRow.status).ilike(pattern)
                | col(SessionRow.user).ilike(pattern)
            )
        if user is not None:
            statement = statement.where(col(SessionRow.user) == user)
        if limit is not None:
            statement = statement.limit(limit)
        now = utc_now()
        with self.database.session() as session:
            rows = session.exec(statement).all()
            return [session_from_row(row, version, report, now) for row, version, report in rows]

    def delete_session(self, session_id: int) -> bool:
        """Delete a session with its turns and reports; False when there was none."""
        with self.database.session() as session:
            row = session.get(SessionRow, session_id)
            if row is None:
                return False
            session.delete(row)
            return True

    def reopen_session(self, session_id: int) -> None:
        """Take a session's lease to go on with it: refused (SessionBusy, naming the holder) while another live
        process holds it; a lease not renewed for ``LEASE_SECONDS`` (its process died) is taken over."""
        now = utc_now()
        with self.database.session() as session:
            taken = session.execute(
                update(SessionRow)
                .where(
                    col(SessionRow.id) == session_id,
                    col(SessionRow.status) == SessionStatus.ACTIVE.value,
                    col(SessionRow.owner).is_(None)
                    | (col(SessionRow.owner) == self.owner)
                    | (col(SessionRow.heartbeat_at) < now - timedelta(seconds=LEASE_SECONDS)),
                )
                .values(owner=self.owner, heartbeat_at=now)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]  # an UPDATE's result has a row count
                return
            row = session.get(SessionRow, session_id)
            if row is not None and row.owner is not None and _died_here(row.owner):
                taken = session.execute(  # compare and swap: only if that dead holder still has it
                    update(SessionRow)
                    .where(col(SessionRow.id) == session_id, col(SessionRow.owner) == row.owner)
                    .values(owner=self.owner, heartbeat_at=now)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]  # an UPDATE's result has a row count
                    return
            if row is not None and row.owner is not None and row.status == SessionStatus.ACTIVE.value:
                raise SessionBusy(
                    f"session {session_id} is open in another window ({describe_owner(row.owner)}); go on there, "
                    f"or wait a minute if that program has stopped"
                )

    def renew_lease(self, session_id: int) -> None:
        """Keep holding a session that is open here (LeaseLost when another process took it over)."""
        with self.database.session() as session:
            self._hold(session, session_id)

    def release_session(self, session_id: int) -> None:
        """Let go of a session this process leaves unfinished: it shows as interrupted at once, resumable."""
        with self.database.session() as session:
            session.execute(
                update(SessionRow)
                .where(col(SessionRow.id) == session_id, col(SessionRow.owner) == self.owner)
                .values(owner=None)
            )

    def _hold(self, session: Session, session_id: int) -> None:
        """Renew this process's lease on the session, or raise LeaseLost when it is someone else's."""
        held = session.execute(
            update(SessionRow)
            .where(col(SessionRow.id) == session_id, col(SessionRow.owner) == self.owner)
            .values(heartbeat_at=utc_now())
        )
        if held.rowcount == 1:  # type: ignore[attr-defined]  # an UPDATE's result has a row count
            return
        row = session.get(SessionRow, session_id)
        if row is None:
            raise StoreError(f"session {session_id} no longer exists")
        if row.owner is None and row.status == SessionStatus.ACTIVE.value:
            row.owner, row.heartbeat_at = self.owner, utc_now()  # released by us or never held: take it back
            session.add(row)
            return
        holder = describe_owner(row.owner) if row.owner else "it was finished"
        raise LeaseLost(f"session {session_id} was taken over by another window ({holder}); nothing more is saved here")
