/*
 * linalg: thin wrappers over CBLAS and LAPACKE, row-major, with shapes checked.
 *
 * Each wrapper asserts that the shapes conform (a caller's bug otherwise), makes one
 * CBLAS/LAPACKE call with an explicit leading dimension, treats LAPACK info < 0 as our
 * bug (assert) and returns info > 0 as a status: a property of the data.
 */
#ifndef LATENT_LINALG_H
#define LATENT_LINALG_H

#include <stddef.h>

/* n as a BLAS/LAPACK int; asserts that it fits (mat.h caps every matrix below INT_MAX). */
int linalg_int(size_t n);

#endif

/* ---- issue 4 (ppca): covariance, symmetric eigen-decomposition, SPD solve, sgemm ---- */

/*
 * Upper triangle of C[N][N] = alpha * A^T A + beta * C, where A is K x N row-major (row
 * stride lda >= N): the scatter matrix of K rows of N variables. The strict lower
 * triangle of C is left untouched. One cblas_dsyrk call (trans).
 */
void linalg_syrk_t(size_t N, size_t K, double alpha, const double *A, size_t lda,
		   double beta, double *C, size_t ldc);

/*
 * Statuses of the LAPACK wrappers below. LAPACKE checks its input for NaN and returns
 * info < 0 when it finds one, as it does for a bad argument; the wrappers check that the
 * input is finite first and report it as LINALG_NOT_FINITE (a property of the data), so
 * that info < 0 can only be our bug and stays an assert.
 */
enum { LINALG_OK = 0, LINALG_FAILED = 1, LINALG_NOT_FINITE = 2 };

/*
 * All eigenvalues of the symmetric A[N][N] (upper triangle used, row-major, stride lda)
 * in ASCENDING order in w[N]; A is overwritten by the orthonormal eigenvectors, column j
 * belonging to w[j]. One LAPACKE_dsyevd call (divide and conquer). Returns LINALG_OK,
 * LINALG_FAILED when the algorithm failed to converge (LAPACK info > 0), or
 * LINALG_NOT_FINITE (A and w untouched) when the upper triangle holds a NaN or infinity.
 */
int linalg_syevd(size_t N, double *A, size_t lda, double *w);

/*
 * Solve A X = B for the symmetric positive definite A[N][N] (upper triangle used,
 * stride lda) and B[N][R] (stride ldb), overwritten by X; A is overwritten by its
 * Cholesky factor U (A = U^T U, upper triangle). One LAPACKE_dposv call. Returns
 * LINALG_OK, LINALG_FAILED when A is not positive definite (LAPACK info > 0), or
 * LINALG_NOT_FINITE (A and B untouched) when the upper triangle of A or B holds a NaN or
 * infinity.
 */
int linalg_posv(size_t N, size_t R, double *A, size_t lda, double *B, size_t ldb);

/*
 * C[m][n] = alpha op(A) op(B) + beta C in single precision (cblas_sgemm, row-major).
 * op(A) is m x k: A is stored m x k (lda >= k), or k x m when transA (lda >= m).
 * op(B) is k x n: B is stored k x n (ldb >= n), or n x k when transB (ldb >= k).
 * ldc >= n. Shapes that do not conform are the caller's bug (assert).
 * (The same signature and contract as issue 5's linalg_sgemm: keep one when merging.)
 */
void linalg_sgemm(int transA, int transB, size_t m, size_t n, size_t k, float alpha,
		  const float *A, size_t lda, const float *B, size_t ldb, float beta, float *C,
		  size_t ldc);

/* ---- fixb (ppca on N < D rows): the Gram matrix and a double-precision gemm ---- */

/*
 * Upper triangle of C[N][N] = alpha * A A^T + beta * C, where A is N x K row-major (row
 * stride lda >= K): the Gram matrix of N rows of K variables. The strict lower triangle
 * of C is left untouched. One cblas_dsyrk call (no trans).
 */
void linalg_syrk_n(size_t N, size_t K, double alpha, const double *A, size_t lda,
		   double beta, double *C, size_t ldc);

/*
 * C[m][n] = alpha op(A) op(B) + beta C in double precision (cblas_dgemm, row-major),
 * with linalg_sgemm's conventions: op(A) is m x k, stored m x k (lda >= k) or k x m when
 * transA (lda >= m); op(B) is k x n, stored k x n (ldb >= n) or n x k when transB
 * (ldb >= k); ldc >= n. Shapes that do not conform are the caller's bug (assert).
 */
void linalg_dgemm(int transA, int transB, size_t m, size_t n, size_t k, double alpha,
		  const double *A, size_t lda, const double *B, size_t ldb, double beta,
		  double *C, size_t ldc);
