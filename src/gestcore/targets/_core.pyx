# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled tree kernels: same answers as ``_reference.py``, no Python objects per view.

Strings live in one escaped UTF-8 buffer with offsets (``esc_buf``,
``esc_off``), indexed by the interned ids of the tree's columns, so building a
target is a sequence of ``memcpy`` calls. Views are in pre-order and every
loop is iterative, so depth is unlimited. The Python wrapper (tree.py)
validates indices and arguments; the kernels trust them.
"""

import math

import msgspec
import numpy as np

cimport numpy as cnp
from cpython.dict cimport PyDict_GetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.object cimport PyObject, PyTypeObject
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.math cimport isfinite, isnan
from libc.stdint cimport int8_t, int32_t, int64_t, uint8_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy

cdef extern from "Python.h":
    # Field offsets of msgspec Structs, read once from their member descriptors.
    ctypedef struct PyMemberDef:
        int type
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    const char* PyUnicode_AsUTF8AndSize(object, Py_ssize_t*) except NULL
    long long PyLong_AsLongLongAndOverflow(PyObject*, int*) except? -1
    double PyFloat_AS_DOUBLE(PyObject*) nogil
    Py_ssize_t PyTuple_GET_SIZE(PyObject*) nogil
    PyObject* PyTuple_GET_ITEM(PyObject*, Py_ssize_t) nogil
    Py_ssize_t PyUnicode_GET_LENGTH(PyObject*) nogil
    Py_ssize_t PyList_GET_SIZE_P "PyList_GET_SIZE" (PyObject*) nogil
    PyObject* PyList_GET_ITEM_P "PyList_GET_ITEM" (PyObject*, Py_ssize_t) nogil
    PyObject* Py_None
    PyObject* Py_True
    PyObject* Py_False
    void Py_DECREF_P "Py_DECREF" (PyObject*)

from gestcore.targets import snapshot as _snapshot
from gestcore.targets import snapshot_json as _snapshot_json
from gestcore.targets import typed_view as _typed_view

cnp.import_array()

cdef enum:
    AI = 0
    RI = 1
    TG = 2
    EQ = 3

__all__ = ["Core", "derive", "flatten", "flatten_json"]

# ---------------------------------------------------------------------------
# Snapshot walker


class _Bad(Exception):
    pass


cdef inline bint _is_num(object v):
    return (type(v) is float or type(v) is int) or (
        isinstance(v, (int, float)) and not isinstance(v, bool))


def flatten(object root, bint check_shared):
    """Fast pre-order walk of a snapshot; on any problem the reference walker
    runs instead, so errors are exactly the reference's."""
    try:
        return _flatten_fast(root, check_shared)
    except (_Bad, TypeError, ValueError, OverflowError):
        return _snapshot.flatten(root, check_shared)


