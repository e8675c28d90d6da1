#include "impute.h"

#include <math.h>

int impute_row_mean(Mat *m, ImputeReport *rep, Err *e)
{
	ImputeReport r = { 0, 0, 0, NAN };
	double total = 0, sum, v;
	size_t observed = 0, missing = 0, count, i, j;

	for (i = 0; i < m->rows; i++)
		for (j = 0; j < m->cols; j++) {
			v = mat_get(m, i, j);
			if (isinf(v))
				return err_set(e, "entry (%zu, %zu) is %s: only finite values and NaN "
						  "(missing) are allowed",
					       i + 1, j + 1, v > 0 ? "inf" : "-inf");
			if (isnan(v)) {
				missing++;
				continue;
			}
			total += v;
			observed++;
		}
	if (observed)
		r.global_mean = total / (double)observed;
	else if (missing)
		return err_set(e, "no observed entry in the %zu x %zu matrix: nothing to impute from",
			       m->rows, m->cols);
	for (i = 0; i < m->rows && missing; i++) {
		sum = 0;
		count = 0;
		for (j = 0; j < m->cols; j++) {
			v = mat_get(m, i, j);
			if (!isnan(v)) {
				sum += v;
				count++;
			}
		}
		if (count == m->cols)
			continue;
		if (count == 0 && r.empty_rows++ == 0)
			r.first_empty = i;
		v = count ? sum / (double)count : r.global_mean;
		for (j = 0; j < m->cols; j++)
			if (isnan(mat_get(m, i, j)))
				mat_set(m, i, j, v);
		r.filled += m->cols - count;
	}
	if (rep)
		*rep = r;
	return 0;
}
