#include "ppca.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

/* Rows per block when accumulating the covariance: each dsyrk call reads and writes the
 * whole D x D result (4.9 MB for D = 784), so a block must be tall enough to amortise
 * that, while its double copy (6.4 MB here) stays far below the data's size. */
#define BLOCK_ROWS 1024

/* sigma2 below this fraction of the largest eigenvalue counts as 0. */
#define SIGMA2_MIN_REL 1e-10

Ppca *ppca_new(size_t D, size_t K)
{
	Ppca *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->D = D;
	p->K = K;
	p->mean = calloc(D, sizeof *p->mean);
	p->W = calloc(D * K, sizeof *p->W);
	if (!p->mean || !p->W) {
		ppca_free(p);
		return NULL;
	}
	return p;
}

void ppca_free(Ppca *p)
{
	if (!p)
		return;
	free(p->mean);
	free(p->W);
	free(p->Wf);
	free(p->Pf);
	free(p->meanf);
	free(p->bf);
	free(p);
}

/* Row i of X as doubles into out[D]. */
static void row_as_double(const Mat *X, size_t i, double *out)
{
	size_t j;

	if (X->type == MAT_F32)
		for (j = 0; j < X->cols; j++)
			out[j] = X->f[i * X->stride + j];
	else
		memcpy(out, X->d + i * X->stride, X->cols * sizeof *out);
}

/* Sample mean of the rows of X into mean[D], in double; -1 on a NaN or infinity. */
static int column_means(const Mat *X, double *mean, Err *e)
{
	size_t N = X->rows, D = X->cols, i, j;
	double *row = malloc(D * sizeof *row);

	if (!row)
		return err_set(e, "out of memory");
	for (j = 0; j < D; j++)
		mean[j] = 0;
	for (i = 0; i < N; i++) {
		row_as_double(X, i, row);
		for (j = 0; j < D; j++) {
			if (!isfinite(row[j])) {
				err_set(e, "row %zu, column %zu is %g: PPCA needs complete, finite data",
					i + 1, j + 1, row[j]);
				free(row);
				return -1;
			}
			mean[j] += row[j];
		}
	}
	free(row);
	for (j = 0; j < D; j++)
		mean[j] /= (double)N;
	return 0;
}

/*
 * S[D][D] (full, symmetric) = (1/N) sum_i (x_i - mean)(x_i - mean)^T. Rows are centred in
 * double before they are multiplied, so no large offset cancels (the one-pass form
 * E[x x^T] - mean mean^T would lose digits when |mean| >> spread).
 */
static int covariance(const Mat *X, const double *mean, double *S, Err *e)
{
	size_t N = X->rows, D = X->cols, i, j, r, B;
	double *blk = malloc(BLOCK_ROWS * D * sizeof *blk);

	if (!blk)
		return err_set(e, "out of memory for the covariance");
	for (i = 0; i < N; i += B) {
		B = N - i < BLOCK_ROWS ? N - i : BLOCK_ROWS;
		for (r = 0; r < B; r++) {
			row_as_double(X, i + r, blk + r * D);
			for (j = 0; j < D; j++)
				blk[r * D + j] -= mean[j];
		}
		linalg_syrk_t(D, B, 1.0 / (double)N, blk, D, i ? 1.0 : 0.0, S, D);
	}
	free(blk);
	for (i = 0; i < D; i++)
		for (j = 0; j < i; j++)
			S[i * D + j] = S[j * D + i];
	return 0;
}

/*
 * The average log-likelihood (TB eq. 4) of data whose covariance about its own mean is
 * S[D][D], under p whose mean is that same mean:
 *     -1/2 [ D ln(2 pi) + ln|C| + tr(C^-1 S) ],  C = W W^T + sigma2 I,
 * with ln|C| = (D - K) ln sigma2 + ln|M| and C^-1 = (I - W M^-1 W^T) / sigma2
 * (the matrix determinant lemma and Woodbury's identity; M = W^T W + sigma2 I).
 */
static int average_loglik(const Ppca *p, const double *S, double *out, Err *e)
{
	size_t D = p->D, K = p->K, a, b, i, j;
	double *M = calloc(K * K, sizeof *M), *T = calloc(K * K, sizeof *T);
	double *SW = calloc(D * K, sizeof *SW), logdet = 0, trS = 0, trMT = 0;
	int r = -1;

	if (!M || !T || !SW) {
		err_set(e, "out of memory for the log-likelihood");
		goto done;
	}
	for (i = 0; i < D; i++)
		for (j = 0; j < D; j++)
			for (b = 0; b < K; b++)
				SW[i * K + b] += S[i * D + j] * p->W[j * K + b];
	for (a = 0; a < K; a++)
		for (b = 0; b < K; b++) {
			for (i = 0; i < D; i++) {
				M[a * K + b] += p->W[i * K + a] * p->W[i * K + b];
				T[a * K + b] += p->W[i * K + a] * SW[i * K + b];
			}
			if (a == b)
				M[a * K + b] += p->sigma2;
		}
	if (linalg_posv(K, K, M, K, T, K)) {
		err_set(e, "W^T W + sigma2 I is not positive definite");
		goto done;
	}
	for (a = 0; a < K; a++) {
		logdet += 2 * log(M[a * K + a]);
		trMT += T[a * K + a];
	}
	for (i = 0; i < D; i++)
		trS += S[i * D + i];
	*out = -0.5 * ((double)D * log(2 * M_PI) + (double)(D - K) * log(p->sigma2) + logdet +
		       (trS - trMT) / p->sigma2);
	r = 0;
done:
	free(M);
	free(T);
	free(SW);
	return r;
}

