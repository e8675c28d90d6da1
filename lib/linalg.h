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
 * All eigenvalues of the symmetric A[N][N] (upper triangle used, row-major, stride lda)
 * in ASCENDING order in w[N]; A is overwritten by the orthonormal eigenvectors, column j
 * belonging to w[j]. One LAPACKE_dsyevd call (divide and conquer). Returns 0, or 1 when
 * the algorithm failed to converge (LAPACK info > 0).
 */
int linalg_syevd(size_t N, double *A, size_t lda, double *w);

/*
 * Solve A X = B for the symmetric positive definite A[N][N] (upper triangle used,
 * stride lda) and B[N][R] (stride ldb), overwritten by X; A is overwritten by its
 * Cholesky factor U (A = U^T U, upper triangle). One LAPACKE_dposv call. Returns 0, or 1
 * when A is not positive definite (LAPACK info > 0).
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

/* ---- issue 3 (pca, fa): dense products and the decompositions PCA needs ---- */

/*
 * C[M][N] = alpha * op(A) op(B) + beta * C, row-major; op(X) is X or X^T as transa /
 * transb say (0 or 1). op(A) is M x K, op(B) is K x N; lda, ldb, ldc are the row strides
 * of A, B, C as stored. One cblas_dgemm call.
 */
void linalg_gemm(int transa, int transb, size_t M, size_t N, size_t K, double alpha,
		 const double *A, size_t lda, const double *B, size_t ldb, double beta,
		 double *C, size_t ldc);

/*
 * Lower triangle of C[N][N] = alpha * A A^T + beta * C, A is N x K row-major (row stride
 * lda). The strict upper triangle of C is left untouched. One cblas_dsyrk call.
 */
void linalg_syrk(size_t N, size_t K, double alpha, const double *A, size_t lda,
		 double beta, double *C, size_t ldc);

/*
 * Thin SVD A = U diag(S) VT of A[M][N] (row-major, row stride lda), by LAPACKE_dgesdd
 * (divide and conquer), r = min(M, N): S[r] descending, U[M][r] (stride ldu), VT[r][N]
 * (stride ldvt). A is destroyed. Returns 0, or 1 when the iteration did not converge
 * (LAPACK info > 0): a property of the data.
 */
int linalg_gesdd(size_t M, size_t N, double *A, size_t lda, double *S, double *U,
		 size_t ldu, double *VT, size_t ldvt);

/*
 * The K largest eigenvalues of the symmetric A[N][N] (lower triangle used, row-major,
 * stride lda), in DESCENDING order in w[K], and their orthonormal eigenvectors as the
 * columns of Z[N][K] (stride ldz), by LAPACKE_dsyevr (MRRR) with range 'I'. A is
 * destroyed. 1 <= K <= N. Returns 0, or 1 when LAPACK reports an internal failure.
 */
int linalg_syevr_top(size_t N, size_t K, double *A, size_t lda, double *w, double *Z,
		     size_t ldz);
