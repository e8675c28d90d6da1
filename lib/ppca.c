#include "ppca.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

/* Rows per block when accumulating the covariance: each dsyrk call reads and writes the
 * whole D x D result (4.9 MB for D = 784), so a block must be tall enough to amortise
 * that, while its double copy (6.4 MB here) stays far below the data's size. */
#define BLOCK_ROWS 1024

/* sigma2 below this fraction of the largest eigenvalue counts as 0: eigenvalues computed
 * in double are off by about D 2^-52 of the largest (2e-13 for D = 784), so a smaller
 * sigma2 is too close to that noise to be told from 0. */
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

/*
 * 2^k as two factors, v * a * b = v 2^k, for any k a double's exponent range can need
 * (|k| <= 1100), where 2^k itself may be no double: exact unless the result (or v a) is
 * subnormal, which happens only to values below 2^-1022 of the largest.
 */
typedef struct {
	double a, b;
} Pow2;

static Pow2 pow2(int k)
{
	Pow2 p = { ldexp(1.0, k / 2), ldexp(1.0, k - k / 2) };

	return p;
}

#define SCALE(v, p) ((v) * (p).a * (p).b)

/*
 * The data as the fit sees them: y_ij = (x_ij 2^-ec - ms_j) 2^-et, that is the rows
 * centred on their mean and multiplied by 2^-E (E = ec + et), with ec and et chosen so
 * that max |x| 2^-ec and then max |y| lie in [1/2, 1). Every product and sum the fit forms
 * from the y's is then far from overflow and underflow, whatever the data's magnitude
 * (finding 3: data at 1e80 made W^T S W overflow). Scaling by a power of 2 is exact, so
 * the fit of the y's is the fit of the data with W, sigma2 and the covariance divided by
 * 2^E, 2^2E and 2^2E; ppca_fit multiplies them back at the end.
 */
typedef struct {
	const Mat *X;
	double *ms;   /* [D]: the mean, in units of 2^ec */
	Pow2 to_unit; /* 2^-ec */
	Pow2 to_y;    /* 2^-et */
	int E;
} Scaled;

/* -1 with a message naming the first entry of X that is NaN or infinite, else 0. */
static int find_nonfinite(const Mat *X, double *row, Err *e)
{
	size_t i, j;

	for (i = 0; i < X->rows; i++) {
		row_as_double(X, i, row);
		for (j = 0; j < X->cols; j++)
			if (!isfinite(row[j]))
				return err_set(e, "row %zu, column %zu is %g: PPCA needs complete, finite "
						  "data", i + 1, j + 1, row[j]);
	}
	return 0;
}

/*
 * Check that every entry of X is finite, put the sample mean of its rows into mean[D] and
 * set up s (s->ms[D] allocated by the caller). One pass over X finds each column's sum
 * and extremes (loops simple enough to vectorise; a NaN or infinity shows as a sum that is
 * not finite). Only when a sum overflowed does a second pass sum in units of 2^ec, where
 * no sum of N terms below 1 can. The spread max |x 2^-ec - ms| is reached at a column's
 * extreme, as scaling is monotone. -1 with a message when an entry is NaN or infinite or
 * all rows are equal.
 */
static int scale_data(const Mat *X, double *mean, Scaled *s, Err *e)
{
	size_t N = X->rows, D = X->cols, i, j;
	double *row = malloc(D * sizeof *row), *lo = malloc(D * sizeof *lo);
	double *hi = malloc(D * sizeof *hi), big = 0, spread = 0, d, v;
	int ec, et, r = -1, overflow = 0;

	if (!row || !lo || !hi) {
		err_set(e, "out of memory");
		goto done;
	}
	s->X = X;
	row_as_double(X, 0, lo);
	memcpy(hi, lo, D * sizeof *hi);
	for (j = 0; j < D; j++)
		mean[j] = 0;
	for (i = 0; i < N; i++) {
		row_as_double(X, i, row);
		for (j = 0; j < D; j++) {
			v = row[j];
			mean[j] += v;
			lo[j] = v < lo[j] ? v : lo[j];
			hi[j] = v > hi[j] ? v : hi[j];
		}
	}
	for (j = 0; j < D; j++)
		if (!isfinite(mean[j]))
			overflow = 1;
	if (overflow && find_nonfinite(X, row, e))
		goto done;
	for (j = 0; j < D; j++)
		big = fmax(big, fmax(-lo[j], hi[j]));
	frexp(big, &ec);
	s->to_unit = pow2(-ec);
	if (overflow) {
		for (j = 0; j < D; j++)
			s->ms[j] = 0;
		for (i = 0; i < N; i++) {
			row_as_double(X, i, row);
			for (j = 0; j < D; j++)
				s->ms[j] += SCALE(row[j], s->to_unit);
		}
		for (j = 0; j < D; j++) {
			s->ms[j] /= (double)N;
			mean[j] = SCALE(s->ms[j], pow2(ec));
		}
	} else {
		for (j = 0; j < D; j++) {
			mean[j] /= (double)N;
			s->ms[j] = SCALE(mean[j], s->to_unit);
		}
	}
	for (j = 0; j < D; j++) {
		d = fmax(SCALE(hi[j], s->to_unit) - s->ms[j], s->ms[j] - SCALE(lo[j], s->to_unit));
		spread = fmax(spread, d);
	}
	if (spread == 0) {
		err_set(e, "all %zu rows are equal: the data span 0 dimensions", N);
		goto done;
	}
	frexp(spread, &et);
	s->to_y = pow2(-et);
	s->E = ec + et;
	r = 0;
done:
	free(row);
	free(lo);
	free(hi);
	return r;
}

