"""The rubric list Home shows first, kept light: it is on screen before the database is opened.

Opening the database (SQLAlchemy, migrations, the bundled-rubric check) takes longer than painting
a screen, so Home shows the list it showed last time, from a small JSON file beside the database,
and replaces it with the database's list a moment later. Only titles and the line under them come
from the file; everything a user does with a rubric reads the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Protocol

from interviewer import locations

log = logging.getLogger(__name__)

CACHE_NAME = "rubric-list.json"


class Listed(Protocol):
    """What the list needs of a rubric (a RubricSummary from the database has all of it)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def difficulty(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    @property
    def tags(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class BankEntry:
    """One line of the rubric list as remembered between runs."""

    id: str
    title: str
    topic: str
    difficulty: str
    minutes: int
    tags: tuple[str, ...] = ()


def tag_words(tag: str) -> str:
    """A tag as filtering sees it: "Load-Balancing" and "load balancing" are the same tag."""
    return " ".join(re.split(r"[\s_\-/]+", tag.casefold())).strip()


def matches(entry: Listed, query: str) -> bool:
    """Every word of the query appears in the rubric's id, title, topic, difficulty or tags (tags normalised, so
    "load balancing" finds the tag "load-balancing" and the other way round)."""
    haystack = tag_words(" ".join([entry.id, entry.title, entry.topic, entry.difficulty, *entry.tags]))
    return all(word in haystack for word in tag_words(query).split())


def _cache_file() -> Path:
    return locations.data_dir() / CACHE_NAME


def _database_key(db_url: str | None) -> str:
    """Which database a list belongs to, hashed: a URL may carry a password, which is never written down."""
    return hashlib.sha256(locations.database_url(db_url).encode()).hexdigest()


def remembered(db_url: str | None) -> list[BankEntry] | None:
    """The list shown last time for this database, or None (first run, another database, unreadable file)."""
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        if data.get("database") != _database_key(db_url):
            return None
        names = {f.name for f in fields(BankEntry)}
        return [
            BankEntry(**{**{k: v for k, v in item.items() if k in names}, "tags": tuple(item.get("tags", ()))})
            for item in data["rubrics"]
        ]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def remember(db_url: str | None, rubrics: Iterable[Listed]) -> None:
    """Keep the list for the next start (written atomically, owner-only; a failure only costs speed)."""
    entries = [BankEntry(r.id, r.title, r.topic, r.difficulty, r.minutes, tuple(r.tags)) for r in rubrics]
    data = {"database": _database_key(db_url), "rubrics": [asdict(e) for e in entries]}
    target = _cache_file()
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(data, file)
        os.replace(partial, target)
    except OSError as exc:
        log.info("the rubric list was not remembered: %s", exc)
