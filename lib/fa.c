/*
 * fa: see fa.h for the model and the equations.
 * Sizes: M movies, N users, K factors, nnz observed entries, L = K (K + 1) / 2.
 *
 * Where the time goes, and why the code looks like this. Per iteration the E-step needs
 * A_i = I + sum_{j in O_i} w_j w_j^T / psi_j for every user, and the M-step needs
 * sum_{i in U_j} E[z_i z_i^T] for every movie: nnz sums of packed K x K symmetric
 * matrices each, about nnz (K^2 + 2K) flops in all, which is most of the cost for the K
 * of interest. Both are one sparse-times-dense product (sparse_sum below) of the 0/1
 * pattern of observed entries with a table of packed lower triangles built once per step
 * (w_j w_j^T / psi_j per movie; E[z z^T] and E[z] per user). It runs over the table in
 * column blocks of 8 doubles, so each block of the table (one cache line per row) stays
 * in L1 while every user (or movie) is summed, with the sum in a register.
 * The K x K Cholesky factorisations, solves and inverses (one per user and one (K+1) x
 * (K+1) per movie, each iteration) are not LAPACK calls: at K <= 15 dpotrf + dpotri cost
 * 2.6 us per call, mostly call and dispatch overhead, against 0.5 us for plain loops.
 * They run 8 users (or movies) at a time, vectorised across the 8 (batch_solve). BLAS
 * (dgemm) is used where the blocks are big: the final prediction W codes^T.
 * Measured figures are in the README (Ratings: speed).
 */
#include "fa.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"
#include "pca.h"

/* Row lengths of the packed tables are rounded up to a multiple of this, so the
 * gather-sum kernel runs in whole blocks of 8 (the padding stays 0). */
#define PAD 8
/* Users per batch in the E-step's K x K algebra (see batch_posterior). */
#define LANES 8

struct FaWork {
	size_t L;       /* K (K + 1) / 2 */
	size_t ldp;     /* row length of P and Asum: L padded */
	size_t lds;     /* row length of S and Ssum: L + K padded */
	double *P;      /* M x ldp, blocked (blk): packed w_j w_j^T / psi_j */
	double *Asum;   /* N x ldp: packed sum_{j in O_i} of P_j, per user */
	size_t ldk;     /* row length of Wpsi and Z: K + 1 padded */
	double *Wpsi;   /* M x ldk: w_j / psi_j */
	double *Z;      /* N x ldk: (E[z_i], 1), the M-step's right-hand sides */
	double *xx;     /* M: sum of squared observed entries per movie (fixed) */
	double *r;      /* M: one user's residuals */
	double *ipsi;   /* M: 1 / psi_j */
	double *logpsi; /* M: log psi_j */
	double *S;      /* N x lds, blocked (blk): packed E[z z^T], then E[z], per user */
	double *Ssum;   /* M x lds: packed sum_{i in U_j} of S_i, per movie */
	double *bA;     /* (K+1)^2 x LANES: a batch of users' A or movies' G, then L */
	double *bT;     /* K x K x LANES: the users' L^-1 */
	double *by;     /* (K+1) x LANES: their q, then E[z]; or the movies' b, then (w, m) */
	double *bezz;   /* L x LANES: their packed E[z z^T] */
	double *v;      /* ldk: one user's q, or one movie's b */
};

static size_t pad(size_t n)
{
	return (n + PAD - 1) / PAD * PAD;
}

/* Index of (r, c), c <= r, in a packed lower triangle stored row by row. */
static size_t tri(size_t r, size_t c)
{
	return r * (r + 1) / 2 + c;
}

/* ---- data ---- */

void fa_data_free(FaData *d)
{
	if (!d)
		return;
	free(d->user_start);
	free(d->user_movie);
	free(d->user_x);
	free(d->movie_start);
	free(d->movie_user);
	free(d->movie_x);
	free(d);
}

