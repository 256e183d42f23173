# cython: language_level=3
"""Reading getevent traces, compiled: the same two steps as ``_reference``.

``scan`` walks the bytes once, line by line, with no Python object per line
(only a line whose device differs from the previous line's looks its name up
in a dict). ``frames`` replays one device's rows through its protocol with
fixed C arrays of 32 contacts. Results, counts and error codes are the
reference's, bit for bit; the grammar and the frame rules are documented
there.
"""

import numpy as np

cimport numpy as cnp
from libc.stdint cimport int8_t, int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free, realloc
from libc.string cimport memchr, memcmp, memcpy

from gestcore.enums import Action
from gestcore.io import _codes

cnp.import_array()

# Kind and reason codes, read once from _codes (the single source).
cdef int8_t K_OTHER = _codes.OTHER
cdef int8_t K_SYN_REPORT = _codes.SYN_REPORT
cdef int8_t K_SYN_MT_REPORT = _codes.SYN_MT_REPORT
cdef int8_t K_SYN_DROPPED = _codes.SYN_DROPPED
cdef int8_t K_BTN_TOUCH = _codes.BTN_TOUCH
cdef int8_t K_ABS_X = _codes.ABS_X
cdef int8_t K_ABS_Y = _codes.ABS_Y
cdef int8_t K_MT_SLOT = _codes.MT_SLOT
cdef int8_t K_MT_X = _codes.MT_X
cdef int8_t K_MT_Y = _codes.MT_Y
cdef int8_t K_MT_TRACKING_ID = _codes.MT_TRACKING_ID
cdef int8_t K_MALFORMED = _codes.MALFORMED
cdef int64_t R_BAD_TIME = _codes.BAD_TIME
cdef int64_t R_BAD_DEVICE = _codes.BAD_DEVICE
cdef int64_t R_MISSING = _codes.MISSING
cdef int64_t R_BAD_TYPE = _codes.BAD_TYPE
cdef int64_t R_BAD_CODE = _codes.BAD_CODE
cdef int64_t R_BAD_VALUE = _codes.BAD_VALUE
cdef int64_t R_TRAILING = _codes.TRAILING
cdef int MAX_SECONDS_DIGITS = _codes.MAX_SECONDS_DIGITS
cdef int64_t MAX_SECONDS = _codes.MAX_SECONDS
cdef int MAX_FRACTION_DIGITS = _codes.MAX_FRACTION_DIGITS
cdef int64_t UNKNOWN = _codes.UNKNOWN
cdef int64_t INT32_LIMIT = (<int64_t>1) << 31
cdef int PROTOCOL_B = _codes.PROTOCOL_B
cdef int PROTOCOL_A = _codes.PROTOCOL_A
cdef int ERR_SLOT = _codes.ERR_SLOT
cdef int ERR_CONTACTS = _codes.ERR_CONTACTS
cdef int ERR_DUPLICATE = _codes.ERR_DUPLICATE
cdef int8_t A_DOWN = Action.DOWN
cdef int8_t A_UP = Action.UP
cdef int8_t A_MOVE = Action.MOVE
cdef int8_t A_POINTER_DOWN = Action.POINTER_DOWN
cdef int8_t A_POINTER_UP = Action.POINTER_UP

cdef enum:
    MAXC = 32  # fixed array size; checked against _codes.MAX_CONTACTS below

if _codes.MAX_CONTACTS != MAXC:
    raise ImportError("gestcore.io._core was built for another MAX_CONTACTS")

# Character classes, one table lookup per byte. '\n' is in no class, so it
# stops every run: the scanner relies on each line ending with it.
cdef enum:
    C_WS = 1
    C_DIGIT = 2
    C_LABEL = 4
cdef uint8_t char_class[256]
cdef int8_t hex_value[256]
for _i in range(256):
    char_class[_i] = 0
    hex_value[_i] = -1
for _ch in bytearray(b" \t\r\x0b\x0c"):
    char_class[_ch] = C_WS
for _ch in bytearray(b"0123456789"):
    char_class[_ch] = C_DIGIT | C_LABEL
