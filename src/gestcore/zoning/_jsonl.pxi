# Included by _core.pyx: JSON batches -> events-table columns, without a Python object
# per event.
#
# ``_Reader.scan`` reads one batch (a JSON object) straight from its bytes into the
# columns. It accepts only what the typed msgspec schema of the events package
# accepts (every field checked: types, ranges, tags, required and optional fields)
# and declines anything it does not handle itself: an escape or a control character
# in a string, a number written in a way it does not parse, a field it does not know,
# a repeated field, a transaction, ... A declined batch is decoded by msgspec, which
# either gives the error (naming the line and the JSON path) or a Batch that
# ``_Reader.walk`` writes into the same columns. So the fast path only has to be
# exact where it accepts; where in doubt it hands over.
#
# Repeats (an euid already read) are found in a hash set of the euid bytes kept
# here, across all the batches of one reader.

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_DecodeUTF8
from libc.stdint cimport uint8_t, uint64_t
from libc.stdlib cimport strtod
from libc.string cimport memchr, memcmp, memcpy
from libc.math cimport isfinite

cdef enum:  # event fields: bit numbers in a mask
    F_EA = 0
    F_UPT = 1
    F_EUID = 2
    F_URL = 3
    F_SCN = 4
    F_C = 5
    F_CI = 6
    F_O = 7
    F_VO = 8
    F_SN = 9
    F_T = 10
    F_BG = 11
    F_ST = 12
    F_SL = 13
    F_TVP = 14
    F_TVID = 15
    F_UR = 16
    F_FD = 17
    F_TVD = 18
    F_TVV = 19
    F_K = 20
    F_V = 21

cdef enum:  # header fields
    H_PID = 0
    H_UID = 1
    H_DT = 2
    H_DMA = 3
    H_DMO = 4
    H_OS = 5
    H_L = 6
    H_TZ = 7
    H_NOW = 8
    H_TO = 9
    H_R = 10
    H_PL = 11

cdef uint64_t _COMMON = ((1 << F_EA) | (1 << F_UPT) | (1 << F_EUID) | (1 << F_URL)
                         | (1 << F_SCN) | (1 << F_C) | (1 << F_O) | (1 << F_VO)
                         | (1 << F_SN) | (1 << F_T))
cdef uint64_t _OPTIONAL = (1 << F_CI) | (1 << F_BG)
cdef uint64_t _TARGET = (1 << F_TVP) | (1 << F_TVID)
cdef uint64_t _SWIPE = _TARGET | (1 << F_FD) | (1 << F_TVD) | (1 << F_TVV)
cdef uint64_t _HEADER = ((1 << H_PID) | (1 << H_UID) | (1 << H_DT) | (1 << H_OS) | (1 << H_L)
                         | (1 << H_TZ) | (1 << H_NOW) | (1 << H_TO) | (1 << H_R) | (1 << H_PL))
cdef uint64_t _HEADER_OPTIONAL = (1 << H_DMA) | (1 << H_DMO)


cdef inline uint64_t _specific(int ea) noexcept nogil:
    """The fields of an ``ea`` beyond the common ones (all required); 1 << 63: not handled."""
    if ea == 0 or ea == 1 or ea == 2:
        return 0
    if ea == SCREEN:
        return (1 << F_ST) | (1 << F_SL)
    if ea == TAP:
        return _TARGET | (1 << F_UR)
    if ea == LONG:
        return _TARGET
    if ea == DRAG or ea == FLING:
        return _SWIPE
    if ea == 18 or ea == 19:
        return (1 << F_K) | (1 << F_V)
    return <uint64_t>1 << 63  # 16 (a transaction) and anything else: msgspec decides


cdef inline const char* _ws(const char* p, const char* end) noexcept nogil:
    while p < end and (p[0] == c' ' or p[0] == c'\n' or p[0] == c'\r' or p[0] == c'\t'):
        p += 1
    return p


cdef struct _Span:
    const char* s
    Py_ssize_t n
    bint ascii


