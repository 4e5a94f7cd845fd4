"""Words and phrases: tokenising, light stemming and phrase matching tolerant of case, plurals and typos."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

import regex
from rapidfuzz import fuzz

_ASCII_TOKEN = regex.compile(r"[a-z0-9]+")
# Letters and digits of any script; scripts written without spaces (Chinese, Japanese, Thai) one
# character per token, so a phrase in them still matches inside a longer run of text.
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}"
_TOKEN = regex.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from as is are was were be been being it its
    this that these those i we you they he she me us them my our your their i'd i'm we'd we'll it's that's there
    here do does did doing have has had can could would should will shall may might must not no than too very
    just also about into over under up down out more most some any each which who whom what when where why how
    all both few other such only own same because while until again further once""".split()
)


def fold_quotes(text: str) -> str:
    """Typographic quotes folded to plain ones, case kept."""
    return text.translate(_APOSTROPHES)


def normalise(text: str) -> str:
    """Lowercase with typographic quotes folded, so patterns see one kind of apostrophe."""
    return fold_quotes(text).lower()


_SENTENCE_END = regex.compile(r"(?<=[.!?;])\s+|\n+")


def sentences(text: str) -> list[str]:
    """Split text into sentences (and lines), dropping empty ones."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stemmer: plurals and common verb endings, enough for 'replicas' ~ 'replica'."""
    for suffix, replacement, keep in (
        ("ies", "y", 3),
        ("sses", "ss", 3),
        ("ing", "", 4),
        ("ed", "", 4),
        ("es", "", 4),
        ("s", "", 3),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + replacement
    return word


def tokens(text: str) -> list[str]:
    """The words of a text, lowercased: letters and digits of any script."""
    low = normalise(text)
    return (_ASCII_TOKEN if low.isascii() else _TOKEN).findall(low)


@dataclass(frozen=True)
class Tokens:
    """A text's tokens and stems, computed once and matched against many phrases."""

    words: tuple[str, ...]
    stems: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        words = tuple(tokens(text))
        return cls(words, tuple(stem(w) for w in words))

    def __len__(self) -> int:
        return len(self.words)

    @functools.cached_property
    def _positions(self) -> dict[tuple[str, str], list[int]]:
        """Where each distinct (word, stem) occurs: a long text repeats few distinct words."""
        index: dict[tuple[str, str], list[int]] = {}
        for position, pair in enumerate(zip(self.words, self.stems, strict=True)):
            index.setdefault(pair, []).append(position)
        return index

    def starts(self, phrase_stem: str) -> list[int]:
        """The positions, in order, of the words that phrase_stem matches."""
        return sorted(
            position
            for (word, word_stem), positions in self._positions.items()
            if _token_matches(phrase_stem, word, word_stem)
            for position in positions
        )


def _token_matches(phrase_stem: str, word: str, word_stem: str) -> bool:
    if phrase_stem == word_stem or phrase_stem == word:
        return True
    # long phrase tokens match as prefixes ('replica' ~ 'replication') and tolerate one typo
    if len(phrase_stem) >= 5 and word.startswith(phrase_stem):
        return True
    return (
        len(phrase_stem) >= 7
        and abs(len(word_stem) - len(phrase_stem)) <= 2
        and fuzz.ratio(phrase_stem, word_stem) >= 86
    )


@functools.lru_cache(maxsize=8192)
def phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in tokens(phrase))


def find_phrase(phrase: str, text: Tokens) -> int | None:
    """The token index where phrase starts in text, or None."""
    wanted = phrase_stems(phrase)
    if not wanted:
        return None
    size = len(wanted)
    for start in text.starts(wanted[0]):
        if start + size > len(text.words):
            break
        if all(_token_matches(wanted[i], text.words[start + i], text.stems[start + i]) for i in range(1, size)):
            return start
    return None


def content_words(text: str) -> list[str]:
    return [w for w in tokens(text) if w not in STOPWORDS]


@functools.cache
def _synonyms() -> dict[str, str]:
    """Each stem of the thesaurus mapped to its group's first stem."""
    text = resources.files("interviewer.scoring").joinpath("synonyms.toml").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for group in tomllib.loads(text)["groups"]:
        head = stem(group[0].replace("-", ""))
        for word in group:
            table.setdefault(stem(word.replace("-", "")), head)
    return table


def canonical(word_stem: str) -> str:
    """The stem that stands for word_stem's group of interchangeable words ('mean' -> 'average')."""
    return _synonyms().get(word_stem, word_stem)
