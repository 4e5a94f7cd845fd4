"""Model selection, the config file, prompts that fail loudly, and token counts that never block."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from interviewer.config import ConfigError, Settings, load_settings, save_settings
from interviewer.domain import Move, MoveKind, Phase, Role, Turn, TurnKind
from interviewer.llm.base import ReplyRequest
from interviewer.llm.conversation import interviewer_messages
from interviewer.llm.factory import describe, make_model
from interviewer.llm.prompts import PromptError, render
from interviewer.llm.tokens import count_tokens


@pytest.fixture(autouse=True)
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(path))
    return path


@pytest.mark.parametrize(
    ("env", "flags", "provider"),
    [
        ({}, {}, "offline"),
        ({"OPENAI_API_KEY": "sk-1"}, {}, "openai"),
        ({"ANTHROPIC_API_KEY": "a-1", "OPENAI_API_KEY": "sk-1"}, {}, "anthropic"),
        ({"OPENAI_BASE_URL": "http://localhost:11434/v1"}, {}, "openai-compatible"),
        ({"ANTHROPIC_API_KEY": "a-1", "INTERVIEWER_PROVIDER": "openai"}, {}, "openai"),
        ({"INTERVIEWER_PROVIDER": "openai"}, {"provider": "offline"}, "offline"),
    ],
)
def test_the_provider_is_chosen_in_order(monkeypatch: pytest.MonkeyPatch, env, flags, provider) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(**flags)
    assert settings.resolved_provider() == provider
    assert make_model(settings).provider == provider


def test_the_config_file_is_read_and_the_environment_wins(config_file: Path, monkeypatch) -> None:
    config_file.write_text('provider = "anthropic"\nmodel = "claude-x"\nanthropic_api_key = "from-file"\n')
    assert load_settings().resolved_model() == "claude-x"
    monkeypatch.setenv("INTERVIEWER_MODEL", "claude-y")
    settings = load_settings()
    assert settings.resolved_model() == "claude-y"
    assert settings.anthropic_api_key.get_secret_value() == "from-file"
    assert "from-file" not in repr(settings) and "from-file" not in str(settings.model_dump())


def test_a_broken_config_file_is_a_clear_error(config_file: Path) -> None:
    config_file.write_text('provider = "gemini"\n')
    with pytest.raises(ConfigError, match="provider"):
        load_settings()
    config_file.write_text("provider = \n")
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_settings()


def test_the_config_file_is_written_for_its_owner_only(config_file: Path) -> None:
    path = save_settings(Settings(provider="openai", openai_api_key="sk-secret"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings().openai_api_key.get_secret_value() == "sk-secret"


def test_the_home_line_says_how_to_configure_a_model() -> None:
    assert "OPENAI_API_KEY" in describe(Settings())
    assert describe(Settings(openai_base_url="http://localhost:11434/v1")).startswith("Interviewer: openai-compatible")


def test_a_missing_prompt_variable_is_an_error_not_a_blank() -> None:
    with pytest.raises(PromptError, match="needs minutes_left, move, persona, phase"):
        render("interviewer.md.j2", rubric={"title": "t"})
    with pytest.raises(PromptError, match="no prompt file"):
        render("nope.j2")


def test_the_interviewer_prompt_voices_the_move_and_keeps_the_rubric_hidden() -> None:
    request = ReplyRequest(
        move=Move(MoveKind.ANSWER_CLARIFICATION, fact="About 50 requests per second."),
        context={
            "title": "Host an LLM",
            "topic": "LLM",
            "difficulty": "senior",
            "phase": "Clarify",
            "minutes_left": 30.0,
        },
    )
    [system, *_] = interviewer_messages(request, model="gpt-4o-mini", context_window=16_000)
    assert "About 50 requests per second." in system.content
    assert "Never reveal the rubric" in system.content and "one thing at a time" in system.content.lower()


def test_token_counts_work_offline_and_say_when_approximate() -> None:
    count = count_tokens(["Hello there, how would you host it?"], "some-local-model")
    assert count.tokens > 5 and count.approximate


def test_older_turns_are_summarised_never_silently_dropped() -> None:
    turns = tuple(
        Turn(
            i,
            Role.CANDIDATE if i % 2 else Role.INTERVIEWER,
            TurnKind.ANSWER,
            f"turn {i} " + "words " * 200,
            Phase.DESIGN,
        )
        for i in range(1, 31)
    )
    request = ReplyRequest(
        move=Move(MoveKind.PROBE, follow_up="Next?"),
        transcript=turns,
        context={"title": "t", "topic": "x", "difficulty": "mid", "phase": "Design", "minutes_left": 10},
    )
    messages = interviewer_messages(request, model="gpt-4o-mini", context_window=2_000)
    text = "\n".join(m.content for m in messages)
    assert "Summary of the 22 earlier turns" in text
    assert all(f"turn {i} " in text for i in range(1, 31))  # every turn is there, in full or summarised
    assert (
        count_tokens([m.content for m in messages], "gpt-4o-mini").tokens
        < count_tokens([t.text for t in turns], "gpt-4o-mini").tokens
    )


def test_the_config_command_saves_privately_and_never_shows_keys(config_file: Path, capsys) -> None:
    from interviewer.cli import main

    assert main(["config", "set", "provider", "anthropic"]) == 0
    assert main(["config", "set", "anthropic_api_key", "sk-ant-very-secret"]) == 0
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    capsys.readouterr()
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "provider = anthropic" in out and "anthropic_api_key = set" in out
    assert "sk-ant-very-secret" not in out
    assert main(["config", "set", "provider", "gemini"]) == 1
    assert "provider:" in capsys.readouterr().err
    assert main(["config", "set", "colour", "blue"]) == 1
    assert "unknown setting 'colour'" in capsys.readouterr().err
    assert load_settings().resolved_provider() == "anthropic"


@pytest.mark.parametrize("kind", list(MoveKind))
def test_every_move_kinds_prompt_carries_what_the_move_needs(kind: MoveKind) -> None:
    question = "A customer wants an LLM assistant for its support desk. How would you host it?"
    move = Move(
        kind,
        criterion_id="serving",
        criterion_title="Model serving and compute",
        fact="About 2,000 agents, peaking at 50 requests per second."
        if kind is MoveKind.ANSWER_CLARIFICATION
        else None,
        follow_up="Would you self-host the model?"
        if kind is MoveKind.PROBE
        else "Legal now says no ticket text may leave the EU."
        if kind is MoveKind.CURVEBALL
        else None,
        claim="With Bedrock you manage the GPU instances" if kind is MoveKind.CHALLENGE else None,
        quote="we'd patch the Bedrock GPU hosts ourselves" if kind is MoveKind.CHALLENGE else None,
        minutes_left=5.0,
    )
    request = ReplyRequest(
        move=move, context={"question": question, "title": "Host an LLM assistant", "minutes_left": 5}
    )
    [system, *_] = interviewer_messages(request, model="gpt-4o-mini", context_window=16_000)
    needs = {
        MoveKind.OPEN: [question],
        MoveKind.ANSWER_CLARIFICATION: ["50 requests per second"],
        MoveKind.PROBE: ["Would you self-host the model?"],
        MoveKind.CURVEBALL: ["Legal now says no ticket text may leave the EU.", "change to the brief"],
        MoveKind.CHALLENGE: ["we'd patch the Bedrock GPU hosts ourselves"],
        MoveKind.ACKNOWLEDGE_IDK: ["do not know", "Model serving and compute"],
        MoveKind.ASK_ASSUMPTION: ["state an assumption"],
        MoveKind.DECLINE_REVEAL: ["their part"],
        MoveKind.TIME_WARNING: ["5 minute"],
        MoveKind.WRAP_UP: ["summarise"],
        MoveKind.CLOSE: ["report is ready"],
    }[kind]
    for need in needs:
        assert need in system.content, (kind, need)


@pytest.mark.parametrize(
    ("note", "heard", "needs"),
    [
        ("deep dive", None, ["harder, deep-dive question", "When does self-hosting pay off?"]),
        ("return", None, ["left unanswered earlier", "When does self-hosting pay off?"]),
        ("trade-off", "Bedrock", ["answer leans on Bedrock", "what relying on it costs"]),
        (None, "PrivateLink", ["what the candidate just said (PrivateLink)"]),
    ],
)
def test_a_probes_prompt_says_what_kind_of_probe_it_is(note: str | None, heard: str | None, needs: list[str]) -> None:
    move = Move(
        MoveKind.PROBE, criterion_id="serving", follow_up="When does self-hosting pay off?", note=note, heard=heard
    )
    [system, *_] = interviewer_messages(ReplyRequest(move=move, context={}), model="gpt-4o-mini", context_window=16_000)
    for need in needs:
        assert need in system.content, need


@pytest.mark.parametrize(
    ("persona", "manner"), [("friendly", "warm and encouraging"), ("neutral", "even-handed"), ("tough", "bar-raiser")]
)
def test_the_persona_sets_the_manner(persona: str, manner: str) -> None:
    request = ReplyRequest(move=Move(MoveKind.OPEN), context={"question": "Q?", "persona": persona})
    [system, *_] = interviewer_messages(request, model="gpt-4o-mini", context_window=16_000)
    assert manner in system.content
