# Included by _core.pyx: JSON batches -> events-table columns, without a Python object
# per event.
#
# ``_Reader.scan_lines`` reads the batches of a block of JSON lines (one batch a line)
# straight from the bytes into the columns; ``_Reader.scan`` reads one batch. They
# accept only what the typed msgspec schema of the events package accepts (every field
# checked: types, ranges, tags, required and optional fields) and decline anything they
# do not handle themselves: an escape or a control character in a string, a number
# written in a way they do not parse, a field they do not know, a repeated field, a
# transaction, ... A declined batch is decoded by msgspec, which either gives the error
# (naming the line and the JSON path) or a Batch that ``_Reader.walk`` writes into the
# same columns. So the fast path only has to be exact where it accepts; where in doubt
# it hands over.
#
# Repeats (an euid already read) are found in a hash set of the euid bytes kept
# here, across all the batches of one reader.

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_DecodeUTF8
from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.stdlib cimport strtod
from libc.string cimport memchr, memcmp, memcpy, memset
from libc.math cimport isfinite

cdef enum:  # field names: their bytes (all the schema's have 1 to 4) packed, first highest
    K_EA = 0x6561
    K_UPT = 0x757074
    K_EUID = 0x65756964
    K_URL = 0x75726c
    K_SCN = 0x73636e
    K_C = 0x63
    K_CI = 0x6369
    K_O = 0x6f
    K_VO = 0x766f
    K_SN = 0x736e
    K_T = 0x74
    K_BG = 0x6267
    K_ST = 0x7374
    K_SL = 0x736c
    K_TVP = 0x747670
    K_TVID = 0x74766964
    K_UR = 0x7572
    K_FD = 0x6664
    K_TVD = 0x747664
    K_TVV = 0x747676
    K_K = 0x6b
    K_V = 0x76
    K_PID = 0x706964
    K_UID = 0x756964
    K_DT = 0x6474
    K_DMA = 0x646d61
    K_DMO = 0x646d6f
    K_OS = 0x6f73
    K_L = 0x6c
    K_TZ = 0x747a
    K_NOW = 0x6e6f77
    K_TO = 0x746f
    K_R = 0x72
    K_PL = 0x706c
    K_AN = 0x616e
    K_SF = 0x7366
    K_D = 0x64
    K_SV = 0x7376
    K_SB = 0x7362
    K_AV = 0x6176
    K_AF = 0x6166
    K_AB = 0x6162

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
    F_NONE = 22  # before the first field

# "name": of each event field, as the first bytes of a word (and their mask, length)
cdef uint64_t _NAME_WORD[F_NONE + 1]
cdef uint64_t _NAME_MASK[F_NONE + 1]
cdef Py_ssize_t _NAME_LEN[F_NONE + 1]


cdef _event_names():
    cdef bytes text
    cdef uint64_t w, m
    cdef char ones[8]
    memset(ones, 0xff, 8)
    names = (b"ea", b"upt", b"euid", b"url", b"scn", b"c", b"ci", b"o", b"vo", b"sn", b"t",
             b"bg", b"st", b"sl", b"tvp", b"tvid", b"ur", b"fd", b"tvd", b"tvv", b"k", b"v")
    for f, name in enumerate(names):
        text = b'"' + name + b'":'
        w = m = 0
        memcpy(&w, PyBytes_AS_STRING(text), len(text))
        memcpy(&m, ones, len(text))
        _NAME_WORD[f] = w
        _NAME_MASK[f] = m
        _NAME_LEN[f] = len(text)
    _NAME_WORD[F_NONE] = 1  # matches no word
    _NAME_MASK[F_NONE] = 0
    _NAME_LEN[F_NONE] = 0


_event_names()


