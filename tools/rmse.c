/* rmse: root mean squared error of predictions over the observed entries of TEST. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mat.h"
#include "rmse.h"

struct opts {
	int count, names;
	const char *test;
};

/* One line of output: a prediction matrix's name, RMSE and observed count. */
typedef struct {
	char name[MAT_NAME_MAX + 1];
	double rmse;
	size_t count;
} Result;

static const char usage_text[] =
	"Usage: rmse [OPTION]... TEST < PREDICTIONS\n"
	"Print the root mean squared error of the predictions over the entries observed\n"
	"(not NaN) in the matrix in file TEST. Standard input holds one or more prediction\n"
	"matrices: one line for each, in order, printed once every one has been read. Each\n"
	"must have TEST's shape; a prediction that is NaN where TEST is observed is an\n"
	"error. The number is printed with the fewest %.Ng digits (at most 17) that read\n"
	"back to the same double.\n\n"
	"  -c, --count    also print the number of observed entries: 'RMSE<TAB>COUNT'\n"
	"  -n, --names    begin each line with the prediction matrix's name and a TAB\n"
	"      --help     show this help and exit\n"
	"      --version  show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "count", no_argument, NULL, 'c' }, { "names", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, "cn", longs, NULL)) != -1) {
		switch (c) {
		case 'c': o->count = 1; break;
		case 'n': o->names = 1; break;
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

/*
 * The next prediction matrix, or NULL at the end of the stream (an error before the
 * first). Its shape is checked against TEST as soon as its header is read. Messages
 * about the second and later matrices begin with `where`, which this fills in: "matrix
 * 2 ('pca_k2'): "; about the first, with nothing, as when it is the only one.
 */
static Mat *read_predictions(const Mat *test, const char *test_path, size_t index,
			     char *where, size_t len)
{
	MatHeader h;
	Mat *pred;
	Err e;
	int r = mat_read_header(stdin, &h, &e);

	if (index > 0)
		snprintf(where, len, "matrix %zu: ", index + 1);
	if (r < 0)
		cli_die("standard input: %s%s", where, e.msg);
	if (r > 0 && index == 0)
		cli_die("standard input: no matrix (empty stream)");
	if (r > 0)
		return NULL;
	if (index > 0)
		snprintf(where, len, "matrix %zu ('%s'): ", index + 1, h.name);
	if (h.rows != test->rows || h.cols != test->cols)
		cli_die("%sthe predictions are %zu x %zu but TEST '%s' is %zu x %zu", where, h.rows,
			h.cols, test_path, test->rows, test->cols);
	if (mat_read_payload(stdin, &h, &pred, &e))
		cli_die("standard input: %s%s", where, e.msg);
	return pred;
}

/* Append r to the growing array *v of *n results. */
static void push_result(Result **v, size_t *n, size_t *cap, const Result *r)
{
	Result *w;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		w = *cap <= SIZE_MAX / sizeof *w ? realloc(*v, *cap * sizeof *w) : NULL;
		if (!w)
			cli_die("out of memory after %zu prediction matrices", *n);
		*v = w;
	}
	(*v)[(*n)++] = *r;
}

int main(int argc, char **argv)
{
	struct opts o;
	FILE *f;
	Mat *test, *pred;
	Result r, *res = NULL;
	size_t n = 0, cap = 0, i;
	char buf[40], where[MAT_NAME_MAX + 48] = "";
	Err e;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	f = cli_open_read(o.test);
	test = mat_read_or_die(f, o.test, 0);
	mat_read_end_or_die(f, o.test);
	fclose(f);
	/* One matrix at a time; nothing is printed until the whole stream has passed. */
	while ((pred = read_predictions(test, o.test, n, where, sizeof where))) {
		if (rmse_observed(pred, test, &r.rmse, &r.count, &e))
			cli_die("%s%s", where, e.msg);
		memcpy(r.name, pred->name, sizeof r.name);
		push_result(&res, &n, &cap, &r);
		mat_free(pred);
	}
	for (i = 0; i < n; i++) {
		mat_format_value(buf, sizeof buf, res[i].rmse, MAT_F64);
		if (o.names)
			printf("%s\t", res[i].name);
		if (o.count)
			printf("%s\t%zu\n", buf, res[i].count);
		else
			printf("%s\n", buf);
	}
	free(res);
	mat_free(test);
	return cli_finish();
}