cdef object _flatten_fast(object root, bint check_shared):
    cdef list strings = []
    cdef dict ids = {}
    cdef list stack = [(root, -1)]
    cdef Py_ssize_t cap = 1024, n = 0, k, m
    cdef object obj, v, subviews, frame, seen
    cdef int64_t par
    cdef PyObject* p
    cdef tuple skeys = ("accessibilityIdentifier", "restorationIdentifier", "viewController")
    cdef tuple fkeys = ("hidden", "userInteractionEnabled", "responsive")
    cdef int32_t[::1] cls_c, ai_c, ri_c, vc_c
    cdef int64_t[::1] parent_c, depth_c, tag_c
    cdef double[:, ::1] frame_c
    cdef double[::1] alpha_c
    cdef uint8_t[::1] hidden_c, inter_c, resp_c
    cols = _alloc(cap)
    (parent_c, depth_c, cls_c, ai_c, ri_c, vc_c, tag_c, frame_c, alpha_c,
     hidden_c, inter_c, resp_c) = cols
    seen = set() if check_shared else None
    while stack:
        obj, par = stack.pop()
        if n == cap:
            cap *= 2
            cols = _grow(cols, cap, n)
            (parent_c, depth_c, cls_c, ai_c, ri_c, vc_c, tag_c, frame_c, alpha_c,
             hidden_c, inter_c, resp_c) = cols
        if type(obj) is not dict:
            raise _Bad()
        if check_shared:
            k = id(obj)
            if k in seen:
                raise _Bad()
            seen.add(k)
        parent_c[n] = par
        depth_c[n] = 0 if par < 0 else depth_c[par] + 1
        v = (<dict>obj).get("class")
        if type(v) is not str or not v:
            raise _Bad()
        p = PyDict_GetItem(ids, v)
        if p is NULL:
            cls_c[n] = len(strings)
            ids[v] = cls_c[n]
            strings.append(v)
        else:
            cls_c[n] = <object>p
        for m in range(3):
            v = (<dict>obj).get(skeys[m])
            if v is None or (type(v) is str and not v):
                k = -1
            elif type(v) is str:
                p = PyDict_GetItem(ids, v)
                if p is NULL:
                    k = len(strings)
                    ids[v] = k
                    strings.append(v)
                else:
                    k = <object>p
            else:
                raise _Bad()
            if m == 0:
                ai_c[n] = k
            elif m == 1:
                ri_c[n] = k
            else:
                vc_c[n] = k
        v = (<dict>obj).get("tag")
        if v is None:
            tag_c[n] = 0
        elif type(v) is int and -9223372036854775808 <= v <= 9223372036854775807:
            tag_c[n] = v
        else:
            raise _Bad()
        frame = (<dict>obj).get("frame")
        if frame is None:
            for m in range(4):
                frame_c[n, m] = math.nan
        else:
            if type(frame) is not list or len(<list>frame) != 4:
                raise _Bad()
            for m in range(4):
                v = (<list>frame)[m]
                if not _is_num(v):
                    raise _Bad()
                frame_c[n, m] = v
                if not isfinite(frame_c[n, m]):
                    raise _Bad()
            if frame_c[n, 2] < 0 or frame_c[n, 3] < 0:
                raise _Bad()
        for m in range(3):
            v = (<dict>obj).get(fkeys[m])
            k = _flag(<PyObject*>v, m == 1)  # userInteractionEnabled defaults to true
            if k < 0:
                raise _Bad()
            if m == 0:
                hidden_c[n] = k
            elif m == 1:
                inter_c[n] = k
            else:
                resp_c[n] = k
        v = (<dict>obj).get("alpha")
        if v is None:
            alpha_c[n] = 1.0
        elif _is_num(v):
            alpha_c[n] = v
            if not isfinite(alpha_c[n]):
                raise _Bad()
        else:
            raise _Bad()
        subviews = (<dict>obj).get("subviews")
        if subviews is not None:
            if type(subviews) is not list:
                raise _Bad()
            for k in range(PyList_GET_SIZE(subviews) - 1, -1, -1):
                stack.append((<object>PyList_GET_ITEM(subviews, k), n))
        n += 1
    arrays = [np.asarray(c)[:n] for c in cols]
    out = {
        "parent": arrays[0], "depth": arrays[1], "cls": arrays[2], "ai": arrays[3],
        "ri": arrays[4], "vc": arrays[5], "tag": arrays[6], "frame": arrays[7],
        "alpha": arrays[8], "hidden": arrays[9].view(np.bool_),
        "interaction": arrays[10].view(np.bool_), "responsive": arrays[11].view(np.bool_),
        "strings": strings,
    }
    for name in ("parent", "depth", "cls", "ai", "ri", "vc", "tag", "frame", "alpha",
                 "hidden", "interaction", "responsive"):
        out[name] = np.ascontiguousarray(out[name])
    return out


cdef list _alloc(Py_ssize_t cap):
    return [
        np.empty(cap, np.int64), np.empty(cap, np.int64),
        np.empty(cap, np.int32), np.empty(cap, np.int32), np.empty(cap, np.int32),
        np.empty(cap, np.int32), np.empty(cap, np.int64), np.empty((cap, 4), np.float64),
        np.empty(cap, np.float64), np.empty(cap, np.uint8), np.empty(cap, np.uint8),
        np.empty(cap, np.uint8),
    ]


cdef list _grow(list cols, Py_ssize_t cap, Py_ssize_t n):
    out = _alloc(cap)
    for a, b in zip(out, cols):
        a[:n] = b[:n]
    return out


# ---------------------------------------------------------------------------
# from_json: typed msgspec decoding, then a walk of the Structs


def flatten_json(object source):
    """``flatten`` of a JSON snapshot (text, bytes or a path).

    Fast path: msgspec decodes straight into ``typed_view.TypedView`` Structs
    (valid types only) and ``_walk_typed`` reads their fields by offset into
    the columns. Anything unusual (msgspec refuses the document, bytes that
    are not ASCII and not valid UTF-8, an integer literal longer than 640
    digits, an invalid value) falls back to ``snapshot_json.load_json_text`` and
    the dict walker, which give the reference's result or error.
    """
    data = _snapshot_json.read_source(source)
    raw = _flatten_typed(data) if _TYPED_OK else None
    if raw is None:
        obj = _snapshot_json.load_json_text(data)
        # JSON cannot share objects, so the identity check is skipped.
        raw = flatten(obj, False)
    return raw


# Slot offsets of TypedView's fields, in this order (column names).
_TYPED_FIELDS = ("cls", "ai", "ri", "vc", "tag", "frame", "hidden", "alpha", "interaction",
                 "responsive", "subviews")
cdef enum:
    F_CLS = 0
    F_AI = 1
    F_RI = 2
    F_VC = 3
    F_TAG = 4
    F_FRAME = 5
    F_HIDDEN = 6
    F_ALPHA = 7
    F_INTER = 8
    F_RESP = 9
    F_SUB = 10
    N_FIELDS = 11
cdef Py_ssize_t _OFF[N_FIELDS]
# math.nan read once: the same NaN as the reference walker, no lookup per view.
cdef double _NAN = math.nan
cdef PyTypeObject* _VIEW_TYPE = NULL
cdef PyTypeObject* _STR_T = <PyTypeObject*>str
cdef PyTypeObject* _INT_T = <PyTypeObject*>int
cdef PyTypeObject* _FLOAT_T = <PyTypeObject*>float
cdef PyTypeObject* _TUPLE_T = <PyTypeObject*>tuple
cdef PyTypeObject* _LIST_T = <PyTypeObject*>list


