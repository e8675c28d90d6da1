/*
 * fa_model_read (declared in fa.h): reading a factor-analysis model stream. A file of its
 * own so that a tool that only reads models (fa-sample) links no BLAS: the archive pulls
 * in only the objects a tool uses.
 */
#include <math.h>
#include <string.h>

#include "fa.h"

/* A part of a model stream: its payload as f64, or -1 with the message in e. */
static int model_part(FILE *f, const MatHeader *h, Mat **out, Err *e)
{
	if (mat_read_payload(f, h, out, e))
		return -1;
	if (mat_convert(*out, MAT_F64, e)) {
		mat_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int fa_model_read(FILE *f, Mat **W, Mat **mean, Mat **psi, Err *e)
{
	static const char *const names[] = { "W", "mean", "psi", "codes", "cov" };
	Mat *part[3] = { NULL, NULL, NULL }, *m;
	MatHeader h, later[2];
	int seen[5] = { 0 }, first = 1, r;
	size_t M, K, i, j;

	*W = *mean = *psi = NULL;
	while ((r = mat_read_header(f, &h, e)) == 0) {
		if (strncmp(h.name, "model:", 6) == 0) {
			if (!first) {
				err_set(e, "'%s' must be the first matrix", h.name);
				goto fail;
			}
			if (strcmp(h.name, "model:fa") != 0) {
				err_set(e, "a '%s' model, not model:fa", h.name + 6);
				goto fail;
			}
			if (h.rows != 1 || h.cols != 1 || model_part(f, &h, &m, e)) {
				if (h.rows != 1 || h.cols != 1)
					err_set(e, "model:fa is %zu x %zu, expected 1 x 1", h.rows, h.cols);
				goto fail;
			}
			r = m->d[0] != 1;
			if (r)
				err_set(e, "model:fa version %g, this program reads version 1", m->d[0]);
			mat_free(m);
			if (r)
				goto fail;
			first = 0;
			continue;
		}
		first = 0;
		for (i = 0; i < 5 && strcmp(h.name, names[i]) != 0; i++)
			;
		if (i == 5) {
			err_set(e, "unexpected matrix '%s' (a model holds W, mean, psi, codes, cov)",
				h.name);
			goto fail;
		}
		if (seen[i]++) {
			err_set(e, "a second matrix named '%s'", h.name);
			goto fail;
		}
		if (i < 3 ? model_part(f, &h, &part[i], e) : mat_skip_payload(f, &h, e))
			goto fail;
		if (i >= 3)
			later[i - 3] = h;
	}
	if (r < 0)
		goto fail;
	for (i = 0; i < 3; i++)
		if (!part[i]) {
			err_set(e, "no matrix named '%s'", names[i]);
			goto fail;
		}
	M = part[0]->rows, K = part[0]->cols;
	for (i = 1; i < 3; i++)
		if (part[i]->rows != M || part[i]->cols != 1) {
			err_set(e, "'%s' is %zu x %zu, but W has %zu rows (expected %zu x 1)",
				names[i], part[i]->rows, part[i]->cols, M, M);
			goto fail;
		}
	if (seen[3] != seen[4]) {
		err_set(e, "'%s' without '%s'", seen[3] ? "codes" : "cov", seen[3] ? "cov" : "codes");
		goto fail;
	}
	if (seen[3] && (later[0].cols != K || later[1].rows != later[0].rows * K ||
			later[1].cols != K)) {
		err_set(e, "codes (%zu x %zu) and cov (%zu x %zu) do not fit W's K = %zu",
			later[0].rows, later[0].cols, later[1].rows, later[1].cols, K);
		goto fail;
	}
	for (j = 0; j < M; j++) {
		for (i = 0; i < K; i++)
			if (!isfinite(part[0]->d[j * K + i])) {
				err_set(e, "W (%zu, %zu) is not finite", j + 1, i + 1);
				goto fail;
			}
		if (!isfinite(part[1]->d[j])) {
			err_set(e, "mean (%zu, 1) is not finite", j + 1);
			goto fail;
		}
		if (!(isfinite(part[2]->d[j]) && part[2]->d[j] >= 0)) {
			err_set(e, "psi (%zu, 1) is %g; variances must be finite and >= 0", j + 1,
				part[2]->d[j]);
			goto fail;
		}
	}
	*W = part[0], *mean = part[1], *psi = part[2];
	return 0;
fail:
	for (i = 0; i < 3; i++)
		mat_free(part[i]);
	return -1;
}