int fa_data_new(FaData **out, const double *X, size_t M, size_t N, Err *e)
{
	FaData *d;
	size_t i, j, nnz = 0, *next;

	*out = NULL;
	assert(M < UINT32_MAX && N < UINT32_MAX);
	for (j = 0; j < M; j++)
		for (i = 0; i < N; i++) {
			double v = X[j * N + i];
			if (isnan(v))
				continue;
			if (!isfinite(v))
				return err_set(e, "entry (%zu, %zu) is infinite", j + 1, i + 1);
			nnz++;
		}
	d = calloc(1, sizeof *d);
	if (!d)
		return err_set(e, "out of memory");
	d->M = M, d->N = N, d->nnz = nnz;
	d->user_start = calloc(N + 1, sizeof *d->user_start);
	d->movie_start = calloc(M + 1, sizeof *d->movie_start);
	/* +1: malloc(0) may return NULL, which would read as a failure. */
	d->user_movie = malloc((nnz + 1) * sizeof *d->user_movie);
	d->movie_user = malloc((nnz + 1) * sizeof *d->movie_user);
	d->user_x = malloc((nnz + 1) * sizeof *d->user_x);
	d->movie_x = malloc((nnz + 1) * sizeof *d->movie_x);
	next = malloc((N + 1) * sizeof *next);
	if (!d->user_start || !d->movie_start || !d->user_movie || !d->movie_user ||
	    !d->user_x || !d->movie_x || !next) {
		free(next);
		fa_data_free(d);
		return err_set(e, "out of memory for %zu observed entries", nnz);
	}
	/* Per movie: the rows as they come. Per user: a counting sort by column. */
	nnz = 0;
	for (j = 0; j < M; j++) {
		d->movie_start[j] = nnz;
		for (i = 0; i < N; i++)
			if (!isnan(X[j * N + i])) {
				d->movie_user[nnz] = (uint32_t)i;
				d->movie_x[nnz++] = X[j * N + i];
				d->user_start[i + 1]++;
			}
	}
	d->movie_start[M] = nnz;
	for (i = 0; i < N; i++)
		d->user_start[i + 1] += d->user_start[i];
	memcpy(next, d->user_start, (N + 1) * sizeof *next);
	for (j = 0; j < M; j++)
		for (size_t t = d->movie_start[j]; t < d->movie_start[j + 1]; t++) {
			i = d->movie_user[t];
			d->user_movie[next[i]] = (uint32_t)j;
			d->user_x[next[i]++] = d->movie_x[t];
		}
	free(next);
	*out = d;
	return 0;
}

/* ---- model ---- */

void fa_free(Fa *f)
{
	if (!f)
		return;
	free(f->W);
	free(f->mean);
	free(f->psi);
	free(f->codes);
	free(f->cov);
	free(f);
}

Fa *fa_new(size_t M, size_t N, size_t K)
{
	Fa *f;
	size_t i, k;

	assert(K >= 1 && K <= FA_MAX_K);
	if (M > SIZE_MAX / sizeof(double) / K || N > SIZE_MAX / sizeof(double) / (K * K))
		return NULL;
	f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->M = M, f->N = N, f->K = K;
	f->W = calloc(M * K + 1, sizeof *f->W);
	f->mean = calloc(M + 1, sizeof *f->mean);
	f->psi = malloc((M + 1) * sizeof *f->psi);
	f->codes = calloc(N * K + 1, sizeof *f->codes);
	f->cov = calloc(N * K * K + 1, sizeof *f->cov);
	if (!f->W || !f->mean || !f->psi || !f->codes || !f->cov) {
		fa_free(f);
		return NULL;
	}
	for (i = 0; i < M; i++)
		f->psi[i] = 1;
	for (i = 0; i < N; i++)
		for (k = 0; k < K; k++)
			f->cov[(i * K + k) * K + k] = 1;
	return f;
}

/* mean and psi from the observed moments of each movie (fa.h). */
static void init_moments(Fa *f, const FaData *d, double min_var)
{
	size_t j, t, n;
	double s = 0, ss = 0, all_mean, all_var, mj, vj;

	for (t = 0; t < d->nnz; t++)
		s += d->movie_x[t];
	all_mean = d->nnz ? s / (double)d->nnz : 0;
	for (t = 0; t < d->nnz; t++)
		ss += (d->movie_x[t] - all_mean) * (d->movie_x[t] - all_mean);
	all_var = d->nnz > 1 ? ss / (double)d->nnz : 1;
	for (j = 0; j < f->M; j++) {
		n = d->movie_start[j + 1] - d->movie_start[j];
		s = ss = 0;
		for (t = d->movie_start[j]; t < d->movie_start[j + 1]; t++)
			s += d->movie_x[t];
		mj = n ? s / (double)n : all_mean;
		for (t = d->movie_start[j]; t < d->movie_start[j + 1]; t++)
			ss += (d->movie_x[t] - mj) * (d->movie_x[t] - mj);
		vj = n > 1 ? ss / (double)n : all_var;
		f->mean[j] = mj;
		f->psi[j] = vj > min_var ? vj : min_var;
	}
}