cdef inline int _event_field(uint32_t key) noexcept nogil:
    if key == K_EA:
        return F_EA
    elif key == K_UPT:
        return F_UPT
    elif key == K_EUID:
        return F_EUID
    elif key == K_URL:
        return F_URL
    elif key == K_SCN:
        return F_SCN
    elif key == K_C:
        return F_C
    elif key == K_CI:
        return F_CI
    elif key == K_O:
        return F_O
    elif key == K_VO:
        return F_VO
    elif key == K_SN:
        return F_SN
    elif key == K_T:
        return F_T
    elif key == K_BG:
        return F_BG
    elif key == K_ST:
        return F_ST
    elif key == K_SL:
        return F_SL
    elif key == K_TVP:
        return F_TVP
    elif key == K_TVID:
        return F_TVID
    elif key == K_UR:
        return F_UR
    elif key == K_FD:
        return F_FD
    elif key == K_TVD:
        return F_TVD
    elif key == K_TVV:
        return F_TVV
    elif key == K_K:
        return F_K
    elif key == K_V:
        return F_V
    return -1


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

cdef extern from *:
    """
    /* Index of the first byte (in memory order) whose high bit is set in a word
       loaded from memory; the word is not 0. */
    #if defined(_MSC_VER)
    #include <intrin.h>
    static __inline int gc_first_byte(unsigned long long m) {
        unsigned long i;
        _BitScanForward64(&i, m);
        return (int)(i >> 3);
    }
    #elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    static inline int gc_first_byte(unsigned long long m) { return __builtin_clzll(m) >> 3; }
    #else
    static inline int gc_first_byte(unsigned long long m) { return __builtin_ctzll(m) >> 3; }
    #endif
    """
    int _first_byte "gc_first_byte"(uint64_t m) noexcept nogil


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


cdef inline bint _space(char c) noexcept nogil:
    return c == c' ' or c == c'\n' or c == c'\r' or c == c'\t'


cdef inline bint _blank(char c) noexcept nogil:
    """What ``bytes.strip`` strips: a line of these alone is no batch."""
    return _space(c) or c == c'\x0b' or c == c'\x0c'


cdef inline const char* _ws(const char* p, const char* end) noexcept nogil:
    # compact JSON has no whitespace: one comparison for the usual byte
    while p < end and <uint8_t>p[0] <= 32 and _space(p[0]):
        p += 1
    return p


cdef inline uint64_t _load8(const char* p) noexcept nogil:
    cdef uint64_t w
    memcpy(&w, p, 8)
    return w


cdef struct _Span:
    const char* s
    Py_ssize_t n
    bint ascii


cdef inline const char* _string(const char* p, const char* end, _Span* out) noexcept nogil:
    """A JSON string without escapes or control characters; NULL to decline.

    Eight bytes at a time: a word test flags the bytes that are a quote, a
    backslash, below 0x20 or (until one is seen) non-ASCII. It never misses one,
    and the first byte it flags is always one of them (what it may wrongly flag
    lies beyond), so the scan goes on from that byte.
    """
    cdef const char* s
    cdef uint64_t w, q, b, m, high = 0x8080808080808080ULL
    cdef uint8_t c
    if p >= end or p[0] != c'"':
        return NULL
    p += 1
    s = p
    out.ascii = True
    while True:
        if end - p >= 8:
            w = _load8(p)
            q = w ^ 0x2222222222222222ULL  # '"'
            b = w ^ 0x5c5c5c5c5c5c5c5cULL  # '\\'
            m = ((((q - 0x0101010101010101ULL) & ~q) | ((b - 0x0101010101010101ULL) & ~b)
                  | ((w - 0x2020202020202020ULL) & ~w) | (w & high)) & 0x8080808080808080ULL)
            if m == 0:
                p += 8
                continue
            p += _first_byte(m)
        elif p >= end:
            return NULL
        c = <uint8_t>p[0]
        if c == c'"':
            out.s = s
            out.n = p - s
            return p + 1
        if c == c'\\' or c < 0x20:
            return NULL
        if c >= 0x80:  # UTF-8, checked when the string is used
            out.ascii = False
            high = 0
        p += 1


