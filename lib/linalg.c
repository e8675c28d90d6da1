#include "linalg.h"

#include <assert.h>
#include <cblas.h>
#include <lapacke.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

int linalg_int(size_t n)
{
	assert(n <= (size_t)INT_MAX);
	return (int)n;
}

/* A leading dimension for BLAS: at least 1 even for empty matrices. */
static int ld(size_t n)
{
	return linalg_int(n ? n : 1);
}

static CBLAS_TRANSPOSE op(int trans)
{
	return trans ? CblasTrans : CblasNoTrans;
}

void linalg_sgemm(int transA, int transB, size_t m, size_t n, size_t k, float alpha,
		  const float *A, size_t lda, const float *B, size_t ldb, float beta, float *C,
		  size_t ldc)
{
	assert(lda >= (transA ? m : k) && ldb >= (transB ? k : n) && ldc >= n);
	if (m == 0 || n == 0)
		return;
	cblas_sgemm(CblasRowMajor, op(transA), op(transB), linalg_int(m), linalg_int(n),
		    linalg_int(k), alpha, A, ld(lda), B, ld(ldb), beta, C, ld(ldc));
}

void linalg_gemm(int transA, int transB, size_t m, size_t n, size_t k, double alpha,
		 const double *A, size_t lda, const double *B, size_t ldb, double beta,
		 double *C, size_t ldc)
{
	assert(lda >= (transA ? m : k) && ldb >= (transB ? k : n) && ldc >= n);
	if (m == 0 || n == 0)
		return;
	cblas_dgemm(CblasRowMajor, op(transA), op(transB), linalg_int(m), linalg_int(n),
		    linalg_int(k), alpha, A, ld(lda), B, ld(ldb), beta, C, ld(ldc));
}

void linalg_syrk(size_t N, size_t K, double alpha, const double *A, size_t lda,
		 double beta, double *C, size_t ldc)
{
	assert(lda >= K && ldc >= N);
	if (N == 0)
		return;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, linalg_int(N), linalg_int(K),
		    alpha, A, ld(lda), beta, C, ld(ldc));
}

void linalg_syrk_t(size_t N, size_t K, double alpha, const double *A, size_t lda,
		   double beta, double *C, size_t ldc)
{
	assert(lda >= N && ldc >= N);
	if (N == 0)
		return;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, linalg_int(N), linalg_int(K),
		    alpha, A, ld(lda), beta, C, ld(ldc));
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

/* 1 if every entry of A[M][N] (stride lda) is finite. */
static int all_finite(size_t M, size_t N, const double *A, size_t lda)
{
	size_t i, j;

	for (i = 0; i < M; i++)
		for (j = 0; j < N; j++)
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

int linalg_syevr_top(size_t N, size_t K, double *A, size_t lda, double *w, double *Z,
		     size_t ldz)
{
	lapack_int found = 0, info, *isuppz;
	double t, *wall;
	size_t k, i;

	assert(K >= 1 && K <= N && lda >= N && ldz >= K);
	if (!upper_finite(N, A, lda))
		return LINALG_NOT_FINITE;
	/* dsyevr's W must hold N values even when only K are asked for: with eigenvalues
	 * tied at the boundary its bisection (dstebz) writes more before trimming. */
	isuppz = malloc(2 * N * sizeof *isuppz);
	wall = malloc(N * sizeof *wall);
	if (!isuppz || !wall) {
		free(isuppz);
		free(wall);
		return LINALG_FAILED;
	}
	/* Range 'I' counts eigenvalues from the smallest: the top K are N-K+1 .. N. */
	info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'V', 'I', 'U', linalg_int(N), A,
			      linalg_int(lda), 0.0, 0.0, linalg_int(N - K + 1), linalg_int(N),
			      0.0, &found, wall, Z, linalg_int(ldz), isuppz);
	for (k = 0; k < K; k++)
		w[k] = wall[k];
	free(isuppz);
	free(wall);
	assert(info >= 0 || info == LAPACK_WORK_MEMORY_ERROR);
	if (info != 0 || (size_t)found != K)
		return LINALG_FAILED;
	/* LAPACK returns them ascending; callers want the largest first. */
	for (k = 0; k < K / 2; k++) {
		t = w[k], w[k] = w[K - 1 - k], w[K - 1 - k] = t;
		for (i = 0; i < N; i++) {
			t = Z[i * ldz + k];
			Z[i * ldz + k] = Z[i * ldz + K - 1 - k];
			Z[i * ldz + K - 1 - k] = t;
		}
	}
	return LINALG_OK;
}

int linalg_posv(size_t N, size_t R, double *A, size_t lda, double *B, size_t ldb)
{
	lapack_int info;

	assert(lda >= N && ldb >= R && N > 0);
	if (!upper_finite(N, A, lda) || !all_finite(N, R, B, ldb))
		return LINALG_NOT_FINITE;
	info = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', linalg_int(N), linalg_int(R), A,
			     linalg_int(lda), B, linalg_int(ldb));
	assert(info >= 0);
	return info > 0 ? LINALG_FAILED : LINALG_OK;
}

int linalg_gesdd(size_t M, size_t N, double *A, size_t lda, double *S, double *U,
		 size_t ldu, double *VT, size_t ldvt)
{
	size_t r = M < N ? M : N;
	lapack_int info;

	assert(lda >= N && ldu >= r && ldvt >= N && r > 0);
	if (!all_finite(M, N, A, lda))
		return LINALG_NOT_FINITE;
	/*
	 * Not LAPACK_ROW_MAJOR: LAPACKE would transpose A, U and VT through temporaries
	 * (20% of the time on 500 x 943). Row-major A[M][N] is the column-major N x M matrix
	 * A^T = V S U^T, so LAPACK's column-major "U" (N x r) is our row-major VT[r][N] and its
	 * "VT" (r x M) is our row-major U[M][r]: same factors, no copies.
	 */
	info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', linalg_int(N), linalg_int(M), A,
			      linalg_int(lda), S, VT, linalg_int(ldvt), U, linalg_int(ldu));
	assert(info >= 0 || info == LAPACK_WORK_MEMORY_ERROR);
	return info != 0 ? LINALG_FAILED : LINALG_OK;
}
