/*
 * linalg: thin wrappers over CBLAS and LAPACKE, row-major, with shapes checked.
 *
 * Each wrapper asserts that the shapes conform (a caller's bug otherwise) and makes one
 * CBLAS/LAPACKE call with explicit leading dimensions (the stored row lengths). Symmetric
 * matrices are always held in their UPPER triangle: the syrk wrappers write it, the
 * decompositions read it, so their outputs and inputs fit together.
 *
 * LAPACKE checks its input for NaN and returns info < 0 when it finds one, as it does for
 * a bad argument. The LAPACK wrappers check that their input is finite first and report
 * LINALG_NOT_FINITE (a property of the data), so info < 0 can only be our bug (assert);
 * info > 0 is returned as LINALG_FAILED (no convergence, not positive definite).
 */
#ifndef LATENT_LINALG_H
#define LATENT_LINALG_H

#include <stddef.h>

enum { LINALG_OK = 0, LINALG_FAILED = 1, LINALG_NOT_FINITE = 2 };

/* n as a BLAS/LAPACK int; asserts that it fits (mat.h caps every matrix below INT_MAX). */
int linalg_int(size_t n);

/*
 * C[m][n] = alpha op(A) op(B) + beta C (cblas_sgemm / cblas_dgemm). op(A) is m x k: A is
 * stored m x k (lda >= k), or k x m when transA (lda >= m). op(B) is k x n: B is stored
 * k x n (ldb >= n), or n x k when transB (ldb >= k). ldc >= n.
 */
void linalg_sgemm(int transA, int transB, size_t m, size_t n, size_t k, float alpha,
		  const float *A, size_t lda, const float *B, size_t ldb, float beta, float *C,
		  size_t ldc);
void linalg_gemm(int transA, int transB, size_t m, size_t n, size_t k, double alpha,
		 const double *A, size_t lda, const double *B, size_t ldb, double beta,
		 double *C, size_t ldc);

/*
 * Upper triangle of C[N][N] = alpha A A^T + beta C, where A is N x K (row stride
 * lda >= K): the Gram matrix of N rows. The strict lower triangle is left untouched.
 */
void linalg_syrk(size_t N, size_t K, double alpha, const double *A, size_t lda,
		 double beta, double *C, size_t ldc);
/*
 * Upper triangle of C[N][N] = alpha A^T A + beta C, where A is K x N (row stride
 * lda >= N): the scatter matrix of K rows of N variables. The strict lower triangle is
 * left untouched.
 */
void linalg_syrk_t(size_t N, size_t K, double alpha, const double *A, size_t lda,
		   double beta, double *C, size_t ldc);

/*
 * All eigenvalues of the symmetric A[N][N] (stride lda) in ASCENDING order in w[N]; A is
 * overwritten by the orthonormal eigenvectors, column j belonging to w[j] (dsyevd, divide
 * and conquer). LINALG_OK, LINALG_FAILED, or LINALG_NOT_FINITE (A and w untouched).
 */
int linalg_syevd(size_t N, double *A, size_t lda, double *w);

/*
 * The K largest eigenvalues of the symmetric A[N][N] (stride lda) in DESCENDING order in
 * w[K], and their orthonormal eigenvectors as the columns of Z[N][K] (stride ldz), by
 * dsyevr (MRRR) with range 'I'. A is destroyed. 1 <= K <= N. LINALG_OK, LINALG_FAILED
 * (also when memory runs out), or LINALG_NOT_FINITE.
 */
int linalg_syevr_top(size_t N, size_t K, double *A, size_t lda, double *w, double *Z,
		     size_t ldz);

/*
 * Solve A X = B for the symmetric positive definite A[N][N] (stride lda) and B[N][R]
 * (stride ldb), overwritten by X; A is overwritten by its Cholesky factor U (A = U^T U)
 * (dposv). LINALG_OK, LINALG_FAILED when A is not positive definite, or
 * LINALG_NOT_FINITE (A and B untouched) when A or B holds a NaN or infinity.
 */
int linalg_posv(size_t N, size_t R, double *A, size_t lda, double *B, size_t ldb);

/*
 * Thin SVD A = U diag(S) VT of A[M][N] (row stride lda), r = min(M, N): S[r] descending,
 * U[M][r] (stride ldu), VT[r][N] (stride ldvt), by dgesdd (divide and conquer). A is
 * destroyed. LINALG_OK, LINALG_FAILED (no convergence or no memory), LINALG_NOT_FINITE.
 */
int linalg_gesdd(size_t M, size_t N, double *A, size_t lda, double *S, double *U,
		 size_t ldu, double *VT, size_t ldvt);

#endif
