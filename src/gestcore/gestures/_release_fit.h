/* The release velocity (SPEC 5) of one gesture, for the compiled core (_core.pyx).
 *
 * _release.py's arithmetic, operation for operation: the window found from
 * the newest fitted sample back, then its sums, oldest sample first. The x
 * and y halves of the fit are the same operations on other data, so on
 * x86-64 they run side by side in the two lanes of an SSE2 register, and so
 * do (s1, s2) and (s3, s4): every lane does the scalar code's operations in
 * the scalar code's order (no contraction: the project compiles with
 * -ffp-contract=off and SSE2 has no FMA), so the bits are the same, with
 * about 40% fewer instructions in the loop. On grouped input the fit was
 * more than half of ``finalize``'s cost.
 *
 * The fitted samples are t[0], t[stride], ... (x and y alike): the input
 * columns (stride 1) or a ring of (t, x, y) triples (stride 3). Both callers
 * pass a constant stride to the always-inlined function, so each gets its
 * own loop with constant offsets.
 */
#ifndef GESTCORE_RELEASE_FIT_H
#define GESTCORE_RELEASE_FIT_H

#include <math.h>
#include <stdint.h>

#include "_runs.h" /* gc_runs_avx: whether the CPU runs AVX code */

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define GC_FIT_SSE2 1
#endif

#if defined(__GNUC__)
#define GC_FIT_INLINE static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define GC_FIT_INLINE static __forceinline
#else
#define GC_FIT_INLINE static inline
#endif

typedef struct {
    double vx, vy, v;
} gc_release;

/* The first index of the fit window, given its newest sample n (> 0 samples
 * fitted): back while the samples are within horizon_ms of the newest, no
 * gap exceeds stop_gap_ms and fewer than history were taken. */
GC_FIT_INLINE int64_t gc_fit_window(const double *t, int64_t stride, int64_t n, double tn,
                                    int64_t history, double horizon_ms, double stop_gap_ms)
{
    int64_t j = n;
    double tj = tn, tp; /* t[j], carried: each time is read once */
    while (n - j + 1 < history && j > 0) {
        tp = t[(j - 1) * stride];
        if (tn - tp > horizon_ms || tj - tp > stop_gap_ms)
            break;
        tj = tp;
        j -= 1;
    }
    return j;
}

#if defined(GC_RUNS_AVX)
/* gc_fit_window for fitted samples that follow each other in memory (the
 * input columns), for CPUs with AVX (gc_runs_avx): the same window, with no
 * branch on the data. The scalar loop's exit depends on how far back the
 * window reaches, which differs from gesture to gesture: measured, that
 * mispredicted exit cost more than the rest of the fit's loops together.
 *
 * Step d = 1, 2, ... back from the newest sample n is taken when sample
 * q = n - d is within horizon_ms of the newest and the gap after it is
 * within stop_gap_ms (fitted times are finite: "not >" is "<="), and
 * d < min(n + 1, history). The window reaches back over the steps that are
 * all taken: the trailing ones of a word with bit d - 1 set for each step
 * that can be taken, built four steps at a time (at most 20 steps; the
 * masked loads read nothing outside [0, n]). */