void fa_init_random(Fa *f, const FaData *d, Rng *r, double scale, double min_var)
{
	size_t j, k;

	init_moments(f, d, min_var);
	for (j = 0; j < f->M; j++)
		for (k = 0; k < f->K; k++)
			f->W[j * f->K + k] = scale * rng_normal(r);
	for (j = 0; j < f->M; j++)
		if (d->movie_start[j + 1] == d->movie_start[j])
			for (k = 0; k < f->K; k++)
				f->W[j * f->K + k] = 0;
}

int fa_init_pca(Fa *f, const FaData *d, double min_var, Err *e)
{
	size_t M = f->M, N = f->N, K = f->K, j, k, t;
	double *X, s2 = 0, used = 0, ww, scale;
	Pca *p;

	init_moments(f, d, min_var);
	if (K > M || K > N)
		return err_set(e, "PCA initialisation needs K <= min(M, N) = %zu",
			       M < N ? M : N);
	X = malloc(M * N * sizeof *X);
	if (!X)
		return err_set(e, "out of memory for the imputed %zu x %zu matrix", M, N);
	for (j = 0; j < M; j++) {
		for (t = 0; t < N; t++)
			X[j * N + t] = f->mean[j];
		for (t = d->movie_start[j]; t < d->movie_start[j + 1]; t++)
			X[j * N + d->movie_user[t]] = d->movie_x[t];
	}
	/* The covariance route computes only the top K eigenpairs, but its M x M covariance
	 * outgrows the data when M > N: then the SVD (same directions, pca.h). */
	if (pca_fit(&p, X, M, N, K, M <= N ? PCA_EIG : PCA_SVD, e)) {
		free(X);
		return -1;
	}
	free(X);
	for (k = 0; k < K; k++)
		used += p->variance[k];
	if (M > K)
		s2 = (p->total - used) / (double)(M - K);
	for (k = 0; k < K; k++) {
		scale = p->variance[k] > s2 ? sqrt(p->variance[k] - s2) : 0;
		for (j = 0; j < M; j++)
			f->W[j * K + k] = p->components[j * K + k] * scale;
	}
	pca_free(p);
	for (j = 0; j < M; j++) {
		ww = 0;
		for (k = 0; k < K; k++)
			ww += f->W[j * K + k] * f->W[j * K + k];
		if (f->psi[j] - ww > min_var)
			f->psi[j] -= ww;
		else
			f->psi[j] = min_var;
	}
	return 0;
}

/* ---- workspace ---- */

void fa_work_free(FaWork *w)
{
	if (!w)
		return;
	free(w->P);
	free(w->Asum);
	free(w->Wpsi);
	free(w->Z);
	free(w->xx);
	free(w->r);
	free(w->ipsi);
	free(w->logpsi);
	free(w->S);
	free(w->Ssum);
	free(w->bA);
	free(w->bT);
	free(w->by);
	free(w->bezz);
	free(w->v);
	free(w);
}

FaWork *fa_work_new(const Fa *f, const FaData *d)
{
	size_t K = f->K, M = f->M, N = f->N, rows = M > N ? M : N, i, j, t;
	FaWork *w;

	assert(d->M == M && d->N == N);
	w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->L = K * (K + 1) / 2;
	w->ldp = pad(w->L);
	w->lds = pad(w->L + K);
	w->ldk = pad(K + 1);
	if (rows > SIZE_MAX / sizeof(double) / w->lds) {
		free(w);
		return NULL;
	}
	/* calloc: the padding columns must stay 0, the sparse sums add them. */
	w->P = calloc(M * w->ldp + 1, sizeof *w->P);
	w->Asum = calloc(N * w->ldp + 1, sizeof *w->Asum);
	w->Wpsi = calloc(M * w->ldk + 1, sizeof *w->Wpsi);
	w->Z = calloc(N * w->ldk + 1, sizeof *w->Z);
	w->xx = calloc(M + 1, sizeof *w->xx);
	w->r = calloc(M + 1, sizeof *w->r);
	w->ipsi = calloc(M + 1, sizeof *w->ipsi);
	w->logpsi = calloc(M + 1, sizeof *w->logpsi);
	w->S = calloc(N * w->lds + 1, sizeof *w->S);
	w->Ssum = calloc(M * w->lds + 1, sizeof *w->Ssum);
	w->bA = calloc((K + 1) * (K + 1) * LANES, sizeof *w->bA);
	w->bT = calloc(K * K * LANES, sizeof *w->bT);
	w->by = calloc((K + 1) * LANES, sizeof *w->by);
	w->bezz = calloc(w->L * LANES, sizeof *w->bezz);
	w->v = calloc(w->ldk, sizeof *w->v);
	if (!w->P || !w->Asum || !w->Wpsi || !w->Z || !w->xx || !w->r || !w->ipsi ||
	    !w->logpsi || !w->S || !w->Ssum || !w->bA || !w->bT || !w->by || !w->bezz ||
	    !w->v) {
		fa_work_free(w);
		return NULL;
	}
	for (i = 0; i < N; i++)
		w->Z[i * w->ldk + K] = 1;
	for (j = 0; j < M; j++)
		for (t = d->movie_start[j]; t < d->movie_start[j + 1]; t++)
			w->xx[j] += d->movie_x[t] * d->movie_x[t];
	return w;
}

