/*
 * pca: principal component analysis of a complete M x N data matrix whose N columns are
 * the observations and whose M rows are the features (for ratings: M movies, N users).
 *
 * Each row is centred by its mean over the columns, Xc = X - mean 1^T. Xc = U S V^T is
 * its thin SVD; the principal directions are the first K columns of U (M x K, orthonormal),
 * the score of observation i on direction k is (U^T Xc)_ki = S_k V_ik, and the variance
 * explained by direction k is S_k^2 / (N - 1), the k-th eigenvalue of the sample
 * covariance Xc Xc^T / (N - 1) (divided by 1 instead when N = 1).
 *
 * Sign convention: SVD and eigen solvers fix each direction only up to sign, so every
 * direction is flipped if needed to make its entry of largest absolute value positive
 * (the first such entry on a tie). The scores follow the flip. Both methods below then
 * give the same directions.
 *
 * Sizes: M features (rows), N observations (columns), K components, r = min(M, N).
 */
#ifndef LATENT_PCA_H
#define LATENT_PCA_H

#include <stddef.h>

#include "err.h"

typedef enum {
	PCA_SVD, /* LAPACK dgesdd on the centred data (the default) */
	PCA_EIG  /* LAPACK dsyevr on the M x M covariance: an independent second route */
} PcaMethod;

typedef struct {
	size_t M, N, K;
	double *mean;       /* M: row means */
	double *components; /* M x K row-major: direction k is column k */
	double *scores;     /* N x K row-major: row i is observation i's coordinates */
	double *variance;   /* K: explained variance of each direction, descending */
	double total;       /* total variance: the trace of the covariance */
	double *fraction;   /* K: variance[k] / total, computed on the data scaled by a power
			     * of two so that it neither underflows nor overflows; in [0, 1] */
} Pca;

/*
 * Fit PCA with K components (1 <= K <= min(M, N), asserted) to X[M][N] (row-major, stride
 * N, every entry finite: the caller checks). Returns 0 with a new Pca in *out (free with
 * pca_free), or -1 with a message in e when memory runs out or LAPACK fails to converge.
 */
int pca_fit(Pca **out, const double *X, size_t M, size_t N, size_t K, PcaMethod method,
	    Err *e);

/*
 * PCA_EIG builds the M x M covariance, which for a tall input (M > N) is larger than the
 * data and grows as M^2 (50000 x 2 data: a 20 GB covariance), while PCA_SVD needs only
 * M x r + r x N. Above PCA_EIG_MAX_M rows, the eig route is therefore refused unless
 * M <= N. pca_eig_check returns 0 when PCA_EIG may run on an M x N input, or -1 with a
 * message in e; pca_fit makes the same check.
 */
#define PCA_EIG_MAX_M 4096
int pca_eig_check(size_t M, size_t N, Err *e);

/*
 * Y[M][N] = mean 1^T + components[:, :k] scores[:, :k]^T: the rank-k reconstruction of
 * the input, for any 1 <= k <= p->K (asserted). A fit's leading k directions and scores
 * are those a fit with K = k gives (PCA_SVD: the same SVD, each column's sign fixed on its
 * own), so one fit with the largest K serves a whole sweep over k. By PCA_SVD the result
 * has the bits of the smaller fit's (the same numbers go into the same dgemm; only the
 * leading dimension differs); by PCA_EIG it agrees to rounding, since dsyevr computes
 * only the K eigenpairs asked for and their bits depend on K.
 */
void pca_reconstruct(double *Y, const Pca *p, size_t k);

/* Free p and everything it owns; p may be NULL. */
void pca_free(Pca *p);

#endif
