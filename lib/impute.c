#include "impute.h"

#include <float.h>
#include <math.h>

/*
 * A mean that cannot overflow. `plain` is the ordinary sum in double; `scaled` sums every
 * value times 2^-32, which stays finite for any count up to MAT_MAX_ELEMS < 2^31 of finite
 * values (each term is at most DBL_MAX 2^-32). Multiplying by a power of two is exact, so
 * the two agree to the last bit until the plain sum overflows; the mean comes from the
 * plain sum whenever it is finite (so ordinary data give the same bits as sum / count) and
 * from the scaled one otherwise, when every value that matters is far above the range
 * where 2^-32 could round a small value away.
 */
typedef struct {
	double plain, scaled;
	size_t count;
} Mean;

static void mean_add(Mean *m, double v)
{
	m->plain += v;
	m->scaled += v * 0x1p-32;
	m->count++;
}

/* The mean of what was added (count > 0). The mean of finite values is finite: should
 * rounding carry the scaled mean past DBL_MAX, it is DBL_MAX. */
static double mean_value(const Mean *m)
{
	double v;

	if (isfinite(m->plain))
		return m->plain / (double)m->count;
	v = m->scaled / (double)m->count * 0x1p32;
	return isinf(v) ? copysign(DBL_MAX, v) : v;
}

int impute_row_mean(Mat *m, ImputeReport *rep, Err *e)
{
	ImputeReport r = { 0, 0, 0, NAN };
	Mean all = { 0, 0, 0 }, row;
	size_t missing = 0, i, j;
	double v;

	for (i = 0; i < m->rows; i++)
		for (j = 0; j < m->cols; j++) {
			v = mat_get(m, i, j);
			if (isinf(v))
				return err_set(e, "entry (%zu, %zu) is %s: only finite values and NaN "
						  "(missing) are allowed",
					       i + 1, j + 1, v > 0 ? "inf" : "-inf");
			if (isnan(v))
				missing++;
			else
				mean_add(&all, v);
		}
	if (all.count)
		r.global_mean = mean_value(&all);
	else if (missing)
		return err_set(e, "no observed entry in the %zu x %zu matrix: nothing to impute from",
			       m->rows, m->cols);
	for (i = 0; i < m->rows && missing; i++) {
		row = (Mean){ 0, 0, 0 };
		for (j = 0; j < m->cols; j++) {
			v = mat_get(m, i, j);
			if (!isnan(v))
				mean_add(&row, v);
		}
		if (row.count == m->cols)
			continue;
		if (row.count == 0 && r.empty_rows++ == 0)
			r.first_empty = i;
		v = row.count ? mean_value(&row) : r.global_mean;
		for (j = 0; j < m->cols; j++)
			if (isnan(mat_get(m, i, j)))
				mat_set(m, i, j, v);
		r.filled += m->cols - row.count;
	}
	if (rep)
		*rep = r;
	return 0;
}
