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
	size_t k;
	PcaMethod method;
	const char *scores, *components, *variance;
};

static const char usage_text[] =
	"Usage: ml-pca -k K [OPTION]... < MATRIX\n"
	"Principal component analysis of a complete M x N matrix (movies x users): the\n"
	"users are the observations and the movies the features. Each row is centred by\n"
	"its mean, the top K principal directions are found by SVD, and the rank-K\n"
	"reconstruction (means added back) is written as an M x N f64 matrix. Missing\n"
	"(NaN) entries are refused: fill them first (ml-impute). Each direction's sign\n"
	"makes its largest-magnitude entry positive.\n\n"
	"  -k, --rank K            number of components, 1 <= K <= min(M, N) (required)\n"
	"      --method METHOD     svd: SVD of the centred data (default);\n"
	"                          eig: eigenvectors of the M x M covariance\n"
	"      --scores FILE       also write the users' scores, N x K, named 'scores'\n"
	"      --components FILE   also write the directions, M x K orthonormal columns,\n"
	"                          named 'components'\n"
	"      --variance FILE     also write K x 2 'variance': each direction's variance\n"
	"                          (eigenvalue of the covariance, divisor N-1) and its\n"
	"                          fraction of the total variance\n"
	"  -q, --quiet             no summary line on stderr\n"
	"      --help              show this help and exit\n"
	"      --version           show the version and exit\n";

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
			o->k = (size_t)cli_parse_long(optarg, "-k", 1, (long)MAT_MAX_ELEMS);
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
		case OPT_SCORES: o->scores = optarg; break;
		case OPT_COMPONENTS: o->components = optarg; break;
		case OPT_VARIANCE: o->variance = optarg; break;
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
}

/* Read the input, checking -k against its shape as soon as the header is known. */
static Mat *read_input(size_t k)
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
	if (k > r)
		cli_die("-k %zu exceeds min(rows, columns) = %zu of the %zu x %zu input", k, r,
			h.rows, h.cols);
	if (mat_read_payload(stdin, &h, &x, &e) || mat_convert(x, MAT_F64, &e))
		cli_die("standard input: %s", e.msg);
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

int main(int argc, char **argv)
{
	struct opts o;
	Mat *x, *y, *var;
	FILE *side[3];
	Pca *p;
	Err e;
	char name[MAT_NAME_MAX + 1];
	double t0, explained = 0;
	size_t k;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	t0 = cli_seconds();
	x = read_input(o.k);
	if (pca_fit(&p, x->d, x->rows, x->cols, o.k, o.method, &e))
		cli_die("%s", e.msg);

	var = mat_new_or_die(o.k, 2, MAT_F64, "variance");
	for (k = 0; k < o.k; k++) {
		MAT_D(var, k, 0) = p->variance[k];
		MAT_D(var, k, 1) = p->total > 0 ? p->variance[k] / p->total : 0;
		explained += MAT_D(var, k, 1);
	}
	side[0] = write_side(o.scores, "scores", p->scores, p->N, p->K);
	side[1] = write_side(o.components, "components", p->components, p->M, p->K);
	side[2] = write_side(o.variance, "variance", var->d, o.k, 2);

	snprintf(name, sizeof name, "pca_k%zu", o.k);
	y = mat_new_or_die(x->rows, x->cols, MAT_F64, name);
	pca_reconstruct(y->d, p);
	mat_write_or_die(stdout, y);
	/* The side files are committed only once standard output is known to be written. */
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die("error writing standard output: %s", strerror(errno));
	for (k = 0; k < 3; k++)
		cli_commit(side[k]);
	cli_progress("K=%zu of %zu x %zu: %.2f%% of the variance, %.3f s", o.k, x->rows, x->cols,
		     100 * explained, cli_seconds() - t0);
	mat_free(var);
	mat_free(x);
	mat_free(y);
	pca_free(p);
	return cli_finish();
}
