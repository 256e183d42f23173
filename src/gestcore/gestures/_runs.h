/* Runs of one gesture's MOVE samples, for the compiled core (_core.pyx).
 *
 * Most samples of grouped input are MOVEs that follow the previous sample of
 * the same gesture in the input. Such a run is folded into the gesture's
 * running sums in two steps: first its end is found (the action and stream
 * columns only), then its samples are folded by a loop with no exit, two
 * samples at a time in SSE2 registers (every x86-64 CPU has SSE2).
 *
 * The arithmetic is the reference's, operation for operation, so results stay
 * bit-identical: each lane computes one sample's segment exactly as the
 * scalar step does (no contraction: the project compiles with
 * -ffp-contract=off and SSE2 has no FMA), the path is summed in input order,
 * and the reach is a maximum, which any grouping gives exactly. The time
 * sum and minimum time step are only flags for gc_run's caller (a
 * non-finite sum or a negative step sends it to the per-sample check), so
 * their lanes are combined in any order.
 */
#ifndef GESTCORE_RUNS_H
#define GESTCORE_RUNS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define GC_RUNS_SSE2 1
#endif

/* The number of trailing zero bits of x, which is not 0. */
#if defined(_MSC_VER)
#include <intrin.h>
static inline int gc_ctz64(uint64_t x)
{
    unsigned long i;
    _BitScanForward64(&i, x);
    return (int)i;
}
#else
#define gc_ctz64(x) __builtin_ctzll(x)
#endif

/* A gesture's running sums while a run of its samples is folded in. */
typedef struct {
    double path, reach2, tl, xl, yl, x0, y0;
    double tsum, dmin;
} gc_run;

/* One sample: the reference's per-sample arithmetic, with no validity test
 * (a non-finite t leaves tsum non-finite, a time reversal makes dmin
 * negative, a non-finite x or y leaves path non-finite). */
static inline void gc_run_add(gc_run *u, double ti, double xi, double yi)
{
    double d = ti - u->tl, ddx, ddy, r2;
    u->tsum += d;
    if (d < u->dmin)
        u->dmin = d;
    ddx = xi - u->xl;
    ddy = yi - u->yl;
    u->path += sqrt(ddx * ddx + ddy * ddy);
    ddx = xi - u->x0;
    ddy = yi - u->y0;
    r2 = ddx * ddx + ddy * ddy;
    if (r2 > u->reach2)
        u->reach2 = r2;
    u->tl = ti;
    u->xl = xi;
    u->yl = yi;
}

/* Not 0 when one of the eight ids from ``stream`` is not ``s``. */
static inline uint64_t gc_other8(const int64_t *stream, int64_t s)
{
#ifdef GC_RUNS_SSE2
    const __m128i sv = _mm_set1_epi64x(s);
    const __m128i *p = (const __m128i *)stream;
    __m128i o = _mm_or_si128(
        _mm_or_si128(_mm_xor_si128(_mm_loadu_si128(p), sv),
                     _mm_xor_si128(_mm_loadu_si128(p + 1), sv)),
        _mm_or_si128(_mm_xor_si128(_mm_loadu_si128(p + 2), sv),
                     _mm_xor_si128(_mm_loadu_si128(p + 3), sv)));
    return (uint64_t)(_mm_movemask_epi8(_mm_cmpeq_epi8(o, _mm_setzero_si128())) ^ 0xFFFF);
#else
    uint64_t other = 0;
    int k;
    for (k = 0; k < 8; k++)
        other |= (uint64_t)(stream[k] ^ s);
    return other;
#endif
}

/* The end of the run of MOVEs (action code ``move``) of stream ``s`` from
 * ``j``: the first index in [j, n) that is not one (``stream`` NULL: a
 * single stream). Eight samples a step: a byte of a mask for each sample
 * that is not, the first one found by counting trailing zeros. */
static inline int64_t gc_run_end(const int8_t *action, const int64_t *stream, int64_t s,
                                 int64_t j, int64_t n, int8_t move)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t a, stop, other;
    while (j + 8 <= n) {
        memcpy(&a, action + j, 8);
        a ^= ones * (uint8_t)move;
        /* the high bit of each byte that is not zero (no carry between bytes) */
        stop = (((a & ~highs) + ~highs) | a) & highs;
        other = stream != NULL ? gc_other8(stream + j, s) : 0;
        if ((stop | other) != 0) {
            if (other == 0)
                return j + (gc_ctz64(stop) >> 3);
            break; /* another stream's sample in these eight: found below */
        }
        j += 8;
    }
    while (j < n && action[j] == move && (stream == NULL || stream[j] == s))
        j++;
    return j;
}

