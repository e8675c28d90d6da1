/* ml-faem: factor analysis of a movies x users matrix with missing entries, by EM. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fa.h"
#include "mat.h"
#include "rng.h"

enum init_mode { INIT_RANDOM, INIT_PCA };

struct opts {
	size_t k, iterations;
	int k_given, init_given, verbose;
	enum init_mode init;
	double tol, scale, min_var;
	uint64_t seed;
	const char *start, *model, *loglik;
};

static const char usage_text[] =
	"Usage: ml-faem -k K [OPTION]... < MATRIX\n"
	"Fit factor analysis x = W z + m + e, z ~ N(0, I_K), e ~ N(0, diag(psi)), to the\n"
	"columns (users) of an M x N matrix (movies x users) by EM, using only the observed\n"
	"entries (NaN = missing; nothing is imputed). Write the prediction W E[z|x] + m of\n"
	"every entry as an M x N f64 matrix. Memory: about 8 (2 K^2 + 4 K) bytes per user\n"
	"(N K x K posterior covariances and sums) plus 12 M N bytes for the input and the\n"
	"prediction (the README gives the exact count).\n\n"
	"  -k, --factors K       number of factors, 1 <= K <= min(M, 100); with --start,\n"
	"                        taken from the model (required otherwise)\n"
	"  -i, --iterations N    EM iterations (M-steps) (default 100)\n"
	"      --tol T           stop early once an iteration raises the log-likelihood by\n"
	"                        at most T times its magnitude (default 0: never)\n"
	"      --init MODE       random: W_jk ~ N(0, S^2), S = --init-scale (default);\n"
	"                        pca: from PCA of the mean-imputed matrix (no randomness)\n"
	"                        either way m and psi start at each movie's observed mean\n"
	"                        and variance\n"
	"      --init-scale S    scale of the random W, in rating units (default 0.1)\n"
	"      --start FILE      start from the W, mean and psi of a model stream (as\n"
	"                        --model writes); with -i 0 this evaluates that model\n"
	"      --min-var V       floor for every psi_j, reported when used (default 1e-3)\n"
	"      --seed N          seed of the random initialisation (default 42)\n"
	"      --model FILE      also write the model: model:fa, W (M x K), mean (M x 1),\n"
	"                        psi (M x 1), codes (N x K: E[z_i|x_i]) and cov ((N K) x K:\n"
	"                        Cov[z_i|x_i] for user i in rows i K .. i K + K - 1)\n"
	"      --loglik FILE     also write one line 'ITERATION<TAB>LOGLIK' per E-step\n"
	"                        (iteration 0 is the starting point)\n"
	"  -v, --verbose         one line per iteration on stderr: the exact observed-data\n"
	"                        log-likelihood, its change, the floored psi count\n"
	"  -q, --quiet           no progress at all (warnings still show)\n"
	"      --help            show this help and exit\n"
	"      --version         show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_TOL = 256, OPT_INIT, OPT_SCALE, OPT_START, OPT_MINVAR, OPT_SEED, OPT_MODEL,
	       OPT_LOGLIK };
	static const struct option longs[] = {
		{ "factors", required_argument, NULL, 'k' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "tol", required_argument, NULL, OPT_TOL },
		{ "init", required_argument, NULL, OPT_INIT },
		{ "init-scale", required_argument, NULL, OPT_SCALE },
		{ "start", required_argument, NULL, OPT_START },
		{ "min-var", required_argument, NULL, OPT_MINVAR },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "loglik", required_argument, NULL, OPT_LOGLIK },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, quiet = 0, scale_given = 0, seed_given = 0;

	memset(o, 0, sizeof *o);
	o->iterations = 100;
	o->scale = 0.1;
	o->min_var = 1e-3;
	o->seed = RNG_DEFAULT_SEED;
	while ((c = getopt_long(argc, argv, "k:i:vq", longs, NULL)) != -1) {
		switch (c) {
		case 'k':
			o->k = (size_t)cli_parse_long(optarg, "-k", 1, FA_MAX_K);
			o->k_given = 1;
			break;
		case 'i':
			o->iterations = (size_t)cli_parse_long(optarg, "--iterations", 0, 1000000);
			break;
		case OPT_TOL: o->tol = cli_parse_double(optarg, "--tol", 0, 1); break;
		case OPT_INIT:
			if (strcmp(optarg, "random") == 0)
				o->init = INIT_RANDOM;
			else if (strcmp(optarg, "pca") == 0)
				o->init = INIT_PCA;
			else
				cli_usage_die("--init '%s' is not random or pca", optarg);
			o->init_given = 1;
			break;
		case OPT_SCALE:
			o->scale = cli_parse_double(optarg, "--init-scale", 0, 1e6);
			scale_given = 1;
			break;
		case OPT_START: o->start = cli_parse_path(optarg, "--start"); break;
		case OPT_MINVAR: o->min_var = cli_parse_double(optarg, "--min-var", 1e-12, 1e12); break;
		case OPT_SEED:
			o->seed = cli_parse_seed(optarg);
			seed_given = 1;
			break;
		case OPT_MODEL: o->model = cli_parse_path(optarg, "--model"); break;
		case OPT_LOGLIK: o->loglik = cli_parse_path(optarg, "--loglik"); break;
		case 'v': o->verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (the matrix is read from standard input)",
			      argv[optind]);
	if (o->verbose && quiet)
		cli_usage_die("--verbose and --quiet contradict each other");
	if (o->start && (o->init_given || scale_given || seed_given))
		cli_usage_die("--start replaces the initialisation: drop --init, --init-scale "
			      "and --seed");
	if (o->init == INIT_PCA && (scale_given || seed_given))
		cli_usage_die("--init pca draws no random numbers: drop --init-scale and --seed");
	if (!o->k_given && !o->start)
		cli_usage_die("-k K is required (or --start FILE)");
	cli_distinct_paths((const char *const[]){ o->model, o->loglik },
			   (const char *const[]){ "--model", "--loglik" }, 2);
	cli_set_quiet(quiet);
}

/*
 * The starting W, mean and psi from the model stream f (--start), read to its end by
 * fa_model_read (lib/fa.h: model:fa, W, mean, psi in any order, codes and cov checked and
 * skipped). Here W must have the input's M rows, -k (if given) must agree with K, and
 * every psi must be positive.
 */
