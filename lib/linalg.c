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

void linalg_syrk_t(size_t N, size_t K, double alpha, const double *A, size_t lda,
		   double beta, double *C, size_t ldc)
{
	assert(lda >= N && ldc >= N);
	if (N == 0)
		return;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, linalg_int(N), linalg_int(K), alpha,
		    A, linalg_int(lda), beta, C, linalg_int(ldc));
}

int linalg_syevd(size_t N, double *A, size_t lda, double *w)
{
	lapack_int info;

	assert(lda >= N && N > 0);
	info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'V', 'U', linalg_int(N), A, linalg_int(lda), w);
	assert(info >= 0);
	return info > 0;
}

int linalg_posv(size_t N, size_t R, double *A, size_t lda, double *B, size_t ldb)
{
	lapack_int info;

	assert(lda >= N && ldb >= R && N > 0);
	info = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', linalg_int(N), linalg_int(R), A,
			     linalg_int(lda), B, linalg_int(ldb));
	assert(info >= 0);
	return info > 0;
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
