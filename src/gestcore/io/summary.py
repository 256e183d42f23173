"""``GeteventSummary``: what reading a getevent trace read, used and skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["GeteventSummary", "show_device"]


@dataclass(frozen=True)
class GeteventSummary:
    """What ``read_getevent`` read, used and skipped.

    ``skipped`` counts lines and events that gave no sample, by reason:
    ``other devices`` (event lines of other input devices), ``not events``
    (device headers, messages, blank lines), ``unused events`` (events of the
    touch device that carry no contact or position: pressure, touch size,
    keys, ...), ``unfinished frame`` (events after the last SYN_REPORT),
    ``dropped by the kernel`` (a SYN_DROPPED and the events up to the next
    SYN_REPORT) and ``malformed lines of other devices``.
    """

    source: str
    lines: int
    device: str
    device_name: str | None
    protocol: str | None
    events: int
    frames: int
    samples: int
    touches: int
    began_before: int
    open_at_end: int
    skipped: dict[str, int] = field(default_factory=dict)

    def format(self) -> str:
        """A short report, one fact a line."""
        from gestcore._format import count, number

        name = f' "{self.device_name}"' if self.device_name else ""
        lines = [
            f"{self.source}: {count(self.lines, 'line')}",
            f"device {show_device(self.device)}{name}: {self.protocol or 'no touch events'}, "
            f"{count(self.events, 'event')}, {count(self.frames, 'frame')}",
            f"{count(self.samples, 'sample')} ({count(self.touches, 'touch', 'touches')})",
        ]
        if self.began_before:
            lines.append(
                f"already down when the trace began: {count(self.began_before, 'contact')} "
                "(their samples start without DOWN: ORPHAN records)"
            )
        if self.open_at_end:
            lines.append(f"still down at the end: {count(self.open_at_end, 'contact')} (left open)")
        shown = {k: v for k, v in self.skipped.items() if v}
        if shown:
            lines.append("skipped: " + ", ".join(f"{k} {number(v)}" for k, v in shown.items()))
        return "\n".join(lines)


def show_device(device: str) -> str:
    return device or "(unnamed: the trace names no device)"
