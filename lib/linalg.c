#include "linalg.h"

#include <assert.h>
#include <limits.h>

#include <cblas.h>

int linalg_int(size_t n)
{
	assert(n <= (size_t)INT_MAX);
	return (int)n;
}

void linalg_sgemm(int transA, int transB, size_t m, size_t n, size_t k, float alpha,
		  const float *A, size_t lda, const float *B, size_t ldb, float beta, float *C,
		  size_t ldc)
{
	assert(lda >= (transA ? m : k) && lda >= 1);
	assert(ldb >= (transB ? k : n) && ldb >= 1);
	assert(ldc >= n && ldc >= 1);
	if (m == 0 || n == 0)
		return;
	cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
		    transB ? CblasTrans : CblasNoTrans, linalg_int(m), linalg_int(n),
		    linalg_int(k), alpha, A, linalg_int(lda), B, linalg_int(ldb), beta, C,
		    linalg_int(ldc));
}