cdef bint _init_typed() except -1:
    """Read the field offsets from TypedView's member descriptors; False (no
    fast path) if the layout is not the expected one."""
    global _VIEW_TYPE
    import types
    t = _typed_view.TypedView
    cdef PyMemberDef* m
    cdef Py_ssize_t k
    for k in range(N_FIELDS):
        d = t.__dict__.get(_TYPED_FIELDS[k])
        if type(d) is not types.MemberDescriptorType:
            return False
        m = (<PyMemberDescrObject*><PyObject*>d).d_member
        # T_OBJECT (6) or T_OBJECT_EX (16): a PyObject* stored at the offset.
        if (m.type != 6 and m.type != 16) or m.offset < <Py_ssize_t>sizeof(PyObject) or (
                m.offset + <Py_ssize_t>sizeof(PyObject*) > t.__basicsize__):
            return False
        _OFF[k] = m.offset
    _VIEW_TYPE = <PyTypeObject*><PyObject*>t
    return True


cdef bint _TYPED_OK = _init_typed()


cdef inline PyObject* _slot(PyObject* o, int k) noexcept nogil:
    return (<PyObject**>((<char*>o) + _OFF[k]))[0]


cdef inline void _clear(PyObject* o, int k) noexcept:
    """Release field k of a TypedView now (msgspec's dealloc skips NULL slots)."""
    cdef PyObject** addr = <PyObject**>((<char*>o) + _OFF[k])
    cdef PyObject* v = addr[0]
    if v is not NULL:
        addr[0] = NULL
        Py_DECREF_P(v)


