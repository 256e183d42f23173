"""Transports: where a batch goes. Any callable taking the batch's JSON bytes
and raising on failure is one; gestcore ships HTTP and JSON-lines.
"""

from __future__ import annotations

import gzip
import http.client
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable

__all__ = ["HttpTransport", "JsonlTransport", "TransportError"]


class TransportError(OSError):
    """A batch could not be delivered; it stays queued and is sent again later."""


# Statuses worth trying again: the server may take the same batch later.
_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class HttpTransport:
    """POST each batch to ``url`` as gzip-compressed JSON.

    Parameters
    ----------
    url : str
        The collector's endpoint (http or https).
    timeout : float
        Seconds for one request (connect and read).
    retries : int
        Extra attempts after a failed one, for connection errors, timeouts
        and the statuses 408, 425, 429 and 5xx; other statuses fail at once.
    backoff : float
        Seconds before the first retry; doubled after each (exponential).
    compress : bool
        Gzip the body (``Content-Encoding: gzip``).
    headers : dict, optional
        Extra request headers.
    sleep : callable
        Injected for tests; ``time.sleep`` by default.

    Notes
    -----
    Calling it raises ``TransportError`` when every attempt failed, so the
    tracker keeps the batch queued.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        compress: bool = True,
        headers: dict[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"url: expected an http:// or https:// URL, got {url!r}")
        if retries < 0 or timeout <= 0 or backoff < 0:
            raise ValueError("timeout must be > 0, retries and backoff >= 0")
        self.url = url
        self.timeout: float = float(timeout)
        self.retries: int = int(retries)
        self.backoff: float = float(backoff)
        self.compress: bool = bool(compress)
        self.headers: dict[str, str] = dict(headers or {})
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"HttpTransport({self.url!r})"

    def _post(self, body: bytes) -> None:
        headers = {"Content-Type": "application/json", **self.headers}
        if self.compress:
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            resp.read()

    def __call__(self, body: bytes) -> None:
        delay = self.backoff
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(delay)
                delay *= 2
            try:
                self._post(body)
                return
            except urllib.error.HTTPError as exc:
                last = exc
                if exc.code not in _RETRY_STATUSES:
                    break
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                # refused, reset, timed out, DNS ...: the batch may go later
                last = exc
        raise TransportError(f"POST {self.url} failed: {last}") from last


class JsonlTransport:
    """Append each batch as one line of JSON to ``path`` (``"-"`` for stdout)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path: str = os.fspath(path)  # "-" stays "-": stdout

    def __repr__(self) -> str:
        return f"JsonlTransport({self.path!r})"

    def __call__(self, body: bytes) -> None:
        if self.path == "-":
            import sys

            sys.stdout.buffer.write(body + b"\n")
            sys.stdout.flush()
            return
        with open(self.path, "ab") as f:
            f.write(body + b"\n")
