"""``AppConfig``: the app's run configuration, with the SDK's field names.

The batch header's fields are flattened (``to.an`` is ``an``, ``r.d`` is
``d``); the event's version origin (``vo``) fields, the batch size and the
session timeout complete it. ``AppConfig.load(path)`` reads a JSON or TOML
run configuration file.
"""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path
from typing import Any

import msgspec
import msgspec.structs

from gestcore.events.schema import EventValidationError, Origin, Resolution, Version, explain

__all__ = ["AppConfig"]

_HEADER_STRINGS = ("uid", "os", "l", "tz", "an", "st", "sf", "sv", "av", "af", "url_scheme")


class AppConfig(msgspec.Struct, frozen=True, kw_only=True):
    """The app's configuration; validated when built.

    Build it with keyword arguments named as the attributes below.

    Attributes
    ----------
    pid : int
        Project id.
    uid : str
        The user's unique id (a UUID string).
    dt : {4, 5}
        Device type: 4 phone, 5 tablet.
    os, l, tz : str
        OS version, language (ISO 639, e.g. ``en_US``), time zone (tz database).
    an, st, sf : str
        App name, SDK type (``sdk-ios``), SDK flavor (release/debug/god).
    d : float
        Device density, 0.75 to 10.
    dma, dmo : str, optional
        Device manufacturer and model; left out of the header when None.
    sv, sb, av, af, ab : str or int
        Versions written in each event's ``vo``: SDK version and build, app
        version, flavor and build.
    app_id : str, optional
        The app identifier in screen URLs (``app-ios://APP_ID/path?title=``);
        ``an`` when None.
    url_scheme : str
        The URL scheme of screen URLs.
    batch_size : int
        Events per batch at most (50 by default).
    session_timeout_ms : float
        A new session starts when the app is shown after being hidden longer
        than this (30 minutes).
    """

    pid: int
    uid: str
    dt: int
    os: str
    l: str  # noqa: E741 - the seed's name
    tz: str
    an: str
    st: str
    sf: str
    d: float
    dma: str | None = None
    dmo: str | None = None
    sv: str = "0.1.0"
    sb: int = 1
    av: str = "1.0"
    af: str = "release"
    ab: int = 1
    app_id: str | None = None
    url_scheme: str = "app-ios"
    batch_size: int = 50
    session_timeout_ms: float = 30 * 60 * 1000.0

    def __post_init__(self) -> None:
        def bad(field: str, what: str) -> EventValidationError:
            return EventValidationError(f"AppConfig.{field}: {what}, got {getattr(self, field)!r}")

        for name in ("pid", "sb", "ab", "batch_size"):
            if type(getattr(self, name)) is not int:
                raise bad(name, "expected an integer")
        if self.batch_size < 1:
            raise bad("batch_size", "expected a positive integer")
        for name in _HEADER_STRINGS:
            if not isinstance(getattr(self, name), str):
                raise bad(name, "expected a string")
        for name in ("dma", "dmo", "app_id"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise bad(name, "expected a string or None")
        if type(self.dt) is not int or self.dt not in (4, 5):
            raise bad("dt", "expected 4 (phone) or 5 (tablet)")
        d = self.d
        if isinstance(d, bool) or not isinstance(d, int | float) or not 0.75 <= d <= 10:
            raise bad("d", "expected a density between 0.75 and 10")
        t = self.session_timeout_ms
        if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t) or t < 0:
            raise bad("session_timeout_ms", "expected a finite non-negative number")
        msgspec.structs.force_setattr(self, "d", float(d))
        msgspec.structs.force_setattr(self, "session_timeout_ms", float(t))

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "AppConfig") -> AppConfig:
        """Build from a mapping (unknown keys are an error, naming them)."""
        if not isinstance(data, dict):
            raise EventValidationError(f"{where}: expected an object, got {type(data).__name__}")
        known = set(cls.__struct_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise EventValidationError(f"{where}: unknown field(s) {', '.join(unknown)}")
        try:
            return msgspec.convert(data, cls, strict=True)
        except msgspec.ValidationError as exc:
            raise EventValidationError(explain(exc, where)) from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> AppConfig:
        """Read a run configuration file: TOML if it ends in ``.toml``, else JSON."""
        p = Path(path)
        raw = p.read_bytes()
        try:
            if p.suffix.lower() == ".toml":
                data = tomllib.loads(raw.decode("utf-8"))
            else:
                data = msgspec.json.decode(raw)
        except (tomllib.TOMLDecodeError, msgspec.DecodeError, UnicodeDecodeError) as exc:
            raise EventValidationError(f"{p}: not a valid run configuration: {exc}") from None
        return cls.from_dict(data, where=str(p))

    # What the tracker needs, built once.
    def version(self) -> Version:
        return Version(sv=self.sv, sb=self.sb, av=self.av, af=self.af, ab=self.ab)

    def origin(self) -> Origin:
        return Origin(an=self.an, st=self.st, sf=self.sf)

    def resolution(self) -> Resolution:
        return Resolution(d=self.d)
