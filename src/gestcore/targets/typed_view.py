"""The typed form of a snapshot for the compiled core's fast ``from_json`` path.

``msgspec`` decodes a snapshot straight into :class:`TypedView` Structs (valid
types only) and the compiled walk (``_core.pyx``) reads their slots into the
columns. Nothing here is the reference: a document these types refuse goes
to the dict decoding (``snapshot_json``) and the reference checks
(``snapshot``), which give the result or the error.
"""

from __future__ import annotations

import msgspec

__all__ = ["TYPED_DECODER", "TypedView"]


class TypedView(msgspec.Struct, gc=False):
    """One view as the compiled core's fast ``from_json`` path decodes it.

    ``msgspec`` decodes the snapshot straight into these (attribute names are
    the column names of ``FIELDS``, JSON names as in ``FIELDS``): no dict per
    view, no key hashing, and objects the cyclic collector does not track.
    The types are the valid ones only, so anything else (a string tag, a
    float where a bool goes, a 3-number frame, a missing class) makes msgspec
    refuse the document and the compiled core fall back to decoding into
    dicts and walking them, which gives the reference's result or error.
    Unknown keys are skipped, as the walkers ignore them.
    """

    # msgspec looks a key up from the field after the previous key's, so the
    # usual order of snapshots (class, frame, identifiers, ..., subviews)
    # makes most lookups one comparison.
    cls: str = msgspec.field(name="class")
    frame: tuple[float, float, float, float] | None = None
    ai: str | None = msgspec.field(name="accessibilityIdentifier", default=None)
    ri: str | None = msgspec.field(name="restorationIdentifier", default=None)
    tag: int | None = None
    vc: str | None = msgspec.field(name="viewController", default=None)
    hidden: bool | None = None
    alpha: float | None = None
    interaction: bool | None = msgspec.field(name="userInteractionEnabled", default=None)
    responsive: bool | None = None
    subviews: list[TypedView] | None = None


TYPED_DECODER = msgspec.json.Decoder(TypedView)
