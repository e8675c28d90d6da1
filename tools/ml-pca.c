/* ml-pca: rank-K PCA reconstruction of a complete movies x users matrix. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mat.h"
#include "pca.h"

struct opts {
	size_t k_first, k_last; /* -k K gives K twice */
	PcaMethod method;
	const char *scores, *components, *variance;
};

static const char usage_text[] =
	"Usage: ml-pca -k K|FIRST-LAST [OPTION]... < MATRIX\n"
	"Principal component analysis of a complete M x N matrix (movies x users): the\n"
	"users are the observations and the movies the features. Each row is centred by\n"
	"its mean, the top K principal directions are found by SVD, and the rank-K\n"
	"reconstruction (means added back) is written as an M x N f64 matrix named\n"
	"'pca_kK'. With a range, one decomposition gives every K from FIRST to LAST: one\n"
	"matrix per K, in order, each the bytes -k K alone writes (by eig: the same to\n"
	"rounding). Missing (NaN) entries are refused: fill them first (ml-impute). Each\n"
	"direction's sign makes its largest-magnitude entry positive.\n\n"
	"  -k, --rank K            number of components, 1 <= K <= min(M, N) (required);\n"
	"                          FIRST-LAST for every K of a range (e.g. 1-15)\n"
	"      --method METHOD     svd: SVD of the centred data (default);\n"
	"                          eig: eigenvectors of the M x M covariance (refused\n"
	"                          for M > N when M > 4096: the covariance outgrows\n"
	"                          the data)\n"
	"      --scores FILE       also write the users' scores, N x K, named 'scores'\n"
	"      --components FILE   also write the directions, M x K orthonormal columns,\n"
	"                          named 'components'\n"
	"      --variance FILE     also write K x 2 'variance': each direction's variance\n"
	"                          (eigenvalue of the covariance, divisor N-1) and its\n"
	"                          fraction of the total variance\n"
	"                          (with a range, the side files are those of K = LAST)\n"
	"  -q, --quiet             no summary line on stderr\n"
	"      --help              show this help and exit\n"
	"      --version           show the version and exit\n";

