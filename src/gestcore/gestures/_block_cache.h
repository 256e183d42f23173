/* A bounded cache of large freed memory blocks, for the compiled core (_core.pyx).
 *
 * A batch call writes its output (one block per record column, one for the
 * sample-to-record map) into fresh memory, and the kernel zeroes every fresh
 * page at its first touch: a third of a large call's CPU time went there.
 * Blocks of at least GC_BLOCK_MIN bytes that the program frees (the user drops
 * an output array) are kept here, up to a limit in bytes, and the next call's
 * blocks are taken from them: their pages are already mapped. The oldest
 * blocks go back to the system first when the limit would be passed; a limit
 * of 0 turns the cache off.
 *
 * Every block carries a 16-byte header with its size in front of the memory
 * handed out (16 keeps malloc's alignment), so a block can be freed or resized
 * without its size being given.
 *
 * Blocks of GC_COLOR_MIN bytes or more start at one of GC_COLORS offsets
 * ("colours", GC_COLOR_STEP bytes apart) from the page they begin in, in
 * turn: large blocks are mapped pages, so without it every record column
 * starts at the same place in a page and row i of all of them falls in one
 * set of the L1 cache, which holds 8 lines of a set while a record writes 22
 * columns: almost every column store missed L1 (cachegrind: 26 write misses a
 * record). The header also holds the colour's offset, to find the block.
 *
 * Growing or shrinking a block is the C library's realloc, which moves no
 * bytes for a large block (Linux: mremap). The cache is shared by every
 * thread: a lock guards it (never held while memory is copied or zeroed).
 */
#ifndef GESTCORE_BLOCK_CACHE_H
#define GESTCORE_BLOCK_CACHE_H

#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GC_BLOCK_MIN ((size_t)1 << 20)
#define GC_BLOCK_SLOTS 64
#define GC_BLOCK_HEADER 16

#define GC_COLOR_MIN ((size_t)1 << 16)
#define GC_COLOR_STEP 192 /* three cache lines: 21 colours fill a 4 KiB page */
#define GC_COLORS 21
#define GC_COLOR_ROOM (GC_COLOR_STEP * (GC_COLORS - 1))

typedef struct {
    size_t size; /* bytes after the header */
    size_t off;  /* bytes from the start of the malloc'd block to the header */
} gc_block_head;

static unsigned gc_color_turn = 0;

/* The next colour's offset for a block of ``size`` bytes (0 below GC_COLOR_MIN).
 * Threads share the turn; a race only gives two blocks one colour. */
static inline size_t gc_color(size_t size)
{
    unsigned turn;
    if (size < GC_COLOR_MIN)
        return 0;
#if defined(__GNUC__)
    turn = __atomic_fetch_add(&gc_color_turn, 1u, __ATOMIC_RELAXED);
#else
    turn = gc_color_turn++;
#endif
    return (size_t)(turn % GC_COLORS) * GC_COLOR_STEP;
}

static struct {
    PyThread_type_lock lock;
    void *raw[GC_BLOCK_SLOTS]; /* oldest first */
    size_t size[GC_BLOCK_SLOTS];
    int n;
    size_t bytes, limit;
    uint64_t hits, misses;
} gc_cache;

static void (*gc_block_fresh_hint)(void *p, size_t size) = NULL;

static inline gc_block_head *gc_block_of(void *p)
{
    return (gc_block_head *)((char *)p - GC_BLOCK_HEADER);
}

/* The header of a block at ``off`` in the malloc'd ``raw`` set, and the memory handed out. */
static inline void *gc_block_set(void *raw, size_t off, size_t size)
{
    gc_block_head *h = (gc_block_head *)((char *)raw + off);
    h->size = size;
    h->off = off;
    return (char *)h + GC_BLOCK_HEADER;
}

/* The start of the malloc'd block that ``p`` was handed out from. */
static inline void *gc_block_raw(void *p)
{
    gc_block_head *h = gc_block_of(p);
    return (char *)h - h->off;
}

/* Called once, with the GIL, when the module loads. 0 when out of memory. */
static int gc_block_cache_init(size_t limit, void (*fresh_hint)(void *, size_t))
{
    gc_cache.lock = PyThread_allocate_lock();
    gc_cache.limit = limit;
    gc_block_fresh_hint = fresh_hint;
    return gc_cache.lock != NULL;
}

/* In a child process after fork: another thread of the parent may have held
 * the lock at the fork, and no thread of the child would ever release it. */
