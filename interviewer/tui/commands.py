"""The command palette: every binding of the current screen is also a command."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenActionsProvider(Provider):
    """Offers the current screen's (and the app's) bound actions by their descriptions."""

    def _actions(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        found: dict[str, tuple[str, str, object]] = {}
        for namespace, bindings in ((screen, getattr(screen, "BINDINGS", [])), (self.app, self.app.BINDINGS)):
            for binding in bindings:
                action = getattr(binding, "action", None)
                description = getattr(binding, "description", "")
                if action and description and action not in found:
                    found[action] = (description, action, namespace)
        return list(found.values())

    async def discover(self) -> Hits:
        for description, action, namespace in self._actions():
            yield DiscoveryHit(description, partial(namespace.run_action, action), help=f"({action})")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, action, namespace in self._actions():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), partial(namespace.run_action, action))