/* Row i of the scaled, centred data y into out[D]. */
static void y_row(const Scaled *s, size_t i, double *out)
{
	size_t j, D = s->X->cols;

	row_as_double(s->X, i, out);
	for (j = 0; j < D; j++)
		out[j] = SCALE(SCALE(out[j], s->to_unit) - s->ms[j], s->to_y);
}

/* Copy the upper triangle of A[N][N] into its lower one. */
static void symmetrize(size_t N, double *A)
{
	size_t i, j;

	for (i = 0; i < N; i++)
		for (j = 0; j < i; j++)
			A[i * N + j] = A[j * N + i];
}

/*
 * S[D][D] (full, symmetric) = (1/N) sum_i y_i y_i^T, the covariance of the data divided
 * by 2^2E. The rows are centred before they are multiplied, so no large offset cancels
 * (the one-pass form E[x x^T] - mean mean^T would lose digits when |mean| >> spread).
 */
static int covariance(const Scaled *s, double *S, Err *e)
{
	size_t N = s->X->rows, D = s->X->cols, i, r, B;
	double *blk = malloc(BLOCK_ROWS * D * sizeof *blk);

	if (!blk)
		return err_set(e, "out of memory for the covariance");
	for (i = 0; i < N; i += B) {
		B = N - i < BLOCK_ROWS ? N - i : BLOCK_ROWS;
		for (r = 0; r < B; r++)
			y_row(s, i + r, blk + r * D);
		linalg_syrk_t(D, B, 1.0 / (double)N, blk, D, i ? 1.0 : 0.0, S, D);
	}
	free(blk);
	symmetrize(D, S);
	return 0;
}

/*
 * The average log-likelihood (TB eq. 4) of data whose covariance about its own mean is
 * S, under p whose mean is that same mean:
 *     -1/2 [ D ln(2 pi) + ln|C| + tr(C^-1 S) ],  C = W W^T + sigma2 I,
 * with ln|C| = (D - K) ln sigma2 + ln|M| and C^-1 = (I - W M^-1 W^T) / sigma2
 * (the matrix determinant lemma and Woodbury's identity; M = W^T W + sigma2 I), so that
 * S enters only through trS = tr(S) and T[K][K] = W^T S W (full; overwritten).
 */
static int average_loglik(const Ppca *p, double trS, double *T, double *out, Err *e)
{
	size_t D = p->D, K = p->K, a;
	double *M = malloc(K * K * sizeof *M), logdet = 0, trMT = 0;

	if (!M)
		return err_set(e, "out of memory for the log-likelihood");
	linalg_syrk_t(K, D, 1.0, p->W, K, 0.0, M, K);
	for (a = 0; a < K; a++)
		M[a * K + a] += p->sigma2;
	switch (linalg_posv(K, K, M, K, T, K)) {
	case LINALG_OK:
		break;
	case LINALG_NOT_FINITE:
		free(M);
		return err_set(e, "W^T W + sigma2 I or W^T S W is not finite");
	default:
		free(M);
		return err_set(e, "W^T W + sigma2 I is not positive definite");
	}
	for (a = 0; a < K; a++) {
		logdet += 2 * log(M[a * K + a]);
		trMT += T[a * K + a];
	}
	free(M);
	*out = -0.5 * ((double)D * log(2 * M_PI) + (double)(D - K) * log(p->sigma2) + logdet +
		       (trS - trMT) / p->sigma2);
	return 0;
}

