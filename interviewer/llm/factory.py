"""Choosing the model: flags, then the environment, then the config file, then the keys present."""

from __future__ import annotations

from interviewer.config import Settings, redact
from interviewer.llm.base import Model
from interviewer.llm.offline import OfflineModel


def make_model(settings: Settings) -> Model:
    """The model the settings ask for; the offline model when none is configured."""
    provider = settings.resolved_provider()
    name = settings.resolved_model()
    if provider in ("openai", "openai-compatible"):
        from interviewer.llm.openai_model import OpenAIModel

        return OpenAIModel(
            name,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            provider=provider,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            context_window=settings.context_window,
        )
    if provider == "anthropic":
        from interviewer.llm.anthropic_model import AnthropicModel

        return AnthropicModel(
            name,
            api_key=settings.anthropic_api_key,
            base_url=settings.anthropic_base_url,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            context_window=settings.context_window,
        )
    return OfflineModel()


def describe(settings: Settings) -> str:
    """One line for the user: which model runs interviews, and how to change it."""
    provider = settings.resolved_provider()
    if provider == "offline":
        return (
            "Interviewer: built-in offline (no network, no key). For a model, set OPENAI_API_KEY or "
            "ANTHROPIC_API_KEY, or OPENAI_BASE_URL for Ollama or vLLM."
        )
    where = (
        f" at {redact(settings.openai_base_url)}"
        if provider == "openai-compatible" and settings.openai_base_url
        else ""
    )
    return f"Interviewer: {provider} {settings.resolved_model()}{where} (offline if it fails)."


def local_ollama_models(url: str = "http://localhost:11434", timeout: float = 0.3) -> list[str]:
    """The models of an Ollama server running on this machine, or none (never waits long)."""
    import json
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/api/tags", timeout=timeout) as response:  # noqa: S310 - localhost only
            return [m["name"] for m in json.load(response).get("models", []) if "name" in m]
    except (OSError, ValueError, KeyError):
        return []