cdef inline const char* _string(const char* p, const char* end, _Span* out) noexcept nogil:
    """A JSON string without escapes or control characters; NULL to decline."""
    cdef const char* q
    cdef Py_ssize_t i, n
    cdef uint8_t c, bad = 0, hi = 0
    if p >= end or p[0] != c'"':
        return NULL
    p += 1
    q = <const char*>memchr(p, c'"', end - p)
    if q == NULL:
        return NULL
    n = q - p
    for i in range(n):  # branch-free, so that the compiler vectorizes it
        c = <uint8_t>p[i]
        bad |= (c == c'\\') | (c < 0x20)
        hi |= c
    if bad:
        return NULL
    out.s = p
    out.n = n
    out.ascii = hi < 0x80
    return q + 1


cdef inline const char* _int(const char* p, const char* end, int64_t* out) noexcept nogil:
    """A JSON integer of at most 18 digits (so it fits int64); NULL to decline."""
    cdef bint neg = False
    cdef int64_t v = 0
    cdef int digits = 0
    if p < end and p[0] == c'-':
        neg = True
        p += 1
    if p >= end or p[0] < c'0' or p[0] > c'9':
        return NULL
    if p[0] == c'0':
        p += 1
    else:
        while p < end and c'0' <= p[0] <= c'9':
            v = v * 10 + (p[0] - c'0')
            digits += 1
            if digits > 18:
                return NULL
            p += 1
    if p < end and (p[0] == c'.' or p[0] == c'e' or p[0] == c'E' or c'0' <= p[0] <= c'9'):
        return NULL  # a float, or a leading zero: msgspec decides
    out[0] = -v if neg else v
    return p


cdef inline const char* _number(const char* p, const char* end, double* out) noexcept nogil:
    """A JSON number (strict grammar) as a double by strtod; NULL to decline."""
    cdef const char* q = p
    cdef char buf[40]
    cdef Py_ssize_t n
    if q < end and q[0] == c'-':
        q += 1
    if q >= end or q[0] < c'0' or q[0] > c'9':
        return NULL
    if q[0] == c'0':
        q += 1
        if q < end and c'0' <= q[0] <= c'9':
            return NULL
    else:
        while q < end and c'0' <= q[0] <= c'9':
            q += 1
    if q < end and q[0] == c'.':
        q += 1
        if q >= end or q[0] < c'0' or q[0] > c'9':
            return NULL
        while q < end and c'0' <= q[0] <= c'9':
            q += 1
    if q < end and (q[0] == c'e' or q[0] == c'E'):
        return NULL
    n = q - p
    if n >= 39:
        return NULL
    memcpy(buf, p, n)
    buf[n] = 0
    out[0] = strtod(buf, NULL)
    if not isfinite(out[0]):
        return NULL
    return q


cdef inline const char* _bool(const char* p, const char* end, bint* out) noexcept nogil:
    if end - p >= 4 and memcmp(p, b"true", 4) == 0:
        out[0] = True
        return p + 4
    if end - p >= 5 and memcmp(p, b"false", 5) == 0:
        out[0] = False
        return p + 5
    return NULL


cdef inline bint _is(_Span k, const char* name, Py_ssize_t n) noexcept nogil:
    return k.n == n and memcmp(k.s, name, n) == 0


cdef inline int _event_field(_Span k) noexcept nogil:
    cdef const char* s = k.s
    if k.n == 1:
        if s[0] == c't':
            return F_T
        if s[0] == c'c':
            return F_C
        if s[0] == c'o':
            return F_O
        if s[0] == c'k':
            return F_K
        if s[0] == c'v':
            return F_V
        return -1
    if k.n == 2:
        if s[0] == c'e' and s[1] == c'a':
            return F_EA
        if s[0] == c'c' and s[1] == c'i':
            return F_CI
        if s[0] == c'v' and s[1] == c'o':
            return F_VO
        if s[0] == c's' and s[1] == c'n':
            return F_SN
        if s[0] == c'b' and s[1] == c'g':
            return F_BG
        if s[0] == c's' and s[1] == c't':
            return F_ST
        if s[0] == c's' and s[1] == c'l':
            return F_SL
        if s[0] == c'u' and s[1] == c'r':
            return F_UR
        if s[0] == c'f' and s[1] == c'd':
            return F_FD
        return -1
    if k.n == 3:
        if memcmp(s, b"upt", 3) == 0:
            return F_UPT
        if memcmp(s, b"url", 3) == 0:
            return F_URL
        if memcmp(s, b"scn", 3) == 0:
            return F_SCN
        if memcmp(s, b"tvp", 3) == 0:
            return F_TVP
        if memcmp(s, b"tvd", 3) == 0:
            return F_TVD
        if memcmp(s, b"tvv", 3) == 0:
            return F_TVV
        return -1
    if k.n == 4:
        if memcmp(s, b"euid", 4) == 0:
            return F_EUID
        if memcmp(s, b"tvid", 4) == 0:
            return F_TVID
    return -1