/* ---- kernels ---- */

/*
 * The tables that sparse_sum reads (P and S) are stored in column blocks: the first PAD
 * columns of every row, then the next PAD columns of every row, and so on, so that one
 * block is a contiguous rows x PAD array. Element (row, col) of a table of `rows' rows:
 */
static size_t blk(size_t rows, size_t row, size_t col)
{
	return (col / PAD * rows + row) * PAD + col % PAD;
}

/*
 * out[r][l] = sum_{t in [start[r], start[r+1])} tab(idx[t], l) for r < R and l < L (L a
 * multiple of PAD; out has row stride ldo, tab is a blocked table of `rows' rows): the
 * rows of tab listed for r, summed. The loop runs over the column blocks outermost, so
 * one block (32 KB for 500 rows of 8 doubles, in 8 pages) stays in L1 and the TLB while
 * all R sums are made, in registers. Summing whole rows one user at a time instead was
 * bound by cache and TLB misses (140 MB per iteration moved at K = 15).
 *
 * The 16 named accumulators (8 columns, even and odd rows: two add chains to hide the
 * add latency) are written out because GCC's SLP vectoriser turns exactly this shape
 * into 8 SSE2, 4 AVX2 or 2 AVX-512 vector adds per pair of rows (GCC vector types wider
 * than the target went through the stack instead). target_clones compiles one version
 * per instruction set and the loader picks the best, since the project's -O2 build
 * targets plain x86-64 (SSE2). Every version makes the same adds in the same order, so
 * the results are identical bit for bit.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FA_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FA_CLONES
#endif

FA_CLONES
static void sparse_sum(double *restrict out, size_t ldo, const double *restrict tab,
		       size_t rows, const size_t *restrict start, const uint32_t *restrict idx,
		       size_t R, size_t L)
{
	size_t l, r, t, end;

	for (l = 0; l < L; l += PAD) {
		const double *block = tab + l * rows;
		for (r = 0; r < R; r++) {
			double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
			double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0;
			double *o = out + r * ldo + l;
			const double *p, *q;

			end = start[r + 1];
			for (t = start[r]; t + 2 <= end; t += 2) {
				p = block + (size_t)idx[t] * PAD;
				q = block + (size_t)idx[t + 1] * PAD;
				a0 += p[0], a1 += p[1], a2 += p[2], a3 += p[3];
				a4 += p[4], a5 += p[5], a6 += p[6], a7 += p[7];
				b0 += q[0], b1 += q[1], b2 += q[2], b3 += q[3];
				b4 += q[4], b5 += q[5], b6 += q[6], b7 += q[7];
			}
			if (t < end) {
				p = block + (size_t)idx[t] * PAD;
				a0 += p[0], a1 += p[1], a2 += p[2], a3 += p[3];
				a4 += p[4], a5 += p[5], a6 += p[6], a7 += p[7];
			}
			o[0] = a0 + b0, o[1] = a1 + b1, o[2] = a2 + b2, o[3] = a3 + b3;
			o[4] = a4 + b4, o[5] = a5 + b5, o[6] = a6 + b6, o[7] = a7 + b7;
		}
	}
}

/* out[l] = sum_{t < n} wt[t] tab[idx[t] * ld + l] for l < L (a multiple of PAD): a
 * weighted sum of n gathered rows of a row-major table, vectorised as sparse_sum is. */
