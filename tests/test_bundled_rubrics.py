"""The bundled rubric bank: valid, round-trips, broad enough, and its misconceptions behave."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from interviewer import locations
from interviewer.rubric import dump_rubric, load_rubric_file, parse_rubric
from interviewer.rubric.patterns import search
from interviewer.scoring.advice import rubric_advice
from interviewer.scoring.claims import find_misconceptions

from .conftest import DATA, REPO

RUBRIC_FILES = sorted((REPO / "rubrics").glob("*.toml"))
CASES_DIR = DATA / "misconceptions"


def test_the_bank_is_broad() -> None:
    rubrics = [load_rubric_file(path) for path in RUBRIC_FILES]
    assert len(rubrics) >= 16
    assert len({r.topic for r in rubrics}) >= 12
    assert len({r.id for r in rubrics}) == len(rubrics)


def test_bundled_folder_is_found_through_importlib_resources() -> None:
    names = {entry.name for entry in locations.bundled_rubrics().iterdir()}
    assert {path.name for path in RUBRIC_FILES} <= names


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=[p.stem for p in RUBRIC_FILES])
def test_bundled_rubric_is_complete(path: Path) -> None:
    rubric = load_rubric_file(path)
    assert rubric.id == path.stem
    assert len(rubric.clarifications) >= 2
    assert len(rubric.criteria) >= 3
    assert sum(len(c.misconceptions) for c in rubric.criteria) >= 3
    for criterion in rubric.criteria:
        assert criterion.concepts and criterion.follow_ups, criterion.id
        assert set(criterion.levels) == {0, 1, 2, 3, 4}, criterion.id
    # depth for the deep-dive phase: enough to fill a 40-minute slot after the rubric's own follow-ups
    assert len(rubric.deep_dives) >= 3
    assert len({dive.criterion for dive in rubric.deep_dives}) >= 3
    assert len(rubric.curveballs) >= 2
    follow_ups = {q for c in rubric.criteria for q in c.follow_ups}
    assert not follow_ups & {dive.ask for dive in rubric.deep_dives}


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=[p.stem for p in RUBRIC_FILES])
def test_bundled_rubrics_draw_no_advice(path: Path) -> None:
    """Patterns find their claim and never its correction; every correction names a concept of its criterion."""
    assert rubric_advice(load_rubric_file(path), path.read_text(), path.name) == []


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=[p.stem for p in RUBRIC_FILES])
def test_bundled_rubric_round_trips(path: Path) -> None:
    rubric = load_rubric_file(path)
    dumped = dump_rubric(rubric)
    assert parse_rubric(dumped, "dumped.toml") == rubric
    assert dump_rubric(parse_rubric(dumped, "dumped.toml")) == dumped


def _cases() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        for case in tomllib.loads(path.read_text())["case"]:
            found.append((path.stem, case))
    return found


CASES = _cases()


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=[p.stem for p in RUBRIC_FILES])
def test_every_misconception_has_exactly_one_case(path: Path) -> None:
    rubric = load_rubric_file(path)
    claims = sorted(m.claim for c in rubric.criteria for m in c.misconceptions)
    assert sorted(case["claim"] for rubric_id, case in CASES if rubric_id == rubric.id) == claims


@pytest.mark.parametrize(
    ("rubric_id", "case"), CASES, ids=[f"{r}:{c['criterion']}:{i}" for i, (r, c) in enumerate(CASES)]
)
def test_misconception_catches_the_wrong_claim_and_not_its_correction(rubric_id: str, case: dict) -> None:
    rubric = load_rubric_file(REPO / "rubrics" / f"{rubric_id}.toml")
    [misconception] = [m for m in rubric.criterion(case["criterion"]).misconceptions if m.claim == case["claim"]]
    assert any(search(p, case["wrong"]) for p in misconception.match), case["wrong"]
    assert not any(search(p, case["correction"]) for p in misconception.match), case["correction"]
    assert case["claim"] in {hit.claim for hit in find_misconceptions(case["wrong"], rubric)}
    assert case["claim"] not in {hit.claim for hit in find_misconceptions(case["negated"], rubric)}, case["negated"]
    assert case["claim"] not in {hit.claim for hit in find_misconceptions(case["correction"], rubric)}