/* m 2^k in decimal ("5.59e+59"), even where it is beyond a double's range. */
static const char *decimal(char *buf, size_t len, double m, long k)
{
	double l, ex;

	if (m == 0) {
		snprintf(buf, len, "0");
		return buf;
	}
	l = log10(fabs(m)) + (double)k * log10(2.0);
	ex = floor(l);
	snprintf(buf, len, "%s%.3ge%+.0f", m < 0 ? "-" : "", pow(10.0, l - ex), ex);
	return buf;
}

/*
 * Multiply W and sigma2 of a fit of the scaled data back by 2^E and 2^2E. -1 with a
 * message when sigma2 or an entry of W is beyond the range of a double (sigma2 must be a
 * normal number: a subnormal one has lost its digits).
 */
static int unscale(Ppca *p, int E, Err *e)
{
	size_t i;
	double v;
	char buf[40];

	v = ldexp(p->sigma2, 2 * E);
	if (!isfinite(v))
		return err_set(e, "sigma2 = %s overflows double precision (largest %.3g): scale "
				  "the data down", decimal(buf, sizeof buf, p->sigma2, 2L * E), DBL_MAX);
	if (v < DBL_MIN)
		return err_set(e, "sigma2 = %s underflows double precision (smallest normal %.3g): "
				  "scale the data up", decimal(buf, sizeof buf, p->sigma2, 2L * E), DBL_MIN);
	for (i = 0; i < p->D * p->K; i++) {
		p->W[i] = ldexp(p->W[i], E);
		if (!isfinite(p->W[i]))
			return err_set(e, "W[%zu][%zu] overflows double precision: scale the data down",
				       i / p->K + 1, i % p->K + 1);
	}
	p->sigma2 = v;
	return 0;
}

/*
 * The eigen-decomposition behind the fit, in the units of the scaled data y (Scaled):
 * the K largest eigenvalues l[K] (descending) of S = (1/N) Y^T Y with unit eigenvectors
 * U[D][K], sigma2 (the mean of the other D - K), tr(S), and for the log-likelihood either
 * S itself or Y. Filled by from_covariance or from_gram.
 */
typedef struct {
	double *l, *U, sigma2, l1, trS;
	double *S; /* [D][D] (covariance path) or NULL */
	double *Y; /* [N][D] (Gram path) or NULL */
} Eigen;

static void eigen_free(Eigen *g)
{
	free(g->l);
	free(g->U);
	free(g->S);
	free(g->Y);
}

/* linalg_syevd of A[n][n] (the `what`), its failures as messages. */
static int eigen(size_t n, double *A, double *w, const char *what, Err *e)
{
	switch (linalg_syevd(n, A, n, w)) {
	case LINALG_OK:
		return 0;
	case LINALG_NOT_FINITE:
		return err_set(e, "the %s is not finite", what);
	default:
		return err_set(e, "the eigen-decomposition of the %s did not converge", what);
	}
}

/* K >= 1 eigenpairs from the D x D covariance: N D^2 / 2 + O(D^3) operations. */
static int from_covariance(const Scaled *s, size_t K, Eigen *g, PpcaProgress *progress,
			   void *ctx, Err *e)
{
	size_t N = s->X->rows, D = s->X->cols, i, k;
	double *A = malloc(D * D * sizeof *A), *w = malloc(D * sizeof *w), sum = 0;
	char step[128];
	int r = -1;

	g->S = malloc(D * D * sizeof *g->S);
	if (!A || !w || !g->S) {
		err_set(e, "out of memory for a %zu x %zu covariance", D, D);
		goto done;
	}
	snprintf(step, sizeof step, "covariance %zu x %zu of %zu rows", D, D, N);
	if (progress)
		progress(ctx, step);
	if (covariance(s, g->S, e))
		goto done;
	memcpy(A, g->S, D * D * sizeof *A);
	snprintf(step, sizeof step, "eigen-decomposition of the %zu x %zu covariance", D, D);
	if (progress)
		progress(ctx, step);
	if (eigen(D, A, w, "covariance", e))
		goto done;
	/* w ascends: the D - K smallest are w[0 .. D-K), the K largest w[D-1] down. */
	for (i = 0; i < D - K; i++)
		sum += w[i];
	g->sigma2 = sum / (double)(D - K);
	g->l1 = w[D - 1];
	for (g->trS = 0, i = 0; i < D; i++)
		g->trS += g->S[i * D + i];
	for (k = 0; k < K; k++) {
		g->l[k] = w[D - 1 - k];
		for (i = 0; i < D; i++)
			g->U[i * K + k] = A[i * D + D - 1 - k];
	}
	r = 0;
done:
	free(A);
	free(w);
	return r;
}

