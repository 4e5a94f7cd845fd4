"""The command palette: every binding of the current screen is also a command."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenActionsProvider(Provider):
    """Offers the current screen's bound actions by their descriptions (the app's own are system commands)."""

    def _actions(self) -> list[tuple[str, str, str]]:
        found: dict[str, tuple[str, str, str]] = {}
        for binding in getattr(self.screen, "BINDINGS", []):
            action = getattr(binding, "action", None)
            description = getattr(binding, "description", "")
            if action and description and action not in found:
                keys = ", ".join(k.strip() for k in binding.key.split(","))
                found[action] = (description, action, f"key: {keys}")
        return list(found.values())

    async def discover(self) -> Hits:
        for description, action, keys in self._actions():
            yield DiscoveryHit(description, partial(self.screen.run_action, action), help=keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, action, keys in self._actions():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), partial(self.screen.run_action, action), help=keys)