cdef inline const char* _key(const char* p, const char* end, uint32_t* key) noexcept nogil:
    """A field name and its colon: the name's bytes packed in ``key``, and the start of
    the value; NULL to decline. Every name of the schema is 1 to 4 plain ASCII
    characters: anything else (an escape, a longer name) is unknown, so declined."""
    cdef uint32_t k = 0
    cdef int n = 0
    cdef uint8_t c
    if p >= end or p[0] != c'"':
        return NULL
    p += 1
    while True:
        if p >= end:
            return NULL
        c = <uint8_t>p[0]
        if c == c'"':
            break
        if n == 4 or c < 0x20 or c >= 0x80 or c == c'\\':
            return NULL
        k = (k << 8) | c
        n += 1
        p += 1
    key[0] = k
    p = _ws(p + 1, end)
    if p >= end or p[0] != c':':
        return NULL
    return _ws(p + 1, end)


cdef inline const char* _int(const char* p, const char* end, int64_t* out) noexcept nogil:
    """A JSON integer of at most 18 digits (so it fits int64); NULL to decline."""
    cdef bint neg = p < end and p[0] == c'-'
    cdef const char* s
    cdef uint64_t v = 0, d
    if neg:
        p += 1
    s = p
    while p < end:
        d = <uint64_t><uint8_t>p[0] - 48
        if d > 9:
            break
        v = v * 10 + d
        p += 1
    if p == s or p - s > 18 or (s[0] == c'0' and p - s > 1):
        return NULL  # no digit, more than int64 surely holds, a leading zero
    if p < end and (p[0] == c'.' or p[0] == c'e' or p[0] == c'E'):
        return NULL  # a float: msgspec decides
    out[0] = -<int64_t>v if neg else <int64_t>v
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


cdef inline uint64_t _mix(uint64_t h, uint64_t w) noexcept nogil:
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL
    return h ^ (h >> 31)


cdef inline uint64_t _hash(const char* s, Py_ssize_t n) noexcept nogil:
    """A multiply-xorshift hash of the bytes, eight at a time (the last eight overlap
    the word before them when the length is not a multiple of eight)."""
    cdef uint64_t h = <uint64_t>n * 0x9e3779b97f4a7c15ULL, w = 0
    cdef const char* last
    cdef Py_ssize_t i
    if n >= 8:
        last = s + n - 8
        while s < last:
            h = _mix(h, _load8(s))
            s += 8
        h = _mix(h, _load8(last))
    else:
        for i in range(n):
            w = (w << 8) | <uint8_t>s[i]
        h = _mix(h, w)
    h *= 0x94d049bb133111ebULL
    return h ^ (h >> 29)


cdef bint _valid_utf8(_Span v):
    """Non-ASCII strings are checked as msgspec checks them (strict UTF-8)."""
    if v.ascii:
        return True
    try:
        PyUnicode_DecodeUTF8(v.s, v.n, NULL)
    except UnicodeDecodeError:
        return False
    return True


cdef enum:
    _SLOTS = 4096  # of the cache of each interned column (screens x targets fit)