cdef inline uint64_t _hash(const char* s, Py_ssize_t n) noexcept nogil:
    """FNV-1a, 64 bits."""
    cdef uint64_t h = 14695981039346656037ULL
    cdef Py_ssize_t i
    for i in range(n):
        h = (h ^ <uint8_t>s[i]) * 1099511628211ULL
    return h


cdef bint _valid_utf8(_Span v):
    """Non-ASCII strings are checked as msgspec checks them (strict UTF-8)."""
    if v.ascii:
        return True
    try:
        PyUnicode_DecodeUTF8(v.s, v.n, NULL)
    except UnicodeDecodeError:
        return False
    return True


cdef class _Strings:
    """String -> code of one interned column, looked up from the bytes: the last value,
    then a small direct-mapped cache of bytes, then the column's dict (a str is made
    only for a value the cache does not hold)."""

    cdef dict table
    cdef list keys
    cdef int32_t[256] codes
    cdef bytes last
    cdef int32_t last_code

    def __init__(self, dict table):
        self.table = table
        self.keys = [None] * 256
        self.last = None
        self.last_code = -1

    cdef int32_t code(self, _Span v) except -2:
        cdef bytes last = self.last
        if last is not None and PyBytes_GET_SIZE(last) == v.n and memcmp(
                PyBytes_AS_STRING(last), v.s, v.n) == 0:
            return self.last_code
        cdef Py_ssize_t slot = _hash(v.s, v.n) & 255
        cdef object key = self.keys[slot]
        cdef int32_t code
        if key is not None and PyBytes_GET_SIZE(key) == v.n and memcmp(
                PyBytes_AS_STRING(key), v.s, v.n) == 0:
            code = self.codes[slot]
        else:
            try:
                s = PyUnicode_DecodeUTF8(v.s, v.n, NULL)
            except UnicodeDecodeError:
                return -1  # msgspec refuses it: decline
            code = _code(self.table, s)
            key = PyBytes_FromStringAndSize(v.s, v.n)
            self.keys[slot] = key
            self.codes[slot] = code
        self.last = key
        self.last_code = code
        return code

    cdef int32_t code_of(self, str s) except -2:
        """The code of a decoded string (the walk of a Batch)."""
        return _code(self.table, s)


