"""Who practised, who wrote and who reviewed: sessions record a person, History filters by person, rubric
versions record their author, reviewers' notes are kept with who and when and shown in every export. On
SQLite and on PostgreSQL (the db_url fixture)."""

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


def test_a_reviewer_adds_notes_to_turns_and_to_the_session_shown_in_the_exports(
    repository, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import json

    from interviewer.render import render_session
    from interviewer.usecases import PracticeError

    practice = Practice(clock=FakeClock(), repository=repository)
    monkeypatch.setenv("INTERVIEWER_USER", "alice")
    number = practise(practice)
    monkeypatch.setenv("INTERVIEWER_USER", "mentor")
    practice.review(number, "Ask about scale before designing.")
    practice.review(number, "An honest *gap*: <b>good</b>", turn=2)
    with pytest.raises(PracticeError, match="has no turn 99"):
        practice.review(number, "x", turn=99)
    with pytest.raises(PracticeError, match="needs some text"):
        practice.review(number, "   ")
    view = practice.session(number)
    assert [(n.turn, n.reviewer) for n in view.reviews] == [(None, "mentor"), (2, "mentor")]
    assert all(n.at is not None for n in view.reviews)
    markdown = render_session(view, as_json=False)
    assert "## Review" in markdown and "*Review by mentor on " in markdown
    assert "An honest \\*gap\\*: \\<b\\>good\\</b\\>" in markdown  # someone's text, escaped
    data = json.loads(render_session(view, as_json=True))
    assert [r["text"] for r in data["reviews"]] == ["Ask about scale before designing.", "An honest *gap*: <b>good</b>"]
    assert data["user"] == "alice"
