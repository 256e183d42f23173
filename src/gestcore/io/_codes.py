"""The kernel input codes that a getevent trace is read for, in one place.

The scanner (reference and compiled) turns each event line into one *kind*
code below; everything about protocols works on kinds. Labels are the names
``getevent -l`` prints (``linux/input-event-codes.h``); without ``-l`` it
prints the same codes in hexadecimal, and both spellings map to one kind.
"""

from __future__ import annotations

# Kinds of event lines (int8 in the scanner's output).
OTHER = 0  # a well-formed event of no use to touch (pressure, keys, ...)
SYN_REPORT = 1
SYN_MT_REPORT = 2
SYN_DROPPED = 3
BTN_TOUCH = 4
ABS_X = 5
ABS_Y = 6
MT_SLOT = 7
MT_X = 8
MT_Y = 9
MT_TRACKING_ID = 10
MALFORMED = 11  # its value is one of the REASONS below
N_KINDS = 12

# Event types by label (EV_*); unknown EV_ labels are type -1 (kind OTHER).
TYPES: dict[str, int] = {
    "EV_SYN": 0x00,
    "EV_KEY": 0x01,
    "EV_REL": 0x02,
    "EV_ABS": 0x03,
    "EV_MSC": 0x04,
    "EV_SW": 0x05,
    "EV_LED": 0x11,
    "EV_SND": 0x12,
    "EV_REP": 0x14,
    "EV_FF": 0x15,
    "EV_PWR": 0x16,
    "EV_FF_STATUS": 0x17,
}

# Event codes by label, only those that decide a kind; any other label is
# code -1 (kind OTHER).
CODES: dict[str, int] = {
    "SYN_REPORT": 0x00,
    "SYN_MT_REPORT": 0x02,
    "SYN_DROPPED": 0x03,
    "BTN_TOUCH": 0x14A,
    "ABS_X": 0x00,
    "ABS_Y": 0x01,
    "ABS_MT_SLOT": 0x2F,
    "ABS_MT_POSITION_X": 0x35,
    "ABS_MT_POSITION_Y": 0x36,
    "ABS_MT_TRACKING_ID": 0x39,
}

# (type, code) -> kind
KINDS: dict[tuple[int, int], int] = {
    (0x00, 0x00): SYN_REPORT,
    (0x00, 0x02): SYN_MT_REPORT,
    (0x00, 0x03): SYN_DROPPED,
    (0x01, 0x14A): BTN_TOUCH,
    (0x03, 0x00): ABS_X,
    (0x03, 0x01): ABS_Y,
    (0x03, 0x2F): MT_SLOT,
    (0x03, 0x35): MT_X,
    (0x03, 0x36): MT_Y,
    (0x03, 0x39): MT_TRACKING_ID,
}

# Value labels of EV_KEY lines with -l.
VALUES: dict[str, int] = {"UP": 0, "DOWN": 1, "REPEAT": 2}

# Why an event line is malformed (the value of a MALFORMED row).
BAD_TIME = 1
BAD_DEVICE = 2
MISSING = 3
BAD_TYPE = 4
BAD_CODE = 5
BAD_VALUE = 6
TRAILING = 7
REASONS: dict[int, str] = {
    BAD_TIME: "the timestamp is not [seconds.fraction]",
    BAD_DEVICE: "the device name does not end with ':'",
    MISSING: "expected TYPE CODE VALUE after the timestamp",
    BAD_TYPE: "the event type is neither an EV_ label nor 4 hexadecimal digits",
    BAD_CODE: "the event code is neither a label nor 4 hexadecimal digits",
    BAD_VALUE: "the value is neither DOWN/UP/REPEAT nor 1 to 8 hexadecimal digits",
    TRAILING: "unexpected text after the value",
}

# Limits shared by both backends.
MAX_SECONDS_DIGITS = 10
MAX_SECONDS = 9_000_000_000  # so that seconds * 1e9 + fraction fits in int64
MAX_FRACTION_DIGITS = 9
MAX_CONTACTS = 32  # Android's input reader tracks at most 32 slots / pointer ids
UNKNOWN = -(2**63)  # a raw position the trace never reported

# Protocols (the machine's ``protocol`` argument).
PROTOCOL_B = 1
PROTOCOL_A = 2
PROTOCOL_SINGLE = 3
PROTOCOL_NAMES = {
    PROTOCOL_B: "multi-touch B",
    PROTOCOL_A: "multi-touch A",
    PROTOCOL_SINGLE: "single touch",
}

# Errors the protocol machine reports as (code, line, value).
ERR_SLOT = 1
ERR_CONTACTS = 2
ERR_DUPLICATE = 3
