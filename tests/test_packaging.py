"""The wheel carries the rubrics and prompts, and the core never imports Textual or provider SDKs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import REPO


def test_wheel_ships_rubrics_and_prompts(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    wheel = Path(next(iter(WheelBuilder(str(REPO)).build(directory=str(tmp_path), versions=["standard"]))))
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {f"interviewer/rubrics/{p.name}" for p in (REPO / "rubrics").glob("*.toml")}
    assert bundled and bundled <= names
    assert {f"interviewer/prompts/{p.name}" for p in (REPO / "prompts").iterdir() if p.is_file()} <= names
    assert "interviewer/store/migrations/versions/0001_initial_schema.py" in names
    assert "interviewer/store/migrations/versions/0002_turn_assessment.py" in names
    assert "interviewer/scoring/synonyms.toml" in names
    assert not any(name.startswith("tests/") for name in names)


def test_core_never_imports_textual_or_provider_sdks() -> None:
    code = (
        "import sys\n"
        "import interviewer.cli, interviewer.rubric, interviewer.store, interviewer.scoring.claims\n"
        "import interviewer.engine, interviewer.llm, interviewer.llm.factory, interviewer.scoring.llm_grader\n"
        "import interviewer.config, interviewer.plain, interviewer.render, interviewer.usecases, interviewer.views\n"
        "from interviewer.cli import main\n"
        "main(['rubrics', 'list'])\n"
        "print(sorted(m for m in ('textual', 'openai', 'anthropic') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
