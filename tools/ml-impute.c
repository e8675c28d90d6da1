/* ml-impute: replace the missing (NaN) entries of a matrix by their row's mean. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "impute.h"
#include "mat.h"

struct opts {
	int mean_given;
	int quiet;
};

static const char usage_text[] =
	"Usage: ml-impute --mean [OPTION]... < STREAM\n"
	"Read one matrix (movies x users ratings, NaN where unrated) and write it with\n"
	"every NaN filled; the type (f32 or f64) and name are kept.\n\n"
	"  -m, --mean     fill each NaN with the mean observed value of its row (the\n"
	"                 movie's mean rating); a row with no observed value gets the\n"
	"                 mean of all observed values, said on standard error (required:\n"
	"                 the only method so far)\n"
	"  -q, --quiet    do not report rows filled with the global mean\n"
	"      --help     show this help and exit\n"
	"      --version  show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "mean", no_argument, NULL, 'm' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, "mq", longs, NULL)) != -1) {
		switch (c) {
		case 'm': o->mean_given = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (the stream is read from standard input)",
			      argv[optind]);
	if (!o->mean_given)
		cli_usage_die("no method given (use --mean)");
}

int main(int argc, char **argv)
{
	struct opts o;
	ImputeReport rep;
	char mean[40];
	Mat *m;
	Err e;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	cli_set_quiet(o.quiet);
	m = mat_read_or_die(stdin, "standard input", 0);
	mat_read_end_or_die(stdin, "standard input");
	if (impute_row_mean(m, &rep, &e))
		cli_die("matrix '%s': %s", m->name, e.msg);
	if (rep.empty_rows) {
		mat_format_value(mean, sizeof mean, rep.global_mean, MAT_F64);
		cli_progress("%zu row%s with no observed value (the first is row %zu) filled with "
			     "the global mean %s",
			     rep.empty_rows, rep.empty_rows == 1 ? "" : "s", rep.first_empty + 1, mean);
	}
	mat_write_or_die(stdout, m);
	mat_free(m);
	return cli_finish();
}
