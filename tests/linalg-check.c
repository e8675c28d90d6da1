/*
 * linalg-check: checks of the lib/linalg LAPACK wrappers, run by tests/linalg.bats.
 *
 *     linalg-check GROUP     GROUP: posv syevd
 *
 * Prints one line per failed check and `GROUP: N checks, M failed`; exits 1 if any failed.
 * Expected values are worked out by hand in the comments. A wrapper handed a NaN or an
 * infinity must return LINALG_NOT_FINITE and leave its arguments alone; before that check
 * existed, LAPACKE's own NaN check made it return info < 0, which the wrappers assert
 * against, so the process aborted.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "linalg.h"

static int checks, failures;

static void truth(const char *what, int ok)
{
	checks++;
	if (!ok) {
		failures++;
		printf("FAIL %s\n", what);
	}
}

/* |got - want| <= tol: the solutions below are exact in binary except for one or two
 * roundings of numbers near 1, so tol = 1e-14 (about 50 ulps) */
static void close_to(const char *what, double got, double want)
{
	checks++;
	if (!(fabs(got - want) <= 1e-14)) {
		failures++;
		printf("FAIL %s: got %.17g, want %.17g\n", what, got, want);
	}
}

static void posv(void)
{
	/* A = [4 2; 2 3] (upper triangle used), b = (2, 1): x = A^-1 b = (1/2, 0). */
	double A[4] = { 4, 2, -99, 3 }, B[2] = { 2, 1 };
	double nanA[4] = { 4, NAN, 0, 3 }, infB[2] = { 1, INFINITY };
	double A2[4] = { 1, 2, 2, 1 }, B2[2] = { 1, 1 };
	/* W^T W for W = (1e300, 1e300): both entries overflow to inf */
	double W[2] = { 1e300, 1e300 }, M[1] = { W[0] * W[0] + W[1] * W[1] }, P[2] = { 1, 1 };

	truth("posv on an SPD matrix returns LINALG_OK", linalg_posv(2, 1, A, 2, B, 1) == LINALG_OK);
	close_to("posv x[0]", B[0], 0.5);
	close_to("posv x[1]", B[1], 0.0);
	truth("posv: a NaN in A is LINALG_NOT_FINITE",
	      linalg_posv(2, 1, nanA, 2, B2, 1) == LINALG_NOT_FINITE);
	truth("posv leaves B alone after LINALG_NOT_FINITE", B2[0] == 1 && B2[1] == 1);
	memcpy(A2, (double[]){ 4, 2, 2, 3 }, sizeof A2);
	truth("posv: an infinity in B is LINALG_NOT_FINITE",
	      linalg_posv(2, 1, A2, 2, infB, 1) == LINALG_NOT_FINITE);
	truth("posv leaves A alone after LINALG_NOT_FINITE", A2[0] == 4 && A2[3] == 3);
	/* [1 2; 2 1] has eigenvalues 3 and -1: not positive definite */
	memcpy(A2, (double[]){ 1, 2, 2, 1 }, sizeof A2);
	truth("posv: an indefinite A is LINALG_FAILED", linalg_posv(2, 1, A2, 2, B2, 1) == LINALG_FAILED);
	truth("posv: an overflowed W^T W is LINALG_NOT_FINITE",
	      linalg_posv(1, 2, M, 1, P, 2) == LINALG_NOT_FINITE);
}

static void syevd(void)
{
	/* [2 1; 1 2]: eigenvalues 1 and 3, eigenvectors (1, -1)/sqrt 2 and (1, 1)/sqrt 2 */
	double A[4] = { 2, 1, 1, 2 }, w[2];
	double nanA[4] = { NAN, 1, 1, 2 }, infA[9] = { 1, 0, INFINITY, 0, 1, 0, 0, 0, 1 };
	double w3[3] = { 7, 7, 7 };

	truth("syevd on a symmetric matrix returns LINALG_OK", linalg_syevd(2, A, 2, w) == LINALG_OK);
	close_to("syevd w[0]", w[0], 1.0);
	close_to("syevd w[1]", w[1], 3.0);
	close_to("syevd |v_1 . (1, 1)| / sqrt 2", fabs(A[1] + A[3]) / sqrt(2.0), 1.0);
	truth("syevd: a NaN on the diagonal is LINALG_NOT_FINITE",
	      linalg_syevd(2, nanA, 2, w) == LINALG_NOT_FINITE);
	truth("syevd: an infinity above the diagonal is LINALG_NOT_FINITE",
	      linalg_syevd(3, infA, 3, w3) == LINALG_NOT_FINITE);
	truth("syevd leaves w alone after LINALG_NOT_FINITE", w3[0] == 7 && w3[2] == 7);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} groups[] = { { "posv", posv }, { "syevd", syevd } };
	size_t i;

	for (i = 0; argc == 2 && i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(argv[1], groups[i].name) == 0) {
			groups[i].run();
			printf("%s: %d checks, %d failed\n", argv[1], checks, failures);
			return failures != 0;
		}
	fprintf(stderr, "usage: linalg-check posv|syevd\n");
	return 2;
}
