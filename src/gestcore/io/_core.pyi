"""Types of the compiled trace kernels (``_core.pyx``); ``getevent.py`` is their only caller.

Both return plain dicts of numpy columns and counts, the same keys as the
reference (``_reference.py``) returns.
"""

from typing import Any

def scan(data: bytes) -> dict[str, Any]: ...
def frames(scanned: dict[str, Any], device: int, protocol: int) -> dict[str, Any]: ...
