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

/*
 * C[m][n] = alpha op(A) op(B) + beta C in single precision (cblas_sgemm, row-major).
 * op(A) is m x k: A is stored m x k (lda >= k), or k x m when transA (lda >= m).
 * op(B) is k x n: B is stored k x n (ldb >= n), or n x k when transB (ldb >= k).
 * ldc >= n. Shapes that do not conform are the caller's bug (assert).
 */
void linalg_sgemm(int transA, int transB, size_t m, size_t n, size_t k, float alpha,
		  const float *A, size_t lda, const float *B, size_t ldb, float beta, float *C,
		  size_t ldc);
