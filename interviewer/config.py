"""Typed configuration: the environment, then the config file, then defaults. Keys are secrets."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError

from interviewer import locations

Provider = Literal["offline", "openai", "openai-compatible", "anthropic"]

DEFAULT_MODELS = {"openai": "gpt-4o-mini", "openai-compatible": "llama3.1", "anthropic": "claude-3-5-haiku-latest"}


_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):[^@/\s]*@", re.IGNORECASE)


def redact(text: str) -> str:
    """Text with the password of any URL in it hidden: ``http://me:secret@host`` becomes ``http://me:***@host``."""
    return _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)


class ConfigError(ValueError):
    """The config file or an environment variable is invalid; the message says where."""


class Price(BaseModel):
    """What a model costs, in dollars per million tokens."""

    input: float = Field(ge=0, description="Dollars per million input tokens.")
    output: float = Field(ge=0, description="Dollars per million output tokens.")


class Settings(BaseModel):
    """Everything the app can be configured with."""

    model_config = {"extra": "forbid"}

    provider: Provider | None = Field(
        None,
        description="Which model runs interviews; None chooses from the keys present, else offline.",
    )
    model: str | None = Field(
        None,
        description="The model name at the provider (default: a small, cheap model of that provider).",
    )
    openai_api_key: SecretStr | None = Field(
        None,
        description="Key for OpenAI or an OpenAI-compatible server.",
    )
    openai_base_url: str | None = Field(
        None,
        description="Base URL of an OpenAI-compatible server (Ollama: http://localhost:11434/v1).",
    )
    anthropic_api_key: SecretStr | None = Field(
        None,
        description="Key for Anthropic.",
    )
    anthropic_base_url: str | None = Field(
        None,
        description="Base URL of the Anthropic API or a compatible stand-in.",
    )
    timeout: float = Field(
        30.0, gt=0, le=600, allow_inf_nan=False, description="Seconds one model call may take before it is retried."
    )
    max_retries: int = Field(2, ge=0, le=10, description="Retries with backoff on 429, 5xx, time-outs and drops.")
    context_window: int = Field(
        16_000, ge=1_000, description="Tokens the model may be sent; older turns are summarised past it."
    )
    prices: dict[str, Price] = Field(default_factory=dict, description="Per-model prices, to show the cost.")
    persona: Literal["friendly", "neutral", "tough"] = Field(
        "neutral", description="The interviewer's manner: friendly, neutral or tough."
    )
    send_key: str = Field(
        "ctrl+s",
        pattern=r"^((ctrl|alt|shift)\+)*[a-z0-9_]+$",
        description="A second key that sends an answer in the app, besides Ctrl+J (which some terminals take).",
    )
    user: str | None = Field(
        None,
        max_length=100,
        description="Who is practising, as sessions and rubric versions record it (default: your login name).",
    )
    theme: str | None = Field(None, description="The app's colour theme (remembered from Ctrl+T).")
    interviewer: str | None = Field(
        None, description="The interviewer last chosen in the app, e.g. 'offline' (remembered from Home)."
    )
    timed: bool = Field(True, description="Whether the app's interviews are timed (remembered from Home).")
    minutes: dict[str, int] = Field(
        default_factory=dict, description="Interview lengths chosen in the app, per rubric id (remembered from Home)."
    )

    def resolved_provider(self) -> Provider:
        """The provider to use: the one named, else the first whose key (or server) is configured."""
        if self.provider:
            return self.provider
        if self.anthropic_api_key:
            return "anthropic"
        if self.openai_api_key:
            return "openai"
        if self.openai_base_url:
            return "openai-compatible"
        return "offline"

    def resolved_model(self) -> str:
        provider = self.resolved_provider()
        return self.model or DEFAULT_MODELS.get(provider, "offline")


def config_path() -> Path:
    """The config file: ``INTERVIEWER_CONFIG`` or ``config.toml`` in the platform's config folder."""
    return locations.config_file()


_ENVIRONMENT = {
    "INTERVIEWER_PROVIDER": "provider",
    "INTERVIEWER_MODEL": "model",
    "INTERVIEWER_PERSONA": "persona",
    "INTERVIEWER_USER": "user",
    "OPENAI_API_KEY": "openai_api_key",
    "OPENAI_BASE_URL": "openai_base_url",
    "ANTHROPIC_API_KEY": "anthropic_api_key",
    "ANTHROPIC_BASE_URL": "anthropic_base_url",
}


def load_settings(**overrides: Any) -> Settings:
    """Settings from overrides (command-line flags), then the environment, then the config file."""
    path = config_path()
    values = read_config_file()
    source = {field: str(path) for field in values}
    for variable, field in _ENVIRONMENT.items():
        if os.environ.get(variable):
            values[field] = os.environ[variable]
            source[field] = f"the environment variable {variable}"
    given = {k: v for k, v in overrides.items() if v is not None}
    values.update(given)
    source.update({field: f"--{field.replace('_', '-')}" for field in given})
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        origin = source.get(str(first["loc"][0]) if first["loc"] else "", str(path))
        raise ConfigError(f"{origin}: {where}: {first['msg']}") from None


def read_config_file() -> dict[str, Any]:
    """The config file's own values (not the environment's), for changing some and writing them back."""
    path = config_path()
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from None


def update_config(**values: Any) -> Path:
    """Change some settings in the config file, keeping the others (and its keys) as they are."""
    current = read_config_file()
    current.update(values)
    try:
        settings = Settings.model_validate(current)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
    return save_settings(settings)


def save_settings(settings: Settings) -> Path:
    """Write the config file, readable by its owner only (it may hold keys)."""
    import tomli_w

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = settings.model_dump(mode="json", exclude_none=True, by_alias=False)
    for key in ("openai_api_key", "anthropic_api_key"):
        secret = getattr(settings, key)
        if secret is not None:
            data[key] = secret.get_secret_value()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(tomli_w.dumps(data))
    os.chmod(path, 0o600)
    return path
