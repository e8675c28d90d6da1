#include "linalg.h"

#include <assert.h>
#include <limits.h>

int linalg_int(size_t n)
{
	assert(n <= (size_t)INT_MAX);
	return (int)n;
}

/* ---- issue 4 (ppca) ---- */

#include <cblas.h>
#include <lapacke.h>
#include <math.h>

void linalg_syrk_t(size_t N, size_t K, double alpha, const double *A, size_t lda,
		   double beta, double *C, size_t ldc)
{
	assert(lda >= N && ldc >= N);
	if (N == 0)
		return;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, linalg_int(N), linalg_int(K), alpha,
		    A, linalg_int(lda), beta, C, linalg_int(ldc));
}

/* 1 if the upper triangle of A[N][N] (stride lda) is finite. */
static int upper_finite(size_t N, const double *A, size_t lda)
{
	size_t i, j;

	for (i = 0; i < N; i++)
		for (j = i; j < N; j++)
			if (!isfinite(A[i * lda + j]))
				return 0;
	return 1;
}

int linalg_syevd(size_t N, double *A, size_t lda, double *w)
{
	lapack_int info;

	assert(lda >= N && N > 0);
	if (!upper_finite(N, A, lda))
		return LINALG_NOT_FINITE;
	info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'V', 'U', linalg_int(N), A, linalg_int(lda), w);
	assert(info >= 0);
	return info > 0 ? LINALG_FAILED : LINALG_OK;
}

int linalg_posv(size_t N, size_t R, double *A, size_t lda, double *B, size_t ldb)
{
	lapack_int info;
	size_t i, j;

	assert(lda >= N && ldb >= R && N > 0);
	if (!upper_finite(N, A, lda))
		return LINALG_NOT_FINITE;
	for (i = 0; i < N; i++)
		for (j = 0; j < R; j++)
			if (!isfinite(B[i * ldb + j]))
				return LINALG_NOT_FINITE;
	info = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', linalg_int(N), linalg_int(R), A,
			     linalg_int(lda), B, linalg_int(ldb));
	assert(info >= 0);
	return info > 0 ? LINALG_FAILED : LINALG_OK;
}

void linalg_sgemm(int transA, int transB, size_t m, size_t n, size_t k, float alpha,
		  const float *A, size_t lda, const float *B, size_t ldb, float beta, float *C,
		  size_t ldc)
{
	assert(lda >= (transA ? m : k) && ldb >= (transB ? k : n) && ldc >= n);
	if (m == 0 || n == 0)
		return;
	cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
		    transB ? CblasTrans : CblasNoTrans, linalg_int(m), linalg_int(n),
		    linalg_int(k), alpha, A, linalg_int(lda ? lda : 1), B, linalg_int(ldb ? ldb : 1),
		    beta, C, linalg_int(ldc));
}

/* ---- fixb (ppca on N < D rows) ---- */

void linalg_syrk_n(size_t N, size_t K, double alpha, const double *A, size_t lda,
		   double beta, double *C, size_t ldc)
{
	assert(lda >= K && ldc >= N);
	if (N == 0)
		return;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, linalg_int(N), linalg_int(K), alpha,
		    A, linalg_int(lda ? lda : 1), beta, C, linalg_int(ldc));
}

void linalg_dgemm(int transA, int transB, size_t m, size_t n, size_t k, double alpha,
		  const double *A, size_t lda, const double *B, size_t ldb, double beta,
		  double *C, size_t ldc)
{
	assert(lda >= (transA ? m : k) && ldb >= (transB ? k : n) && ldc >= n);
	if (m == 0 || n == 0)
		return;
	cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
		    transB ? CblasTrans : CblasNoTrans, linalg_int(m), linalg_int(n),
		    linalg_int(k), alpha, A, linalg_int(lda ? lda : 1), B, linalg_int(ldb ? ldb : 1),
		    beta, C, linalg_int(ldc));
}