cdef class _Strings:
    """String -> code of one interned column, looked up from the bytes: the last value,
    then a direct-mapped cache of bytes, then the column's dict (a str is made
    only for a value the cache does not hold)."""

    cdef dict table
    cdef list keys
    cdef int32_t[_SLOTS] codes
    cdef bytes last
    cdef const char* last_s
    cdef Py_ssize_t last_n
    cdef int32_t last_code

    def __init__(self, dict table):
        self.table = table
        self.keys = [None] * _SLOTS
        self.last = None
        self.last_s = NULL
        self.last_n = 0
        self.last_code = -1

    cdef inline const char* same(self, const char* p, const char* end) noexcept:
        """Just after the JSON string at ``p`` if it is exactly the last value (whose code
        is ``last_code``), else NULL. The last value has no quote or backslash, so the
        same bytes between quotes are the same string."""
        cdef Py_ssize_t n = self.last_n
        if (self.last_s == NULL or end - p < n + 2 or p[0] != c'"' or p[n + 1] != c'"'
                or memcmp(p + 1, self.last_s, n) != 0):
            return NULL
        return p + n + 2

    cdef int32_t code(self, _Span v) except -2:
        cdef bytes last = self.last
        if last is not None and PyBytes_GET_SIZE(last) == v.n and memcmp(
                PyBytes_AS_STRING(last), v.s, v.n) == 0:
            return self.last_code
        cdef Py_ssize_t slot = _hash(v.s, v.n) & (_SLOTS - 1)
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
        self.last_s = PyBytes_AS_STRING(key)
        self.last_n = v.n
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
    cdef int64_t[::1] euid_offsets
    # slots of the set: the high 32 bits of an euid's hash, then its row + 1 (0: empty)
    cdef uint64_t[::1] slots
    cdef Py_ssize_t data_n, n_slots, used
    cdef object ea_of
    # the field that followed each field (F_NONE: the start) in the last event read
    cdef int next_field[F_NONE + 1]
    # the text of the last event's ``vo`` and the code of its ``av``
    cdef char vo_text[96]
    cdef Py_ssize_t vo_n
    cdef int32_t vo_code

    def __init__(self, list interns):
        cdef int f
        for f in range(F_NONE + 1):
            self.next_field[f] = F_EA
        self.vo_n = 0
        self.vo_code = -1
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
        self.slots_a = np.zeros(self.n_slots, np.uint64)
        self.slots = self.slots_a
        self.used = 0
        self.ea_of = EA_OF_CLASS
        self._grow(1 << 12)

    cdef _grow(self, Py_ssize_t need):
        cdef Py_ssize_t cap = max(need, 2 * self.cap)
        # unfilled: every row gets all its columns written
        fresh = {name: np.empty(cap, col.dtype) for name, col in empty_chunk(0).items()}
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
        if self.k + n_events >= 0xffffffff:
            raise OverflowError("events_table: more than 2**32 - 2 events")

    cdef _rehash(self, Py_ssize_t n):
        cdef Py_ssize_t size = self.n_slots, j, mask
        cdef int64_t row
        cdef uint64_t h
        while 2 * n > size:
            size *= 2
        self.slots_a = np.zeros(size, np.uint64)
        self.slots = self.slots_a
        self.n_slots = size
        mask = size - 1
        for row in range(self.k):
            h = _hash(<const char*>&self.euid_data[self.euid_offsets[row]],
                      self.euid_offsets[row + 1] - self.euid_offsets[row])
            j = h & mask
            while self.slots[j] != 0:
                j = (j + 1) & mask
            self.slots[j] = ((h >> 32) << 32) | <uint64_t>(row + 1)

    cdef inline bint _new_euid(self, const char* s, Py_ssize_t n) noexcept nogil:
        """Add the euid of row ``k`` (written at the end of the data); False for a repeat."""
        cdef Py_ssize_t mask = self.n_slots - 1
        cdef uint64_t h = _hash(s, n), tag = (h >> 32) << 32, slot
        cdef Py_ssize_t j = h & mask
        cdef int64_t row, a
        while True:
            slot = self.slots[j]
            if slot == 0:
                break
            if slot & 0xffffffff00000000ULL == tag:  # the stored euid only on a hash match
                row = <int64_t>(slot & 0xffffffffULL) - 1
                a = self.euid_offsets[row]
                if self.euid_offsets[row + 1] - a == n and memcmp(
                        <const char*>&self.euid_data[a], s, n) == 0:
                    return False
            j = (j + 1) & mask
        self.slots[j] = tag | <uint64_t>(self.k + 1)
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

    def reserve(self, Py_ssize_t n_events):
        """Room for ``n_events`` more rows (a guess from a file's size: columns grown
        once, not copied at every doubling; pages never written cost no memory)."""
        if n_events > 0 and self.k + n_events > self.cap:
            self._grow(self.k + n_events)

    def scan(self, const uint8_t[::1] buf):
        """Read one batch (the whole buffer is one JSON document); False to decline.

        On False nothing of the batch is kept (rows, repeats, euids).
        """
        cdef Py_ssize_t n = buf.shape[0]
        if n == 0:
            return False
        cdef const char* p = <const char*>&buf[0]
        return self._one(p, p + n)

    def scan_lines(self, const uint8_t[::1] buf, Py_ssize_t start, Py_ssize_t stop):
        """Read the batches of the lines of ``buf[start:stop]``, one JSON batch a line
        (``stop`` ends a line, or the data); lines of whitespace alone are skipped.

        Stops at the first line it declines, keeping nothing of that line. Returns
        ``(pos, lines, batches)``: where it stopped (the start of the declined line,
        or ``stop``), how many lines it read before, how many of those were batches.
        """
        if not 0 <= start <= stop <= buf.shape[0]:
            raise ValueError(f"scan_lines: {start}:{stop} is not within {buf.shape[0]} bytes")
        if start == stop:
            return stop, 0, 0
        cdef const char* base = <const char*>&buf[0]
        cdef const char* p = base + start
        cdef const char* end = base + stop
        cdef const char* nl
        cdef const char* q
        cdef Py_ssize_t lines = 0, batches = 0
        while p < end:
            nl = <const char*>memchr(p, c'\n', end - p)
            nl = end if nl == NULL else nl + 1
            q = p
            while q < nl and _blank(q[0]):
                q += 1
            if q < nl:
                if not self._one(p, nl):
                    break
                batches += 1
            lines += 1
            p = nl
        return p - base, lines, batches

    cdef bint _one(self, const char* p, const char* end) except -1:
        """One batch (its JSON from ``p`` to ``end``); False to decline, keeping nothing."""
        cdef Py_ssize_t k0 = self.k, data0 = self.data_n, rep0 = self.repeats
        self._reserve((end - p) // 100 + 1, end - p)
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
            while self.slots[j] & 0xffffffffULL != <uint64_t>(row + 1):
                j = (j + 1) & mask
            self.slots[j] = 0
            self.used -= 1
        self.k = k0

    cdef bint _batch(self, const char* p, const char* end) except -1:
        cdef uint64_t seen = 0
        cdef uint32_t key
        cdef _Span v, uid
        cdef int f
        cdef int64_t iv
        cdef Py_ssize_t k0 = self.k
        p = _ws(p, end)
        if p >= end or p[0] != c'{':
            return False
        p = _ws(p + 1, end)
        while True:
            p = _key(p, end, &key)
            if p == NULL:
                return False
            if key == K_PID:
                f = H_PID
                p = _int(p, end, &iv)
            elif key == K_UID:
                f = H_UID
                p = _string(p, end, &uid)
                if p != NULL and not _valid_utf8(uid):
                    return False
            elif key == K_DT:
                f = H_DT
                p = _int(p, end, &iv)
                if p != NULL and iv != 4 and iv != 5:
                    return False
            elif key == K_NOW:
                f = H_NOW
                p = _int(p, end, &iv)
            elif key == K_OS or key == K_L or key == K_TZ or key == K_DMA or key == K_DMO:
                f = (H_OS if key == K_OS else H_L if key == K_L else H_TZ if key == K_TZ
                     else H_DMA if key == K_DMA else H_DMO)
                p = _string(p, end, &v)
                if p != NULL and not _valid_utf8(v):
                    return False
            elif key == K_TO:
                f = H_TO
                p = _origin(p, end)
            elif key == K_R:
                f = H_R
                p = _resolution(p, end)
            elif key == K_PL:
                f = H_PL
                if p >= end or p[0] != c'[':
                    return False
                p = self._events(p, end)
            else:
                return False
            if p == NULL or seen & (<uint64_t>1 << f):
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
        # the rows of the batch get its uid now that the header is read (a batch of
        # repeats alone has none: its uid is not interned)
        if self.k == k0:
            return True
        cdef int32_t c_uid = _code(self.d_uid, PyUnicode_DecodeUTF8(uid.s, uid.n, NULL))
        cdef Py_ssize_t row
        for row in range(k0, self.k):
            self.c_uid[row] = c_uid
        return True

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
        cdef uint32_t key
        cdef _Span euid, url, ci, bg, st, tvp, tvid, sv, av, af, kk, vs
        cdef int64_t ea = -1, upt = 0, scn = 0, c = 0, o = 0, sn = 0, t = 0, sl = 0
        cdef int64_t fd = 0, tvd = 0, tvv = 0, vi = 0, sb = 0, ab = 0
        cdef bint ur = False, v_is_str = False
        # a string equal to its column's last value is not scanned again (its code is known)
        cdef bint url_same = False, st_same = False, tvp_same = False, tvid_same = False
        cdef const char* vo = NULL  # the text of ``vo`` when read (not the last one again)
        cdef const char* vo_end = NULL
        cdef const char* q
        cdef int f, prev = F_NONE
        cdef Py_ssize_t row = self.k
        if p >= end or p[0] != c'{':
            return NULL
        p = _ws(p + 1, end)
        while True:
            # the name: the one that followed the previous name last time (one word
            # compared: events are written with their fields in one order), or read
            f = self.next_field[prev]
            if end - p >= 8 and (_load8(p) & _NAME_MASK[f]) == _NAME_WORD[f]:
                p = _ws(p + _NAME_LEN[f], end)
            else:
                p = _key(p, end, &key)
                if p == NULL:
                    return NULL
                f = _event_field(key)
                if f < 0:
                    return NULL
                self.next_field[prev] = f
            prev = f
            if seen & (<uint64_t>1 << f):
                return NULL
            seen |= <uint64_t>1 << f
            if f == F_EA:
                p = _int(p, end, &ea)
            elif f == F_UPT:
                p = _int(p, end, &upt)
            elif f == F_EUID:
                p = _string(p, end, &euid)
            elif f == F_URL:
                q = self.s_url.same(p, end)
                url_same = q != NULL
                p = q if url_same else _string(p, end, &url)
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
                if self.vo_n and end - p >= self.vo_n and memcmp(p, self.vo_text, self.vo_n) == 0:
                    p += self.vo_n  # the last event's vo, byte for byte
                else:
                    vo = p
                    p = vo_end = _version(p, end, &sv, &sb, &av, &af, &ab)
            elif f == F_SN:
                p = _int(p, end, &sn)
            elif f == F_T:
                p = _int(p, end, &t)
            elif f == F_BG:
                p = _string(p, end, &bg)
                if p != NULL and not (_is(bg, b"fetch", 5) or _is(bg, b"task", 4)):
                    return NULL
            elif f == F_ST:
                q = self.s_st.same(p, end)
                st_same = q != NULL
                p = q if st_same else _string(p, end, &st)
            elif f == F_SL:
                p = _int(p, end, &sl)
            elif f == F_TVP:
                q = self.s_tvp.same(p, end)
                tvp_same = q != NULL
                p = q if tvp_same else _string(p, end, &tvp)
            elif f == F_TVID:
                q = self.s_tvid.same(p, end)
                tvid_same = q != NULL
                p = q if tvid_same else _string(p, end, &tvid)
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
            else:  # F_V
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
        if not _valid_utf8(euid) or (vo != NULL and not (_valid_utf8(sv) and _valid_utf8(af))):
            return NULL
        # A repeat keeps nothing, not even its strings in the dictionaries (the
        # reference interns only what it keeps). The row is counted before its strings
        # are: a decline below then drops it, and its euid, with the batch (``_forget``).
        if not self._put_euid(euid.s, euid.n):
            return p + 1
        self.k += 1
        # the row: interned strings (a code of -1: invalid UTF-8, msgspec decides)
        cdef int32_t code
        code = self.s_url.last_code if url_same else self.s_url.code(url)
        if code < 0:
            return NULL
        self.c_url[row] = code
        if vo == NULL:
            code = self.vo_code
        else:
            code = self.s_av.code(av)
            if code < 0:
                return NULL
            # remembered for the next event (an event's vo is most often the last one's)
            if vo_end - vo <= sizeof(self.vo_text):
                memcpy(self.vo_text, vo, vo_end - vo)
                self.vo_n = vo_end - vo
                self.vo_code = code
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
            code = self.s_st.last_code if st_same else self.s_st.code(st)
            if code < 0:
                return NULL
            self.c_st[row] = code
        elif ea >= TAP and ea <= FLING:
            code = self.s_tvp.last_code if tvp_same else self.s_tvp.code(tvp)
            if code < 0:
                return NULL
            self.c_tvp[row] = code
            code = self.s_tvid.last_code if tvid_same else self.s_tvid.code(tvid)
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
        return p + 1

    def walk(self, batch):
        """Write the events of a decoded ``Batch`` (repeats dropped)."""
        cdef Py_ssize_t n = len(batch.pl), size
        cdef const char* s
        cdef int ea
        cdef object unset = UNSET
        self._reserve(n, 0)
        cdef int32_t uid = -1  # interned at the first event kept, as the reference does
        cdef Py_ssize_t row
        for e in batch.pl:
            s = PyUnicode_AsUTF8AndSize(e.euid, &size)
            self._reserve(1, size)
            row = self.k
            if not self._put_euid(s, size):
                continue  # a repeat: nothing of it kept, not even its strings
            self.k += 1
            if uid < 0:
                uid = _code(self.d_uid, batch.uid)
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

    def columns(self):
        """The columns read so far (numpy, trimmed) and the euid column's Arrow buffers
        (offsets int64, data uint8)."""
        out = {name: col[:self.k] for name, col in self.cols.items()}
        return (out, self.euid_offsets_a[:self.k + 1], self.euid_data_a[:self.data_n])


cdef const char* _origin(const char* p, const char* end) except? NULL:
    """``to``: exactly ``an``, ``st``, ``sf`` (strings)."""
    cdef uint64_t seen = 0
    cdef uint32_t key
    cdef _Span v
    cdef int f
    if p >= end or p[0] != c'{':
        return NULL
    p = _ws(p + 1, end)
    while True:
        p = _key(p, end, &key)
        if p == NULL:
            return NULL
        f = 0 if key == K_AN else 1 if key == K_ST else 2 if key == K_SF else -1
        if f < 0 or seen & (1 << f):
            return NULL
        seen |= 1 << f
        p = _string(p, end, &v)
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


cdef const char* _resolution(const char* p, const char* end) noexcept nogil:
    """``r``: exactly ``d``, a number in 0.75..10."""
    cdef uint32_t key
    cdef double d
    if p >= end or p[0] != c'{':
        return NULL
    p = _key(_ws(p + 1, end), end, &key)
    if p == NULL or key != K_D:
        return NULL
    p = _number(p, end, &d)
    if p == NULL or not (0.75 <= d <= 10):
        return NULL
    p = _ws(p, end)
    if p >= end or p[0] != c'}':
        return NULL
    return p + 1


cdef const char* _version(const char* p, const char* end, _Span* sv, int64_t* sb, _Span* av,
                          _Span* af, int64_t* ab) noexcept nogil:
    """``vo``: exactly ``sv``, ``sb``, ``av``, ``af``, ``ab``."""
    cdef uint64_t seen = 0
    cdef uint32_t key
    cdef int f
    if p >= end or p[0] != c'{':
        return NULL
    p = _ws(p + 1, end)
    while True:
        p = _key(p, end, &key)
        if p == NULL:
            return NULL
        if key == K_SV:
            f = 0
            p = _string(p, end, sv)
        elif key == K_SB:
            f = 1
            p = _int(p, end, sb)
        elif key == K_AV:
            f = 2
            p = _string(p, end, av)
        elif key == K_AF:
            f = 3
            p = _string(p, end, af)
        elif key == K_AB:
            f = 4
            p = _int(p, end, ab)
        else:
            return NULL
        if p == NULL or seen & (1 << f):
            return NULL
        seen |= 1 << f
        p = _ws(p, end)
        if p >= end:
            return NULL
        if p[0] == c'}':
            break
        if p[0] != c',':
            return NULL
        p = _ws(p + 1, end)
    return p + 1 if seen == 31 else NULL
