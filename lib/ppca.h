/*
 * ppca: probabilistic PCA (Tipping and Bishop 1999, "Probabilistic principal component
 * analysis", J. R. Statist. Soc. B 61(3), 611-622; equations cited as TB).
 *
 * The model: x = W z + mean + noise, z ~ N(0, I_K), noise ~ N(0, sigma2 I_D), so that
 * x ~ N(mean, C) with C = W W^T + sigma2 I_D (TB eq. 3-4). Sizes: N rows of data, D
 * dimensions, K latents.
 *
 * The maximum-likelihood fit is closed form (TB eq. 7-8): mean = the sample mean; with
 * S = (1/N) sum (x - mean)(x - mean)^T and its eigenvalues l_1 >= ... >= l_D and unit
 * eigenvectors U_K of the K largest,
 *     sigma2 = (l_{K+1} + ... + l_D) / (D - K),   W = U_K (L_K - sigma2 I)^(1/2)
 * (the rotation R of TB eq. 7 taken as I, and each column's sign fixed so that its entry
 * of largest magnitude is positive, so the same data always give the same bytes).
 *
 * The posterior of z given x is N(M^-1 W^T (x - mean), sigma2 M^-1) with
 * M = W^T W + sigma2 I_K (TB eq. 6); encode returns its mean, decode W z + mean.
 */
#ifndef LATENT_PPCA_H
#define LATENT_PPCA_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "mat.h"
#include "model.h"

typedef struct {
	size_t D, K;
	double *mean;   /* [D] */
	double *W;      /* [D][K] row-major */
	double sigma2;
	/* For encode/decode in single precision, filled by ppca_prepare: */
	float *Wf;      /* [D][K]: W */
	float *Pf;      /* [K][D]: M^-1 W^T */
	float *meanf;   /* [D] */
	float *bf;      /* [K]: M^-1 W^T mean */
} Ppca;

/* A zeroed D x K model (sigma2 = 0, nothing prepared); NULL when memory runs out. */
Ppca *ppca_new(size_t D, size_t K);
/* Free p and everything it owns; p may NULL. */
void ppca_free(Ppca *p);

/* Called by ppca_fit as each long step begins, with a short description of it. */
typedef void PpcaProgress(void *ctx, const char *step);

/*
 * The maximum-likelihood PPCA of the rows of X[N][D] (f32 or f64) with 1 <= K < D
 * latents, as above. The rows are centred on the mean and scaled by a power of 2 (so no
 * product overflows or underflows, whatever the data's magnitude; undone exactly at the
 * end), and the eigenvalues of S come from the D x D covariance when N >= D (accumulated
 * in double a block of rows at a time, BLAS dsyrk) or, when N < D, from the N x N Gram
 * matrix (1/N) Y Y^T of the centred rows, which has the same nonzero eigenvalues: time
 * and memory grow with min(N, D)^2, never with D^2 alone. progress (may be NULL) hears
 * of each long step. Returns 0 with the model in *out (caller frees; not yet prepared)
 * and, when avg_loglik is not NULL, the average log-likelihood of the rows of X under it
 * (nats per row, computed from TB eq. 4 for the fitted W and sigma2). Returns -1 with a
 * message in e when an entry is NaN or infinite, when all rows are equal, when K >= N - 1
 * (N centred rows span at most N - 1 dimensions), when sigma2 comes out as 0 (less than
 * 1e-10 of the largest eigenvalue: the data span at most K dimensions), when sigma2 or W
 * is beyond a double's range, when the eigen-solver fails, or when memory runs out.
 * K out of range is the caller's bug (asserted).
 */
int ppca_fit(const Mat *X, size_t K, Ppca **out, double *avg_loglik, PpcaProgress *progress,
	     void *ctx, Err *e);

/*
 * Fill p's single-precision copies and M^-1 W^T for encode/decode (p's mean and W
 * finite). 0, or -1 with a message in e when sigma2 is not a positive finite number,
 * M = W^T W + sigma2 I overflows or is singular to double precision, a value encode or
 * decode uses (W, mean, M^-1 W^T, M^-1 W^T mean) is beyond single precision, or memory
 * runs out.
 */
int ppca_prepare(Ppca *p, Err *e);

/* Z[N][K] = M^-1 W^T (x - mean) for each row x of X[N][D]; p prepared. */
void ppca_encode(const Ppca *p, float *Z, const float *X, size_t N);
/* X[N][D] = W z + mean for each row z of Z[N][K]; p prepared. */
void ppca_decode(const Ppca *p, float *X, const float *Z, size_t N);

/*
 * 0 when every value of p keeps its meaning in element type `type`: mean and W finite
 * once rounded to it, sigma2 a normal number of it (not infinite, subnormal or 0: an f32
 * model of data near 1e30 would hold sigma2 = inf). Else -1 with a message in e that names
 * the value and the way out.
 */
int ppca_check_type(const Ppca *p, MatType type, Err *e);

/*
 * Write p as a model stream (model.h): `model:ppca` (version), `mean` 1 x D, `W` D x K,
 * `sigma2` 1 x 1, all of element type `type`. 0, or -1 when ppca_check_type refuses
 * (nothing written) or on a write error.
 */
int ppca_write(FILE *f, const Ppca *p, MatType type, Err *e);

/* The ModelOps of kind "ppca", for model.c's table. Its loader reads mean, W and sigma2
 * in that order and refuses wrong shapes (W must be D x K with 1 <= K < D), values that
 * are not finite, and whatever ppca_prepare refuses. */
extern const ModelOps ppca_model_ops;

#endif
