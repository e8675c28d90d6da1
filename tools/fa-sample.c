/* fa-sample: draw data from a known factor analysis model, for tests and experiments. */
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fa.h"
#include "mat.h"
#include "rng.h"

struct opts {
	size_t n;
	double missing;
	uint64_t seed;
};

static const char usage_text[] =
	"Usage: fa-sample -n N [OPTION]... < MODEL\n"
	"Draw N users from the factor analysis model in MODEL, a matrix stream holding W\n"
	"(M x K), mean (M x 1) and psi (M x 1) in that order (as ml-faem --model writes;\n"
	"other matrices are skipped): x_i = W z_i + mean + e_i, z_i ~ N(0, I_K),\n"
	"e_i ~ N(0, diag(psi)). Write the M x N f64 matrix whose column i is x_i.\n"
	"User by user, the draws are z_i, then e_i, then the missing-entry coins.\n\n"
	"  -n, --users N      number of users (columns) to draw, >= 1 (required)\n"
	"      --missing P    make each entry missing (NaN) independently with\n"
	"                     probability P, 0 <= P < 1 (default 0)\n"
	"      --seed N       random seed (default 42)\n"
	"      --help         show this help and exit\n"
	"      --version      show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_MISSING = 256, OPT_SEED };
	static const struct option longs[] = {
		{ "users", required_argument, NULL, 'n' },
		{ "missing", required_argument, NULL, OPT_MISSING },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, n_given = 0;

	memset(o, 0, sizeof *o);
	o->seed = RNG_DEFAULT_SEED;
	while ((c = getopt_long(argc, argv, "n:", longs, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->n = (size_t)cli_parse_long(optarg, "--users", 1, (long)MAT_MAX_ELEMS);
			n_given = 1;
			break;
		case OPT_MISSING:
			o->missing = cli_parse_double(optarg, "--missing", 0, 0x1.fffffffffffffp-1);
			break;
		case OPT_SEED: o->seed = cli_parse_seed(optarg); break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (the model is read from standard input)",
			      argv[optind]);
	if (!n_given)
		cli_usage_die("-n N is required");
}

/* Read the model (lib/fa: any order, checked to the end of the stream) or die. */
static void read_model(Mat **W, Mat **mean, Mat **psi)
{
	Err e;

	if (fa_model_read(stdin, W, mean, psi, &e))
		cli_die("standard input: %s", e.msg);
}

/* Every normal draw is below sqrt(-2 ln 2^-53) = 8.5716 in magnitude: Box-Muller's u1 is
 * a multiple of 2^-53 and never 0 (lib/rng.c). */
#define NORMAL_MAX 8.6

/*
 * Refuse, before writing anything, a model that can draw a value beyond double precision:
 * |x_ij| <= |mean_j| + NORMAL_MAX (sqrt(psi_j) + sum_k |W_jk|). The factor on the bound
 * covers the rounding of the K + 2 terms of x_ij and of the bound itself.
 */
static void check_range(const Mat *W, const Mat *mean, const Mat *psi)
{
	size_t M = W->rows, K = W->cols, j, k;
	double b;

	for (j = 0; j < M; j++) {
		b = sqrt(psi->d[j]);
		for (k = 0; k < K; k++)
			b += fabs(MAT_D(W, j, k));
		b = fabs(mean->d[j]) + NORMAL_MAX * b;
		if (!(b * (1 + 2 * (double)(K + 4) * DBL_EPSILON) <= DBL_MAX))
			cli_die("standard input: row %zu can draw values beyond double precision: "
				"|mean| + %g (sqrt(psi) + sum |W|) is %g, above %g", j + 1,
				NORMAL_MAX, b, DBL_MAX);
	}
}

/* Values held at a time (8 MB): the output is written a block of rows, or a piece of one
 * row, at a time, so memory does not grow with N. */
#define CHUNK ((size_t)1 << 20)

/*
 * Draw the whole sequence once more, as the help text orders it, and keep rows j0 ..
 * j0 + buf->rows - 1 of the output in buf, writing buf each time it holds buf->cols users
 * (whole rows when buf->rows > 1). The normals of the other rows are skipped, not
 * computed, so that a pass costs about 2 M raw draws per user plus the kept rows.
 */
static void write_rows(const Mat *W, const Mat *mean, const Mat *psi, size_t j0, Mat *buf,
		       double *z, const struct opts *o)
{
	size_t M = W->rows, K = W->cols, R = buf->rows, C = buf->cols, i, j, k, r, c = 0;
	double v;
	Err e;
	Rng rng;

	rng_seed(&rng, o->seed);
	for (i = 0; i < o->n; i++) {
		for (k = 0; k < K; k++)
			z[k] = rng_normal(&rng);
		rng_skip_normal(&rng, j0);
		for (r = 0; r < R; r++) {
			j = j0 + r;
			v = mean->d[j] + sqrt(psi->d[j]) * rng_normal(&rng);
			for (k = 0; k < K; k++)
				v += MAT_D(W, j, k) * z[k];
			MAT_D(buf, r, c) = v;
		}
		rng_skip_normal(&rng, M - j0 - R);
		if (o->missing > 0)
			for (j = 0; j < M; j++)
				if (rng_uniform(&rng) < o->missing && j >= j0 && j < j0 + R)
					MAT_D(buf, j - j0, c) = NAN;
		if (++c == C || i + 1 == o->n) {
			buf->cols = c;
			if (mat_write_payload(stdout, buf, &e))
				cli_die("%s", e.msg);
			buf->cols = C;
			c = 0;
		}
	}
}

int main(int argc, char **argv)
{
	struct opts o;
	Mat *W, *mean, *psi, *buf;
	MatHeader h = { MAT_F64, 0, 0, "X" };
	double *z;
	size_t M, K, R, j0;
	Err e;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	read_model(&W, &mean, &psi);
	check_range(W, mean, psi);
	M = W->rows, K = W->cols;
	if (M > 0 && o.n > MAT_MAX_ELEMS / M)
		cli_die("a %zu x %zu output exceeds the limit of %zu values", M, o.n, MAT_MAX_ELEMS);
	/* R rows of N users fit CHUNK, or one row is written CHUNK users at a time */
	R = o.n >= CHUNK ? 1 : CHUNK / o.n < M ? CHUNK / o.n : M;
	buf = mat_new_or_die(R ? R : 1, R > 1 || o.n < CHUNK ? o.n : CHUNK, MAT_F64, "X");
	z = calloc(K + 1, sizeof *z);
	if (!z)
		cli_die("out of memory");
	h.rows = M;
	h.cols = o.n;
	if (mat_write_header(stdout, &h, &e))
		cli_die("%s", e.msg);
	for (j0 = 0; j0 < M; j0 += buf->rows) {
		buf->rows = M - j0 < R ? M - j0 : R;
		write_rows(W, mean, psi, j0, buf, z, &o);
	}
	free(z);
	mat_free(W);
	mat_free(mean);
	mat_free(psi);
	mat_free(buf);
	return cli_finish();
}
