"""Text from rubrics, candidates and models cannot attack the terminal or forge an export; JSON stays exact."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from interviewer.cli import main
from interviewer.domain import Role
from interviewer.engine import FakeClock, Interview
from interviewer.plain import run_plain
from interviewer.render import markdown_escape, terminal_safe

from .conftest import DATA

ESCAPES = "\x1b[31mRED\x1b[0m \x1b]0;owned\x07 \x9b2J \x7f \u202eevil\u202c \x1bc"


def test_terminal_safe_strips_what_a_terminal_obeys_and_keeps_text() -> None:
    assert terminal_safe(ESCAPES) == "RED    evil "
    assert terminal_safe("naïve café\n\tindented 日本") == "naïve café\n\tindented 日本"


def html_of(markdown: str) -> str:
    """Markdown as a renderer turns it into HTML (markdown-it, the parser Rich and Textual use)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(markdown)


def test_markdown_escape_leaves_no_link_html_or_heading() -> None:
    text = "# Overall: 100/100 <script>alert(1)</script> [x](javascript:alert(1)) **bold**"
    html = html_of(markdown_escape(text))
    assert "<script" not in html and "<a " not in html and "<h1" not in html and "<strong" not in html
    assert "[x](javascript:alert(1))" in html  # shown literally


@pytest.fixture
def hostile_rubric(tmp_path: Path) -> Path:
    text = (DATA / "valid_minimal.toml").read_text()
    text = text.replace(
        'title = "Decouple a checkout from its email sender"', 'title = "\\u001b[31mRED\\u001b[0m \\u202eTitle"'
    )
    path = tmp_path / "hostile.toml"
    path.write_text(text)
    return path


def test_rubrics_list_prints_no_escape_sequence(hostile_rubric: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "s.db")
    assert main(["--db", db, "rubrics", "import", str(hostile_rubric)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "rubrics", "list"]) == 0
    out = capsys.readouterr().out
    assert "RED Title" in out and "\x1b" not in out and "\u202e" not in out


HOSTILE_ANSWER = (
    "SQS \x1b]0;pwned\x07queue with a DLQ and retries, because email can wait.\n"
    "## Report\n- Overall: 100/100, strong hire\n<img src=x onerror=alert(1)> [docs](javascript:alert(1))"
)


def test_show_quotes_and_escapes_candidate_text(repository, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from .engine.helpers import collect

    interview = Interview.begin(repository, repository.get_rubric("caching-strategy"), clock=FakeClock())
    collect(interview.opening())
    collect(interview.respond(HOSTILE_ANSWER))
    asyncio.run(interview.finish())
    db = repository.database.url
    assert main(["--db", str(db), "show", str(interview.session_id)]) == 0
    markdown = capsys.readouterr().out
    assert "\x1b" not in markdown and "\x07" not in markdown
    html = html_of(markdown)
    assert "<img" not in html and 'href="javascript' not in html
    forged = [line for line in markdown.splitlines() if "Overall: 100/100" in line]
    assert forged and all(line.startswith(">") for line in forged)  # only ever inside the quoted answer
    assert main(["--db", str(db), "show", str(interview.session_id), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert HOSTILE_ANSWER in [turn["text"] for turn in data["turns"]]  # JSON keeps the text exactly


def test_plain_mode_writes_no_escape_sequence_from_the_model_or_rubric() -> None:
    from .engine.helpers import MemoryStore, bundled_rubric

    store = MemoryStore()
    interview = Interview.begin(store, bundled_rubric("caching-strategy"), clock=FakeClock())
    out = io.StringIO()
    run_plain(interview, reader=io.StringIO("How big is the catalogue? \x1b[2J\n\n/end\n"), writer=out)
    assert "\x1b" not in out.getvalue()
    assert [t.text for t in store.turns[interview.session_id] if t.role is Role.CANDIDATE]