#ifdef GC_RUNS_SSE2
/* The end of a vector fold that stopped at ``j``: the lanes' flags and reach
 * combined into ``u`` (the path was summed in order already), and the fold's
 * last sample made the state's last. */
static inline void gc_fold_end(gc_run *u, double path, __m128d tsum, __m128d dmin,
                               __m128d reach2, const double *t, const double *x,
                               const double *y, int64_t j)
{
    double lo, hi;
    u->path = path;
    u->tsum += _mm_cvtsd_f64(tsum) + _mm_cvtsd_f64(_mm_unpackhi_pd(tsum, tsum));
    lo = _mm_cvtsd_f64(dmin);
    hi = _mm_cvtsd_f64(_mm_unpackhi_pd(dmin, dmin));
    u->dmin = hi < lo ? hi : lo;
    lo = _mm_cvtsd_f64(reach2);
    hi = _mm_cvtsd_f64(_mm_unpackhi_pd(reach2, reach2));
    u->reach2 = hi > lo ? hi : lo;
    u->tl = t[j - 1];
    u->xl = x[j - 1];
    u->yl = y[j - 1];
}

/* Samples [j, je) of a run, je - j >= 2, whose predecessors are in the input,
 * two at a time, their record number ``r`` written to ``rec``; returns where
 * it stopped (one sample may be left). */
static inline int64_t gc_fold2(gc_run *u, const double *t, const double *x, const double *y,
                               int64_t j, int64_t je, int64_t *rec, int64_t r)
{
    const __m128d x0 = _mm_set1_pd(u->x0), y0 = _mm_set1_pd(u->y0);
    const __m128i rv = _mm_set1_epi64x(r);
    __m128d reach2 = _mm_set1_pd(u->reach2), dmin = _mm_set1_pd(u->dmin);
    __m128d tsum = _mm_setzero_pd();
    __m128d d, ddx, ddy, seg, r2;
    double path = u->path;
    for (; j + 2 <= je; j += 2) {
        _mm_storeu_si128((__m128i *)(rec + j), rv);
        d = _mm_sub_pd(_mm_loadu_pd(t + j), _mm_loadu_pd(t + j - 1));
        tsum = _mm_add_pd(tsum, d);
        /* min/max return their second operand when either is NaN: so these
         * are the scalar step's "d < dmin ? d : dmin" and
         * "r2 > reach2 ? r2 : reach2", NaN lanes ignored as there. */
        dmin = _mm_min_pd(d, dmin);
        ddx = _mm_sub_pd(_mm_loadu_pd(x + j), _mm_loadu_pd(x + j - 1));
        ddy = _mm_sub_pd(_mm_loadu_pd(y + j), _mm_loadu_pd(y + j - 1));
        seg = _mm_sqrt_pd(_mm_add_pd(_mm_mul_pd(ddx, ddx), _mm_mul_pd(ddy, ddy)));
        path += _mm_cvtsd_f64(seg); /* in input order */
        path += _mm_cvtsd_f64(_mm_unpackhi_pd(seg, seg));
        ddx = _mm_sub_pd(_mm_loadu_pd(x + j), x0);
        ddy = _mm_sub_pd(_mm_loadu_pd(y + j), y0);
        r2 = _mm_add_pd(_mm_mul_pd(ddx, ddx), _mm_mul_pd(ddy, ddy));
        reach2 = _mm_max_pd(r2, reach2);
    }
    gc_fold_end(u, path, tsum, dmin, reach2, t, x, y, j);
    return j;
}
#endif

#if defined(GC_RUNS_SSE2) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define GC_RUNS_AVX 1
/* Whether this CPU (and its OS) runs AVX code: set by gc_runs_init. */
static int gc_runs_avx = 0;

/* gc_fold2 four samples at a time, for CPUs with AVX (compiled for AVX only
 * here and called only when the CPU has it; AVX has no FMA, so the
 * arithmetic is the same), and every sample of [j, je): the last step's
 * lanes past je are masked to +0.0, which changes no sum or extreme (the
 * path is never -0.0: it starts at +0.0 and adds square roots of sums of
 * squares; the time sum and minimum step are only flags, the reach a
 * maximum of squares). So the loop's exit is the only branch that depends
 * on the run's length (a tail of two-at-a-time and one-at-a-time steps
 * cost about two mispredicted branches a run). Those lanes read the next
 * three samples and write ``r`` over their record numbers, which the
 * caller writes later: the caller makes sure that je + 3 <= n. */