/* -k K, or -k FIRST-LAST with FIRST <= LAST: each a checked integer, 1 <= K. */
static void parse_rank(const char *text, struct opts *o)
{
	char q[ERR_SHOW_LEN], what[ERR_SHOW_LEN + 32], first[ERR_SHOW_LEN];
	const char *dash = strchr(text, '-');
	size_t n = dash ? (size_t)(dash - text) : 0;

	if (n == 0) {
		/* no range ("-5" is a number, out of range, not an empty FIRST) */
		o->k_first = o->k_last = (size_t)cli_parse_long(text, "-k", 1, (long)MAT_MAX_ELEMS);
		return;
	}
	err_show(q, sizeof q, text);
	if (dash[1] == '\0' || n >= sizeof first)
		cli_usage_die("-k '%s' is not K or FIRST-LAST (e.g. 1-15)", q);
	memcpy(first, text, n);
	first[n] = '\0';
	snprintf(what, sizeof what, "-k '%s': FIRST", q);
	o->k_first = (size_t)cli_parse_long(first, what, 1, (long)MAT_MAX_ELEMS);
	snprintf(what, sizeof what, "-k '%s': LAST", q);
	o->k_last = (size_t)cli_parse_long(dash + 1, what, 1, (long)MAT_MAX_ELEMS);
	if (o->k_first > o->k_last)
		cli_usage_die("-k '%s' is an empty range: FIRST %zu is above LAST %zu", q,
			      o->k_first, o->k_last);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_METHOD = 256, OPT_SCORES, OPT_COMPONENTS, OPT_VARIANCE };
	static const struct option longs[] = {
		{ "rank", required_argument, NULL, 'k' },
		{ "method", required_argument, NULL, OPT_METHOD },
		{ "scores", required_argument, NULL, OPT_SCORES },
		{ "components", required_argument, NULL, OPT_COMPONENTS },
		{ "variance", required_argument, NULL, OPT_VARIANCE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, k_given = 0;

	memset(o, 0, sizeof *o);
	o->method = PCA_SVD;
	while ((c = getopt_long(argc, argv, "k:q", longs, NULL)) != -1) {
		switch (c) {
		case 'k':
			parse_rank(optarg, o);
			k_given = 1;
			break;
		case OPT_METHOD:
			if (strcmp(optarg, "svd") == 0)
				o->method = PCA_SVD;
			else if (strcmp(optarg, "eig") == 0)
				o->method = PCA_EIG;
			else
				cli_usage_die("--method '%s' is not svd or eig", optarg);
			break;
		case OPT_SCORES: o->scores = cli_parse_path(optarg, "--scores"); break;
		case OPT_COMPONENTS: o->components = cli_parse_path(optarg, "--components"); break;
		case OPT_VARIANCE: o->variance = cli_parse_path(optarg, "--variance"); break;
		case 'q': cli_set_quiet(1); break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (the matrix is read from standard input)",
			      argv[optind]);
	if (!k_given)
		cli_usage_die("-k K is required");
	cli_distinct_paths((const char *const[]){ o->scores, o->components, o->variance },
			   (const char *const[]){ "--scores", "--components", "--variance" }, 3);
}

/* Read the input, checking -k against its shape as soon as the header is known. */
static Mat *read_input(const struct opts *o)
{
	MatHeader h;
	Err e;
	Mat *x;
	size_t i, j, r;
	int status = mat_read_header(stdin, &h, &e);

	if (status > 0)
		cli_die("standard input: no matrix (empty stream)");
	if (status < 0)
		cli_die("standard input: %s", e.msg);
	r = h.rows < h.cols ? h.rows : h.cols;
	if (o->k_last > r && o->k_first == o->k_last)
		cli_die("-k %zu exceeds min(rows, columns) = %zu of the %zu x %zu input", o->k_last,
			r, h.rows, h.cols);
	if (o->k_last > r)
		cli_die("-k %zu-%zu: LAST exceeds min(rows, columns) = %zu of the %zu x %zu input",
			o->k_first, o->k_last, r, h.rows, h.cols);
	if (o->method == PCA_EIG && pca_eig_check(h.rows, h.cols, &e))
		cli_die("--method eig: %s", e.msg);
	if (mat_read_payload(stdin, &h, &x, &e) || mat_convert(x, MAT_F64, &e))
		cli_die("standard input: %s", e.msg);
	mat_read_end_or_die(stdin, "standard input");
	for (i = 0; i < x->rows; i++)
		for (j = 0; j < x->cols; j++) {
			double v = MAT_D(x, i, j);
			if (isnan(v))
				cli_die("standard input: entry (%zu, %zu) is missing (NaN): PCA needs a "
					"complete matrix (fill it with ml-impute)", i + 1, j + 1);
			if (!isfinite(v))
				cli_die("standard input: entry (%zu, %zu) is infinite", i + 1, j + 1);
		}
	return x;
}

/* Write an r x c array as the only matrix of a side file; the caller commits it once
 * standard output is written, so a failure leaves no side file behind. */
static FILE *write_side(const char *path, const char *name, const double *v, size_t r,
			size_t c)
{
	Mat *m;
	FILE *f;

	if (!path)
		return NULL;
	m = mat_new_or_die(r, c, MAT_F64, name);
	if (r > 0 && c > 0)
		memcpy(m->d, v, r * c * sizeof *v);
	f = cli_open_write(path);
	mat_write_or_die(f, m);
	mat_free(m);
	return f;
}

/* K x 2: each direction's variance and its fraction of the total; *explained = their sum. */
static Mat *variance_table(const Pca *p, double *explained)
{
	Mat *var = mat_new_or_die(p->K, 2, MAT_F64, "variance");
	size_t k;

	*explained = 0;
	for (k = 0; k < p->K; k++) {
		MAT_D(var, k, 0) = p->variance[k];
		MAT_D(var, k, 1) = p->fraction[k];
		*explained += MAT_D(var, k, 1);
	}
	*explained = fmin(*explained, 1.0);
	return var;
}

int main(int argc, char **argv)
{
	struct opts o;
	Mat *x, *y, *var;
	FILE *side[3];
	Pca *p;
	Err e;
	char name[MAT_NAME_MAX + 1];
	double t0, explained;
	size_t k;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	t0 = cli_seconds();
	x = read_input(&o);
	/* One fit with the largest K; every smaller K uses its leading columns (pca.h). */
	if (pca_fit(&p, x->d, x->rows, x->cols, o.k_last, o.method, &e))
		cli_die("%s", e.msg);
	var = variance_table(p, &explained);
	side[0] = write_side(o.scores, "scores", p->scores, p->N, p->K);
	side[1] = write_side(o.components, "components", p->components, p->M, p->K);
	side[2] = write_side(o.variance, "variance", var->d, p->K, 2);

	y = mat_new_or_die(x->rows, x->cols, MAT_F64, "pca");
	for (k = o.k_first; k <= o.k_last; k++) {
		snprintf(name, sizeof name, "pca_k%zu", k);
		if (mat_rename(y, name, &e))
			cli_die("%s", e.msg);
		pca_reconstruct(y->d, p, k);
		mat_write_or_die(stdout, y);
	}
	/* The side files are committed only once standard output is known to be written. */
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die("error writing standard output: %s", strerror(errno));
	for (k = 0; k < 3; k++)
		cli_commit(side[k]);
	if (o.k_first == o.k_last)
		cli_progress("K=%zu of %zu x %zu: %.2f%% of the variance, %.3f s", o.k_last,
			     x->rows, x->cols, 100 * explained, cli_seconds() - t0);
	else
		cli_progress("K=%zu-%zu of %zu x %zu: %.2f%% of the variance at K=%zu, %.3f s",
			     o.k_first, o.k_last, x->rows, x->cols, 100 * explained, o.k_last,
			     cli_seconds() - t0);
	mat_free(var);
	mat_free(x);
	mat_free(y);
	pca_free(p);
	return cli_finish();
}