/*
 * K eigenpairs from the N x N Gram matrix G = (1/N) Y Y^T when N < D: N^2 D / 2 + O(N^3)
 * operations and memory for Y and G instead of a D x D matrix. G v = l v gives
 * S (Y^T v) = (1/N) Y^T (Y Y^T v) = l Y^T v with |Y^T v|^2 = N l, so S has G's eigenvalues
 * with unit eigenvectors u = Y^T v / sqrt(N l), and D - N more eigenvalues 0 (its rank is
 * at most N). Needs K < N.
 */
static int from_gram(const Scaled *s, size_t K, Eigen *g, PpcaProgress *progress, void *ctx,
		     Err *e)
{
	size_t N = s->X->rows, D = s->X->cols, i, k;
	double *G = malloc(N * N * sizeof *G), *w = malloc(N * sizeof *w);
	double *V = malloc(N * K * sizeof *V), sum = 0, f;
	char step[128];
	int r = -1;

	g->Y = malloc(N * D * sizeof *g->Y);
	if (!G || !w || !V || !g->Y) {
		err_set(e, "out of memory for %zu x %zu rows and their Gram matrix", N, D);
		goto done;
	}
	snprintf(step, sizeof step, "Gram matrix %zu x %zu of %zu rows in %zu dimensions "
		 "(N < D)", N, N, N, D);
	if (progress)
		progress(ctx, step);
	for (i = 0; i < N; i++)
		y_row(s, i, g->Y + i * D);
	linalg_syrk(N, D, 1.0 / (double)N, g->Y, D, 0.0, G, N);
	for (g->trS = 0, i = 0; i < N; i++)
		g->trS += G[i * N + i];
	snprintf(step, sizeof step, "eigen-decomposition of the %zu x %zu Gram matrix", N, N);
	if (progress)
		progress(ctx, step);
	if (eigen(N, G, w, "Gram matrix", e))
		goto done;
	/* S's D - K smallest eigenvalues: G's N - K smallest and D - N zeros. */
	for (i = 0; i < N - K; i++)
		sum += w[i];
	g->sigma2 = sum / (double)(D - K);
	g->l1 = w[N - 1];
	for (k = 0; k < K; k++) {
		g->l[k] = w[N - 1 - k];
		for (i = 0; i < N; i++)
			V[i * K + k] = G[i * N + N - 1 - k];
	}
	/* U = Y^T V, column k divided by sqrt(N l_k); l_k > 0 whenever the fit goes on
	 * (sigma2 > 0 is checked before U is used, and l_k >= sigma2). */
	linalg_gemm(1, 0, D, K, N, 1.0, g->Y, D, V, K, 0.0, g->U, K);
	for (k = 0; k < K; k++) {
		f = g->l[k] > 0 ? 1.0 / sqrt((double)N * g->l[k]) : 0;
		for (i = 0; i < D; i++)
			g->U[i * K + k] *= f;
	}
	r = 0;
done:
	free(G);
	free(w);
	free(V);
	return r;
}

/* T[K][K] = W^T S W (full), from S or from the rows Y (= (Y W)^T (Y W) / N). */
static int wsw(const Ppca *p, const Eigen *g, size_t N, double *T, Err *e)
{
	size_t D = p->D, K = p->K, rows = g->S ? D : N;
	double *A = malloc(rows * K * sizeof *A);

	if (!A)
		return err_set(e, "out of memory for the log-likelihood");
	if (g->S) {
		linalg_gemm(0, 0, D, K, D, 1.0, g->S, D, p->W, K, 0.0, A, K);
		linalg_gemm(1, 0, K, K, D, 1.0, p->W, K, A, K, 0.0, T, K);
	} else {
		linalg_gemm(0, 0, N, K, D, 1.0, g->Y, D, p->W, K, 0.0, A, K);
		linalg_syrk_t(K, N, 1.0 / (double)N, A, K, 0.0, T, K);
		symmetrize(K, T);
	}
	free(A);
	return 0;
}