__attribute__((target("avx"), noinline)) static int64_t
gc_fit_window_avx(const double *t, int64_t n, double tn, int64_t history, double horizon_ms,
                  double stop_gap_ms)
{
    /* bit l of a lane mask (lane l: step 4b + 4 - l) moved to bit 3 - l */
    static const uint8_t reverse4[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
    const __m256d steps0 = _mm256_set_pd(1.0, 2.0, 3.0, 4.0);
    const __m256d most = _mm256_set1_pd((double)((n < history - 1 ? n : history - 1)));
    const __m256d vtn = _mm256_set1_pd(tn), h = _mm256_set1_pd(horizon_ms);
    const __m256d g = _mm256_set1_pd(stop_gap_ms);
    uint64_t taken = 0;
    int b;
    for (b = 0; b < 5; b++) {
        /* lanes: samples n - 4b - 4 .. n - 4b - 1 and the ones after them */
        const double *q = t + n - 4 * b - 4;
        __m256d steps = _mm256_add_pd(steps0, _mm256_set1_pd(4.0 * b));
        __m256d valid = _mm256_cmp_pd(steps, most, _CMP_LE_OQ);
        __m256i m = _mm256_castpd_si256(valid);
        __m256d tq = _mm256_maskload_pd(q, m), tq1 = _mm256_maskload_pd(q + 1, m);
        __m256d ok = _mm256_and_pd(
            _mm256_and_pd(valid, _mm256_cmp_pd(_mm256_sub_pd(vtn, tq), h, _CMP_LE_OQ)),
            _mm256_cmp_pd(_mm256_sub_pd(tq1, tq), g, _CMP_LE_OQ));
        taken |= (uint64_t)reverse4[_mm256_movemask_pd(ok)] << (4 * b);
    }
    return n - gc_ctz64(~taken); /* bit 19 or below is clear: steps <= history - 1 */
}
#endif

/* _release._slope for x and y at once (den and the sums of time powers are
 * shared). s1p, s2p, sp: the x sums in [0] and the y sums in [1]. */
static inline void gc_slopes(int64_t m, int64_t distinct, double s1, double s2, double s3,
                             double s4, const double *sp, const double *s1p, const double *s2p,
                             double *v)
{
    double c, sxx, sxx2, sx2x2, den;
    int k;
    if (distinct < 2) {
        v[0] = v[1] = 0.0;
        return;
    }
    c = (double)m;
    sxx = s2 - s1 * s1 / c;
    if (distinct >= 3) {
        sxx2 = s3 - s1 * s2 / c;
        sx2x2 = s4 - s2 * s2 / c;
        den = sxx * sx2x2 - sxx2 * sxx2;
        if (den > 0) {
            for (k = 0; k < 2; k++) {
                double sxy = s1p[k] - s1 * sp[k] / c;
                double sx2y = s2p[k] - s2 * sp[k] / c;
                v[k] = (sxy * sx2x2 - sx2y * sxx2) / den * 1000.0;
            }
            return;
        }
    }
    for (k = 0; k < 2; k++)
        v[k] = (s1p[k] - s1 * sp[k] / c) / sxx * 1000.0;
}

/* _release.release_velocity on the k fitted samples (oldest first). Times
 * are finite and non-decreasing (a gesture with a non-finite sample or a
 * time reversal is INVALID and never fitted), so "a new time" is t > the
 * previous t, which compiles to one comparison (!= must also test for NaN). */
GC_FIT_INLINE gc_release gc_release_fit(const double *t, const double *x, const double *y,
                                        int64_t stride, int64_t k, double t_lift,
                                        int has_lift, int64_t history, double horizon_ms,
                                        double stop_gap_ms)
{
    gc_release out = {0.0, 0.0, 0.0};
    int64_t n, j, i, m, distinct = 1;
    double tn, xn, yn, tp, ti, tau, tau2, v[2];
    double s1, s2, s3, s4, sp[2], s1p[2], s2p[2];
    if (k == 0)
        return out;
    n = k - 1;
    tn = t[n * stride];
    xn = x[n * stride];
    yn = y[n * stride];
    if (has_lift && t_lift - tn > stop_gap_ms)
        return out;
#if defined(GC_RUNS_AVX)
    if (stride == 1 && gc_runs_avx && history <= 20)
        j = gc_fit_window_avx(t, n, tn, history, horizon_ms, stop_gap_ms);
    else
#endif
        j = gc_fit_window(t, stride, n, tn, history, horizon_ms, stop_gap_ms);
    m = n - j + 1;
    tp = t[j * stride]; /* the first sample, compared with itself, adds no time */
#ifdef GC_FIT_SSE2
    const __m128d pn = _mm_set_pd(yn, xn);
    __m128d s12 = _mm_setzero_pd(), s34 = _mm_setzero_pd();
    __m128d vp = _mm_setzero_pd(), v1p = _mm_setzero_pd(), v2p = _mm_setzero_pd();
    __m128d tt, t2, p;
#else
    double px, py;
    s1 = s2 = s3 = s4 = 0.0;
    sp[0] = sp[1] = s1p[0] = s1p[1] = s2p[0] = s2p[1] = 0.0;
#endif
    for (i = j; i <= n; i++) {
        ti = t[i * stride];
        distinct += ti > tp;
        tp = ti;
        tau = ti - tn;
        tau2 = tau * tau;
#ifdef GC_FIT_SSE2
        tt = _mm_set_pd(tau2, tau);
        t2 = _mm_set1_pd(tau2);
        s12 = _mm_add_pd(s12, tt);                 /* s1 += tau, s2 += tau2 */
        s34 = _mm_add_pd(s34, _mm_mul_pd(t2, tt)); /* s3 += tau2*tau, s4 += tau2*tau2 */
        p = _mm_sub_pd(_mm_set_pd(y[i * stride], x[i * stride]), pn);
        vp = _mm_add_pd(vp, p);
        v1p = _mm_add_pd(v1p, _mm_mul_pd(_mm_set1_pd(tau), p));
        v2p = _mm_add_pd(v2p, _mm_mul_pd(t2, p));
#else
        px = x[i * stride] - xn;
        py = y[i * stride] - yn;
        s1 += tau;
        s2 += tau2;
        s3 += tau2 * tau;
        s4 += tau2 * tau2;
        sp[0] += px;
        s1p[0] += tau * px;
        s2p[0] += tau2 * px;
        sp[1] += py;
        s1p[1] += tau * py;
        s2p[1] += tau2 * py;
#endif
    }
#ifdef GC_FIT_SSE2
    s1 = _mm_cvtsd_f64(s12);
    s2 = _mm_cvtsd_f64(_mm_unpackhi_pd(s12, s12));
    s3 = _mm_cvtsd_f64(s34);
    s4 = _mm_cvtsd_f64(_mm_unpackhi_pd(s34, s34));
    _mm_storeu_pd(sp, vp);
    _mm_storeu_pd(s1p, v1p);
    _mm_storeu_pd(s2p, v2p);
#endif
    gc_slopes(m, distinct, s1, s2, s3, s4, sp, s1p, s2p, v);
    out.vx = v[0];
    out.vy = v[1];
    out.v = sqrt(v[0] * v[0] + v[1] * v[1]);
    return out;
}

#endif /* GESTCORE_RELEASE_FIT_H */