FA_CLONES
static void weighted_sum(double *restrict out, const double *restrict tab, size_t ld,
			 const uint32_t *restrict idx, const double *restrict wt, size_t n,
			 size_t L)
{
	size_t l, t;

	for (l = 0; l < L; l += PAD) {
		double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
		double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0;
		const double *p, *q;
		double u, v;

		for (t = 0; t + 2 <= n; t += 2) {
			p = tab + (size_t)idx[t] * ld + l, u = wt[t];
			q = tab + (size_t)idx[t + 1] * ld + l, v = wt[t + 1];
			a0 += u * p[0], a1 += u * p[1], a2 += u * p[2], a3 += u * p[3];
			a4 += u * p[4], a5 += u * p[5], a6 += u * p[6], a7 += u * p[7];
			b0 += v * q[0], b1 += v * q[1], b2 += v * q[2], b3 += v * q[3];
			b4 += v * q[4], b5 += v * q[5], b6 += v * q[6], b7 += v * q[7];
		}
		if (t < n) {
			p = tab + (size_t)idx[t] * ld + l, u = wt[t];
			a0 += u * p[0], a1 += u * p[1], a2 += u * p[2], a3 += u * p[3];
			a4 += u * p[4], a5 += u * p[5], a6 += u * p[6], a7 += u * p[7];
		}
		out[l] = a0 + b0, out[l + 1] = a1 + b1, out[l + 2] = a2 + b2;
		out[l + 3] = a3 + b3, out[l + 4] = a4 + b4, out[l + 5] = a5 + b5;
		out[l + 6] = a6 + b6, out[l + 7] = a7 + b7;
	}
}

/* ---- EM ---- */

/* The per-movie tables of the E-step: P_j = packed w_j w_j^T / psi_j, w_j / psi_j,
 * 1 / psi_j and log psi_j. */
static void estep_tables(const Fa *f, FaWork *w)
{
	size_t K = f->K, j, r, c;
	const double *wj;
	double ip;

	for (j = 0; j < f->M; j++) {
		wj = f->W + j * K;
		ip = 1 / f->psi[j];
		for (r = 0; r < K; r++) {
			w->Wpsi[j * w->ldk + r] = wj[r] * ip;
			for (c = 0; c <= r; c++)
				w->P[blk(f->M, j, tri(r, c))] = wj[r] * wj[c] * ip;
		}
		w->ipsi[j] = ip;
		w->logpsi[j] = log(f->psi[j]);
	}
}

/*
 * The users' K x K algebra, LANES users at a time. Every user goes through the same
 * sequence of operations, so the batch is stored with the user innermost (structure of
 * arrays: element e of lane u at x[e * LANES + u]) and each step is a loop over the
 * LANES users, whose constant trip count lets -O2 turn it into vector instructions
 * (FA_CLONES: 1 AVX-512, 2 AVX2 or 4 SSE2 per loop). One user at a time, these short
 * triangular loops ran at about 6 instructions per flop, and took half the E-step.
 */
/*
 * For each lane: A (K x K, lower, = I + W_o^T Psi_o^-1 W_o on entry) is replaced by its
 * Cholesky factor L; y (K, = q on entry) by E[z] = A^-1 q; logdet = log |A|; yy = q^T
 * A^-1 q; T (K x K) = L^-1; ezz (packed L) = E[z z^T] = T^T T + E[z] E[z]^T. Returns 0,
 * or 1 + the first lane whose A is not positive definite.
 */
/* One step over the LANES users of a batch: dst -= a b, and dst /= a. The restrict
 * qualifiers tell the compiler that the three are different elements of the batch, which
 * it cannot see from the indices and which it needs to vectorise. */
static inline void lanes_sub_mul(double *restrict dst, const double *restrict a,
				 const double *restrict b)
{
	for (size_t u = 0; u < LANES; u++)
		dst[u] -= a[u] * b[u];
}

static inline void lanes_div(double *restrict dst, const double *restrict a)
{
	for (size_t u = 0; u < LANES; u++)
		dst[u] /= a[u];
}

/*
 * For each lane: A (n x n, lower triangle, positive definite) is replaced by its
 * Cholesky factor L (A = L L^T, right-looking: column j, then the trailing update),
 * logdet = log |A|, y (n, = b on entry) by A^-1 b, and yy = b^T A^-1 b = |L^-1 b|^2.
 * Returns 0, or 1 + the first lane whose A is not positive definite.
 */
