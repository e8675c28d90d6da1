#include "rmse.h"

#include <assert.h>
#include <math.h>

int rmse_observed(const Mat *pred, const Mat *test, double *rmse, size_t *count, Err *e)
{
	double sum = 0, p, t;
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
			sum += (p - t) * (p - t);
			n++;
		}
	if (n == 0)
		return err_set(e, "the test matrix has no observed entry");
	*rmse = sqrt(sum / (double)n);
	*count = n;
	return 0;
}
