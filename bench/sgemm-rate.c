/*
 * sgemm-rate: the best single-precision GEMM rate of this machine at the shapes of one
 * VAE training step, and the seconds per epoch it implies (a lower bound for vae-train).
 *
 *     make -C bench && OPENBLAS_NUM_THREADS=2 build/bench/sgemm-rate [-k K] [-n N] [-b B]
 *
 * For each matrix product of a training step (forward, and the backward pass's weight
 * and input gradients) it times repeated calls on the step's own shapes and transposes,
 * keeps the fastest of several rounds, and reports GFLOP/s. The bound adds up, over
 * every product of an epoch, its flops divided by its best rate: the time of an epoch
 * in which nothing but the products ran, each at its best measured speed.
 * Not a test: timings depend on the machine and its load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "linalg.h"

struct shape {
	const char *what;
	int tA, tB;
	size_t m, n, k;
	int count; /* calls per training step */
};

static double time_shape(const struct shape *s, float *A, float *B, float *C, int reps)
{
	size_t lda = s->tA ? s->m : s->k, ldb = s->tB ? s->k : s->n;
	double best = 1e30, t0, t;
	int round, i;

	for (round = 0; round < 7; round++) {
		t0 = cli_seconds();
		for (i = 0; i < reps; i++)
			linalg_sgemm(s->tA, s->tB, s->m, s->n, s->k, 1.0f, A, lda, B, ldb, 1.0f, C,
				     s->n);
		t = (cli_seconds() - t0) / reps;
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	size_t D = 784, H = 250, K = 50, Bt = 128, N = 60000, i, n_shapes;
	double step_flops = 0, step_bound = 0, big;
	float *A, *B, *C;
	int c;

	cli_init(argv[0]);
	while ((c = getopt(argc, argv, "k:n:b:")) != -1) {
		if (c == 'k')
			K = (size_t)cli_parse_long(optarg, "-k", 1, 1000);
		else if (c == 'n')
			N = (size_t)cli_parse_long(optarg, "-n", 1, 10000000);
		else if (c == 'b')
			Bt = (size_t)cli_parse_long(optarg, "-b", 1, 100000);
		else
			cli_bad_option();
	}
	{
		struct shape shapes[] = {
			{ "enc1 forward", 0, 1, Bt, H, D, 1 },
			{ "enc_mu/sigma forward", 0, 1, Bt, K, H, 2 },
			{ "dec1 forward", 0, 1, Bt, H, K, 1 },
			{ "dec2 forward", 0, 1, Bt, D, H, 1 },
			{ "dec2 dW", 1, 0, D, H, Bt, 1 },
			{ "dec2 dx", 0, 0, Bt, H, D, 1 },
			{ "dec1 dW", 1, 0, H, K, Bt, 1 },
			{ "dec1 dx", 0, 0, Bt, K, H, 1 },
			{ "enc_mu/sigma dW", 1, 0, K, H, Bt, 2 },
			{ "enc_mu/sigma dx", 0, 0, Bt, H, K, 2 },
			{ "enc1 dW", 1, 0, H, D, Bt, 1 },
		};
		size_t batches = (N + Bt - 1) / Bt;

		n_shapes = sizeof shapes / sizeof shapes[0];
		A = calloc(2048 * 2048, sizeof *A);
		B = calloc(2048 * 2048, sizeof *B);
		C = calloc(2048 * 2048, sizeof *C);
		if (!A || !B || !C)
			cli_die("out of memory");
		for (i = 0; i < 2048 * 2048; i++) {
			A[i] = (float)(i % 7) * 0.1f;
			B[i] = (float)(i % 5) * 0.1f;
		}
		printf("D %zu H %zu K %zu batch %zu, %zu examples (%zu batches)\n", D, H, K, Bt, N,
		       batches);
		for (i = 0; i < n_shapes; i++) {
			struct shape *s = &shapes[i];
			double flops = 2.0 * (double)s->m * (double)s->n * (double)s->k;
			double t = time_shape(s, A, B, C, 200);
			printf("%-22s %c%c m %4zu n %4zu k %4zu  x%d  %7.1f GFLOP/s\n", s->what,
			       s->tA ? 'T' : 'N', s->tB ? 'T' : 'N', s->m, s->n, s->k, s->count,
			       flops / t * 1e-9);
			step_flops += s->count * flops;
			step_bound += s->count * t;
		}
		{
			struct shape sq = { "square 2048", 0, 0, 2048, 2048, 2048, 1 };
			big = 2.0 * 2048 * 2048 * 2048 / time_shape(&sq, A, B, C, 2) * 1e-9;
		}
		printf("square 2048 x 2048 x 2048: %.1f GFLOP/s\n", big);
		printf("per step %.3f GFLOP at %.1f GFLOP/s: %.3f ms\n", step_flops * 1e-9,
		       step_flops / step_bound * 1e-9, step_bound * 1e3);
		/* The final short batch is counted as a full one: the bound rounds up by at
		 * most one step. */
		printf("epoch: %.1f GFLOP, bound %.3f s\n", step_flops * (double)batches * 1e-9,
		       step_bound * (double)batches);
	}
	free(A);
	free(B);
	free(C);
	return 0;
}