FA_CLONES
static int batch_solve(double *restrict A, double *restrict y, double *restrict logdet,
		       double *restrict yy, size_t n)
{
#define E(X, r, c) ((X) + ((r) * n + (c)) * LANES)
	size_t i, j, k, c, u;

	for (j = 0; j < n; j++) {
		double *ajj = E(A, j, j);
		for (u = 0; u < LANES; u++)
			if (!(ajj[u] > 0))
				return (int)u + 1;
		for (u = 0; u < LANES; u++)
			ajj[u] = sqrt(ajj[u]);
		for (i = j + 1; i < n; i++)
			lanes_div(E(A, i, j), ajj);
		for (i = j + 1; i < n; i++)
			for (c = j + 1; c <= i; c++)
				lanes_sub_mul(E(A, i, c), E(A, i, j), E(A, c, j));
	}
	for (u = 0; u < LANES; u++)
		logdet[u] = yy[u] = 0;
	for (k = 0; k < n; k++)
		for (u = 0; u < LANES; u++)
			logdet[u] += 2 * log(E(A, k, k)[u]);
	/* y = L^-1 b by forward substitution, then A^-1 b = L^-T y by back substitution */
	for (k = 0; k < n; k++) {
		lanes_div(y + k * LANES, E(A, k, k));
		for (i = k + 1; i < n; i++)
			lanes_sub_mul(y + i * LANES, E(A, i, k), y + k * LANES);
	}
	for (k = 0; k < n; k++)
		for (u = 0; u < LANES; u++)
			yy[u] += y[k * LANES + u] * y[k * LANES + u];
	for (i = n; i-- > 0;) {
		lanes_div(y + i * LANES, E(A, i, i));
		for (k = 0; k < i; k++)
			lanes_sub_mul(y + k * LANES, E(A, i, k), y + i * LANES);
	}
	return 0;
#undef E
}

/*
 * For each lane, after batch_solve on A (K x K) and q: T = L^-1 (row by row: T[i][:] =
 * (e_i - sum_{k<i} L[i][k] T[k][:]) / L[i][i]) and the packed second moment
 * ezz = E[z z^T] = E[z] E[z]^T + A^-1, with A^-1 = L^-T L^-1 = sum_t T[t][:]^T T[t][:].
 */
FA_CLONES
static void batch_moments(double *restrict T, double *restrict ezz, const double *restrict A,
			  const double *restrict mu, size_t K)
{
#define E(X, r, c) ((X) + ((r) * K + (c)) * LANES)
	size_t i, k, c, t, u;

	for (i = 0; i < K; i++) {
		for (c = 0; c <= i; c++)
			for (u = 0; u < LANES; u++)
				E(T, i, c)[u] = c == i;
		for (k = 0; k < i; k++)
			for (c = 0; c <= k; c++)
				lanes_sub_mul(E(T, i, c), E(A, i, k), E(T, k, c));
		for (c = 0; c <= i; c++)
			lanes_div(E(T, i, c), E(A, i, i));
	}
	for (k = 0; k < K; k++)
		for (c = 0; c <= k; c++)
			for (u = 0; u < LANES; u++)
				ezz[tri(k, c) * LANES + u] = mu[k * LANES + u] * mu[c * LANES + u];
	for (t = 0; t < K; t++)
		for (k = 0; k <= t; k++)
			for (c = 0; c <= k; c++)
				for (u = 0; u < LANES; u++)
					ezz[tri(k, c) * LANES + u] += E(T, t, k)[u] * E(T, t, c)[u];
#undef E
}

/*
 * Load user i into lane u of the batch: A = I + Asum_i, y = q_i = sum_j w_j r_ij / psi_j.
 * Returns the parts of the log-likelihood that need no K x K algebra: |O_i| log 2 pi +
 * sum_j log psi_j + sum_j r_ij^2 / psi_j.
 */
