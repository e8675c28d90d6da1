/* ppca-fit: maximum-likelihood probabilistic PCA of the rows of a matrix (closed form). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mat.h"
#include "ppca.h"

struct opts {
	size_t K;
	const char *loglik_path;
};

static const char usage_text[] =
	"Usage: ppca-fit -k K [OPTION]... < DATA > MODEL\n"
	"Fit probabilistic PCA (Tipping and Bishop 1999) to the rows of the one matrix on\n"
	"standard input (N x D, f32 or f64, no missing entries) by maximum likelihood, in\n"
	"closed form: mean = the sample mean, sigma2 = the mean of the D - K smallest\n"
	"eigenvalues of the sample covariance, W = U_K (L_K - sigma2 I)^(1/2). Write the\n"
	"model stream 'model:ppca', 'mean' 1 x D, 'W' D x K, 'sigma2' 1 x 1, in the input's\n"
	"element type. The rows are centred and scaled by a power of 2 (undone exactly), so\n"
	"no step overflows or underflows; when N < D the eigenvalues come from the N x N Gram\n"
	"matrix of the centred rows instead of the D x D covariance (the same nonzero ones),\n"
	"so time and memory grow with min(N, D)^2. Needs N >= K + 2 rows.\n\n"
	"  -k, --latent K     latent dimensions, 1 <= K < D (required)\n"
	"  -l, --loglik FILE  also write the average log-likelihood of the data under the\n"
	"                     fitted model (nats per row) to FILE, as one line of text\n"
	"  -q, --quiet        no progress lines (one as each long step begins, and a\n"
	"                     summary) on standard error\n"
	"      --help         show this help and exit\n"
	"      --version      show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "latent", required_argument, NULL, 'k' }, { "loglik", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },	    { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },	    { NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, "k:l:q", longs, NULL)) != -1) {
		switch (c) {
		case 'k': o->K = (size_t)cli_parse_long(optarg, "-k", 1, 1000000); break;
		case 'l': o->loglik_path = optarg; break;
		case 'q': cli_set_quiet(1); break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (!o->K)
		cli_usage_die("missing -k K (the number of latent dimensions)");
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (the data are read from standard input)",
			      argv[optind]);
}

/* A progress line as each long step of the fit begins, with the seconds so far. */
static void report_step(void *ctx, const char *step)
{
	cli_progress("%.2f s: %s", cli_seconds() - *(const double *)ctx, step);
}

int main(int argc, char **argv)
{
	struct opts o;
	MatHeader h;
	Mat *X;
	Ppca *p;
	Err e;
	FILE *ll = NULL;
	double loglik, t0 = cli_seconds();
	int r;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	/* Side files first: a path that cannot be written fails before any work or output. */
	if (o.loglik_path)
		ll = cli_open_write(o.loglik_path);
	r = mat_read_header(stdin, &h, &e);
	if (r != 0)
		cli_die("standard input: %s", r > 0 ? "no matrix (empty stream)" : e.msg);
	if (o.K >= h.cols)
		cli_die("-k %zu must be less than the %zu columns of the input", o.K, h.cols);
	if (h.rows < o.K + 2)
		cli_die("the input has %zu rows; PPCA with K = %zu needs at least K + 2 = %zu (N "
			"centred rows span at most N - 1 dimensions)", h.rows, o.K, o.K + 2);
	if (mat_read_payload(stdin, &h, &X, &e))
		cli_die("standard input: %s", e.msg);
	mat_read_end_or_die(stdin, "standard input");
	if (ppca_fit(X, o.K, &p, ll ? &loglik : NULL, report_step, &t0, &e) ||
	    ppca_check_type(p, X->type, &e))
		cli_die("%s", e.msg);
	/* The side file is complete before the model goes out, so a failure to write it
	 * leaves nothing on standard output. */
	if (ll) {
		fprintf(ll, "%.10g\n", loglik);
		cli_commit(ll);
	}
	if (ppca_write(stdout, p, X->type, &e))
		cli_die("%s", e.msg);
	if (ll) {
		cli_progress("%zu x %zu, K = %zu: sigma2 = %.6g, average log-likelihood %.6g (%.2f s)",
			     X->rows, X->cols, o.K, p->sigma2, loglik, cli_seconds() - t0);
	} else {
		cli_progress("%zu x %zu, K = %zu: sigma2 = %.6g (%.2f s)", X->rows, X->cols, o.K,
			     p->sigma2, cli_seconds() - t0);
	}
	ppca_free(p);
	mat_free(X);
	return cli_finish();
}
