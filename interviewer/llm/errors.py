"""Model failures in words a user can act on: which provider and model, what happened, what to do.

Messages never include a key: SDK error text is not passed through where it could echo one.
"""

from __future__ import annotations


def unreachable(exc: BaseException) -> bool:
    """The call itself failed (connection, time-out, an HTTP error status), not the content of a reply."""
    kind = type(exc).__name__
    return (
        isinstance(getattr(exc, "status_code", None), int)
        or "Timeout" in kind
        or "Connection" in kind
        or isinstance(exc, (OSError, TimeoutError))
    )


def model_failure(exc: Exception, provider: str, model: str, base_url: str | None = None) -> str:
    from interviewer.config import redact

    where = f"{provider} model {model}" + (f" at {redact(base_url)}" if base_url else "")
    status = getattr(exc, "status_code", None)
    kind = type(exc).__name__
    if status == 401 or kind == "AuthenticationError":
        return f"{where}: the key was refused; check the API key in the environment or the config file"
    if status == 403 or kind == "PermissionDeniedError":
        return f"{where}: the key may not use this model; check its permissions"
    if status == 404 or kind == "NotFoundError":
        return f"{where}: unknown model or wrong URL; check --model and the base URL"
    if status == 429 or kind == "RateLimitError":
        return f"{where}: rate-limited even after retries; wait a minute or use another model"
    if isinstance(status, int) and status >= 500:
        return f"{where}: the server failed ({status}) even after retries; try again later"
    if "Timeout" in kind:
        return f"{where}: no answer in time, even after retries; check the server or raise the timeout"
    if "Connection" in kind or "connect" in str(exc).lower():
        return f"{where}: cannot reach the server; check that it is running and the URL is right"
    return f"{where}: {kind}"