static Fa *read_start(FILE *f, const struct opts *o, size_t M, size_t N)
{
	Mat *W, *mean, *psi;
	size_t K, j;
	Err e;
	Fa *fa;

	if (fa_model_read(f, &W, &mean, &psi, &e))
		cli_die("%s: %s", o->start, e.msg);
	if (f != stdin)
		fclose(f);
	K = W->cols;
	if (W->rows != M)
		cli_die("%s: W has %zu rows but the input has %zu", o->start, W->rows, M);
	if (K < 1 || K > FA_MAX_K || K > M)
		cli_die("%s: W has %zu columns; K must be in [1, min(M, %d)]", o->start, K, FA_MAX_K);
	if (o->k_given && o->k != K)
		cli_die("-k %zu disagrees with the %zu columns of W in %s", o->k, K, o->start);
	for (j = 0; j < M; j++)
		if (!(psi->d[j] > 0))
			cli_die("%s: psi must be positive and finite, mean finite (row %zu)",
				o->start, j + 1);
	fa = fa_new(M, N, K);
	if (!fa)
		cli_die("out of memory for a %zu x %zu model with K = %zu", M, N, K);
	memcpy(fa->W, W->d, M * K * sizeof *fa->W);
	memcpy(fa->mean, mean->d, M * sizeof *fa->mean);
	memcpy(fa->psi, psi->d, M * sizeof *fa->psi);
	mat_free(W);
	mat_free(mean);
	mat_free(psi);
	return fa;
}

/* The input matrix and its observed entries; -k is checked as soon as the header is read. */
static FaData *read_input(const struct opts *o, size_t *M, size_t *N)
{
	MatHeader h;
	Err e;
	Mat *x;
	FaData *d;
	int status = mat_read_header(stdin, &h, &e);

	if (status > 0)
		cli_die("standard input: no matrix (empty stream)");
	if (status < 0)
		cli_die("standard input: %s", e.msg);
	if (o->k_given && o->k > h.rows)
		cli_die("-k %zu exceeds the %zu rows (movies) of the input", o->k, h.rows);
	if (mat_read_payload(stdin, &h, &x, &e) || mat_convert(x, MAT_F64, &e))
		cli_die("standard input: %s", e.msg);
	mat_read_end_or_die(stdin, "standard input");
	if (fa_data_new(&d, x->d, x->rows, x->cols, &e))
		cli_die("standard input: %s", e.msg);
	*M = x->rows, *N = x->cols;
	mat_free(x);
	return d;
}

