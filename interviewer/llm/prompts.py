"""Prompts are files in ``prompts/``, rendered with Jinja2; a missing variable is an error, never a blank."""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from jinja2 import meta

from interviewer.locations import prompts_dir


class PromptError(RuntimeError):
    """A prompt cannot be rendered (the message names the template and what is missing)."""


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    folder = prompts_dir()
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # prompts are plain text, not HTML
    )


@functools.lru_cache(maxsize=16)
def required_variables(name: str) -> frozenset[str]:
    """The variables a template uses, read from its source."""
    environment = _environment()
    source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]  # built with a loader above
    return frozenset(meta.find_undeclared_variables(environment.parse(source)))


def render(name: str, **context: Any) -> str:
    """Render a prompt file; every variable it uses must be given (checked before rendering)."""
    try:
        missing = sorted(required_variables(name) - context.keys())
    except jinja2.TemplateNotFound:
        raise PromptError(f"no prompt file {name} in {prompts_dir()}") from None
    if missing:
        raise PromptError(f"prompt {name} needs {', '.join(missing)}")
    try:
        return _environment().get_template(name).render(**context)
    except jinja2.UndefinedError as exc:
        raise PromptError(f"prompt {name}: {exc.message}") from None
