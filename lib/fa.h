/*
 * fa: factor analysis of a matrix with missing entries, fitted by EM on the observed
 * entries only (no imputation).
 *
 * The data are M x N (movies x users); column i is user i, and O_i is the set of movies
 * user i rated. The model (Ghahramani and Hinton 1996; Bishop, PRML 12.2.4) is
 *
 *     x_i = W z_i + m + e_i,   z_i ~ N(0, I_K),   e_i ~ N(0, Psi),  Psi = diag(psi),
 *
 * with W M x K, m and psi of length M. Only the observed part x_i^o is modelled, so
 * x_i^o ~ N(m_o, C_i), C_i = W_o W_o^T + Psi_o, where W_o, m_o, Psi_o keep the rows in O_i.
 *
 * E-step, per user, with K x K algebra only (A_i is the posterior precision):
 *     A_i = I + W_o^T Psi_o^-1 W_o,   q_i = W_o^T Psi_o^-1 (x_i^o - m_o),
 *     E[z_i] = A_i^-1 q_i,   Cov[z_i] = A_i^-1,
 * and the exact observed-data log-likelihood, by the matrix determinant lemma and the
 * Woodbury identity (never an |O_i| x |O_i| matrix):
 *     log|C_i| = sum_{j in O_i} log psi_j + log|A_i|,
 *     r^T C_i^-1 r = r^T Psi_o^-1 r - q_i^T A_i^-1 q_i,    r = x_i^o - m_o,
 *     log p(x_i^o) = -1/2 (|O_i| log 2 pi + log|C_i| + r^T C_i^-1 r).
 * M-step, per movie j over the users U_j who rated it, with z~ = (z, 1) so that the row
 * w_j of W and the mean m_j are solved jointly:
 *     (w_j, m_j) = (sum_i x_ij E[z~_i])^T (sum_i E[z~_i z~_i^T])^-1,
 *     psi_j = 1/|U_j| sum_i E[(x_ij - (w_j, m_j) z~_i)^2]   (then floored at min_var).
 *
 * Cost per iteration: O(nnz K^2 + (M + N) K^3), nnz = number of observed entries; nothing
 * is proportional to M x N except the final prediction. All workspace is allocated once.
 *
 * Sizes: M movies (rows), N users (columns), K factors, nnz observed entries.
 */
#ifndef LATENT_FA_H
#define LATENT_FA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "mat.h"
#include "rng.h"

/* The largest K accepted: the workspace holds N K x K posterior covariances. */
#define FA_MAX_K 100

/* The observed entries of an M x N matrix, listed both per user (for the E-step) and per
 * movie (for the M-step). Entries of user i: user_movie/user_x[user_start[i] ..
 * user_start[i+1]), in increasing movie order; likewise per movie, users increasing.
 * The indices are 32-bit (M, N < 2^31 by the stream format): they are streamed once per
 * column block in every step, and half the width is half that traffic. */
typedef struct {
	size_t M, N, nnz;
	size_t *user_start, *movie_start;
	uint32_t *user_movie, *movie_user;
	double *user_x, *movie_x;
} FaData;

/*
 * Collect the observed (non-NaN) entries of X[M][N] (row-major, stride N). Returns 0 and
 * a new FaData in *out (free with fa_data_free), or -1 with a message in e when an entry
 * is infinite (named by its 1-based row and column) or memory runs out.
 */
int fa_data_new(FaData **out, const double *X, size_t M, size_t N, Err *e);
void fa_data_free(FaData *d);

/* A factor analysis model and the users' posteriors from the latest E-step. */
typedef struct {
	size_t M, N, K;
	double *W;     /* M x K */
	double *mean;  /* M */
	double *psi;   /* M: noise variances */
	double *codes; /* N x K: E[z_i | x_i^o] */
	double *cov;   /* N x K x K: Cov[z_i | x_i^o], user i's block at cov + i K K */
} Fa;

/* A model with W = 0, mean = 0, psi = 1, codes = 0, cov = I; NULL when out of memory or
 * when the sizes overflow. 1 <= K <= FA_MAX_K (asserted). Free with fa_free. */