int ppca_fit(const Mat *X, size_t K, Ppca **out, double *avg_loglik, PpcaProgress *progress,
	     void *ctx, Err *e)
{
	size_t N = X->rows, D = X->cols, i, k, best;
	double scale, *T = NULL;
	Scaled s = { 0 };
	Eigen g = { 0 };
	Ppca *p;

	assert(K >= 1 && K < D);
	*out = NULL;
	if (N == 0)
		return err_set(e, "no data (0 rows)");
	if (K + 1 >= N)
		return err_set(e, "PPCA with K = %zu needs at least K + 2 = %zu rows: %zu centred "
				  "rows span at most %zu dimension%s, so sigma2 would be 0",
			       K, K + 2, N, N - 1, N == 2 ? "" : "s");
	p = ppca_new(D, K);
	s.ms = malloc(D * sizeof *s.ms);
	g.l = malloc(K * sizeof *g.l);
	g.U = malloc(D * K * sizeof *g.U);
	T = malloc(K * K * sizeof *T);
	if (!p || !s.ms || !g.l || !g.U || !T) {
		err_set(e, "out of memory for a %zu x %zu PPCA model", D, K);
		goto fail;
	}
	if (scale_data(X, p->mean, &s, e))
		goto fail;
	if (N < D ? from_gram(&s, K, &g, progress, ctx, e)
		  : from_covariance(&s, K, &g, progress, ctx, e))
		goto fail;
	/* Everything is in the units of the scaled data (1/2 <= max |y| < 1) until unscale. */
	p->sigma2 = g.sigma2;
	if (!(p->sigma2 > SIGMA2_MIN_REL * g.l1)) {
		err_set(e, "sigma2 / l_1 = %.3g is below %g: the data span at most %zu dimension%s "
			   "(to double precision), so PPCA with K = %zu is degenerate",
			p->sigma2 / g.l1, SIGMA2_MIN_REL, K, K == 1 ? "" : "s", K);
		goto fail;
	}
	for (k = 0; k < K; k++) {
		scale = g.l[k] > p->sigma2 ? sqrt(g.l[k] - p->sigma2) : 0;
		for (best = 0, i = 1; i < D; i++)
			if (fabs(g.U[i * K + k]) > fabs(g.U[best * K + k]))
				best = i;
		if (g.U[best * K + k] < 0)
			scale = -scale;
		for (i = 0; i < D; i++)
			p->W[i * K + k] = g.U[i * K + k] * scale;
	}
	/* The likelihood of x = y 2^E: C and S both scale by 2^2E, so ln|C| grows by
	 * 2 E D ln 2 and tr(C^-1 S) stays; the average log-likelihood drops by D E ln 2. */
	if (avg_loglik) {
		if (progress)
			progress(ctx, "log-likelihood");
		if (wsw(p, &g, N, T, e) || average_loglik(p, g.trS, T, avg_loglik, e))
			goto fail;
		*avg_loglik -= (double)D * (double)s.E * M_LN2;
	}
	if (unscale(p, s.E, e))
		goto fail;
	free(s.ms);
	eigen_free(&g);
	free(T);
	*out = p;
	return 0;
fail:
	free(s.ms);
	eigen_free(&g);
	free(T);
	ppca_free(p);
	return -1;
}

/* 1 if v, rounded to single precision, stays finite. */
static int fits_f32(double v)
{
	return fabs(v) <= FLT_MAX;
}