static double load_user(const Fa *f, const FaData *d, FaWork *w, size_t i, size_t u)
{
	const size_t K = f->K;
	const uint32_t *movies = d->user_movie + d->user_start[i];
	const double *x = d->user_x + d->user_start[i], *asum = w->Asum + i * w->ldp;
	double *res = w->r, *q = w->v, quad = 0, logpsi = 0;
	size_t n = d->user_start[i + 1] - d->user_start[i], j, t, k, c;

	for (t = 0; t < n; t++) {
		j = movies[t];
		res[t] = x[t] - f->mean[j];
		quad += res[t] * res[t] * w->ipsi[j];
		logpsi += w->logpsi[j];
	}
	weighted_sum(q, w->Wpsi, w->ldk, movies, res, n, w->ldk);
	for (k = 0; k < K; k++) {
		for (c = 0; c <= k; c++)
			w->bA[(k * K + c) * LANES + u] = asum[tri(k, c)] + (c == k);
		w->by[k * LANES + u] = q[k];
	}
	return (double)n * log(2 * M_PI) + logpsi + quad;
}

int fa_estep(Fa *f, const FaData *d, FaWork *w, double *loglik, Err *e)
{
	const size_t K = f->K;
	double ll = 0, part[LANES], logdet[LANES], yy[LANES];
	size_t i0, i, u, k, c, nb;
	int bad;

	estep_tables(f, w);
	/* Asum_i = sum_{j in O_i} w_j w_j^T / psi_j, packed, for every user at once */
	sparse_sum(w->Asum, w->ldp, w->P, f->M, d->user_start, d->user_movie, f->N, w->ldp);
	for (i0 = 0; i0 < f->N; i0 += LANES) {
		nb = f->N - i0 < LANES ? f->N - i0 : LANES;
		for (u = 0; u < LANES; u++) {
			if (u < nb) {
				part[u] = load_user(f, d, w, i0 + u, u);
				continue;
			}
			/* an idle lane: A = I, q = 0 */
			for (k = 0; k < K; k++) {
				for (c = 0; c <= k; c++)
					w->bA[(k * K + c) * LANES + u] = c == k;
				w->by[k * LANES + u] = 0;
			}
		}
		bad = batch_solve(w->bA, w->by, logdet, yy, K);
		if (bad)
			return err_set(e, "the posterior precision of user column %zu is not "
				       "positive definite", i0 + (size_t)bad);
		batch_moments(w->bT, w->bezz, w->bA, w->by, K);
		for (u = 0; u < nb; u++) {
			i = i0 + u;
			ll -= 0.5 * (part[u] + logdet[u] - yy[u]);
			for (k = 0; k < w->L; k++)
				w->S[blk(f->N, i, k)] = w->bezz[k * LANES + u];
			for (k = 0; k < K; k++) {
				f->codes[i * K + k] = w->Z[i * w->ldk + k] = w->by[k * LANES + u];
				w->S[blk(f->N, i, w->L + k)] = w->by[k * LANES + u];
			}
		}
	}
	if (!isfinite(ll))
		return err_set(e, "the log-likelihood is not finite");
	*loglik = ll;
	return 0;
}

/*
 * Load movie j into lane u of the batch: G = sum_{i in U_j} E[z~ z~^T] ((K+1) x (K+1),
 * lower) and b = sum_{i in U_j} x_ij E[z~], with z~ = (z, 1).
 */
static void load_movie(const Fa *f, const FaData *d, FaWork *w, size_t j, size_t u)
{
	const size_t K = f->K, K1 = K + 1, n = d->movie_start[j + 1] - d->movie_start[j];
	const double *ssum = w->Ssum + j * w->lds;
	size_t k, c;

	weighted_sum(w->v, w->Z, w->ldk, d->movie_user + d->movie_start[j],
		     d->movie_x + d->movie_start[j], n, w->ldk);
	for (k = 0; k < K; k++) {
		for (c = 0; c <= k; c++)
			w->bA[(k * K1 + c) * LANES + u] = ssum[tri(k, c)];
		w->bA[(K * K1 + k) * LANES + u] = ssum[w->L + k];
	}
	w->bA[(K * K1 + K) * LANES + u] = (double)n;
	for (k = 0; k < K1; k++)
		w->by[k * LANES + u] = w->v[k];
}

