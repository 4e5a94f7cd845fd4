"""Who practised and who wrote: sessions record a person, History filters by person, rubric versions record
their author. On SQLite and on PostgreSQL (the db_url fixture)."""

from __future__ import annotations

import asyncio

import pytest

from interviewer.engine import FakeClock
from interviewer.rubric import RubricInput, parse_rubric
from interviewer.usecases import Practice

from .conftest import DATA


def practise(practice: Practice) -> int:
    interview = practice.start("caching-strategy")

    async def talk() -> None:
        async for _ in interview.opening():
            pass
        async for _ in interview.respond("I don't know."):
            pass
        await interview.finish()

    asyncio.run(talk())
    return interview.session_id


def test_sessions_record_who_practised_and_history_filters_by_person(
    repository, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    practice = Practice(clock=FakeClock(), repository=repository)
    monkeypatch.setenv("INTERVIEWER_USER", "alice")
    alice = practise(practice)
    monkeypatch.setenv("INTERVIEWER_USER", "bob")
    bob = practise(practice)
    assert [s.id for s in practice.history(user="alice")] == [alice]
    assert [s.id for s in practice.history(user="bob")] == [bob]
    assert {s.id for s in practice.history()} == {alice, bob}
    assert [s.id for s in practice.history(search="ALI")] == [alice]  # the History filter finds people too
    assert practice.session_record(alice).user == "alice"


def test_without_a_user_setting_the_login_name_is_recorded(repository) -> None:  # type: ignore[no-untyped-def]
    import getpass

    practice = Practice(clock=FakeClock(), repository=repository)
    assert practice.session_record(practise(practice)).user == getpass.getuser()


def test_a_rubric_version_records_its_author(repository, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    practice = Practice(clock=FakeClock(), repository=repository)
    text = (DATA / "valid_minimal.toml").read_text()
    rubric = parse_rubric(text, "q.toml")
    monkeypatch.setenv("INTERVIEWER_USER", "carol")
    [result] = practice.import_rubrics([RubricInput(rubric, text, "q.toml")])
    assert practice.rubric(result.id).author == "carol"
    assert practice.rubric("caching-strategy").author is None  # bundled: nobody's