int ppca_prepare(Ppca *p, Err *e)
{
	size_t D = p->D, K = p->K, a, i;
	double *M = malloc(K * K * sizeof *M), *P = malloc(K * D * sizeof *P), v;
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
	if (!(p->sigma2 > 0 && isfinite(p->sigma2))) {
		err_set(e, "ppca 'sigma2' is %g: it must be a positive finite number", p->sigma2);
		goto done;
	}
	/* M = W^T W + sigma2 I (upper triangle); P = M^-1 W^T by a Cholesky solve with W^T as
	 * right side. W is finite, so a non-finite M means W^T W overflowed. */
	linalg_syrk_t(K, D, 1.0, p->W, K, 0.0, M, K);
	for (a = 0; a < K; a++) {
		M[a * K + a] += p->sigma2;
		for (i = 0; i < D; i++)
			P[a * D + i] = p->W[i * K + a];
	}
	switch (linalg_posv(K, D, M, K, P, D)) {
	case LINALG_OK:
		break;
	case LINALG_NOT_FINITE:
		err_set(e, "ppca W^T W + sigma2 I overflows double precision: 'W' is too large");
		goto done;
	default:
		err_set(e, "ppca W^T W + sigma2 I is singular to double precision (sigma2 = %g is "
			   "too small beside W^T W): the posterior is undefined", p->sigma2);
		goto done;
	}
	/* encode and decode run in single precision: every value they use must be a float */
	for (i = 0; i < D * K; i++) {
		if (!fits_f32(p->W[i])) {
			err_set(e, "ppca 'W' holds %g at (%zu, %zu), beyond single precision (vae-sample "
				   "computes in f32)", p->W[i], i / K + 1, i % K + 1);
			goto done;
		}
		p->Wf[i] = (float)p->W[i];
	}
	for (i = 0; i < D; i++) {
		if (!fits_f32(p->mean[i])) {
			err_set(e, "ppca 'mean' holds %g at (1, %zu), beyond single precision "
				   "(vae-sample computes in f32)", p->mean[i], i + 1);
			goto done;
		}
		p->meanf[i] = (float)p->mean[i];
	}
	for (i = 0; i < K * D; i++) {
		if (!fits_f32(P[i])) {
			err_set(e, "ppca M^-1 W^T holds %g, beyond single precision (sigma2 = %g is too "
				   "small beside W)", P[i], p->sigma2);
			goto done;
		}
		p->Pf[i] = (float)P[i];
	}
	for (a = 0; a < K; a++) {
		for (v = 0, i = 0; i < D; i++)
			v += P[a * D + i] * p->mean[i];
		if (!fits_f32(v)) {
			err_set(e, "ppca M^-1 W^T mean holds %g, beyond single precision", v);
			goto done;
		}
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

int ppca_check_type(const Ppca *p, MatType type, Err *e)
{
	double big = type == MAT_F32 ? FLT_MAX : DBL_MAX, tiny = type == MAT_F32 ? FLT_MIN : DBL_MIN;
	const char *how = type == MAT_F32 ? "give ppca-fit the data as f64 (mat-print < DATA | "
					    "mat-from-text), or scale them"
					  : "scale the data";
	size_t i;

	if (!(p->sigma2 >= tiny && p->sigma2 <= big))
		return err_set(e, "sigma2 = %g does not fit an %s model (its normal numbers lie in "
				  "%.3g .. %.3g): %s", p->sigma2, mat_type_name(type), tiny, big, how);
	for (i = 0; i < p->D; i++)
		if (!(fabs(p->mean[i]) <= big))
			return err_set(e, "mean[%zu] = %g does not fit an %s model: %s", i + 1,
				       p->mean[i], mat_type_name(type), how);
	for (i = 0; i < p->D * p->K; i++)
		if (!(fabs(p->W[i]) <= big))
			return err_set(e, "W[%zu][%zu] = %g does not fit an %s model: %s",
				       i / p->K + 1, i % p->K + 1, p->W[i], mat_type_name(type), how);
	return 0;
}

int ppca_write(FILE *f, const Ppca *p, MatType type, Err *e)
{
	Mat *mean = mat_new(1, p->D, type, "mean", e), *W = mat_new(p->D, p->K, type, "W", e);
	Mat *s2 = mat_new(1, 1, type, "sigma2", e);
	size_t i, k;
	int r = -1;

	if (!mean || !W || !s2 || ppca_check_type(p, type, e))
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

/* -1 with a message naming the first entry of m that is NaN or infinite. */
static int check_finite(const Mat *m, const char *what, Err *e)
{
	size_t i, n = m->rows * m->cols;

	for (i = 0; i < n; i++)
		if (!isfinite(m->d[i]))
			return err_set(e, "%s: ppca '%s' holds %g at (%zu, %zu): a model's values must "
					  "be finite", what, m->name, m->d[i], i / m->cols + 1,
				       i % m->cols + 1);
	return 0;
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
	/* K < D: PPCA with K >= D has no noise left to model, and it bounds the K x K work of
	 * ppca_prepare by the size of W (finding 4: a 1 x 20000 W took 3 GB and 16 s). */
	if (W->rows != mean->cols || W->cols == 0 || W->cols >= W->rows) {
		err_set(e, "%s: ppca 'W' is %zu x %zu, but 'mean' has D = %zu (want D x K with "
			   "1 <= K < D)", what, W->rows, W->cols, mean->cols);
		goto done;
	}
	if (s2->rows != 1 || s2->cols != 1) {
		err_set(e, "%s: ppca 'sigma2' is %zu x %zu, not 1 x 1", what, s2->rows, s2->cols);
		goto done;
	}
	if (check_finite(mean, what, e) || check_finite(W, what, e))
		goto done;
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
