/* mat-print: a matrix stream as TAB-separated text, for people, awk and gnuplot. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mat.h"

struct opts {
	int header;
	int info;
	const char *only;
};

static const char usage_text[] =
	"Usage: mat-print [OPTION]... < STREAM\n"
	"Print every matrix of a matrix stream as rows of TAB-separated numbers, each with\n"
	"the fewest %.Ng digits that read back to the same value (nan marks a missing\n"
	"entry; any NaN prints as nan).\n\n"
	"  -H, --header     before each matrix, a line '# NAME ROWS COLS TYPE'\n"
	"                   (mat-from-text reads this form back into the same bytes)\n"
	"  -i, --info       print only the header line of each matrix (no values)\n"
	"  -n, --name NAME  print only the matrices named NAME (default: all)\n"
	"      --help       show this help and exit\n"
	"      --version    show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "header", no_argument, NULL, 'H' }, { "info", no_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },	{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, "Hin:", longs, NULL)) != -1) {
		switch (c) {
		case 'H': o->header = 1; break;
		case 'i': o->info = 1; break;
		case 'n':
			if (!mat_name_ok(optarg))
				cli_usage_die("--name '%s' is not a valid matrix name", optarg);
			o->only = optarg;
			break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (the stream is read from standard input)",
			      argv[optind]);
}

int main(int argc, char **argv)
{
	struct opts o;
	MatHeader h;
	Err e;
	Mat *m;
	int r, matched = 0;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	while ((r = mat_read_header(stdin, &h, &e)) == 0) {
		int wanted = !o.only || strcmp(h.name, o.only) == 0;
		matched += wanted;
		if (!wanted || o.info) {
			if (wanted)
				printf("# %s %zu %zu %s\n", h.name, h.rows, h.cols,
				       mat_type_name(h.type));
			if (mat_skip_payload(stdin, &h, &e))
				cli_die("standard input: %s", e.msg);
			continue;
		}
		if (mat_read_payload(stdin, &h, &m, &e))
			cli_die("standard input: %s", e.msg);
		if (mat_write_text(stdout, m, o.header, &e))
			cli_die("%s", e.msg);
		mat_free(m);
	}
	if (r < 0)
		cli_die("standard input: %s", e.msg);
	if (o.only && !matched)
		cli_die("no matrix named '%s' in the stream", o.only);
	return cli_finish();
}
