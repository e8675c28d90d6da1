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

/* ---- issue 3 (pca, fa) ---- */

#include <cblas.h>
#include <lapacke.h>
#include <stdlib.h>

void linalg_gemm(int transa, int transb, size_t M, size_t N, size_t K, double alpha,
		 const double *A, size_t lda, const double *B, size_t ldb, double beta,
		 double *C, size_t ldc)
{
	/* Row-major leading dimensions are the stored row lengths. */
	assert(lda >= (transa ? M : K) && ldb >= (transb ? K : N) && ldc >= N);
	if (M == 0 || N == 0)
		return;
	cblas_dgemm(CblasRowMajor, transa ? CblasTrans : CblasNoTrans,
		    transb ? CblasTrans : CblasNoTrans, linalg_int(M), linalg_int(N),
		    linalg_int(K), alpha, A, linalg_int(lda > 0 ? lda : 1), B,
		    linalg_int(ldb > 0 ? ldb : 1), beta, C, linalg_int(ldc > 0 ? ldc : 1));
}

void linalg_syrk(size_t N, size_t K, double alpha, const double *A, size_t lda,
		 double beta, double *C, size_t ldc)
{
	assert(lda >= K && ldc >= N);
	if (N == 0)
		return;
	cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, linalg_int(N), linalg_int(K),
		    alpha, A, linalg_int(lda > 0 ? lda : 1), beta, C, linalg_int(ldc));
}

int linalg_gesdd(size_t M, size_t N, double *A, size_t lda, double *S, double *U,
		 size_t ldu, double *VT, size_t ldvt)
{
	size_t r = M < N ? M : N;
	lapack_int info;

	assert(lda >= N && ldu >= r && ldvt >= N && r > 0);
	/*
	 * Not LAPACK_ROW_MAJOR: LAPACKE would transpose A, U and VT through temporaries
	 * (20% of the time on 500 x 943). Row-major A[M][N] is the column-major N x M matrix
	 * A^T = V S U^T, so LAPACK's column-major "U" (N x r) is our row-major VT[r][N] and its
	 * "VT" (r x M) is our row-major U[M][r]: same factors, no copies.
	 */
	info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', linalg_int(N), linalg_int(M), A,
			      linalg_int(lda), S, VT, linalg_int(ldvt), U, linalg_int(ldu));
	assert(info >= 0 || info == LAPACK_WORK_MEMORY_ERROR);
	if (info == LAPACK_WORK_MEMORY_ERROR)
		return 1;
	return info > 0;
}

int linalg_syevr_top(size_t N, size_t K, double *A, size_t lda, double *w, double *Z,
		     size_t ldz)
{
	lapack_int found = 0, info, *isuppz;
	size_t k, i;
	double t;

	assert(K >= 1 && K <= N && lda >= N && ldz >= K);
	isuppz = malloc(2 * K * sizeof *isuppz);
	if (!isuppz)
		return 1;
	/* Range 'I' counts eigenvalues from the smallest: the top K are N-K+1 .. N. */
	info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'V', 'I', 'L', linalg_int(N), A,
			      linalg_int(lda), 0.0, 0.0, linalg_int(N - K + 1), linalg_int(N),
			      0.0, &found, w, Z, linalg_int(ldz), isuppz);
	free(isuppz);
	assert(info >= 0 || info == LAPACK_WORK_MEMORY_ERROR);
	if (info != 0 || (size_t)found != K)
		return 1;
	/* LAPACK returns them ascending; callers want the largest first. */
	for (k = 0; k < K / 2; k++) {
		t = w[k], w[k] = w[K - 1 - k], w[K - 1 - k] = t;
		for (i = 0; i < N; i++) {
			t = Z[i * ldz + k];
			Z[i * ldz + k] = Z[i * ldz + K - 1 - k];
			Z[i * ldz + K - 1 - k] = t;
		}
	}
	return 0;
}
