/* pca: see pca.h. Sizes: M features (rows), N observations (columns), K components. */
#include "pca.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

void pca_free(Pca *p)
{
	if (!p)
		return;
	free(p->mean);
	free(p->components);
	free(p->scores);
	free(p->variance);
	free(p->fraction);
	free(p);
}

static Pca *pca_alloc(size_t M, size_t N, size_t K)
{
	Pca *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->M = M, p->N = N, p->K = K;
	p->mean = malloc(M * sizeof *p->mean);
	p->components = malloc(M * K * sizeof *p->components);
	p->scores = malloc(N * K * sizeof *p->scores);
	p->variance = malloc(K * sizeof *p->variance);
	p->fraction = malloc(K * sizeof *p->fraction);
	if (!p->mean || !p->components || !p->scores || !p->variance || !p->fraction) {
		pca_free(p);
		return NULL;
	}
	return p;
}

/* Xc = X - row means; fills p->mean and p->total. Xc is M x N with stride N. */
static void centre(double *Xc, const double *X, Pca *p)
{
	size_t M = p->M, N = p->N, i, j;
	double s, ss = 0;

	for (i = 0; i < M; i++) {
		s = 0;
		for (j = 0; j < N; j++)
			s += X[i * N + j];
		p->mean[i] = s / (double)N;
		for (j = 0; j < N; j++) {
			Xc[i * N + j] = X[i * N + j] - p->mean[i];
			ss += Xc[i * N + j] * Xc[i * N + j];
		}
	}
	p->total = ss / (double)(N > 1 ? N - 1 : 1);
}

/* The sign convention of pca.h: the largest |entry| of each direction is positive. */
static void fix_signs(Pca *p)
{
	size_t M = p->M, N = p->N, K = p->K, i, k, best;

	for (k = 0; k < K; k++) {
		best = 0;
		for (i = 1; i < M; i++)
			if (fabs(p->components[i * K + k]) > fabs(p->components[best * K + k]))
				best = i;
		if (p->components[best * K + k] >= 0)
			continue;
		for (i = 0; i < M; i++)
			p->components[i * K + k] = -p->components[i * K + k];
		for (i = 0; i < N; i++)
			p->scores[i * K + k] = -p->scores[i * K + k];
	}
}

/* Xc = U S V^T: components = U[:, :K], scores[i][k] = S_k VT[k][i]. */
static int fit_svd(Pca *p, double *Xc, Err *e)
{
	size_t M = p->M, N = p->N, K = p->K, r = M < N ? M : N, i, k;
	double *S = malloc(r * sizeof *S), *U = malloc(M * r * sizeof *U);
	double *VT = malloc(r * N * sizeof *VT), dof = (double)(N > 1 ? N - 1 : 1);
	int status = -1;

	if (!S || !U || !VT) {
		err_set(e, "out of memory for the SVD of a %zu x %zu matrix", M, N);
		goto out;
	}
	if (linalg_gesdd(M, N, Xc, N, S, U, r, VT, N)) {
		err_set(e, "the SVD of the centred %zu x %zu matrix did not converge", M, N);
		goto out;
	}
	for (i = 0; i < M; i++)
		for (k = 0; k < K; k++)
			p->components[i * K + k] = U[i * r + k];
	for (i = 0; i < N; i++)
		for (k = 0; k < K; k++)
			p->scores[i * K + k] = S[k] * VT[k * N + i];
	for (k = 0; k < K; k++)
		p->variance[k] = S[k] * S[k] / dof;
	status = 0;
out:
	free(S);
	free(U);
	free(VT);
	return status;
}