cdef bint _is_ascii(const unsigned char* s, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i = 0
    cdef uint64_t acc = 0, w
    while i + 8 <= n:
        memcpy(&w, s + i, 8)
        acc |= w
        i += 8
    while i < n:
        acc |= s[i]
        i += 1
    return (acc & 0x8080808080808080ULL) == 0


cdef bint _long_digit_run(const unsigned char* s, Py_ssize_t n) noexcept nogil:
    """True if some run of ASCII digits is longer than 640 characters.

    Python refuses to convert integer literals longer than
    ``sys.get_int_max_str_digits()`` (at least 640, 4300 by default), so the
    standard decoder fails on such a literal even under a key the walkers
    ignore, where msgspec's typed decoding skips it. A run of 641 digits
    covers one of the sampled bytes (at most 320 apart); only runs through
    those are measured.
    """
    cdef Py_ssize_t j = 0, a, b
    while j < n:
        if 48 <= s[j] <= 57:
            a = j
            while a > 0 and 48 <= s[a - 1] <= 57:
                a -= 1
            b = j + 1
            while b < n and 48 <= s[b] <= 57:
                b += 1
            if b - a > 640:
                return True
            # Any later run starts after b; one of 641 digits covers b + 320.
            j = b + 320
        else:
            j += 320
    return False


cdef object _flatten_typed(object data):
    """Columns from typed decoding, or None to use the fallback."""
    cdef const char* buf
    cdef Py_ssize_t size
    if type(data) is bytes:
        buf = <const char*>(<bytes>data)
        size = len(<bytes>data)
        if not _is_ascii(<const unsigned char*>buf, size):
            # msgspec skips unknown keys without checking their UTF-8; the
            # standard decoder reads bytes as UTF-8 with surrogatepass.
            try:
                PyUnicode_DecodeUTF8(buf, size, "surrogatepass")
            except UnicodeDecodeError:
                return None
    elif type(data) is str:
        try:
            buf = PyUnicode_AsUTF8AndSize(data, &size)
        except UnicodeEncodeError:  # lone surrogates: msgspec refuses them
            return None
    else:
        return None
    if _long_digit_run(<const unsigned char*>buf, size):
        return None
    try:
        root = _typed_view.TYPED_DECODER.decode(data)
    except (msgspec.MsgspecError, RecursionError, ValueError):
        return None
    # A first guess of the view count (~130 bytes per view is typical).
    return _walk_typed(<PyObject*>root, size // 128)


cdef inline int32_t _intern(PyObject* s, dict ids, list strings) except -2:
    cdef PyObject* p = PyDict_GetItem(ids, <object>s)
    cdef int32_t k
    if p is NULL:
        k = <int32_t>len(strings)
        ids[<object>s] = k
        strings.append(<object>s)
        return k
    return <object>p


cdef inline int32_t _opt_str(PyObject* v, dict ids, list strings) except -2:
    """-1 for None or "", the string's id, -3 for anything else."""
    if v == Py_None:
        return -1
    if v.ob_type != _STR_T:
        return -3
    if PyUnicode_GET_LENGTH(v) == 0:
        return -1
    return _intern(v, ids, strings)


cdef inline int _flag(PyObject* v, int default) noexcept nogil:
    """0 or 1 for False, True (None: default); -1 for anything else."""
    if v == Py_None:
        return default
    if v == Py_True:
        return 1
    if v == Py_False:
        return 0
    return -1


cdef struct _Cols:
    int64_t* parent
    int64_t* depth
    int32_t* cls
    int32_t* ai
    int32_t* ri
    int32_t* vc
    int64_t* tag
    double* frame
    double* alpha
    uint8_t* hidden
    uint8_t* inter
    uint8_t* resp


cdef int _resize_cols(list arrays, Py_ssize_t cap, _Cols* c) except -1:
    """Resize the column arrays in place (realloc) and refresh the pointers."""
    for a in arrays:
        if a.ndim == 2:
            a.resize((cap, 4), refcheck=False)
        else:
            a.resize(cap, refcheck=False)
    c.parent = <int64_t*>cnp.PyArray_DATA(arrays[0])
    c.depth = <int64_t*>cnp.PyArray_DATA(arrays[1])
    c.cls = <int32_t*>cnp.PyArray_DATA(arrays[2])
    c.ai = <int32_t*>cnp.PyArray_DATA(arrays[3])
    c.ri = <int32_t*>cnp.PyArray_DATA(arrays[4])
    c.vc = <int32_t*>cnp.PyArray_DATA(arrays[5])
    c.tag = <int64_t*>cnp.PyArray_DATA(arrays[6])
    c.frame = <double*>cnp.PyArray_DATA(arrays[7])
    c.alpha = <double*>cnp.PyArray_DATA(arrays[8])
    c.hidden = <uint8_t*>cnp.PyArray_DATA(arrays[9])
    c.inter = <uint8_t*>cnp.PyArray_DATA(arrays[10])
    c.resp = <uint8_t*>cnp.PyArray_DATA(arrays[11])
    return 0


cdef inline int _read_names(PyObject* view, Py_ssize_t i, _Cols* c, dict ids,
                            list strings) except -1:
    """Class, identifiers and view controller of view ``i``: 1, or 0 if one is invalid."""
    cdef PyObject* v = _slot(view, F_CLS)
    cdef int32_t s
    if v is NULL or v.ob_type != _STR_T or PyUnicode_GET_LENGTH(v) == 0:
        return 0
    c.cls[i] = _intern(v, ids, strings)
    v = _slot(view, F_AI)
    s = -3 if v is NULL else _opt_str(v, ids, strings)
    if s == -3:
        return 0
    c.ai[i] = s
    v = _slot(view, F_RI)
    s = -3 if v is NULL else _opt_str(v, ids, strings)
    if s == -3:
        return 0
    c.ri[i] = s
    v = _slot(view, F_VC)
    s = -3 if v is NULL else _opt_str(v, ids, strings)
    if s == -3:
        return 0
    c.vc[i] = s
    return 1


cdef inline int _read_tag(PyObject* v, int64_t* out) except -1:
    """A tag (None: 0) into ``out``: 1, or 0 if it is not a 64-bit int."""
    cdef int overflow = 0
    cdef long long t
    if v is NULL:
        return 0
    if v == Py_None:
        out[0] = 0
        return 1
    if v.ob_type != _INT_T:
        return 0
    t = PyLong_AsLongLongAndOverflow(v, &overflow)
    if overflow:
        return 0
    out[0] = t
    return 1


cdef inline bint _read_frame(PyObject* v, double* fr) noexcept nogil:
    """A frame (None: NaN) into ``fr[0:4]``; False unless 4 finite floats, sizes >= 0."""
    cdef Py_ssize_t k
    cdef PyObject* item
    cdef double x
    if v is NULL:
        return False
    if v == Py_None:
        for k in range(4):
            fr[k] = _NAN
        return True
    if v.ob_type != _TUPLE_T or PyTuple_GET_SIZE(v) != 4:
        return False
    for k in range(4):
        item = PyTuple_GET_ITEM(v, k)
        if item.ob_type != _FLOAT_T:
            return False
        x = PyFloat_AS_DOUBLE(item)
        if not isfinite(x):
            return False
        fr[k] = x
    return fr[2] >= 0 and fr[3] >= 0


cdef inline bint _read_alpha(PyObject* v, double* out) noexcept nogil:
    """An alpha (None: 1.0) into ``out``; False unless a finite float."""
    if v is NULL:
        return False
    if v == Py_None:
        out[0] = 1.0
        return True
    if v.ob_type != _FLOAT_T:
        return False
    out[0] = PyFloat_AS_DOUBLE(v)
    return isfinite(out[0])


cdef inline bint _read_flags(PyObject* view, Py_ssize_t i, _Cols* c) noexcept nogil:
    """hidden, userInteractionEnabled, responsive of view ``i``; False if one is not a bool."""
    cdef PyObject* v = _slot(view, F_HIDDEN)
    cdef int f = -1 if v is NULL else _flag(v, 0)
    if f < 0:
        return False
    c.hidden[i] = f
    v = _slot(view, F_INTER)
    f = -1 if v is NULL else _flag(v, 1)
    if f < 0:
        return False
    c.inter[i] = f
    v = _slot(view, F_RESP)
    f = -1 if v is NULL else _flag(v, 0)
    if f < 0:
        return False
    c.resp[i] = f
    return True


cdef inline int _read_view(PyObject* view, Py_ssize_t i, _Cols* c, dict ids,
                           list strings) except -1:
    """Every field of view ``i`` but its subviews: 1, or 0 if a value is invalid.

    The values read are freed right away, while they are in cache, rather than
    in a later pass over the whole decoded tree.
    """
    if not _read_names(view, i, c, ids, strings):
        return 0
    if not _read_tag(_slot(view, F_TAG), c.tag + i):
        return 0
    if not _read_frame(_slot(view, F_FRAME), c.frame + 4 * i):
        return 0
    if not _read_alpha(_slot(view, F_ALPHA), c.alpha + i):
        return 0
    if not _read_flags(view, i, c):
        return 0
    _clear(view, F_CLS)
    _clear(view, F_FRAME)
    _clear(view, F_AI)
    _clear(view, F_RI)
    _clear(view, F_TAG)
    _clear(view, F_VC)
    _clear(view, F_ALPHA)
    return 1


cdef struct _Stack:
    # One entry per subviews list being walked: the list, the position of its
    # next view and its parent's index; pre-order without recursion and
    # without a Python object per entry.
    PyObject** lists
    Py_ssize_t* nexts
    Py_ssize_t* pars
    Py_ssize_t cap, top


cdef void _stack_init(_Stack* st) noexcept:
    st.cap = 64
    st.top = 0
    st.lists = <PyObject**>malloc(st.cap * sizeof(PyObject*))
    st.nexts = <Py_ssize_t*>malloc(st.cap * sizeof(Py_ssize_t))
    st.pars = <Py_ssize_t*>malloc(st.cap * sizeof(Py_ssize_t))


cdef void _stack_free(_Stack* st) noexcept:
    """Drop the lists still on the stack (freeing their views) and the stack."""
    while st.top:
        st.top -= 1
        Py_DECREF_P(st.lists[st.top])
    free(st.lists)
    free(st.nexts)
    free(st.pars)


cdef int _stack_push(_Stack* st, PyObject* sub, Py_ssize_t par) except -1:
    """Push a subviews list (the stack takes over the caller's reference)."""
    cdef void* grown
    if st.top == st.cap:
        st.cap *= 2
        grown = realloc(st.lists, st.cap * sizeof(PyObject*))
        if grown is NULL:
            raise MemoryError()
        st.lists = <PyObject**>grown
        grown = realloc(st.nexts, st.cap * sizeof(Py_ssize_t))
        if grown is NULL:
            raise MemoryError()
        st.nexts = <Py_ssize_t*>grown
        grown = realloc(st.pars, st.cap * sizeof(Py_ssize_t))
        if grown is NULL:
            raise MemoryError()
        st.pars = <Py_ssize_t*>grown
    st.lists[st.top] = sub
    st.nexts[st.top] = 0
    st.pars[st.top] = par
    st.top += 1
    return 0


cdef inline PyObject* _stack_next(_Stack* st, Py_ssize_t* par) noexcept:
    """The next view: the next subview of the innermost unfinished list (NULL: none).

    Finished lists are dropped, which frees their views.
    """
    cdef Py_ssize_t t
    while st.top and st.nexts[st.top - 1] == PyList_GET_SIZE_P(st.lists[st.top - 1]):
        st.top -= 1
        Py_DECREF_P(st.lists[st.top])
    if not st.top:
        return NULL
    t = st.top - 1
    par[0] = st.pars[t]
    st.nexts[t] += 1
    return PyList_GET_ITEM_P(st.lists[t], st.nexts[t] - 1)


cdef object _walk_typed(PyObject* root, Py_ssize_t cap):
    """Pre-order columns from a tree of TypedViews, or None if some value is
    invalid (the fallback then reports it). ``cap`` is a first guess of the
    number of views; the columns grow by doubling and are trimmed at the end
    (in place, by realloc)."""
    cdef list strings = []
    cdef dict ids = {}
    cdef _Cols c
    cdef _Stack st
    cdef Py_ssize_t i = 0, par = -1
    cdef PyObject* view = root
    cdef PyObject* sub
    if cap < 16:
        cap = 16
    cdef list arrays = _alloc(cap)
    _resize_cols(arrays, cap, &c)
    # The subviews lists are owned by the Structs, which ``root`` keeps alive,
    # and nothing else holds them.
    _stack_init(&st)
    try:
        if st.lists is NULL or st.nexts is NULL or st.pars is NULL:
            raise MemoryError()
        if view.ob_type != _VIEW_TYPE:
            return None
        while True:
            if i == cap:
                cap *= 2
                _resize_cols(arrays, cap, &c)
            c.parent[i] = par
            c.depth[i] = 0 if par < 0 else c.depth[par] + 1
            if not _read_view(view, i, &c, ids, strings):
                return None
            sub = _slot(view, F_SUB)
            if sub is NULL:
                return None
            if sub != Py_None:
                if sub.ob_type != _LIST_T:
                    return None
                if PyList_GET_SIZE_P(sub):
                    _stack_push(&st, sub, i)
                    # The stack took the view's reference to the list; it
                    # drops it when the list is done, freeing its views.
                    (<PyObject**>((<char*>view) + _OFF[F_SUB]))[0] = NULL
            i += 1
            view = _stack_next(&st, &par)
            if view is NULL:
                break
            if view.ob_type != _VIEW_TYPE:
                return None
    finally:
        _stack_free(&st)
    _resize_cols(arrays, i, &c)
    return {
        "parent": arrays[0], "depth": arrays[1], "cls": arrays[2], "ai": arrays[3],
        "ri": arrays[4], "vc": arrays[5], "tag": arrays[6], "frame": arrays[7],
        "alpha": arrays[8], "hidden": arrays[9].view(np.bool_),
        "interaction": arrays[10].view(np.bool_), "responsive": arrays[11].view(np.bool_),
        "strings": strings,
    }


# ---------------------------------------------------------------------------
# Structure


def derive(parent, cls, ai, ri, tag, vc, responsive, hidden, alpha, interaction):
    """Subtree ends, sibling links, segment kinds and positions, owners, flags."""
    cdef const int64_t[::1] par = np.ascontiguousarray(parent, dtype=np.int64)
    cdef const int32_t[::1] cl = np.ascontiguousarray(cls, dtype=np.int32)
    cdef const int32_t[::1] a = np.ascontiguousarray(ai, dtype=np.int32)
    cdef const int32_t[::1] r = np.ascontiguousarray(ri, dtype=np.int32)
    cdef const int64_t[::1] tg = np.ascontiguousarray(tag, dtype=np.int64)
    cdef const int32_t[::1] v = np.ascontiguousarray(vc, dtype=np.int32)
    cdef const uint8_t[::1] resp = np.ascontiguousarray(responsive, dtype=np.uint8)
    cdef const uint8_t[::1] hid = np.ascontiguousarray(hidden, dtype=np.uint8)
    cdef const double[::1] al = np.ascontiguousarray(alpha, dtype=np.float64)
    cdef const uint8_t[::1] inter = np.ascontiguousarray(interaction, dtype=np.uint8)
    cdef Py_ssize_t n = par.shape[0], i, p, c
    cdef int32_t max_cls = 0
    for i in range(n):
        if cl[i] > max_cls:
            max_cls = cl[i]
    end_a = np.empty(n, np.int64)
    last_a = np.full(n, -1, np.int64)
    prev_a = np.full(n, -1, np.int64)
    eq_a = np.zeros(n, np.int64)
    kind_a = np.empty(n, np.int8)
    owner_a = np.empty(n, np.int32)
    rel_a = np.empty(n, np.uint8)
    rp_a = np.empty(n, np.uint8)
    hit_a = np.empty(n, np.uint8)
    count_a = np.zeros(max_cls + 1, np.int64)
    cdef int64_t[::1] end = end_a, last = last_a, prev = prev_a, eq = eq_a, count = count_a
    cdef int8_t[::1] kind = kind_a
    cdef int32_t[::1] owner = owner_a
    cdef uint8_t[::1] rel = rel_a, rp = rp_a, hit = hit_a
    with nogil:
        for i in range(n):
            end[i] = i + 1
        for i in range(n - 1, 0, -1):
            if end[i] > end[par[i]]:
                end[par[i]] = end[i]
        for p in range(n):
            # Same-class counters are reset after each parent: O(children).
            c = p + 1
            while c < end[p]:
                eq[c] = count[cl[c]]
                count[cl[c]] += 1
                prev[c] = last[p]
                last[p] = c
                c = end[c]
            c = p + 1
            while c < end[p]:
                count[cl[c]] = 0
                c = end[c]
        for i in range(n):
            if a[i] >= 0:
                kind[i] = AI
            elif r[i] >= 0:
                kind[i] = RI
            elif tg[i] != 0:
                kind[i] = TG
            else:
                kind[i] = EQ
            p = par[i]
            if v[i] >= 0 or p < 0:
                owner[i] = v[i]
            else:
                owner[i] = owner[p]
            rp[i] = resp[i] != 0 or (p >= 0 and rp[p] != 0)
            rel[i] = p >= 0 and (kind[i] != EQ or rel[p] != 0)
            hit[i] = hid[i] == 0 and al[i] >= 0.01 and inter[i] != 0
    return {
        "end": end_a, "last_child": last_a, "prev_sib": prev_a, "eq": eq_a,
        "kind": kind_a, "owner": owner_a, "reliable": rel_a.view(np.bool_),
        "responsive_path": rp_a.view(np.bool_), "hittable": hit_a.view(np.bool_),
    }


# ---------------------------------------------------------------------------
# Per-tree kernels


cdef inline bint _special(uint8_t b) noexcept nogil:
    return (b == 92 or b == 91 or b == 93 or b == 62 or b == 58 or b == 46
            or b == 40 or b == 41)   # \ [ ] > : . ( )


cdef inline Py_ssize_t _int_len(int64_t x) noexcept nogil:
    cdef uint64_t u
    cdef Py_ssize_t k = 1
    if x < 0:
        u = <uint64_t>0 - <uint64_t>x
        k += 1
    else:
        u = <uint64_t>x
    while u >= 10:
        u //= 10
        k += 1
    return k


cdef inline Py_ssize_t _write_int(int64_t x, uint8_t* out) noexcept nogil:
    cdef Py_ssize_t k = _int_len(x), j = k
    cdef uint64_t u
    if x < 0:
        out[0] = 45  # '-'
        u = <uint64_t>0 - <uint64_t>x
    else:
        u = <uint64_t>x
    while True:
        j -= 1
        out[j] = 48 + <uint8_t>(u % 10)
        u //= 10
        if u == 0:
            break
    return k


cdef class Core:
    """Per-tree kernel state: typed views of the columns and the escaped names."""

    cdef readonly Py_ssize_t n
    cdef const int64_t[::1] parent, depth, end, last_child, prev_sib, tag, eq
    cdef const int32_t[::1] cls, ai, ri, owner
    cdef const int8_t[::1] kind
    cdef const uint8_t[::1] hittable
    cdef const double[:, ::1] frame
    cdef int64_t[::1] esc_off
    cdef uint8_t[::1] esc_buf
    cdef bint root_unbounded
    cdef object _keep

    def __init__(self, dict cols):
        self.parent = cols["parent"]
        self.depth = cols["depth"]
        self.end = cols["end"]
        self.last_child = cols["last_child"]
        self.prev_sib = cols["prev_sib"]
        self.tag = cols["tag"]
        self.eq = cols["eq"]
        self.cls = cols["cls"]
        self.ai = cols["ai"]
        self.ri = cols["ri"]
        self.owner = cols["owner"]
        self.kind = cols["kind"]
        self.hittable = cols["hittable"].view(np.uint8)
        self.frame = cols["frame"]
        self.n = self.parent.shape[0]
        self.root_unbounded = self.n > 0 and isnan(self.frame[0, 0])
        self._escape_strings(cols["strings"])

    cdef _escape_strings(self, list strings):
        encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
        raw_off_a = np.zeros(len(encoded) + 1, np.int64)
        np.cumsum([len(b) for b in encoded], out=raw_off_a[1:])
        raw_a = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        cdef const uint8_t[::1] raw = raw_a
        cdef const int64_t[::1] raw_off = raw_off_a
        cdef Py_ssize_t m = len(encoded), k, j, total = 0
        for j in range(raw.shape[0]):
            total += 1 + _special(raw[j])
        self.esc_off = np.empty(m + 1, np.int64)
        self.esc_buf = np.empty(total, np.uint8)
        total = 0
        with nogil:
            for k in range(m):
                self.esc_off[k] = total
                for j in range(raw_off[k], raw_off[k + 1]):
                    if _special(raw[j]):
                        self.esc_buf[total] = 92
                        total += 1
                    self.esc_buf[total] = raw[j]
                    total += 1
            self.esc_off[m] = total

    # -- targets ---------------------------------------------------------
    cdef inline Py_ssize_t _name_len(self, int32_t s) noexcept nogil:
        return self.esc_off[s + 1] - self.esc_off[s]

    cdef inline Py_ssize_t _put(self, int32_t s, uint8_t* out) noexcept nogil:
        cdef Py_ssize_t k = self.esc_off[s + 1] - self.esc_off[s]
        if k:
            memcpy(out, &self.esc_buf[self.esc_off[s]], k)
        return k

    cdef Py_ssize_t _seg_len(self, Py_ssize_t i) noexcept nogil:
        cdef Py_ssize_t k = self._name_len(self.cls[i]) + 5
        cdef int8_t kd = self.kind[i]
        if kd == EQ:
            return k + _int_len(self.eq[i])
        if kd == TG:
            return k + _int_len(self.tag[i])
        if self.owner[i] >= 0:
            k += self._name_len(self.owner[i]) + 1
        return k + self._name_len(self.ai[i] if kd == AI else self.ri[i])

    cdef Py_ssize_t _seg_write(self, Py_ssize_t i, uint8_t* out) noexcept nogil:
        cdef Py_ssize_t k = self._put(self.cls[i], out)
        cdef int8_t kd = self.kind[i]
        if kd == EQ:
            memcpy(out + k, b":eq(", 4)
            k += 4
            k += _write_int(self.eq[i], out + k)
            out[k] = 41  # ')'
            return k + 1
        if kd == TG:
            memcpy(out + k, b"[tg:", 4)
        elif kd == AI:
            memcpy(out + k, b"[ai:", 4)
        else:
            memcpy(out + k, b"[ri:", 4)
        k += 4
        if kd == TG:
            k += _write_int(self.tag[i], out + k)
        else:
            if self.owner[i] >= 0:
                k += self._put(self.owner[i], out + k)
                out[k] = 46  # '.'
                k += 1
            k += self._put(self.ai[i] if kd == AI else self.ri[i], out + k)
        out[k] = 93  # ']'
        return k + 1

    cdef Py_ssize_t _target_len(self, Py_ssize_t i) noexcept nogil:
        cdef Py_ssize_t k = 6
        if i > 0 and self.kind[i] == AI:
            return self._seg_len(i)
        while i > 0:
            k += 1 + self._seg_len(i)
            i = self.parent[i]
        return k

    cdef void _target_write(self, Py_ssize_t i, uint8_t* out, Py_ssize_t length) noexcept nogil:
        # Written back to front: the view's segment last, ancestors before it.
        cdef Py_ssize_t pos = length
        if i > 0 and self.kind[i] == AI:
            self._seg_write(i, out)
            return
        while i > 0:
            pos -= self._seg_len(i)
            self._seg_write(i, out + pos)
            pos -= 1
            out[pos] = 62  # '>'
            i = self.parent[i]
        memcpy(out, b"[root]", 6)

    cpdef str target(self, Py_ssize_t i):
        cdef Py_ssize_t length = self._target_len(i)
        cdef uint8_t* buf = <uint8_t*>malloc(length)
        if buf is NULL:
            raise MemoryError()
        try:
            self._target_write(i, buf, length)
            return PyUnicode_DecodeUTF8(<char*>buf, length, "surrogatepass")
        finally:
            free(buf)

    def targets(self, const int64_t[::1] indices):
        cdef Py_ssize_t m = indices.shape[0], k
        offsets_a = np.empty(m + 1, np.int64)
        cdef int64_t[::1] offsets = offsets_a
        offsets[0] = 0
        with nogil:
            for k in range(m):
                offsets[k + 1] = offsets[k] + self._target_len(indices[k])
        data_a = np.empty(offsets[m], np.uint8)
        cdef uint8_t[::1] data = data_a
        cdef uint8_t* base = &data[0] if offsets[m] > 0 else NULL
        with nogil:
            for k in range(m):
                self._target_write(indices[k], base + offsets[k], offsets[k + 1] - offsets[k])
        return offsets_a, data_a

    # -- resolving -------------------------------------------------------
    cdef inline bint _matches(self, Py_ssize_t i, int8_t kd, int32_t c, int32_t vc,
                              int64_t value) noexcept nogil:
        if self.kind[i] != kd or self.cls[i] != c:
            return False
        if kd == AI:
            return self.owner[i] == vc and self.ai[i] == value
        if kd == RI:
            return self.owner[i] == vc and self.ri[i] == value
        if kd == TG:
            return self.tag[i] == value
        return self.eq[i] == value

    def resolve(self, bint short, const int8_t[::1] kinds, const int32_t[::1] classes,
                const int32_t[::1] vcs, const int64_t[::1] values):
        cdef Py_ssize_t m = kinds.shape[0], i, j, level, count = 0
        out_a = np.empty(self.n, np.int64)
        cdef int64_t[::1] out = out_a
        cdef bint ok
        with nogil:
            if short:
                for i in range(1, self.n):
                    if self._matches(i, kinds[0], classes[0], vcs[0], values[0]):
                        out[count] = i
                        count += 1
            elif m == 0:
                out[0] = 0
                count = 1
            else:
                # A view at depth m whose own segment and ancestors' match.
                for i in range(1, self.n):
                    if self.depth[i] != m:
                        continue
                    if not self._matches(i, kinds[m - 1], classes[m - 1], vcs[m - 1],
                                         values[m - 1]):
                        continue
                    ok = True
                    j = self.parent[i]
                    level = m - 2
                    while level >= 0:
                        if not self._matches(j, kinds[level], classes[level], vcs[level],
                                             values[level]):
                            ok = False
                            break
                        j = self.parent[j]
                        level -= 1
                    if ok:
                        out[count] = i
                        count += 1
        return out_a[:count].copy()

    # -- hit testing -----------------------------------------------------
    cdef inline bint _inside(self, Py_ssize_t i, double x, double y) noexcept nogil:
        cdef double fx, fy
        if not self.hittable[i]:
            return False
        if i == 0 and self.root_unbounded:
            return True
        fx = self.frame[i, 0]
        fy = self.frame[i, 1]
        return fx <= x and x < fx + self.frame[i, 2] and fy <= y and y < fy + self.frame[i, 3]

    cdef Py_ssize_t _hit(self, double x, double y) noexcept nogil:
        cdef Py_ssize_t v = 0, c
        if self.n == 0 or not isfinite(x) or not isfinite(y):
            return -1
        if not self._inside(0, x, y):
            return -1
        while True:
            c = self.last_child[v]
            while c >= 0 and not self._inside(c, x, y):
                c = self.prev_sib[c]
            if c < 0:
                return v
            v = c

    cpdef Py_ssize_t hit_test(self, double x, double y):
        return self._hit(x, y)

    def hit_test_many(self, const double[::1] xs, const double[::1] ys):
        cdef Py_ssize_t m = xs.shape[0], k
        out_a = np.empty(m, np.int64)
        cdef int64_t[::1] out = out_a
        with nogil:
            for k in range(m):
                out[k] = self._hit(xs[k], ys[k])
        return out_a