cdef class _Reader:
    """Events-table columns filled batch by batch, growing as needed."""

    cdef public dict cols
    cdef int32_t[::1] c_uid, c_url, c_st, c_tvp, c_tvid, c_bg, c_av
    cdef int64_t[::1] c_sn, c_scn, c_t, c_tvd, c_tvv
    cdef int8_t[::1] c_ea, c_ur, c_fd
    cdef public Py_ssize_t k, cap, repeats
    cdef _Strings s_url, s_st, s_tvp, s_tvid, s_bg, s_av
    cdef dict d_uid
    # euid bytes of the rows (Arrow string layout) and the hash set over them
    cdef object euid_data_a, euid_offsets_a, slots_a
    cdef uint8_t[::1] euid_data
    cdef int64_t[::1] euid_offsets, slots
    cdef Py_ssize_t data_n, n_slots, used
    cdef object ea_of

    def __init__(self, list interns):
        self.d_uid = interns[0]
        self.s_url = _Strings(interns[1])
        self.s_st = _Strings(interns[2])
        self.s_tvp = _Strings(interns[3])
        self.s_tvid = _Strings(interns[4])
        self.s_bg = _Strings(interns[5])
        self.s_av = _Strings(interns[6])
        self.k = self.cap = self.repeats = 0
        self.cols = {}
        self.euid_data_a = np.empty(1 << 16, np.uint8)
        self.euid_data = self.euid_data_a
        self.euid_offsets_a = np.zeros(1, np.int64)
        self.euid_offsets = self.euid_offsets_a
        self.data_n = 0
        self.n_slots = 1 << 12
        self.slots_a = np.zeros(self.n_slots, np.int64)
        self.slots = self.slots_a
        self.used = 0
        self.ea_of = EA_OF_CLASS
        self._grow(1 << 12)

    cdef _grow(self, Py_ssize_t need):
        cdef Py_ssize_t cap = max(need, 2 * self.cap)
        fresh = empty_chunk(cap)
        for name, col in self.cols.items():
            fresh[name][:self.k] = col[:self.k]
        self.cols = fresh
        self.cap = cap
        self.c_uid = fresh["uid"]
        self.c_url = fresh["url"]
        self.c_st = fresh["st"]
        self.c_tvp = fresh["tvp"]
        self.c_tvid = fresh["tvid"]
        self.c_bg = fresh["bg"]
        self.c_av = fresh["av"]
        self.c_sn = fresh["sn"]
        self.c_scn = fresh["scn"]
        self.c_t = fresh["t"]
        self.c_tvd = fresh["tvd"]
        self.c_tvv = fresh["tvv"]
        self.c_ea = fresh["ea"]
        self.c_ur = fresh["ur"]
        self.c_fd = fresh["fd"]
        offsets = np.zeros(cap + 1, np.int64)
        offsets[:self.k + 1] = self.euid_offsets_a[:self.k + 1]
        self.euid_offsets_a = offsets
        self.euid_offsets = offsets

    cdef inline void _reserve(self, Py_ssize_t n_events, Py_ssize_t n_bytes):
        if self.k + n_events > self.cap:
            self._grow(self.k + n_events)
        if self.data_n + n_bytes > self.euid_data.shape[0]:
            data = np.empty(max(self.data_n + n_bytes, 2 * self.euid_data.shape[0]), np.uint8)
            data[:self.data_n] = self.euid_data_a[:self.data_n]
            self.euid_data_a = data
            self.euid_data = data
        if 2 * (self.used + n_events) > self.n_slots:
            self._rehash(self.used + n_events)

    cdef _rehash(self, Py_ssize_t n):
        cdef Py_ssize_t size = self.n_slots, i, j, mask
        cdef int64_t row
        while 2 * n > size:
            size *= 2
        self.slots_a = np.zeros(size, np.int64)
        self.slots = self.slots_a
        self.n_slots = size
        mask = size - 1
        for i in range(self.k):
            row = i
            j = _hash(<const char*>&self.euid_data[self.euid_offsets[row]],
                      self.euid_offsets[row + 1] - self.euid_offsets[row]) & mask
            while self.slots[j] != 0:
                j = (j + 1) & mask
            self.slots[j] = row + 1

    cdef inline bint _new_euid(self, const char* s, Py_ssize_t n) noexcept nogil:
        """Add the euid of row ``k`` (written at the end of the data); False for a repeat."""
        cdef Py_ssize_t mask = self.n_slots - 1
        cdef Py_ssize_t j = _hash(s, n) & mask
        cdef int64_t row, a
        while True:
            row = self.slots[j]
            if row == 0:
                break
            row -= 1
            a = self.euid_offsets[row]
            if self.euid_offsets[row + 1] - a == n and memcmp(
                    <const char*>&self.euid_data[a], s, n) == 0:
                return False
            j = (j + 1) & mask
        self.slots[j] = self.k + 1
        self.used += 1
        return True

    cdef inline bint _put_euid(self, const char* s, Py_ssize_t n) except -1:
        """The euid of the next row: appended (and True), or a repeat (False)."""
        if self.data_n + n > self.euid_data.shape[0] or 2 * (self.used + 1) > self.n_slots:
            self._reserve(1, n)
        memcpy(&self.euid_data[self.data_n], s, n)
        if not self._new_euid(<const char*>&self.euid_data[self.data_n], n):
            self.repeats += 1
            return False
        self.data_n += n
        self.euid_offsets[self.k + 1] = self.data_n
        return True

    def scan(self, const uint8_t[::1] buf):
        """Read one batch (the whole buffer is one JSON document); False to decline.

        On False nothing of the batch is kept (rows, repeats, euids).
        """
        cdef Py_ssize_t n = buf.shape[0]
        if n == 0:
            return False
        cdef const char* p = <const char*>&buf[0]
        cdef const char* end = p + n
        cdef Py_ssize_t k0 = self.k, data0 = self.data_n, rep0 = self.repeats
        self._reserve(n // 100 + 1, n)
        if self._batch(p, end):
            return True
        self._forget(k0)
        self.data_n = data0
        self.repeats = rep0
        return False

    cdef _forget(self, Py_ssize_t k0):
        """Drop the rows from ``k0`` on and their euids from the hash set. Latest first:
        the set is then exactly as it was before them (an entry added earlier never
        probed through a slot that a later one took)."""
        cdef Py_ssize_t mask = self.n_slots - 1, j
        cdef int64_t row, a
        for row in range(self.k - 1, k0 - 1, -1):
            a = self.euid_offsets[row]
            j = _hash(<const char*>&self.euid_data[a], self.euid_offsets[row + 1] - a) & mask
            while self.slots[j] != row + 1:
                j = (j + 1) & mask
            self.slots[j] = 0
            self.used -= 1
        self.k = k0

    cdef bint _batch(self, const char* p, const char* end) except -1:
        cdef uint64_t seen = 0
        cdef _Span k, v, uid
        cdef int f
        cdef int64_t iv
        cdef double d
        cdef Py_ssize_t k0 = self.k
        p = _ws(p, end)
        if p >= end or p[0] != c'{':
            return False
        p = _ws(p + 1, end)
        if p < end and p[0] == c'}':
            return False
        while True:
            p = _string(p, end, &k)
            if p == NULL:
                return False
            p = _ws(p, end)
            if p >= end or p[0] != c':':
                return False
            p = _ws(p + 1, end)
            f = -1
            if _is(k, b"pid", 3):
                f = H_PID
                p = _int(p, end, &iv)
            elif _is(k, b"uid", 3):
                f = H_UID
                p = _string(p, end, &uid)
                if p != NULL and not _valid_utf8(uid):
                    return False
            elif _is(k, b"dt", 2):
                f = H_DT
                p = _int(p, end, &iv)
                if p != NULL and iv != 4 and iv != 5:
                    return False
            elif _is(k, b"now", 3):
                f = H_NOW
                p = _int(p, end, &iv)
            elif _is(k, b"os", 2) or _is(k, b"l", 1) or _is(k, b"tz", 2) or _is(
                    k, b"dma", 3) or _is(k, b"dmo", 3):
                f = (H_OS if k.s[0] == c'o' else H_L if k.s[0] == c'l' else H_TZ
                     if k.s[0] == c't' else H_DMA if k.s[2] == c'a' else H_DMO)
                p = _string(p, end, &v)
                if p != NULL and not _valid_utf8(v):
                    return False
            elif _is(k, b"to", 2):
                f = H_TO
                p = self._origin(p, end)
            elif _is(k, b"r", 1):
                f = H_R
                p = _ws(p, end)
                if p >= end or p[0] != c'{':
                    return False
                p = _ws(p + 1, end)
                p = _string(p, end, &k)
                if p == NULL or not _is(k, b"d", 1):
                    return False
                p = _ws(p, end)
                if p >= end or p[0] != c':':
                    return False
                p = _number(_ws(p + 1, end), end, &d)
                if p == NULL or not (0.75 <= d <= 10):
                    return False
                p = _ws(p, end)
                if p >= end or p[0] != c'}':
                    return False
                p += 1
            elif _is(k, b"pl", 2):
                f = H_PL
                if p >= end or p[0] != c'[':
                    return False
                p = self._events(p, end)
            if f < 0 or p == NULL or seen & (<uint64_t>1 << f):
                return False
            seen |= <uint64_t>1 << f
            p = _ws(p, end)
            if p >= end:
                return False
            if p[0] == c'}':
                break
            if p[0] != c',':
                return False
            p = _ws(p + 1, end)
        if _ws(p + 1, end) != end:
            return False
        if seen & ~_HEADER_OPTIONAL != _HEADER:
            return False
        # the rows of the batch get its uid now that the header is read
        cdef int32_t c_uid = _code(self.d_uid, PyUnicode_DecodeUTF8(uid.s, uid.n, NULL))
        cdef Py_ssize_t row
        for row in range(k0, self.k):
            self.c_uid[row] = c_uid
        return True

    cdef const char* _origin(self, const char* p, const char* end) except? NULL:
        """``to``: exactly ``an``, ``st``, ``sf`` (strings)."""
        cdef uint64_t seen = 0
        cdef _Span k, v
        cdef int f
        p = _ws(p, end)
        if p >= end or p[0] != c'{':
            return NULL
        p = _ws(p + 1, end)
        while True:
            p = _string(p, end, &k)
            if p == NULL:
                return NULL
            f = 0 if _is(k, b"an", 2) else 1 if _is(k, b"st", 2) else 2 if _is(k, b"sf", 2) else -1
            if f < 0 or seen & (1 << f):
                return NULL
            seen |= 1 << f
            p = _ws(p, end)
            if p >= end or p[0] != c':':
                return NULL
            p = _string(_ws(p + 1, end), end, &v)
            if p == NULL or not _valid_utf8(v):
                return NULL
            p = _ws(p, end)
            if p >= end:
                return NULL
            if p[0] == c'}':
                break
            if p[0] != c',':
                return NULL
            p = _ws(p + 1, end)
        return p + 1 if seen == 7 else NULL

    cdef const char* _events(self, const char* p, const char* end) except? NULL:
        """The events of ``pl``, from its ``[``; just after its ``]``, or NULL to decline."""
        p = _ws(p + 1, end)
        if p < end and p[0] == c']':
            return p + 1
        while True:
            if self.k >= self.cap:
                self._grow(self.k + 1)
            p = self._event(p, end)
            if p == NULL:
                return NULL
            p = _ws(p, end)
            if p >= end:
                return NULL
            if p[0] == c']':
                return p + 1
            if p[0] != c',':
                return NULL
            p = _ws(p + 1, end)

    cdef const char* _event(self, const char* p, const char* end) except? NULL:
        cdef uint64_t seen = 0, spec
        cdef _Span k, euid, url, ci, bg, st, tvp, tvid, sv, av, af, kk, vs
        cdef int64_t ea = -1, upt = 0, scn = 0, c = 0, o = 0, sn = 0, t = 0, sl = 0
        cdef int64_t fd = 0, tvd = 0, tvv = 0, vi = 0, sb = 0, ab = 0
        cdef bint ur = False, v_is_str = False
        cdef int f
        cdef Py_ssize_t row = self.k
        if p >= end or p[0] != c'{':
            return NULL
        p = _ws(p + 1, end)
        while True:
            p = _string(p, end, &k)
            if p == NULL:
                return NULL
            f = _event_field(k)
            if f < 0 or seen & (<uint64_t>1 << f):
                return NULL
            seen |= <uint64_t>1 << f
            p = _ws(p, end)
            if p >= end or p[0] != c':':
                return NULL
            p = _ws(p + 1, end)
            if f == F_EA:
                p = _int(p, end, &ea)
            elif f == F_UPT:
                p = _int(p, end, &upt)
            elif f == F_EUID:
                p = _string(p, end, &euid)
            elif f == F_URL:
                p = _string(p, end, &url)
            elif f == F_SCN:
                p = _int(p, end, &scn)
            elif f == F_C:
                p = _int(p, end, &c)
            elif f == F_CI:
                p = _string(p, end, &ci)
                if p != NULL and not _valid_utf8(ci):
                    return NULL
            elif f == F_O:
                p = _int(p, end, &o)
            elif f == F_VO:
                p = _version(p, end, &sv, &sb, &av, &af, &ab)
            elif f == F_SN:
                p = _int(p, end, &sn)
            elif f == F_T:
                p = _int(p, end, &t)
            elif f == F_BG:
                p = _string(p, end, &bg)
                if p != NULL and not (_is(bg, b"fetch", 5) or _is(bg, b"task", 4)):
                    return NULL
            elif f == F_ST:
                p = _string(p, end, &st)
            elif f == F_SL:
                p = _int(p, end, &sl)
            elif f == F_TVP:
                p = _string(p, end, &tvp)
            elif f == F_TVID:
                p = _string(p, end, &tvid)
            elif f == F_UR:
                p = _bool(p, end, &ur)
            elif f == F_FD:
                p = _int(p, end, &fd)
            elif f == F_TVD:
                p = _int(p, end, &tvd)
            elif f == F_TVV:
                p = _int(p, end, &tvv)
            elif f == F_K:
                p = _string(p, end, &kk)
                if p != NULL and not _valid_utf8(kk):
                    return NULL
            elif f == F_V:
                if p < end and p[0] == c'"':
                    v_is_str = True
                    p = _string(p, end, &vs)
                    if p != NULL and not _valid_utf8(vs):
                        return NULL
                else:
                    p = _int(p, end, &vi)
            if p == NULL:
                return NULL
            p = _ws(p, end)
            if p >= end:
                return NULL
            if p[0] == c'}':
                break
            if p[0] != c',':
                return NULL
            p = _ws(p + 1, end)
        # the class of the event, its fields, their ranges
        if not seen & (1 << F_EA):
            return NULL
        spec = _specific(<int>ea)
        if spec >> 63:
            return NULL
        if seen & ~_OPTIONAL != _COMMON | spec:
            return NULL
        if upt < 0 or scn < 0 or c < -1 or c > 4 or o < 0 or o > 1 or sn <= 0:
            return NULL
        if ea == SCREEN and sl < 0:
            return NULL
        if (ea == DRAG or ea == FLING) and (fd < 1 or fd > 5 or tvd < 0 or tvv < 0):
            return NULL
        if (ea == 18 and not v_is_str) or (ea == 19 and v_is_str):
            return NULL
        if not (_valid_utf8(euid) and _valid_utf8(sv) and _valid_utf8(af)):
            return NULL
        # the row: interned strings (a code of -1: invalid UTF-8, msgspec decides)
        cdef int32_t code
        code = self.s_url.code(url)
        if code < 0:
            return NULL
        self.c_url[row] = code
        code = self.s_av.code(av)
        if code < 0:
            return NULL
        self.c_av[row] = code
        if seen & (1 << F_BG):
            self.c_bg[row] = self.s_bg.code(bg)
        else:
            self.c_bg[row] = -1
        self.c_st[row] = -1
        self.c_tvp[row] = -1
        self.c_tvid[row] = -1
        self.c_ur[row] = -1
        self.c_fd[row] = -1
        self.c_tvd[row] = -1
        self.c_tvv[row] = -1
        if ea == SCREEN:
            code = self.s_st.code(st)
            if code < 0:
                return NULL
            self.c_st[row] = code
        elif ea >= TAP and ea <= FLING:
            code = self.s_tvp.code(tvp)
            if code < 0:
                return NULL
            self.c_tvp[row] = code
            code = self.s_tvid.code(tvid)
            if code < 0:
                return NULL
            self.c_tvid[row] = code
            if ea == TAP:
                self.c_ur[row] = 1 if ur else 0
            elif ea != LONG:
                self.c_fd[row] = <int8_t>fd
                self.c_tvd[row] = tvd
                self.c_tvv[row] = tvv
        self.c_sn[row] = sn
        self.c_scn[row] = scn
        self.c_t[row] = t
        self.c_ea[row] = <int8_t>ea
        if self._put_euid(euid.s, euid.n):
            self.k += 1
        return p + 1

    def walk(self, batch):
        """Write the events of a decoded ``Batch`` (repeats dropped)."""
        cdef Py_ssize_t n = len(batch.pl), size
        cdef const char* s
        cdef int ea
        cdef object unset = UNSET
        self._reserve(n, 0)
        cdef int32_t uid = _code(self.d_uid, batch.uid)
        cdef Py_ssize_t row
        for e in batch.pl:
            s = PyUnicode_AsUTF8AndSize(e.euid, &size)
            self._reserve(1, size)
            row = self.k
            ea = self.ea_of[type(e)]
            self.c_uid[row] = uid
            self.c_url[row] = self.s_url.code_of(e.url)
            bg = e.bg
            self.c_bg[row] = -1 if bg is unset else self.s_bg.code_of(bg)
            self.c_av[row] = self.s_av.code_of(e.vo.av)
            self.c_sn[row] = e.sn
            self.c_scn[row] = e.scn
            self.c_t[row] = e.t
            self.c_ea[row] = ea
            self.c_st[row] = -1
            self.c_tvp[row] = -1
            self.c_tvid[row] = -1
            self.c_ur[row] = -1
            self.c_fd[row] = -1
            self.c_tvd[row] = -1
            self.c_tvv[row] = -1
            if ea == SCREEN:
                self.c_st[row] = self.s_st.code_of(e.st)
            elif ea >= TAP and ea <= FLING:
                self.c_tvp[row] = self.s_tvp.code_of(e.tvp)
                self.c_tvid[row] = self.s_tvid.code_of(e.tvid)
                if ea == TAP:
                    self.c_ur[row] = 1 if e.ur else 0
                elif ea != LONG:
                    self.c_fd[row] = e.fd
                    self.c_tvd[row] = e.tvd
                    self.c_tvv[row] = e.tvv
            if self._put_euid(s, size):
                self.k += 1

    def columns(self):
        """The columns read so far (numpy, trimmed) and the euid column's Arrow buffers
        (offsets int64, data uint8)."""
        out = {name: col[:self.k] for name, col in self.cols.items()}
        return (out, self.euid_offsets_a[:self.k + 1], self.euid_data_a[:self.data_n])


cdef const char* _version(const char* p, const char* end, _Span* sv, int64_t* sb, _Span* av,
                          _Span* af, int64_t* ab) noexcept nogil:
    """``vo``: exactly ``sv``, ``sb``, ``av``, ``af``, ``ab``."""
    cdef uint64_t seen = 0
    cdef _Span k
    cdef int f
    if p >= end or p[0] != c'{':
        return NULL
    p = _ws(p + 1, end)
    while True:
        p = _string(p, end, &k)
        if p == NULL or k.n != 2:
            return NULL
        if k.s[0] == c's' and k.s[1] == c'v':
            f = 0
        elif k.s[0] == c's' and k.s[1] == c'b':
            f = 1
        elif k.s[0] == c'a' and k.s[1] == c'v':
            f = 2
        elif k.s[0] == c'a' and k.s[1] == c'f':
            f = 3
        elif k.s[0] == c'a' and k.s[1] == c'b':
            f = 4
        else:
            return NULL
        if seen & (1 << f):
            return NULL
        seen |= 1 << f
        p = _ws(p, end)
        if p >= end or p[0] != c':':
            return NULL
        p = _ws(p + 1, end)
        if f == 0:
            p = _string(p, end, sv)
        elif f == 1:
            p = _int(p, end, sb)
        elif f == 2:
            p = _string(p, end, av)
        elif f == 3:
            p = _string(p, end, af)
        else:
            p = _int(p, end, ab)
        if p == NULL:
            return NULL
        p = _ws(p, end)
        if p >= end:
            return NULL
        if p[0] == c'}':
            break
        if p[0] != c',':
            return NULL
        p = _ws(p + 1, end)
    return p + 1 if seen == 31 else NULL