static void gc_block_cache_after_fork(void)
{
    PyThread_type_lock fresh = PyThread_allocate_lock();
    if (fresh != NULL)
        gc_cache.lock = fresh; /* the old one is left, as it may be held */
}

/* Take (1) or give back (0) the cache's lock: for the fork test only. */
static void gc_block_cache_hold(int take)
{
    if (take)
        PyThread_acquire_lock(gc_cache.lock, WAIT_LOCK);
    else
        PyThread_release_lock(gc_cache.lock);
}

static void gc_cache_drop(int k) /* lock held */
{
    gc_cache.bytes -= gc_cache.size[k];
    gc_cache.n--;
    memmove(&gc_cache.raw[k], &gc_cache.raw[k + 1], (size_t)(gc_cache.n - k) * sizeof(void *));
    memmove(&gc_cache.size[k], &gc_cache.size[k + 1], (size_t)(gc_cache.n - k) * sizeof(size_t));
}

/* A cached block for ``size`` bytes, or NULL: the smallest that holds them (at
 * most 4x as large); else the largest smaller one (at least a quarter as
 * large), which the caller grows. The block leaves the cache. Sizes here
 * are of the malloc'd block without a header's bytes. */
static void *gc_cache_take(size_t size, size_t *got)
{
    int k, best = -1, below = -1;
    void *raw = NULL;
    PyThread_acquire_lock(gc_cache.lock, WAIT_LOCK);
    for (k = 0; k < gc_cache.n; k++) {
        size_t s = gc_cache.size[k];
        if (s >= size) {
            if (s / 4 <= size && (best < 0 || s < gc_cache.size[best]))
                best = k;
        } else if (s >= size / 4 && (below < 0 || s > gc_cache.size[below])) {
            below = k;
        }
    }
    if (best < 0)
        best = below;
    if (best >= 0) {
        raw = gc_cache.raw[best];
        *got = gc_cache.size[best];
        gc_cache_drop(best);
        gc_cache.hits++;
    } else {
        gc_cache.misses++;
    }
    PyThread_release_lock(gc_cache.lock);
    return raw;
}

static void *gc_block_realloc(void *p, size_t size);
static void gc_block_free(void *p);

/* ``size`` bytes (any size, 0 included), or NULL when out of memory. */
static void *gc_block_alloc(size_t size)
{
    void *raw = NULL, *p, *resized;
    size_t got = 0, off;
    if (size > SIZE_MAX - GC_BLOCK_HEADER - GC_COLOR_ROOM)
        return NULL;
    off = gc_color(size);
    if (size >= GC_BLOCK_MIN)
        raw = gc_cache_take(size + off, &got); /* counts a miss when the cache is off too */
    if (raw == NULL) {
        raw = malloc(off + GC_BLOCK_HEADER + size);
        if (raw == NULL)
            return NULL;
        if (gc_block_fresh_hint != NULL && size >= GC_BLOCK_MIN)
            gc_block_fresh_hint(raw, off + GC_BLOCK_HEADER + size);
        return gc_block_set(raw, off, size);
    }
    p = gc_block_set(raw, off, got - off); /* got >= GC_BLOCK_MIN / 4 > off */
    if (got - off == size)
        return p;
    /* A larger block is trimmed to the size asked (the pages beyond go back
     * to the system; Linux: mremap), so an output holds no more memory than
     * its own; a smaller one is grown, and only the new part is fresh. */
    resized = gc_block_realloc(p, size);
    if (resized != NULL)
        return resized;
    if (got > size)
        return p; /* not trimmed, but large enough */
    gc_block_free(p);
    return NULL;
}

/* Free ``p`` (from gc_block_alloc or gc_block_realloc; NULL does nothing). */
static void gc_block_free(void *p)
{
    gc_block_head *h;
    void *raw;
    size_t size;
    if (p == NULL)
        return;
    h = gc_block_of(p);
    raw = gc_block_raw(p);
    size = h->off + h->size; /* the cache keeps the block, whatever its colour */
    if (size < GC_BLOCK_MIN || size > gc_cache.limit) {
        free(raw);
        return;
    }
    PyThread_acquire_lock(gc_cache.lock, WAIT_LOCK);
    /* Make room: the oldest blocks go first (freed after the lock is released). */
    void *out[GC_BLOCK_SLOTS];
    int nout = 0, k;
    while (gc_cache.n > 0 && (gc_cache.n == GC_BLOCK_SLOTS || gc_cache.bytes + size > gc_cache.limit)) {
        out[nout++] = gc_cache.raw[0];
        gc_cache_drop(0);
    }
    if (gc_cache.bytes + size <= gc_cache.limit) {
        gc_cache.raw[gc_cache.n] = raw;
        gc_cache.size[gc_cache.n] = size;
        gc_cache.n++;
        gc_cache.bytes += size;
        raw = NULL;
    }
    PyThread_release_lock(gc_cache.lock);
    for (k = 0; k < nout; k++)
        free(out[k]);
    free(raw);
}

