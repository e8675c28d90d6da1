#include "rmse.h"

#include <assert.h>
#include <math.h>

/*
 * A sum of squares that neither overflows nor underflows for finite terms. `plain` is
 * the ordinary sum of x^2 in double. Beside it, the scaled sum of LAPACK's dnrm2
 * (Hammarling's method): `scale` is the largest |x| so far and sum x^2 = scale^2 ssq, with
 * 1 <= ssq <= count, so neither can overflow or vanish.
 */
typedef struct {
	double plain, scale, ssq;
} SumSq;

static void sumsq_add(SumSq *s, double x)
{
	double a = fabs(x), r;

	s->plain += x * x;
	if (a == 0)
		return;
	if (a > s->scale) {
		r = s->scale / a;
		s->ssq = 1 + s->ssq * r * r;
		s->scale = a;
	} else {
		r = a / s->scale;
		s->ssq += r * r;
	}
}

/*
 * sqrt(sum / n). The plain sum is used when it is finite and at least 2^-968: then the
 * squares that underflowed (each below DBL_MIN = 2^-1022, off by at most 2^-1075, at most
 * 2^31 of them) change it by less than 2^-76 relative, far below its rounding, and the
 * result is bit for bit what sqrt(sum / n) always gave. Otherwise the scaled sum, which
 * cannot overflow: scale sqrt(ssq / n) <= scale.
 */
static double sumsq_rms(const SumSq *s, size_t n)
{
	if (isfinite(s->plain) && s->plain >= 0x1p-968)
		return sqrt(s->plain / (double)n);
	if (s->scale == 0)
		return 0;
	return s->scale * sqrt(s->ssq / (double)n);
}

int rmse_observed(const Mat *pred, const Mat *test, double *rmse, size_t *count, Err *e)
{
	SumSq sum = { 0, 0, 0 };
	double p, t, d;
	size_t n = 0, i, j;

	assert(pred->rows == test->rows && pred->cols == test->cols);
	for (i = 0; i < test->rows; i++)
		for (j = 0; j < test->cols; j++) {
			t = mat_get(test, i, j);
			if (isnan(t))
				continue;
			if (isinf(t))
				return err_set(e, "test entry (%zu, %zu) is %s", i + 1, j + 1,
					       t > 0 ? "inf" : "-inf");
			p = mat_get(pred, i, j);
			if (!isfinite(p))
				return err_set(e, "prediction (%zu, %zu) is %s where the test matrix "
						  "is observed",
					       i + 1, j + 1, isnan(p) ? "NaN" : p > 0 ? "inf" : "-inf");
			d = p - t;
			if (isinf(d))
				return err_set(e, "prediction (%zu, %zu) differs from the test entry by "
						  "more than the largest double",
					       i + 1, j + 1);
			sumsq_add(&sum, d);
			n++;
		}
	if (n == 0)
		return err_set(e, "the test matrix has no observed entry");
	*rmse = sumsq_rms(&sum, n);
	*count = n;
	return 0;
}