for _ch in bytearray(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_"):
    char_class[_ch] = C_LABEL
for _i, _ch in enumerate(bytearray(b"0123456789abcdef")):
    hex_value[_ch] = _i
for _i, _ch in enumerate(bytearray(b"ABCDEF")):
    hex_value[_ch] = 10 + _i

# Labels (EV_ types, codes, DOWN/UP/REPEAT) in one open-addressing table keyed
# by (table, hash of the label), over bytes kept alive in _KEEP. The hash is a
# rotate-xor (one cycle a byte); memcmp settles any collision.
cdef enum:
    N_SLOTS = 128  # a power of two, well above the number of labels
cdef uint64_t lab_hash[N_SLOTS]
cdef const char* lab_ptr[N_SLOTS]
cdef Py_ssize_t lab_len[N_SLOTS]
cdef int lab_table[N_SLOTS]
cdef int64_t lab_val[N_SLOTS]
_KEEP = []


cdef inline uint64_t _mix(uint64_t h, uint8_t ch) noexcept nogil:
    return ((h << 5) | (h >> 59)) ^ ch


cdef inline uint64_t _hash(const uint8_t* s, Py_ssize_t n) noexcept nogil:
    cdef uint64_t h = 0
    cdef Py_ssize_t i
    for i in range(n):
        h = _mix(h, s[i])
    return h


cdef void _fill(int table, dict labels):
    cdef bytes b
    cdef uint64_t h
    cdef Py_ssize_t k
    for name, value in labels.items():
        b = name.encode()
        _KEEP.append(b)
        h = _hash(b, len(b))
        k = (h + <uint64_t>table) & (N_SLOTS - 1)
        while lab_ptr[k] != NULL:
            k = (k + 1) & (N_SLOTS - 1)
        lab_hash[k] = h
        lab_ptr[k] = b
        lab_len[k] = len(b)
        lab_table[k] = table
        lab_val[k] = value


for _i in range(N_SLOTS):
    lab_ptr[_i] = NULL
_fill(0, _codes.TYPES)
_fill(1, _codes.CODES)
_fill(2, _codes.VALUES)

# (type, code) -> kind, for the types and codes that have kinds
cdef int64_t kind_type[16]
cdef int64_t kind_code[16]
cdef int8_t kind_kind[16]
cdef int n_kinds = 0
for (_t, _c), _k in _codes.KINDS.items():
    kind_type[n_kinds] = _t
    kind_code[n_kinds] = _c
    kind_kind[n_kinds] = _k
    n_kinds += 1


cdef inline int64_t _lookup(int table, const uint8_t* s, Py_ssize_t n, uint64_t h) noexcept nogil:
    """Value of the label s[:n] (hash h) in ``table``; -1 when unknown."""
    cdef Py_ssize_t k = (h + <uint64_t>table) & (N_SLOTS - 1)
    while lab_ptr[k] != NULL:
        if (
            lab_hash[k] == h
            and lab_table[k] == table
            and lab_len[k] == n
            and memcmp(lab_ptr[k], s, n) == 0
        ):
            return lab_val[k]
        k = (k + 1) & (N_SLOTS - 1)
    return -1


cdef inline int64_t _hex(const uint8_t* s, Py_ssize_t n, Py_ssize_t most) noexcept nogil:
    """s[:n] as 1 to ``most`` hexadecimal digits, or -1."""
    cdef int64_t v = 0
    cdef int digit
    cdef Py_ssize_t i
    if n < 1 or n > most:
        return -1
    for i in range(n):
        digit = hex_value[s[i]]
        if digit < 0:
            return -1
        v = v * 16 + digit
    return v


cdef inline int64_t _number_or_label(
    int table, const uint8_t* s, Py_ssize_t n, uint64_t h, bint is_type
) noexcept nogil:
    """Like the reference's _number_or_label (``h``: the token's hash); -2 for neither."""
    cdef int64_t v = _lookup(table, s, n, h)
    if v >= 0:
        return v  # a known label (so a well-formed one)
    cdef Py_ssize_t i
    cdef bint label = True
    cdef bint underscore = False
    for i in range(n):
        if not (char_class[s[i]] & C_LABEL):
            label = False
            break
        underscore |= s[i] == 95
    if is_type:
        label = label and n >= 3 and s[0] == 69 and s[1] == 86 and s[2] == 95  # "EV_"
    else:
        label = label and underscore
    if label:
        return -1  # a well-formed label of no interest
    v = _hex(s, n, 4)
    return -2 if v < 0 else v


cdef inline int8_t _kind(int64_t type_, int64_t code) noexcept nogil:
    cdef int k
    if type_ < 0 or code < 0:
        return K_OTHER
    for k in range(n_kinds):
        if kind_type[k] == type_ and kind_code[k] == code:
            return kind_kind[k]
    return K_OTHER


cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define GESTCORE_CTZ64(x) __builtin_ctzll(x)
    #else
    static int GESTCORE_CTZ64(unsigned long long x) {
        int n = 0;
        while (!(x & 1)) { x >>= 1; n++; }
        return n;
    }
    #endif
    """
    int GESTCORE_CTZ64(unsigned long long x) nogil


cdef inline Py_ssize_t _skip_ws(const uint8_t* d, Py_ssize_t p, Py_ssize_t end) noexcept nogil:
    """First non-blank byte at or after p (the line's '\n' at the latest)."""
    cdef uint64_t word
    # getevent pads its columns with runs of spaces: eight at a time, the
    # first non-space found by counting trailing zero bits (little-endian)
    while p + 8 <= end:
        memcpy(&word, &d[p], 8)
        word ^= 0x2020202020202020ULL
        if word:
            p += GESTCORE_CTZ64(word) >> 3
            break
        p += 8
    while char_class[d[p]] & C_WS:
        p += 1
    return p


cdef inline Py_ssize_t _token_end(const uint8_t* d, Py_ssize_t p, uint64_t* h) noexcept nogil:
    """End of the token at p, and its hash in h."""
    cdef uint64_t x = 0
    while d[p] != 10 and not (char_class[d[p]] & C_WS):
        x = _mix(x, d[p])
        p += 1
    h[0] = x
    return p


cdef class _Devices:
    """Device names -> indices; consulted only when a line's device differs from the last."""

    cdef dict index
    cdef list names

    def __cinit__(self):
        self.index = {}
        self.names = []

    cdef int32_t get(self, const uint8_t* s, Py_ssize_t n):
        cdef bytes key = s[:n]
        cdef object found = self.index.get(key)
        if found is not None:
            return found
        cdef int32_t k = len(self.names)
        self.index[key] = k
        self.names.append(key)
        return k


cdef Py_ssize_t _number(
    const uint8_t* d, Py_ssize_t p, int most, int64_t* value
) noexcept nogil:
    """End of the 1 to ``most`` decimal digits at p, their value in ``value``; -1 if not."""
    cdef Py_ssize_t q = p, k
    cdef int64_t v = 0
    while char_class[d[q]] & C_DIGIT:
        q += 1
    if q - p < 1 or q - p > most:
        return -1
    for k in range(p, q):
        v = v * 10 + (d[k] - 48)
    value[0] = v
    return q


cdef int64_t _parse_time(const uint8_t* d, Py_ssize_t* pos, Py_ssize_t end) noexcept nogil:
    """``seconds.fraction ]`` at pos (after '['): ns, with pos after ']'; -1 if malformed."""
    cdef Py_ssize_t p = _skip_ws(d, pos[0], end)
    cdef Py_ssize_t q
    cdef int64_t seconds = 0, fraction = 0
    q = _number(d, p, MAX_SECONDS_DIGITS, &seconds)
    if q < 0 or seconds > MAX_SECONDS:
        return -1
    if d[q] == 46:  # '.'
        p = q + 1
        q = _number(d, p, MAX_FRACTION_DIGITS, &fraction)
        if q < 0:
            return -1
        for _ in range(<int>(q - p), MAX_FRACTION_DIGITS):
            fraction *= 10
    q = _skip_ws(d, q, end)
    if d[q] != 93:  # ']'
        return -1
    pos[0] = q + 1
    return seconds * 1000000000 + fraction


def scan(data):
    """Every event line of ``data`` (bytes) as columns; the reference's ``scan``."""
    if len(data) and data[-1] != 10:
        data = data + b"\n"  # every line ends with '\n': the loops' sentinel
    cdef const uint8_t[::1] buf = data if len(data) else b"\n"
    cdef Py_ssize_t size = len(data)
    cdef const uint8_t* d = &buf[0]
    cdef Py_ssize_t lines = 0, at = 0
    cdef const uint8_t* nl
    while at < size:
        nl = <const uint8_t*>memchr(&d[at], 10, size - at)
        at = nl - d + 1
        lines += 1
    line_arr = np.empty(lines, dtype=np.int64)
    dev_arr = np.empty(lines, dtype=np.int32)
    t_arr = np.empty(lines, dtype=np.int64)
    kind_arr = np.empty(lines, dtype=np.int8)
    value_arr = np.empty(lines, dtype=np.int64)
    unknown_arr = np.empty(lines, dtype=np.int64)
    cdef int64_t[::1] o_unknown = unknown_arr
    cdef int64_t[::1] o_line = line_arr
    cdef int32_t[::1] o_dev = dev_arr
    cdef int64_t[::1] o_t = t_arr
    cdef int8_t[::1] o_kind = kind_arr
    cdef int64_t[::1] o_value = value_arr
    cdef _Devices devices = _Devices()
    cdef Py_ssize_t rows = 0, unknown = 0, number = 0
    cdef Py_ssize_t start = 0, end, p, q, k
    cdef Py_ssize_t tok[3]
    cdef Py_ssize_t tok_end[3]
    cdef uint64_t tok_hash[3]
    cdef uint64_t h
    cdef int64_t t_ns, reason, type_ = 0, code = 0, value = 0
    cdef Py_ssize_t dev_start = 0, dev_len = 0, last_start = 0, last_len = -1
    cdef int32_t last_dev = -1
    while start < size:
        nl = <const uint8_t*>memchr(&d[start], 10, size - start)
        end = nl - d
        number += 1
        # -- one line: d[start:end], d[end] == '\n' ------------------------
        reason = 0
        dev_len = 0
        t_ns = -1
        p = _skip_ws(d, start, end)
        if d[p] == 91:  # '['
            p += 1
            t_ns = _parse_time(d, &p, end)
            if t_ns < 0:
                reason = R_BAD_TIME
            else:
                p = _skip_ws(d, p, end)
        if reason == 0:
            if d[p] == 47:  # '/'
                q = p
                while d[q] != 10 and d[q] != 58 and not (char_class[d[q]] & C_WS):
                    q += 1
                if d[q] != 58:  # ':'
                    reason = R_BAD_DEVICE
                else:
                    dev_start = p
                    dev_len = q - p
                    p = _skip_ws(d, q + 1, end)
            elif t_ns < 0 and not (
                end - p >= 3 and d[p] == 69 and d[p + 1] == 86 and d[p + 2] == 95
            ):
                o_unknown[unknown] = start  # a header, a message or a blank line
                unknown += 1
                start = end + 1
                continue
        if reason == 0:
            for k in range(3):
                q = _token_end(d, p, &tok_hash[k])
                if q == p:
                    reason = R_MISSING
                    break
                tok[k] = p
                tok_end[k] = q
                p = _skip_ws(d, q, end)
        if reason == 0 and p < end:
            # "rate N" (getevent -r), then nothing
            q = _token_end(d, p, &h)
            if not (q - p == 4 and memcmp(&d[p], b"rate", 4) == 0):
                reason = R_TRAILING
            else:
                p = _skip_ws(d, q, end)
                q = p
                while char_class[d[q]] & C_DIGIT:
                    q += 1
                if q == p or (q < end and not (char_class[d[q]] & C_WS)):
                    reason = R_TRAILING
                elif _skip_ws(d, q, end) < end:
                    reason = R_TRAILING
        if reason == 0:
            type_ = _number_or_label(0, &d[tok[0]], tok_end[0] - tok[0], tok_hash[0], True)
            if type_ == -2:
                reason = R_BAD_TYPE
        if reason == 0:
            code = _number_or_label(1, &d[tok[1]], tok_end[1] - tok[1], tok_hash[1], False)
            if code == -2:
                reason = R_BAD_CODE
        if reason == 0:
            # hexadecimal first: no value label is also hexadecimal
            k = tok_end[2] - tok[2]
            value = _hex(&d[tok[2]], k, 8)
            if value < 0:
                value = _lookup(2, &d[tok[2]], k, tok_hash[2])
                if value < 0:
                    reason = R_BAD_VALUE
            elif value >= INT32_LIMIT:
                value -= 2 * INT32_LIMIT  # getevent prints the int32 as %08x
        # -- the row: only a device that differs from the last line's is looked up
        if dev_len != last_len or (
            dev_len and memcmp(&d[dev_start], &d[last_start], dev_len) != 0
        ):
            last_dev = devices.get(&d[dev_start], dev_len)
            last_start = dev_start
            last_len = dev_len
        o_line[rows] = number
        o_dev[rows] = last_dev
        if reason != 0:
            o_t[rows] = -1
            o_kind[rows] = K_MALFORMED
            o_value[rows] = reason
        else:
            o_t[rows] = t_ns
            o_kind[rows] = _kind(type_, code)
            o_value[rows] = value
        rows += 1
        start = end + 1
    return {
        "lines": number,
        "unknown": unknown,
        "unknown_at": unknown_arr[:unknown],
        "devices": devices.names,
        "line": line_arr[:rows],
        "device": dev_arr[:rows],
        "t_ns": t_arr[:rows],
        "kind": kind_arr[:rows],
        "value": value_arr[:rows],
    }


# -- frames ------------------------------------------------------------------

cdef struct Samples:
    double* t
    int64_t* x
    int64_t* y
    int8_t* action
    int32_t* pointer
    Py_ssize_t n
    Py_ssize_t cap


cdef int _resize(void** p, size_t size) noexcept nogil:
    """``*p`` reallocated to ``size`` bytes; -1 (``*p`` unchanged) when out of memory."""
    cdef void* q = realloc(p[0], size)
    if q == NULL:
        return -1
    p[0] = q
    return 0


cdef int _grow(Samples* s) noexcept nogil:
    cdef Py_ssize_t cap = s.cap * 2 if s.cap else 1024
    if (
        _resize(<void**>&s.t, cap * sizeof(double)) < 0
        or _resize(<void**>&s.x, cap * sizeof(int64_t)) < 0
        or _resize(<void**>&s.y, cap * sizeof(int64_t)) < 0
        or _resize(<void**>&s.action, cap * sizeof(int8_t)) < 0
        or _resize(<void**>&s.pointer, cap * sizeof(int32_t)) < 0
    ):
        return -1
    s.cap = cap
    return 0


cdef inline int _emit(
    Samples* s, double t, int64_t x, int64_t y, int8_t action, int32_t pointer
) noexcept nogil:
    if s.n == s.cap and _grow(s) < 0:
        return -1
    s.t[s.n] = t
    s.x[s.n] = x
    s.y[s.n] = y
    s.action[s.n] = action
    s.pointer[s.n] = pointer
    s.n += 1
    return 0


cdef struct Contacts:
    # down contacts, ascending pointer id
    int64_t key[MAXC]
    int32_t pointer[MAXC]
    int64_t x[MAXC]
    int64_t y[MAXC]
    int n
    # the frame being closed, in contact order
    int64_t ckey[MAXC]
    int64_t cx[MAXC]
    int64_t cy[MAXC]
    bint cbefore[MAXC]
    int nc
    Py_ssize_t frames
    Py_ssize_t began_before


cdef inline int _find(const int64_t* keys, int n, int64_t key) noexcept nogil:
    cdef int i
    for i in range(n):
        if keys[i] == key:
            return i
    return -1


cdef int _frame(Contacts* a, Samples* s, int64_t t_ns) noexcept nogil:
    """The reference's _Frames.frame; -1 when out of memory."""
    cdef double t = t_ns / 1e6
    cdef int i, j, k, lifted = 0
    cdef bint moved = False
    cdef uint32_t used
    cdef int8_t action
    a.frames += 1
    # lifts, ascending pointer; the last one to leave no contact down is UP
    j = 0
    for i in range(a.n):
        k = _find(a.ckey, a.nc, a.key[i])
        if k < 0:
            lifted += 1
            action = A_UP if a.n - lifted == 0 else A_POINTER_UP
            if _emit(s, t, a.x[i], a.y[i], action, a.pointer[i]) < 0:
                return -1
        else:
            a.key[j] = a.key[i]
            a.pointer[j] = a.pointer[i]
            a.x[j] = a.x[i]
            a.y[j] = a.y[i]
            j += 1
    a.n = j
    for i in range(a.n):
        k = _find(a.ckey, a.nc, a.key[i])
        if a.cx[k] != a.x[i] or a.cy[k] != a.y[i]:
            moved = True
    if moved:
        for i in range(a.n):
            k = _find(a.ckey, a.nc, a.key[i])
            a.x[i] = a.cx[k]
            a.y[i] = a.cy[k]
            if _emit(s, t, a.x[i], a.y[i], A_MOVE, a.pointer[i]) < 0:
                return -1
    for k in range(a.nc):
        if _find(a.key, a.n, a.ckey[k]) >= 0:
            continue
        used = 0
        for i in range(a.n):
            used |= (<uint32_t>1) << a.pointer[i]
        j = 0
        while (used >> j) & 1:
            j += 1
        if a.n:
            action = A_POINTER_DOWN
        elif a.cbefore[k]:
            action = A_MOVE
        else:
            action = A_DOWN
        a.began_before += a.cbefore[k]
        # insert keeping ascending pointer order
        i = a.n
        while i > 0 and a.pointer[i - 1] > j:
            a.key[i] = a.key[i - 1]
            a.pointer[i] = a.pointer[i - 1]
            a.x[i] = a.x[i - 1]
            a.y[i] = a.y[i - 1]
            i -= 1
        a.key[i] = a.ckey[k]
        a.pointer[i] = j
        a.x[i] = a.cx[k]
        a.y[i] = a.cy[k]
        a.n += 1
        if _emit(s, t, a.cx[k], a.cy[k], action, j) < 0:
            return -1
    return 0


# MT-B slot states besides a tracking id >= 0 (as in the reference)
cdef enum:
    UNSEEN = -3
    BEFORE = -2
    NONE = -1


cdef inline bint _uses(int protocol, int8_t kind) noexcept nogil:
    if kind == K_SYN_REPORT:
        return True
    if protocol == PROTOCOL_B:
        return kind == K_MT_SLOT or kind == K_MT_X or kind == K_MT_Y or kind == K_MT_TRACKING_ID
    if protocol == PROTOCOL_A:
        return (
            kind == K_SYN_MT_REPORT or kind == K_MT_X or kind == K_MT_Y or kind == K_MT_TRACKING_ID
        )
    return kind == K_BTN_TOUCH or kind == K_ABS_X or kind == K_ABS_Y


def frames(dict scanned, int device, int protocol):
    """Samples of one device's rows (raw units); the reference's ``frames``."""
    cdef const int32_t[::1] r_dev = np.ascontiguousarray(scanned["device"], dtype=np.int32)
    cdef const int8_t[::1] r_kind = np.ascontiguousarray(scanned["kind"], dtype=np.int8)
    cdef const int64_t[::1] r_value = np.ascontiguousarray(scanned["value"], dtype=np.int64)
    cdef const int64_t[::1] r_t = np.ascontiguousarray(scanned["t_ns"], dtype=np.int64)
    cdef const int64_t[::1] r_line = np.ascontiguousarray(scanned["line"], dtype=np.int64)
    cdef Py_ssize_t n = r_kind.shape[0], r
    cdef Samples s
    s.t = NULL
    s.x = NULL
    s.y = NULL
    s.action = NULL
    s.pointer = NULL
    s.n = 0
    s.cap = 0
    cdef Contacts a
    a.n = 0
    a.nc = 0
    a.frames = 0
    a.began_before = 0
    # MT-B
    cdef int64_t ids[MAXC]
    cdef int64_t keys[MAXC]
    cdef int64_t xs[MAXC]
    cdef int64_t ys[MAXC]
    cdef int slot = 0, i, k
    for i in range(MAXC):
        ids[i] = UNSEEN
        keys[i] = 0
        xs[i] = UNKNOWN
        ys[i] = UNKNOWN
    # MT-A: contacts of the frame (first MAXC kept, all counted) and the pending one
    cdef int64_t aid[MAXC]
    cdef bint ahas[MAXC]
    cdef int64_t ax[MAXC]
    cdef int64_t ay[MAXC]
    cdef int64_t aline[MAXC]
    cdef Py_ssize_t na = 0
    cdef int64_t pid = 0, px = UNKNOWN, py = UNKNOWN
    cdef bint phas_id = False, pany = False
    # single touch
    cdef int64_t touch = UNSEEN, key = -1
    cdef bint before = False
    cdef int64_t next_key = 0, ident
    cdef Py_ssize_t ignored = 0, since_report = 0, dropped = 0
    cdef bint dropping = False
    cdef int8_t kind
    cdef int64_t value
    cdef int err = 0
    cdef int64_t err_line = 0, err_value = 0
    cdef int oom = 0
    with nogil:
        for r in range(n):
            if r_dev[r] != device:
                continue
            kind = r_kind[r]
            value = r_value[r]
            if dropping:
                dropped += 1
                dropping = kind != K_SYN_REPORT
                continue
            if kind == K_SYN_DROPPED:
                dropped += 1
                dropping = True
                continue
            if not _uses(protocol, kind):
                ignored += 1
                continue
            since_report += 1
            if kind == K_SYN_REPORT:
                since_report = 0
                a.nc = 0
                if protocol == PROTOCOL_B:
                    for i in range(MAXC):
                        if ids[i] >= 0 or ids[i] == BEFORE:
                            a.ckey[a.nc] = keys[i]
                            a.cx[a.nc] = xs[i]
                            a.cy[a.nc] = ys[i]
                            a.cbefore[a.nc] = ids[i] == BEFORE
                            a.nc += 1
                elif protocol == PROTOCOL_A:
                    if na > MAXC:
                        err = ERR_CONTACTS
                        err_line = r_line[r]
                        err_value = na
                        break
                    for k in range(na):
                        ident = aid[k] if ahas[k] and aid[k] >= 0 else -1 - k
                        if _find(a.ckey, a.nc, ident) >= 0:
                            err = ERR_DUPLICATE
                            err_line = aline[k]
                            err_value = aid[k]
                            break
                        a.ckey[a.nc] = ident
                        a.cx[a.nc] = ax[k]
                        a.cy[a.nc] = ay[k]
                        a.cbefore[a.nc] = False
                        a.nc += 1
                    if err:
                        break
                    na = 0
                    phas_id = False
                    pany = False
                    px = UNKNOWN
                    py = UNKNOWN
                else:
                    if key >= 0:
                        a.ckey[0] = key
                        a.cx[0] = xs[0]
                        a.cy[0] = ys[0]
                        a.cbefore[0] = before
                        a.nc = 1
                if _frame(&a, &s, r_t[r]) < 0:
                    oom = 1
                    break
            elif protocol == PROTOCOL_B:
                if kind == K_MT_SLOT:
                    if value < 0 or value >= MAXC:
                        err = ERR_SLOT
                        err_line = r_line[r]
                        err_value = value
                        break
                    slot = <int>value
                elif kind == K_MT_TRACKING_ID:
                    if value < 0:
                        ids[slot] = NONE
                    elif ids[slot] != value:
                        ids[slot] = value
                        keys[slot] = next_key
                        next_key += 1
                else:
                    if kind == K_MT_X:
                        xs[slot] = value
                    else:
                        ys[slot] = value
                    if ids[slot] == UNSEEN:
                        ids[slot] = BEFORE
                        keys[slot] = next_key
                        next_key += 1
            elif protocol == PROTOCOL_A:
                if kind == K_SYN_MT_REPORT:
                    if pany:
                        if na < MAXC:
                            aid[na] = pid
                            ahas[na] = phas_id
                            ax[na] = px
                            ay[na] = py
                            aline[na] = r_line[r]
                        na += 1
                    phas_id = False
                    pany = False
                    px = UNKNOWN
                    py = UNKNOWN
                else:
                    if kind == K_MT_TRACKING_ID:
                        pid = value
                        phas_id = True
                    elif kind == K_MT_X:
                        px = value
                    else:
                        py = value
                    pany = True
            else:
                if kind == K_BTN_TOUCH:
                    if value == 1 and touch != 1:
                        touch = 1
                        key = next_key
                        before = False
                        next_key += 1
                    elif value == 0:
                        touch = NONE
                        key = -1
                else:
                    if kind == K_ABS_X:
                        xs[0] = value
                    else:
                        ys[0] = value
                    if touch == UNSEEN and key < 0:
                        key = next_key
                        before = True
                        next_key += 1
    try:
        if oom:
            raise MemoryError("gestcore.io: out of memory for the samples of a trace")
        out = {
            "t": np.array(<double[:s.n]>s.t, dtype=np.float64) if s.n else np.empty(0),
            "x": np.array(<int64_t[:s.n]>s.x, dtype=np.int64) if s.n else np.empty(0, np.int64),
            "y": np.array(<int64_t[:s.n]>s.y, dtype=np.int64) if s.n else np.empty(0, np.int64),
            "action": (
                np.array(<int8_t[:s.n]>s.action, dtype=np.int8) if s.n else np.empty(0, np.int8)
            ),
            "pointer": (
                np.array(<int32_t[:s.n]>s.pointer, dtype=np.int32)
                if s.n
                else np.empty(0, np.int32)
            ),
        }
    finally:
        free(s.t)
        free(s.x)
        free(s.y)
        free(s.action)
        free(s.pointer)
    out.update(
        frames=a.frames,
        began_before=a.began_before,
        open_at_end=a.n,
        error=(err, err_line, err_value) if err else None,
        ignored=ignored,
        unfinished=since_report,
        dropped=dropped,
    )
    return out