__attribute__((target("avx"), noinline)) static void
gc_fold4(gc_run *u, const double *t, const double *x, const double *y, int64_t j, int64_t je,
         int64_t *rec, int64_t r)
{
    const __m256d x0 = _mm256_set1_pd(u->x0), y0 = _mm256_set1_pd(u->y0);
    const __m256d lane = _mm256_set_pd(3.0, 2.0, 1.0, 0.0);
    const __m256i rv = _mm256_set1_epi64x(r);
    __m256d reach2 = _mm256_set1_pd(u->reach2), dmin = _mm256_set1_pd(u->dmin);
    __m256d tsum = _mm256_setzero_pd();
    __m256d keep, d, ddx, ddy, seg, r2;
    __m128d half;
    double path = u->path;
    for (; j < je; j += 4) {
        keep = _mm256_cmp_pd(lane, _mm256_set1_pd((double)(je - j)), _CMP_LT_OQ);
        _mm256_storeu_si256((__m256i *)(rec + j), rv);
        d = _mm256_sub_pd(_mm256_loadu_pd(t + j), _mm256_loadu_pd(t + j - 1));
        d = _mm256_and_pd(d, keep);
        tsum = _mm256_add_pd(tsum, d);
        dmin = _mm256_min_pd(d, dmin); /* NaN lanes ignored, as in gc_fold2 */
        ddx = _mm256_sub_pd(_mm256_loadu_pd(x + j), _mm256_loadu_pd(x + j - 1));
        ddy = _mm256_sub_pd(_mm256_loadu_pd(y + j), _mm256_loadu_pd(y + j - 1));
        seg = _mm256_sqrt_pd(_mm256_add_pd(_mm256_mul_pd(ddx, ddx), _mm256_mul_pd(ddy, ddy)));
        seg = _mm256_and_pd(seg, keep);
        half = _mm256_castpd256_pd128(seg); /* in input order */
        path += _mm_cvtsd_f64(half);
        path += _mm_cvtsd_f64(_mm_unpackhi_pd(half, half));
        half = _mm256_extractf128_pd(seg, 1);
        path += _mm_cvtsd_f64(half);
        path += _mm_cvtsd_f64(_mm_unpackhi_pd(half, half));
        ddx = _mm256_sub_pd(_mm256_loadu_pd(x + j), x0);
        ddy = _mm256_sub_pd(_mm256_loadu_pd(y + j), y0);
        r2 = _mm256_add_pd(_mm256_mul_pd(ddx, ddx), _mm256_mul_pd(ddy, ddy));
        reach2 = _mm256_max_pd(_mm256_and_pd(r2, keep), reach2);
    }
    gc_fold_end(u, path,
                _mm_add_pd(_mm256_castpd256_pd128(tsum), _mm256_extractf128_pd(tsum, 1)),
                _mm_min_pd(_mm256_castpd256_pd128(dmin), _mm256_extractf128_pd(dmin, 1)),
                _mm_max_pd(_mm256_castpd256_pd128(reach2), _mm256_extractf128_pd(reach2, 1)),
                t, x, y, je);
}
#endif

/* Called once, when the module loads: which code the CPU runs. Returns the
 * widest vector width used, in doubles (1, 2 or 4). */
static inline int gc_runs_init(void)
{
#ifdef GC_RUNS_AVX
    __builtin_cpu_init();
    gc_runs_avx = __builtin_cpu_supports("avx") ? 1 : 0;
    if (gc_runs_avx)
        return 4;
#endif
#ifdef GC_RUNS_SSE2
    return 2;
#else
    return 1;
#endif
}

/* Fold samples [j, je) of the n samples of the input into ``u`` and write
 * their record number ``r`` to ``rec`` (in the same loops: a fill loop of its own cost about three
 * instructions a sample on ~20-sample runs). Each sample's predecessor in
 * the gesture is the one before it in the input, the first's too: the
 * caller's last sample (``u``'s tl, xl, yl) is sample j - 1 of the input. */
static inline void gc_run_fold(gc_run *u, const double *t, const double *x, const double *y,
                               int64_t j, int64_t je, int64_t n, int64_t *rec, int64_t r)
{
    if (j >= je)
        return;
#ifdef GC_RUNS_AVX
    if (gc_runs_avx && je + 3 <= n) {
        gc_fold4(u, t, x, y, j, je, rec, r);
        return;
    }
#endif
#ifdef GC_RUNS_SSE2
    if (je - j >= 2)
        j = gc_fold2(u, t, x, y, j, je, rec, r);
#endif
    for (; j < je; j++) {
        gc_run_add(u, t[j], x[j], y[j]);
        rec[j] = r;
    }
}

#endif /* GESTCORE_RUNS_H */
