"""The rubric commands as a user runs them: exit codes, located errors, all-or-nothing import."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer.cli import main

from .conftest import DATA

VALID = (DATA / "valid_minimal.toml").read_text()


@pytest.fixture
def run(capsys, db_url: str):
    """The command line on a fresh database: a SQLite file, then a schema on the PostgreSQL server."""
    db = db_url

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_validate_accepts_valid_files(run, tmp_path: Path) -> None:
    code, out, err = run("rubrics", "validate", write(tmp_path, "q.toml", VALID))
    assert (code, err) == (0, "")
    assert "1 rubric file(s) valid" in out


def test_validate_warns_of_patterns_that_miss_their_claim_or_find_its_correction(run, tmp_path: Path) -> None:
    sloppy = VALID.replace(
        "match = ['(standard|sqs) queue.{0,30}exactly[- ]once']",
        "match = ['exactly once delivery', 'deliver\\w* at least once']",
    )
    path = write(tmp_path, "sloppy.toml", sloppy)
    code, out, err = run("rubrics", "validate", path)
    assert code == 0  # advice, not a problem: the file is valid and imports
    assert "1 rubric file(s) valid (2 warning(s) above: worth fixing, not blocking)" in out
    code, out, err = run("rubrics", "import", path)
    assert code == 0 and "imported" in out and err.count("warning:") == 2  # import says so too, and still imports
    assert err.splitlines() == [
        f"{path}:30: criterion[0].misconception[0].match: warning: no pattern finds the claim as written "
        '("A standard queue delivers each message exactly once"): a candidate who says it in these words is not caught',
        f"{path}:30: criterion[0].misconception[0].match[1]: warning: finds the correction too "
        '("deliver at least once"): a candidate who says the right thing would be graded wrong',
    ]


def test_validate_warns_of_a_correction_that_earns_no_credit(run, tmp_path: Path) -> None:
    vague = VALID.replace(
        'correction = "Standard queues deliver at least once; consumers must be idempotent."',
        'correction = "Delivery is at least once; consumers must be idempotent."',
    )
    path = write(tmp_path, "vague.toml", vague)
    code, _, err = run("rubrics", "validate", path)
    assert code == 0
    assert err.splitlines() == [
        f"{path}:31: criterion[0].misconception[0].correction: warning: names none of the concepts of 'decoupling': "
        "a candidate who says exactly this earns no credit for it (add the words it uses to a concept's phrases)"
    ]


def test_validate_reports_every_problem_of_every_file(run, tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad.toml",
        VALID.replace("weight = 2", "weight = 0").replace('difficulty = "mid"', 'difficulty = "x"'),
    )
    syntax = write(tmp_path, "syntax.toml", "id = \n")
    code, out, err = run("rubrics", "validate", bad, syntax, write(tmp_path, "ok.toml", VALID))
    lines = err.splitlines()
    assert code == 1
    assert f"{bad}:5: difficulty: must be one of 'junior', 'mid', 'senior' or 'staff'" in lines
    assert (
        f"{bad}:21: criterion[0].weight: must be a positive number from 0.01 to 100 (only the ratio between weights matters)"
        in lines
    )
    assert any(line.startswith(f"{syntax}:1: syntax: TOML syntax error") for line in lines)
    assert "Traceback" not in err


def test_validate_a_missing_file_is_one_line(run, tmp_path: Path) -> None:
    code, _, err = run("rubrics", "validate", str(tmp_path / "nope.toml"))
    assert code == 1
    assert err.splitlines()[0] == f"{tmp_path / 'nope.toml'}:1: file: cannot read file: No such file or directory"


def test_usage_error_exits_2(run) -> None:
    with pytest.raises(SystemExit) as caught:
        run("rubrics", "frobnicate")
    assert caught.value.code == 2


def test_import_then_list_then_export_round_trips(run, tmp_path: Path) -> None:
    source = write(tmp_path, "q.toml", VALID)
    assert run("rubrics", "import", source)[1] == "imported queue-basics as version 1\n"
    code, out, _ = run("rubrics", "list", "--json")
    listed = {row["id"]: row for row in json.loads(out)}
    assert listed["queue-basics"]["version"] == 1 and not listed["queue-basics"]["bundled"]
    exported = tmp_path / "out.toml"
    assert run("rubrics", "export", "queue-basics", "-o", str(exported))[0] == 0
    assert exported.read_text() == VALID
    assert run("rubrics", "import", str(exported))[1] == "queue-basics unchanged (version 1)\n"


def test_import_is_all_or_nothing(run, tmp_path: Path) -> None:
    good = write(tmp_path, "good.toml", VALID)
    bad = write(
        tmp_path, "bad.toml", VALID.replace('id = "queue-basics"', 'id = "other"').replace("weight = 2", "weight = -1")
    )
    code, out, err = run("rubrics", "import", good, bad)
    assert code == 1 and out == ""
    assert "nothing imported" in err
    _, listed, _ = run("rubrics", "list", "--json")
    assert "queue-basics" not in {row["id"] for row in json.loads(listed)}


def test_import_refuses_two_files_with_one_id(run, tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", VALID)
    second = write(tmp_path, "b.toml", VALID.replace("minutes = 30", "minutes = 31"))
    code, _, err = run("rubrics", "import", first, second)
    assert code == 1
    assert f"{second}:1: id: 'queue-basics' is also the id of {first}" in err


def test_list_shows_bundled_rubrics_on_first_run(run) -> None:
    code, out, _ = run("rubrics", "list")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[:4] == ["ID", "VER", "LEVEL", "MIN"]
    assert len(rows) == len(list((Path(__file__).parent.parent / "rubrics").glob("*.toml")))


def test_export_unknown_rubric_is_a_clear_error(run) -> None:
    code, out, err = run("rubrics", "export", "no-such-rubric")
    assert (code, out) == (1, "")
    assert err == "interviewer: error: no rubric 'no-such-rubric'; 'interviewer rubrics list' shows the ids\n"


def test_export_to_an_unwritable_place_is_a_clear_error(run, tmp_path: Path) -> None:
    run("rubrics", "import", write(tmp_path, "q.toml", VALID))
    code, _, err = run("rubrics", "export", "queue-basics", "-o", str(tmp_path / "missing" / "dir" / "q.toml"))
    assert code == 1
    assert err.startswith("interviewer: error: cannot write") and "Traceback" not in err


def test_a_database_that_is_not_one_is_a_clear_error(capsys, tmp_path: Path) -> None:
    fake = tmp_path / "fake.db"
    fake.write_bytes(b"\x00\x01garbage" * 100)
    code = main(["--db", str(fake), "rubrics", "list"])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        err == f"interviewer: error: {fake} is not an interviewer database (not a SQLite file); point --db elsewhere\n"
    )
    assert fake.read_bytes() == b"\x00\x01garbage" * 100


def test_env_variable_chooses_the_database(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_DB", str(tmp_path / "from-env.db"))
    assert main(["rubrics", "list"]) == 0
    assert (tmp_path / "from-env.db").exists()


def test_default_database_lives_in_the_data_folder(capsys, isolated_user: Path) -> None:
    assert main(["rubrics", "list"]) == 0
    assert (isolated_user / "interviewer.db").exists()


def test_unexpected_error_is_one_line_and_logged(capsys, monkeypatch: pytest.MonkeyPatch, isolated_user: Path) -> None:
    from interviewer.commands import rubrics

    def explode(args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(rubrics, "list_rubrics", explode)
    code = main(["rubrics", "list"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "ZeroDivisionError: boom" in err
    log = isolated_user / "logs" / "interviewer.log"
    assert str(log) in err and "Traceback" in log.read_text()


def test_console_script_runs_in_a_subprocess(tmp_path: Path) -> None:
    path = write(tmp_path, "q.toml", VALID.replace("weight = 2", "weight = -2"))
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "rubrics", "validate", path], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[0]
        == f"{path}:21: criterion[0].weight: must be a positive number from 0.01 to 100 (only the ratio between weights matters)"
    )


EXTERNAL = sorted((DATA / "external").glob("*.toml"))
BROKEN = sorted((DATA / "external" / "broken").glob("*.toml"))


@pytest.mark.parametrize("path", EXTERNAL, ids=[p.stem for p in EXTERNAL])
def test_someone_elses_rubric_imports_exports_and_reimports_unchanged(run, tmp_path: Path, path: Path) -> None:
    from interviewer.rubric import load_rubric_file

    assert run("rubrics", "validate", str(path))[0] == 0
    code, out, _ = run("rubrics", "import", str(path))
    assert code == 0 and out.startswith("imported ")
    rubric_id, version = re.match(r"imported (\S+) as version (\d+)", out).groups()  # type: ignore[union-attr]
    exported = tmp_path / "exported.toml"
    assert run("rubrics", "export", rubric_id, "-o", str(exported))[0] == 0
    assert load_rubric_file(exported) == load_rubric_file(path)
    assert run("rubrics", "import", str(exported))[1] == f"{rubric_id} unchanged (version {version})\n"


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_someone_elses_broken_rubric_gets_a_located_error(run, path: Path) -> None:
    expected = path.read_text().splitlines()[0].removeprefix("# expect: ")
    code, out, err = run("rubrics", "validate", str(path))
    assert code == 1 and out == ""
    assert any(line.startswith(f"{path}:{expected}") for line in err.splitlines()), err


def test_a_rubric_of_yours_with_a_bundled_id_wins_and_survives_bundled_updates(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interviewer import locations

    bundled = locations.bundled_rubrics() / "caching-strategy.toml"
    text = bundled.read_text()
    mine = write(tmp_path, "mine.toml", text.replace("title = ", 'title = "Mine" #', 1))
    code, out, _ = run("rubrics", "import", mine)
    assert code == 0
    assert "replaces the bundled question 'caching-strategy'" in out
    assert "interviewer rubrics restore caching-strategy" in out

    # the app is updated and its caching question changes: yours stays as it is
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    for file in locations.bundled_rubrics().iterdir():
        if file.name.endswith(".toml"):
            (shipped / file.name).write_text(file.read_text())
    (shipped / "caching-strategy.toml").write_text(text.replace("title = ", 'title = "Updated" #', 1))
    monkeypatch.setattr(locations, "bundled_rubrics", lambda: shipped)
    code, out, _ = run("rubrics", "list", "--json")
    [row] = [r for r in json.loads(out) if r["id"] == "caching-strategy"]
    assert (row["title"], row["bundled"], row["replaces_bundled"]) == ("Mine", False, True)
    code, out, _ = run("rubrics", "list")
    [line] = [line for line in out.splitlines() if line.startswith("caching-strategy")]
    assert "yours, replaces bundled" in line
    assert any(line.startswith("l4-vs-l7") and " bundled " in line for line in out.splitlines())

    # restoring makes it follow the bundled set again, keeping your version in the history
    code, out, _ = run("rubrics", "restore", "caching-strategy")
    assert code == 0 and "follows the bundled question again (version 3)" in out
    code, out, _ = run("rubrics", "list", "--json")
    [row] = [r for r in json.loads(out) if r["id"] == "caching-strategy"]
    assert (row["title"], row["bundled"], row["version"]) == ("Updated", True, 3)
    code, out, _ = run("rubrics", "export", "caching-strategy", "--version", "2")
    assert 'title = "Mine"' in out
    code, _, err = run("rubrics", "restore", "no-such-rubric")
    assert code == 1 and "no bundled rubric 'no-such-rubric'" in err


def test_a_bundled_question_added_later_never_overwrites_your_rubric_of_that_id(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interviewer import locations

    code, _, _ = run("rubrics", "import", write(tmp_path, "q.toml", VALID))
    assert code == 0
    rubric_id = json.loads(run("rubrics", "list", "--json")[1])
    [mine] = [r for r in rubric_id if not r["bundled"]]
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "new.toml").write_text(VALID.replace("title = ", 'title = "Shipped" #', 1))
    monkeypatch.setattr(locations, "bundled_rubrics", lambda: shipped)
    [row] = [r for r in json.loads(run("rubrics", "list", "--json")[1]) if r["id"] == mine["id"]]
    assert (row["title"], row["version"], row["replaces_bundled"]) == (mine["title"], 1, True)


def test_a_reader_that_goes_away_stops_the_command_quietly(run, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    class ClosedPipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            return sys.__stdout__.fileno()

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    saved = __import__("os").dup(sys.__stdout__.fileno())
    try:
        code, _, err = run("rubrics", "list")
    finally:
        __import__("os").dup2(saved, sys.__stdout__.fileno())
    assert code == 141
    assert err == ""