int ppca_fit(const Mat *X, size_t K, Ppca **out, double *avg_loglik, Err *e)
{
	size_t N = X->rows, D = X->cols, i, k, best;
	double *S = NULL, *U = NULL, *w = NULL, sum, lambda, scale;
	Ppca *p;

	assert(K >= 1 && K < D);
	*out = NULL;
	if (N == 0)
		return err_set(e, "no data (0 rows)");
	p = ppca_new(D, K);
	S = malloc(D * D * sizeof *S);
	U = malloc(D * D * sizeof *U);
	w = malloc(D * sizeof *w);
	if (!p || !S || !U || !w) {
		err_set(e, "out of memory for a %zu x %zu covariance", D, D);
		goto fail;
	}
	if (column_means(X, p->mean, e) || covariance(X, p->mean, S, e))
		goto fail;
	memcpy(U, S, D * D * sizeof *U);
	if (linalg_syevd(D, U, D, w)) {
		err_set(e, "the symmetric eigen-decomposition did not converge");
		goto fail;
	}
	/* w ascends: the D - K smallest are w[0 .. D-K), the K largest w[D-1] down. */
	sum = 0;
	for (i = 0; i < D - K; i++)
		sum += w[i];
	p->sigma2 = sum / (double)(D - K);
	if (!(p->sigma2 > SIGMA2_MIN_REL * w[D - 1])) {
		err_set(e, "sigma^2 is %g: the data span at most %zu dimensions, so PPCA with "
			   "K = %zu is degenerate", p->sigma2, K, K);
		goto fail;
	}
	for (k = 0; k < K; k++) {
		size_t col = D - 1 - k;
		lambda = w[col];
		scale = lambda > p->sigma2 ? sqrt(lambda - p->sigma2) : 0;
		for (best = 0, i = 1; i < D; i++)
			if (fabs(U[i * D + col]) > fabs(U[best * D + col]))
				best = i;
		if (U[best * D + col] < 0)
			scale = -scale;
		for (i = 0; i < D; i++)
			p->W[i * K + k] = U[i * D + col] * scale;
	}
	if (avg_loglik && average_loglik(p, S, avg_loglik, e))
		goto fail;
	free(S);
	free(U);
	free(w);
	*out = p;
	return 0;
fail:
	free(S);
	free(U);
	free(w);
	ppca_free(p);
	return -1;
}

int ppca_prepare(Ppca *p, Err *e)
{
	size_t D = p->D, K = p->K, a, b, i;
	double *M = calloc(K * K, sizeof *M), *P = malloc(K * D * sizeof *P), v;
	int r = -1;

	free(p->Wf);
	free(p->Pf);
	free(p->meanf);
	free(p->bf);
	p->Wf = malloc(D * K * sizeof *p->Wf);
	p->Pf = malloc(K * D * sizeof *p->Pf);
	p->meanf = malloc(D * sizeof *p->meanf);
	p->bf = malloc(K * sizeof *p->bf);
	if (!M || !P || !p->Wf || !p->Pf || !p->meanf || !p->bf) {
		err_set(e, "out of memory for a %zu x %zu PPCA model", D, K);
		goto done;
	}
	/* M = W^T W + sigma2 I; P = M^-1 W^T by a Cholesky solve with W^T as right side. */
	for (a = 0; a < K; a++) {
		for (b = 0; b < K; b++)
			for (i = 0; i < D; i++)
				M[a * K + b] += p->W[i * K + a] * p->W[i * K + b];
		M[a * K + a] += p->sigma2;
		for (i = 0; i < D; i++)
			P[a * D + i] = p->W[i * K + a];
	}
	if (!(p->sigma2 > 0) || linalg_posv(K, D, M, K, P, D)) {
		err_set(e, "PPCA model with sigma2 = %g has a singular posterior", p->sigma2);
		goto done;
	}
	for (i = 0; i < D * K; i++) {
		p->Wf[i] = (float)p->W[i];
		p->Pf[i] = (float)P[i];
	}
	for (i = 0; i < D; i++)
		p->meanf[i] = (float)p->mean[i];
	for (a = 0; a < K; a++) {
		for (v = 0, i = 0; i < D; i++)
			v += P[a * D + i] * p->mean[i];
		p->bf[a] = (float)v;
	}
	r = 0;
done:
	free(M);
	free(P);
	return r;
}