/* C = Xc Xc^T / (N - 1), its top K eigenpairs, then scores = Xc^T U. */
static int fit_eig(Pca *p, const double *Xc, Err *e)
{
	size_t M = p->M, N = p->N, K = p->K;
	double dof = (double)(N > 1 ? N - 1 : 1), *C = NULL;
	int status = -1;

	if (M <= SIZE_MAX / sizeof *C / M)
		C = malloc(M * M * sizeof *C);
	if (!C) {
		err_set(e, "out of memory for the %zu x %zu covariance", M, M);
		goto out;
	}
	linalg_syrk(M, N, 1.0 / dof, Xc, N, 0.0, C, M);
	if (linalg_syevr_top(M, K, C, M, p->variance, p->components, K)) {
		err_set(e, "the eigen decomposition of the %zu x %zu covariance failed", M, M);
		goto out;
	}
	linalg_gemm(1, 0, N, K, M, 1.0, Xc, N, p->components, K, 0.0, p->scores, K);
	status = 0;
out:
	free(C);
	return status;
}

/*
 * The fit on Xc scaled by 2^-ex, ex the exponent of its largest |entry|: a power of two
 * commutes exactly with every rounding, so directions, scores and variances are the
 * unscaled fit's bits, but the squares behind the fractions neither underflow (1e-300
 * data) nor overflow. Xc is scaled in place.
 */
static int fit_scaled(Pca *p, double *Xc, PcaMethod method, Err *e)
{
	size_t M = p->M, N = p->N, K = p->K, i, k;
	double amax = 0, ss = 0, total, dof = (double)(N > 1 ? N - 1 : 1);
	int ex = 0;

	for (i = 0; i < M * N; i++)
		if (fabs(Xc[i]) > amax)
			amax = fabs(Xc[i]);
	if (amax > 0)
		frexp(amax, &ex);
	for (i = 0; i < M * N; i++) {
		Xc[i] = ldexp(Xc[i], -ex);
		ss += Xc[i] * Xc[i];
	}
	total = ss / dof;
	if ((method == PCA_SVD ? fit_svd(p, Xc, e) : fit_eig(p, Xc, e)))
		return -1;
	for (k = 0; k < K; k++) {
		/* at most 1: rounding can lift one term a hair above the sum */
		p->fraction[k] = total > 0 ? fmin(1.0, p->variance[k] / total) : 0;
		p->variance[k] = ldexp(p->variance[k], 2 * ex);
	}
	for (i = 0; i < N * K; i++)
		p->scores[i] = ldexp(p->scores[i], ex);
	return 0;
}

int pca_eig_check(size_t M, size_t N, Err *e)
{
	if (M > N && M > PCA_EIG_MAX_M)
		return err_set(e, "the eig route would build a %zu x %zu covariance (%.3g GB) "
			       "from %zu x %zu data: use the SVD route", M, M,
			       (double)M * (double)M * sizeof(double) / 1e9, M, N);
	return 0;
}

int pca_fit(Pca **out, const double *X, size_t M, size_t N, size_t K, PcaMethod method,
	    Err *e)
{
	Pca *p;
	double *Xc;
	int status;

	assert(K >= 1 && K <= M && K <= N);
	*out = NULL;
	if (method == PCA_EIG && pca_eig_check(M, N, e))
		return -1;
	p = pca_alloc(M, N, K);
	Xc = malloc(M * N * sizeof *Xc);
	if (!p || !Xc) {
		free(Xc);
		pca_free(p);
		return err_set(e, "out of memory for PCA of a %zu x %zu matrix", M, N);
	}
	centre(Xc, X, p);
	if (!isfinite(p->total))
		status = err_set(e, "the values are too large: their sum of squares overflows "
				    "double precision");
	else
		status = fit_scaled(p, Xc, method, e);
	free(Xc);
	if (status) {
		pca_free(p);
		return -1;
	}
	fix_signs(p);
	*out = p;
	return 0;
}

void pca_reconstruct(double *Y, const Pca *p, size_t k)
{
	size_t M = p->M, N = p->N, K = p->K, i, j;

	assert(k >= 1 && k <= K);
	for (i = 0; i < M; i++)
		for (j = 0; j < N; j++)
			Y[i * N + j] = p->mean[i];
	/* The first k columns of components and scores: leading dimension K, width k. */
	linalg_gemm(0, 1, M, N, k, 1.0, p->components, K, p->scores, K, 1.0, Y, N);
}