int fa_mstep(Fa *f, const FaData *d, FaWork *w, double min_var, size_t *floored, Err *e)
{
	const size_t K = f->K, K1 = K + 1;
	double logdet[LANES], yy[LANES], psi;
	size_t j, j0, k, c, u, nb, n, batch[LANES];
	int bad;

	/* Ssum_j = sum_{i in U_j} (packed E[z z^T], E[z]), for every movie at once */
	sparse_sum(w->Ssum, w->lds, w->S, f->N, d->movie_start, d->movie_user, f->M, w->lds);
	*floored = 0;
	for (j0 = 0; j0 < f->M;) {
		/* the next LANES movies that have ratings; the others keep their parameters */
		for (nb = 0; nb < LANES && j0 < f->M; j0++)
			if (d->movie_start[j0 + 1] > d->movie_start[j0])
				batch[nb++] = j0;
		for (u = 0; u < LANES; u++) {
			if (u < nb) {
				load_movie(f, d, w, batch[u], u);
				continue;
			}
			for (k = 0; k < K1; k++) {
				for (c = 0; c <= k; c++)
					w->bA[(k * K1 + c) * LANES + u] = c == k;
				w->by[k * LANES + u] = 0;
			}
		}
		bad = batch_solve(w->bA, w->by, logdet, yy, K1);
		if (bad)
			return err_set(e, "the M-step system of movie row %zu (%zu ratings) is not "
				       "positive definite", batch[bad - 1] + 1,
				       d->movie_start[batch[bad - 1] + 1] - d->movie_start[batch[bad - 1]]);
		for (u = 0; u < nb; u++) {
			j = batch[u];
			n = d->movie_start[j + 1] - d->movie_start[j];
			/* (w_j, m_j) = G^-1 b. At that solution the expected squared residual is
			 * xx - 2 b^T G^-1 b + b^T G^-1 G G^-1 b = xx - b^T G^-1 b = xx - yy. */
			psi = (w->xx[j] - yy[u]) / (double)n;
			if (!(psi >= min_var)) {
				if (isnan(psi))
					return err_set(e, "the noise variance of movie row %zu is not "
						       "finite", j + 1);
				psi = min_var;
				++*floored;
			}
			for (k = 0; k < K1; k++)
				if (!isfinite(w->by[k * LANES + u]))
					return err_set(e, "the loading of movie row %zu is not finite",
						       j + 1);
			for (k = 0; k < K; k++)
				f->W[j * K + k] = w->by[k * LANES + u];
			f->mean[j] = w->by[K * LANES + u];
			f->psi[j] = psi;
		}
	}
	return 0;
}

/* f->cov from the table of the last E-step: Cov[z_i] = E[z z^T] - E[z] E[z]^T. Done once
 * at the end rather than in every E-step, where N K^2 more stores evicted the tables. */
static void set_cov(Fa *f, const FaWork *w)
{
	size_t K = f->K, i, k, c;
	const double *mu;
	double *cov;

	for (i = 0; i < f->N; i++) {
		mu = f->codes + i * K;
		cov = f->cov + i * K * K;
		for (k = 0; k < K; k++)
			for (c = 0; c <= k; c++)
				cov[k * K + c] = cov[c * K + k] =
					w->S[blk(f->N, i, tri(k, c))] - mu[k] * mu[c];
	}
}

int fa_fit(Fa *f, const FaData *d, size_t iterations, double tol, double min_var,
	   FaReport report, void *ctx, size_t *done, double *loglik, size_t *floored, Err *e)
{
	FaWork *w = fa_work_new(f, d);
	double ll = 0, prev = 0;
	size_t it;
	int status = 0;
	Err inner;

	*done = 0;
	*floored = 0;
	if (!w)
		return err_set(e, "out of memory for the EM workspace");
	for (it = 0;; it++) {
		if (fa_estep(f, d, w, &ll, &inner)) {
			status = err_set(e, "iteration %zu: %s", it, inner.msg);
			break;
		}
		if (report)
			report(it, ll, *floored, ctx);
		if (it == iterations || (tol > 0 && it > 0 && ll - prev <= tol * fabs(ll))) {
			set_cov(f, w);
			break;
		}
		prev = ll;
		if (fa_mstep(f, d, w, min_var, floored, &inner)) {
			status = err_set(e, "iteration %zu: %s", it + 1, inner.msg);
			break;
		}
		*done = it + 1;
	}
	*loglik = ll;
	fa_work_free(w);
	return status;
}

void fa_predict(const Fa *f, double *Y)
{
	size_t j, i;

	for (j = 0; j < f->M; j++)
		for (i = 0; i < f->N; i++)
			Y[j * f->N + i] = f->mean[j];
	linalg_gemm(0, 1, f->M, f->N, f->K, 1.0, f->W, f->K, f->codes, f->K, 1.0, Y, f->N);
}