Fa *fa_new(size_t M, size_t N, size_t K);
void fa_free(Fa *f);

/*
 * Initialisations. Each sets mean_j to movie j's observed mean and psi_j to its observed
 * variance (divisor |U_j|; the overall mean and variance of all observed entries for a
 * movie with no rating, and the overall variance for one with a single rating), floored
 * at min_var, then sets W:
 *  - fa_init_random: W_jk ~ N(0, scale^2), drawn row by row from r.
 *  - fa_init_pca: PCA of the matrix with each missing entry set to its movie's mean:
 *    W = U_K (Lambda_K - s2 I)^1/2 (PRML 12.45; s2 = the mean discarded eigenvalue, and
 *    negative differences are set to 0), and psi_j lowered to its variance minus
 *    |w_j|^2 but not below its floor. Returns -1 (message in e) if PCA fails.
 * Movies with no rating keep w_j = 0; they never enter the likelihood.
 */
void fa_init_random(Fa *f, const FaData *d, Rng *r, double scale, double min_var);
int fa_init_pca(Fa *f, const FaData *d, double min_var, Err *e);

/* Workspace for fa_estep/fa_mstep, sized for f and d. NULL when out of memory. */
typedef struct FaWork FaWork;
FaWork *fa_work_new(const Fa *f, const FaData *d);
void fa_work_free(FaWork *w);

/*
 * E-step: set f->codes to the posterior means under the current W, mean, psi (and keep
 * the second moments in w for the M-step; fa_fit sets f->cov from them at the end), and
 * return in *loglik the exact observed-data log-likelihood of those parameters. Returns
 * 0, or -1 (message in e) when a posterior precision is not positive definite or the
 * log-likelihood is not finite.
 */
int fa_estep(Fa *f, const FaData *d, FaWork *w, double *loglik, Err *e);

/*
 * M-step: new W, mean, psi from the posteriors of the last E-step; psi_j below min_var
 * is set to min_var and counted in *floored. Movies with no rating are left as they are.
 * Returns 0, or -1 (message in e) when a movie's system is not positive definite or a
 * parameter is not finite.
 */
int fa_mstep(Fa *f, const FaData *d, FaWork *w, double min_var, size_t *floored, Err *e);

/* Called by fa_fit after each E-step: iteration (0 = the starting point), its
 * log-likelihood, and how many psi the preceding M-step floored. */
typedef void (*FaReport)(size_t iteration, double loglik, size_t floored, void *ctx);

/*
 * EM from the current parameters: E-step, report, then M-step, until `iterations'
 * M-steps are done or, when tol > 0, an iteration raises the log-likelihood by at most
 * tol |loglik|. It ends on an E-step, so f->codes and f->cov match the final parameters,
 * whose log-likelihood is in *loglik; *done is the number of M-steps made and *floored
 * the floored count of the last one. Returns 0 or -1 (message in e, prefixed with the
 * iteration).
 */
int fa_fit(Fa *f, const FaData *d, size_t iterations, double tol, double min_var,
	   FaReport report, void *ctx, size_t *done, double *loglik, size_t *floored, Err *e);

/* Y[M][N] = W codes^T + mean 1^T: the prediction of every entry. */
void fa_predict(const Fa *f, double *Y);

/*
 * Read a factor-analysis model stream (ml-faem --model) from f to its end: an optional
 * first matrix model:fa (1 x 1, version 1), then W (M x K), mean and psi (M x 1) in any
 * order, and optionally codes (N' x K) and cov (N' K x K), whose shapes are checked and
 * whose payloads are skipped. Any other matrix, a repeat, a missing part, a short payload
 * or bytes after the last matrix is an error; so is a non-finite entry of W or mean, or
 * a psi that is negative or not finite. On success *W, *mean, *psi are new f64 matrices
 * (caller frees) and 0 is returned; on failure -1 with the message in e (no matrix left).
 */
int fa_model_read(FILE *f, Mat **W, Mat **mean, Mat **psi, Err *e);

#endif
