/* rmse: root mean squared error of predictions over the observed entries of TEST. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "mat.h"
#include "rmse.h"

struct opts {
	int count;
	const char *test;
};

static const char usage_text[] =
	"Usage: rmse [OPTION]... TEST < PREDICTIONS\n"
	"Print the root mean squared error of the predictions (one matrix on standard\n"
	"input) over the entries observed (not NaN) in the matrix in file TEST. The two\n"
	"must have the same shape; a prediction that is NaN where TEST is observed is an\n"
	"error. The number is printed with the fewest %.Ng digits (at most 17) that read\n"
	"back to the same double.\n\n"
	"  -c, --count    also print the number of observed entries: 'RMSE<TAB>COUNT'\n"
	"      --help     show this help and exit\n"
	"      --version  show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "count", no_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, "c", longs, NULL)) != -1) {
		switch (c) {
		case 'c': o->count = 1; break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind == argc)
		cli_usage_die("missing operand TEST (the test matrix file)");
	if (argc - optind > 1)
		cli_usage_die("unexpected operand '%s' (only TEST)", argv[optind + 1]);
	o->test = argv[optind];
	if (strcmp(o->test, "-") == 0)
		cli_usage_die("TEST cannot be standard input (the predictions are read from there)");
}

/* The predictions: the shape is checked against TEST as soon as the header is read. */
static Mat *read_predictions(const Mat *test, const char *test_path)
{
	MatHeader h;
	Mat *pred;
	Err e;
	int r = mat_read_header(stdin, &h, &e);

	if (r < 0)
		cli_die("standard input: %s", e.msg);
	if (r > 0)
		cli_die("standard input: no matrix (empty stream)");
	if (h.rows != test->rows || h.cols != test->cols)
		cli_die("the predictions are %zu x %zu but TEST '%s' is %zu x %zu", h.rows, h.cols,
			test_path, test->rows, test->cols);
	if (mat_read_payload(stdin, &h, &pred, &e))
		cli_die("standard input: %s", e.msg);
	mat_read_end_or_die(stdin, "standard input");
	return pred;
}

int main(int argc, char **argv)
{
	struct opts o;
	FILE *f;
	Mat *test, *pred;
	double rmse;
	size_t count;
	char buf[40];
	Err e;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	f = cli_open_read(o.test);
	test = mat_read_or_die(f, o.test, 0);
	mat_read_end_or_die(f, o.test);
	fclose(f);
	pred = read_predictions(test, o.test);
	if (rmse_observed(pred, test, &rmse, &count, &e))
		cli_die("%s", e.msg);
	mat_format_value(buf, sizeof buf, rmse, MAT_F64);
	if (o.count)
		printf("%s\t%zu\n", buf, count);
	else
		printf("%s\n", buf);
	mat_free(test);
	mat_free(pred);
	return cli_finish();
}
