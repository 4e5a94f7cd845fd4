"""The config command: show the settings (keys never shown), set one, or print where the file is."""

from __future__ import annotations

import argparse

from interviewer.commands import EXIT_OK, CommandError

SECRET_FIELDS = ("openai_api_key", "anthropic_api_key")


def config(args: argparse.Namespace) -> int:
    from interviewer.config import ConfigError, Settings, config_path, load_settings, redact, update_config

    if args.action == "path":
        print(config_path())
        return EXIT_OK
    if args.action == "show":
        try:
            settings = load_settings()
        except ConfigError as exc:
            raise CommandError(str(exc)) from None
        for name in Settings.model_fields:
            value = getattr(settings, name)
            shown = ("set" if value is not None else "not set") if name in SECRET_FIELDS else value
            if isinstance(shown, str):
                shown = redact(shown)
            print(f"{name} = {shown}")
        print(f"# chosen: {settings.resolved_provider()} {settings.resolved_model()}; file: {config_path()}")
        return EXIT_OK
    if not args.name or args.value is None:
        raise CommandError("usage: interviewer config set NAME VALUE")
    if args.name not in Settings.model_fields or args.name in ("prices", "minutes"):
        names = ", ".join(n for n in Settings.model_fields if n not in ("prices", "minutes"))
        raise CommandError(f"unknown setting '{args.name}'; one of: {names}")
    try:
        written = update_config(**{args.name: args.value})
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    shown = "(secret)" if args.name in SECRET_FIELDS else redact(args.value)
    print(f"{args.name} = {shown} saved to {written} (readable by you only)")
    return EXIT_OK