void ppca_encode(const Ppca *p, float *Z, const float *X, size_t N)
{
	size_t i, k, K = p->K;

	/* Z = X P^T - 1 b^T, i.e. each row P (x - mean). */
	linalg_sgemm(0, 1, N, K, p->D, 1.0f, X, p->D, p->Pf, p->D, 0.0f, Z, K);
	for (i = 0; i < N; i++)
		for (k = 0; k < K; k++)
			Z[i * K + k] -= p->bf[k];
}

void ppca_decode(const Ppca *p, float *X, const float *Z, size_t N)
{
	size_t i, D = p->D;

	for (i = 0; i < N; i++)
		memcpy(X + i * D, p->meanf, D * sizeof *X);
	linalg_sgemm(0, 1, N, D, p->K, 1.0f, Z, p->K, p->Wf, p->K, 1.0f, X, D);
}

int ppca_write(FILE *f, const Ppca *p, MatType type, Err *e)
{
	Mat *mean = mat_new(1, p->D, type, "mean", e), *W = mat_new(p->D, p->K, type, "W", e);
	Mat *s2 = mat_new(1, 1, type, "sigma2", e);
	size_t i, k;
	int r = -1;

	if (!mean || !W || !s2)
		goto done;
	for (i = 0; i < p->D; i++) {
		mat_set(mean, 0, i, p->mean[i]);
		for (k = 0; k < p->K; k++)
			mat_set(W, i, k, p->W[i * p->K + k]);
	}
	mat_set(s2, 0, 0, p->sigma2);
	r = model_write_header(f, "ppca", type, e) || mat_write(f, mean, e) ||
	    mat_write(f, W, e) || mat_write(f, s2, e) ? -1 : 0;
done:
	mat_free(mean);
	mat_free(W);
	mat_free(s2);
	return r;
}

/* ---- the "ppca" kind of model.h ---- */

static int all_finite(const Mat *m)
{
	size_t i, n = m->rows * m->cols;

	for (i = 0; i < n; i++)
		if (!isfinite(m->d[i]))
			return 0;
	return 1;
}

static int load(FILE *f, const char *what, void **impl, size_t *D, size_t *K, Err *e)
{
	Mat *mean = NULL, *W = NULL, *s2 = NULL;
	Ppca *p = NULL;
	int r = -1;

	if (model_read_part(f, what, "ppca", "mean", MAT_F64, &mean, e) ||
	    model_read_part(f, what, "ppca", "W", MAT_F64, &W, e) ||
	    model_read_part(f, what, "ppca", "sigma2", MAT_F64, &s2, e))
		goto done;
	if (mean->rows != 1 || mean->cols == 0) {
		err_set(e, "%s: ppca 'mean' is %zu x %zu, not 1 x D", what, mean->rows, mean->cols);
		goto done;
	}
	if (W->rows != mean->cols || W->cols == 0) {
		err_set(e, "%s: ppca 'W' is %zu x %zu, but 'mean' has D = %zu (want D x K, K >= 1)",
			what, W->rows, W->cols, mean->cols);
		goto done;
	}
	if (s2->rows != 1 || s2->cols != 1) {
		err_set(e, "%s: ppca 'sigma2' is %zu x %zu, not 1 x 1", what, s2->rows, s2->cols);
		goto done;
	}
	if (!all_finite(mean) || !all_finite(W) || !isfinite(s2->d[0]) || !(s2->d[0] > 0)) {
		err_set(e, "%s: ppca model has a value that is not finite, or sigma2 = %g <= 0",
			what, s2->d[0]);
		goto done;
	}
	p = ppca_new(W->rows, W->cols);
	if (!p) {
		err_set(e, "out of memory for a %zu x %zu PPCA model", W->rows, W->cols);
		goto done;
	}
	memcpy(p->mean, mean->d, p->D * sizeof *p->mean);
	memcpy(p->W, W->d, p->D * p->K * sizeof *p->W);
	p->sigma2 = s2->d[0];
	if (ppca_prepare(p, e)) {
		Err inner = *e;
		err_set(e, "%s: %s", what, inner.msg);
		goto done;
	}
	*impl = p;
	*D = p->D;
	*K = p->K;
	p = NULL;
	r = 0;
done:
	ppca_free(p);
	mat_free(mean);
	mat_free(W);
	mat_free(s2);
	return r;
}

static int encode(const void *impl, float *Z, const float *X, size_t N, Err *e)
{
	(void)e;
	ppca_encode(impl, Z, X, N);
	return 0;
}

static int decode(const void *impl, float *X, const float *Z, size_t N, Err *e)
{
	(void)e;
	ppca_decode(impl, X, Z, N);
	return 0;
}

static void free_impl(void *impl)
{
	ppca_free(impl);
}

const ModelOps ppca_model_ops = { "ppca", load, encode, decode, free_impl };
