"""The app with a model behind it: streamed replies, a running token count, and a failure noticed."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from interviewer.config import Price, Settings
from interviewer.llm.openai_model import OpenAIModel
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.widgets.turn import TurnView

from ..tui.factory import make_app, wait_until
from . import fake_server as fs


async def test_an_interview_with_a_model_shows_usage_and_survives_a_failure(fake, tmp_path: Path) -> None:
    fake.steps = [
        fs.text("STAND-IN: How would you host it?", usage=(1200, 30)),
        fs.text("STAND-IN: About 50 requests per second.", usage=(1500, 25)),
    ]
    fake.default = fs.status(500)
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: getattr(app, "settings", None) is not None)
        app.settings = Settings(prices={"gpt-test": Price(input=1.0, output=2.0)})
        model = OpenAIModel("gpt-test", api_key=SecretStr("sk-x"), base_url=f"{fake.url}/v1", max_retries=0)
        interview = app.practice.start("llm-support-assistant", model=model)
        app.open_interview(interview)
        await wait_until(pilot, lambda: len(interview.turns) == 1)
        screen = app.screen
        assert [w.source for w in screen.query(".turn").results(TurnView)][0] == "STAND-IN: How would you host it?"
        screen.query_one("#answer").load_text("How many users?")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: len(interview.turns) == 3)
        usage = str(screen.query_one("#usage").render())
        assert "2,700 in, 55 out" in usage and "cost: $0.0028" in usage
        screen.query_one("#answer").load_text("I'd use Bedrock with retrieval over the help articles.")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: len(interview.turns) == 5)
        assert interview.turns[-1].fallback
        await wait_until(pilot, lambda: any(n.title == "The model did not answer" for n in app._notifications))


async def test_home_shows_the_configured_model_and_switches(fake, tmp_path: Path, monkeypatch) -> None:
    from interviewer.tui.screens.home import HomeScreen

    monkeypatch.setenv("OPENAI_BASE_URL", f"{fake.url}/v1")
    monkeypatch.setenv("INTERVIEWER_MODEL", "llama3.1")
    app = make_app(tmp_path / "app.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, HomeScreen)
                and app.screen.selected
                and getattr(app, "settings", None) is not None
            ),
        )
        home = app.screen
        assert "openai-compatible llama3.1" in str(home.query_one("#model").render())
        chooser = home.query_one("#provider")
        assert chooser.value == "openai-compatible"
        assert (home.chosen_model().provider, home.chosen_model().name) == ("openai-compatible", "llama3.1")
        chooser.value = "offline"
        assert home.chosen_model().provider == "offline"
        chooser.value = "openai-compatible"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.interview.turns)
        assert app.screen.interview.model.provider == "openai-compatible"
        assert fake.requests and fake.requests[0]["body"]["model"] == "llama3.1"
