"""The compiled core's release fit (``_release_fit.h``): its scalar fallback, for CPUs
without SSE2, and its vector path give the same bits.

The suite's other tests compare the built core (the vector path on this
machine) with the reference; the fallback is compiled nowhere else here, so
this test builds both from the header with the C compiler and runs them on
the same random windows: both strides (input columns and the ring's
triples), repeated times, gaps at and beyond the stop rule, with and
without a lift.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

HEADERS = Path(__file__).resolve().parents[2] / "src" / "gestcore" / "gestures"

_IMPL = r"""
#ifdef SCALAR
#undef __SSE2__  /* as on a CPU without it: no vector lanes, the scalar window */
#endif
#include "_release_fit.h"
#ifdef SCALAR
#define NAME fit_scalar
#else
#define NAME fit_vector
#endif
void NAME(const double *t, const double *x, const double *y, int64_t stride, int64_t k,
          double t_lift, int has_lift, double *out)
{
#if !defined(SCALAR) && defined(GC_RUNS_AVX)
    gc_runs_init();
#endif
    gc_release r = gc_release_fit(t, x, y, stride, k, t_lift, has_lift, 20, 100.0, 40.0);
    out[0] = r.vx;
    out[1] = r.vy;
    out[2] = r.v;
}
"""

_MAIN = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
void fit_scalar(const double *, const double *, const double *, int64_t, int64_t, double,
                int, double *);
void fit_vector(const double *, const double *, const double *, int64_t, int64_t, double,
                int, double *);
static double rnd(void) { return rand() / (double)RAND_MAX; }
int main(void)
{
    static double ring[3 * 64], t[64], x[64], y[64];
    long differ = 0, moving = 0, trial;
    srand(1);
    for (trial = 0; trial < 100000; trial++) {
        int k = 1 + rand() % 40, i, has_lift = rand() % 2;
        double tt = rnd() * 1e6, xx = rnd() * 2000 - 1000, yy = rnd() * 2000 - 1000, t_lift;
        double a[3], b[3], c[3], d[3];
        for (i = 0; i < k; i++) {
            int step = rand() % 6;
            tt += step == 0 ? 0.0 : step == 1 ? 40.0 : step == 2 ? rnd() * 50
                : step == 3 ? rnd() * 150 : 8.0;
            xx += rnd() * 400 - 200;
            yy += rnd() * 400 - 200;
            t[i] = ring[3 * i] = tt;
            x[i] = ring[3 * i + 1] = xx;
            y[i] = ring[3 * i + 2] = yy;
        }
        t_lift = tt + (rand() % 3) * 25.0;
        fit_scalar(t, x, y, 1, k, t_lift, has_lift, a);
        fit_vector(t, x, y, 1, k, t_lift, has_lift, b);
        fit_scalar(ring, ring + 1, ring + 2, 3, k, t_lift, has_lift, c);
        fit_vector(ring, ring + 1, ring + 2, 3, k, t_lift, has_lift, d);
        differ += memcmp(a, b, sizeof a) || memcmp(a, c, sizeof a) || memcmp(a, d, sizeof a);
        moving += a[2] != 0.0;
    }
    printf("%ld %ld %ld\n", trial, differ, moving);
    return 0;
}
"""


def test_scalar_fallback_equals_the_vector_path(tmp_path):
    flags = ["-O3", "-ffp-contract=off", "-fno-math-errno", f"-I{HEADERS}"]
    (tmp_path / "impl.c").write_text(_IMPL)
    (tmp_path / "main.c").write_text(_MAIN)
    for name, extra in (("s.o", ["-DSCALAR", "-w"]), ("v.o", [])):
        subprocess.run(["gcc", *flags, *extra, "-c", "impl.c", "-o", name], cwd=tmp_path,
                       check=True)  # fmt: skip
    subprocess.run(["gcc", "-O2", "main.c", "s.o", "v.o", "-lm", "-o", "check"], cwd=tmp_path,
                   check=True)  # fmt: skip
    symbols = subprocess.run(["nm", "s.o"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert "avx" not in symbols  # the fallback really is the scalar code
    out = subprocess.run(["./check"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out
    trials, differ, moving = map(int, out.stdout.split())
    assert (trials, differ) == (100000, 0)
    assert moving > trials // 2  # most windows have a velocity: the data are not degenerate