struct progress {
	FILE *loglik;
	int verbose;
	double prev;
};

static void report(size_t it, double ll, size_t floored, void *ctx)
{
	struct progress *p = ctx;

	if (p->loglik)
		fprintf(p->loglik, "%zu\t%.17g\n", it, ll);
	if (p->verbose)
		cli_progress("iteration %zu loglik %.6f change %+.3e floored %zu", it, ll,
			     it ? ll - p->prev : 0.0, floored);
	p->prev = ll;
}

/* Write the model stream to f, opened (cli_open_write) before the work began. */
static void write_model(FILE *f, const Fa *fa)
{
	const size_t M = fa->M, N = fa->N, K = fa->K;
	const struct { const char *name; const double *v; size_t r, c; } parts[] = {
		{ "W", fa->W, M, K }, { "mean", fa->mean, M, 1 }, { "psi", fa->psi, M, 1 },
		{ "codes", fa->codes, N, K }, { "cov", fa->cov, N * K, K },
	};
	Mat *m = mat_new_or_die(1, 1, MAT_F64, "model:fa");
	size_t i;

	m->d[0] = 1;
	mat_write_or_die(f, m);
	mat_free(m);
	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		m = mat_new_or_die(parts[i].r, parts[i].c, MAT_F64, parts[i].name);
		if (parts[i].r > 0)
			memcpy(m->d, parts[i].v, parts[i].r * parts[i].c * sizeof(double));
		mat_write_or_die(f, m);
		mat_free(m);
	}
}

int main(int argc, char **argv)
{
	struct opts o;
	struct progress prog = { 0 };
	FaData *d;
	Fa *fa;
	Mat *y;
	Rng rng;
	Err e;
	FILE *model = NULL, *start;
	char name[MAT_NAME_MAX + 1];
	size_t M, N, done, floored, j, empty = 0;
	double ll, t0;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	t0 = cli_seconds();
	/* opened first, so a wrong path fails before standard input is read */
	start = o.start ? cli_open_read(o.start) : NULL;
	/* and the side files, so a path that cannot be written fails before any work */
	model = o.model ? cli_open_write(o.model) : NULL;
	prog.loglik = o.loglik ? cli_open_write(o.loglik) : NULL;
	d = read_input(&o, &M, &N);
	if (start) {
		fa = read_start(start, &o, M, N);
	} else {
		if (!(fa = fa_new(M, N, o.k)))
			cli_die("out of memory for a %zu x %zu model with K = %zu", M, N, o.k);
		rng_seed(&rng, o.seed);
		if (o.init == INIT_RANDOM)
			fa_init_random(fa, d, &rng, o.scale, o.min_var);
		else if (fa_init_pca(fa, d, o.min_var, &e))
			cli_die("--init pca: %s", e.msg);
	}
	for (j = 0; j < M; j++)
		empty += d->movie_start[j + 1] == d->movie_start[j];
	if (empty)
		cli_warn("%zu of %zu rows have no observed entry: EM leaves their W, mean and "
			 "psi at the starting values", empty, M);

	prog.verbose = o.verbose;
	if (fa_fit(fa, d, o.iterations, o.tol, o.min_var, report, &prog, &done, &ll, &floored, &e))
		cli_die("%s", e.msg);
	if (floored)
		cli_warn("%zu of %zu noise variances psi reached the floor --min-var %g", floored,
			 M, o.min_var);

	snprintf(name, sizeof name, "fa_k%zu", fa->K);
	y = mat_new_or_die(M, N, MAT_F64, name);
	fa_predict(fa, y->d);
	if (model)
		write_model(model, fa);
	mat_write_or_die(stdout, y);
	/* The side files are committed only once standard output is known to be written. */
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die("error writing standard output: %s", strerror(errno));
	cli_commit(model);
	cli_commit(prog.loglik);
	cli_progress("K=%zu: %zu iterations, log-likelihood %.6f, %zu observed of %zu x %zu, "
		     "%.3f s", fa->K, done, ll, d->nnz, M, N, cli_seconds() - t0);
	mat_free(y);
	fa_free(fa);
	fa_data_free(d);
	return cli_finish();
}