/* ``p`` (NULL: none) resized to ``size`` bytes, its content kept up to the
 * smaller size; NULL when out of memory, ``p`` then unchanged. */
static void *gc_block_realloc(void *p, size_t size)
{
    void *raw;
    size_t off;
    if (p == NULL)
        return gc_block_alloc(size);
    if (size > SIZE_MAX - GC_BLOCK_HEADER - GC_COLOR_ROOM)
        return NULL;
    off = gc_block_of(p)->off; /* the colour stays (realloc moves it with the bytes) */
    raw = realloc(gc_block_raw(p), off + GC_BLOCK_HEADER + size);
    if (raw == NULL)
        return NULL;
    if (gc_block_fresh_hint != NULL && size >= GC_BLOCK_MIN)
        gc_block_fresh_hint(raw, off + GC_BLOCK_HEADER + size);
    return gc_block_set(raw, off, size);
}

/* Set the limit (bytes); blocks beyond it go back to the system now. */
static void gc_block_cache_limit(size_t limit)
{
    void *out[GC_BLOCK_SLOTS];
    int nout = 0, k;
    PyThread_acquire_lock(gc_cache.lock, WAIT_LOCK);
    gc_cache.limit = limit;
    while (gc_cache.n > 0 && gc_cache.bytes > limit) {
        out[nout++] = gc_cache.raw[0];
        gc_cache_drop(0);
    }
    PyThread_release_lock(gc_cache.lock);
    for (k = 0; k < nout; k++)
        free(out[k]);
}

/* Blocks, bytes, limit, hits and misses, into out[0..4]. */
static void gc_block_cache_info(uint64_t *out)
{
    PyThread_acquire_lock(gc_cache.lock, WAIT_LOCK);
    out[0] = (uint64_t)gc_cache.n;
    out[1] = (uint64_t)gc_cache.bytes;
    out[2] = (uint64_t)gc_cache.limit;
    out[3] = gc_cache.hits;
    out[4] = gc_cache.misses;
    PyThread_release_lock(gc_cache.lock);
}

/* ``size`` zeroed bytes: always fresh memory (the system zeroes it lazily). */
static void *gc_block_calloc(size_t nelem, size_t elsize)
{
    size_t size;
    void *raw;
    if (elsize != 0 && nelem > (SIZE_MAX - GC_BLOCK_HEADER) / elsize)
        return NULL;
    size = nelem * elsize;
    raw = calloc(size + GC_BLOCK_HEADER, 1);
    if (raw == NULL)
        return NULL;
    return gc_block_set(raw, 0, size);
}

/* numpy's memory handler interface (NEP 49), on the block cache: installed for
 * the duration of a kernel call whose output numpy allocates (the numba
 * backend), so that its arrays come from the cache and go back to it. */
static void *gc_np_malloc(void *ctx, size_t size) { (void)ctx; return gc_block_alloc(size); }
static void *gc_np_calloc(void *ctx, size_t nelem, size_t elsize)
{
    (void)ctx;
    return gc_block_calloc(nelem, elsize);
}
static void *gc_np_realloc(void *ctx, void *p, size_t size)
{
    (void)ctx;
    return gc_block_realloc(p, size);
}
static void gc_np_free(void *ctx, void *p, size_t size)
{
    (void)ctx;
    (void)size;
    gc_block_free(p);
}

static PyDataMem_Handler gc_np_handler = {
    "gestcore_block_cache",
    1,
    {NULL, gc_np_malloc, gc_np_calloc, gc_np_realloc, gc_np_free},
};

/* A new reference to the handler's capsule, as PyDataMem_SetHandler takes it. */
static PyObject *gc_np_handler_capsule(void)
{
    return PyCapsule_New(&gc_np_handler, "mem_handler", NULL);
}

#endif /* GESTCORE_BLOCK_CACHE_H */
