/* mat-from-text: TAB- or space-separated text to a matrix stream; mat-print's inverse. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mat.h"

struct opts {
	MatType type;
	const char *name;
};

/* The matrix being collected: values arrive row by row, so memory follows the text,
 * never a declared size. */
struct pending {
	int active, declared;
	MatType type;
	char name[MAT_NAME_MAX + 1];
	size_t rows, cols, want_rows;
	double *v;
	size_t n, cap;
	long line;
};

static const char usage_text[] =
	"Usage: mat-from-text [OPTION]... < TEXT\n"
	"Read numbers, one matrix row per line separated by tabs or spaces, and write\n"
	"a matrix stream. A line '# NAME ROWS COLS TYPE' (as mat-print --header writes)\n"
	"starts a new matrix of that shape; lines before any such header form a matrix\n"
	"named by --name. 'nan' marks a missing entry; blank lines are ignored, except\n"
	"that the rows of a declared matrix with 0 columns are blank lines. A number that\n"
	"would round to infinity, or to 0 when it is not 0, is an error.\n\n"
	"  -t, --type TYPE  element type without a header line: f32 or f64 (default f64)\n"
	"  -n, --name NAME  name without a header line (default X)\n"
	"      --help       show this help and exit\n"
	"      --version    show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "type", required_argument, NULL, 't' }, { "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },	  { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->type = MAT_F64;
	o->name = "X";
	while ((c = getopt_long(argc, argv, "t:n:", longs, NULL)) != -1) {
		switch (c) {
		case 't':
			if (mat_type_parse(optarg, &o->type))
				cli_usage_die("--type '%s' is not f32 or f64", optarg);
			break;
		case 'n':
			if (!mat_name_ok(optarg))
				cli_usage_die("--name '%s' is not a valid matrix name", optarg);
			o->name = optarg;
			break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (text is read from standard input)",
			      argv[optind]);
}

static void flush_pending(struct pending *p)
{
	Mat *m;
	size_t i;

	if (!p->active)
		return;
	if (p->declared && p->rows != p->want_rows)
		cli_die("line %ld: matrix '%s' declares %zu rows but has %zu", p->line, p->name,
			p->want_rows, p->rows);
	m = mat_new_or_die(p->rows, p->cols, p->type, p->name);
	for (i = 0; i < p->n; i++)
		mat_set(m, i / p->cols, i % p->cols, p->v[i]);
	mat_write_or_die(stdout, m);
	mat_free(m);
	p->active = 0;
	p->n = 0;
}

static void start_pending(struct pending *p, const char *name, MatType type, int declared,
			  size_t rows, size_t cols)
{
	p->active = 1;
	p->declared = declared;
	p->type = type;
	strcpy(p->name, name);
	p->rows = 0;
	p->want_rows = rows;
	p->cols = cols;
	p->n = 0;
}

/* "# NAME ROWS COLS TYPE" */
static void parse_header_line(char *s, long line, struct pending *p)
{
	char *tok[5], *save = NULL, *end, q[ERR_SHOW_LEN];
	unsigned long long rc[2];
	MatType type;
	int n = 0, k;

	for (char *t = strtok_r(s + 1, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 4)
			cli_die("line %ld: header has more than 4 fields (want '# NAME ROWS COLS TYPE')",
				line);
		tok[n++] = t;
	}
	if (n != 4)
		cli_die("line %ld: bad header (want '# NAME ROWS COLS TYPE')", line);
	if (!mat_name_ok(tok[0]))
		cli_die("line %ld: bad matrix name '%s'", line, err_show(q, sizeof q, tok[0]));
	for (k = 0; k < 2; k++) {
		errno = 0;
		rc[k] = strtoull(tok[1 + k], &end, 10);
		if (*tok[1 + k] == '-' || end == tok[1 + k] || *end || errno)
			cli_die("line %ld: bad %s count '%s'", line, k ? "column" : "row",
				err_show(q, sizeof q, tok[1 + k]));
	}
	if (rc[0] > MAT_MAX_ELEMS || rc[1] > MAT_MAX_ELEMS ||
	    (rc[0] && rc[1] > MAT_MAX_ELEMS / rc[0]))
		cli_die("line %ld: %llu x %llu exceeds the limit of %zu elements", line, rc[0], rc[1],
			MAT_MAX_ELEMS);
	if (mat_type_parse(tok[3], &type))
		cli_die("line %ld: unknown type '%s' (expected f32 or f64)", line,
			err_show(q, sizeof q, tok[3]));
	flush_pending(p);
	start_pending(p, tok[0], type, 1, (size_t)rc[0], (size_t)rc[1]);
}

/*
 * Field `field` of a line as a value of the given type: the nearest one to the literal,
 * rounded once (strtof for f32). 'inf', 'nan' and their signed forms are taken as they
 * are. A finite literal that would round to infinity, or a nonzero one that would round
 * to zero, is an error rather than a silent change of the data; one that rounds to a
 * subnormal is kept (mat-print writes those).
 */
static double parse_value(const char *t, MatType type, long line, size_t field)
{
	char *end, q[ERR_SHOW_LEN];
	double v;

	errno = 0;
	v = type == MAT_F32 ? (double)strtof(t, &end) : strtod(t, &end);
	if (end == t || *end)
		cli_die("line %ld: field %zu '%s' is not a number", line, field,
			err_show(q, sizeof q, t));
	if (errno == ERANGE && (isinf(v) || v == 0))
		cli_die("line %ld: field %zu '%s' is too %s for %s (it would round to %s)", line,
			field, err_show(q, sizeof q, t), v == 0 ? "small" : "large",
			mat_type_name(type), v == 0 ? "0" : v > 0 ? "inf" : "-inf");
	return v;
}

static void parse_data_line(char *s, long line, struct pending *p, const struct opts *o)
{
	char *save = NULL;
	size_t fields = 0;
	double v;

	if (!p->active)
		start_pending(p, o->name, o->type, 0, 0, 0);
	if (p->declared && p->rows == p->want_rows)
		cli_die("line %ld: matrix '%s' declares %zu rows but has more", line, p->name,
			p->want_rows);
	for (char *t = strtok_r(s, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		v = parse_value(t, p->type, line, fields + 1);
		if (p->n == p->cap) {
			size_t cap = p->cap ? 2 * p->cap : 1024;
			double *nv;
			if (cap > MAT_MAX_ELEMS)
				cli_die("line %ld: more than %zu values", line, MAT_MAX_ELEMS);
			nv = realloc(p->v, cap * sizeof *nv);
			if (!nv)
				cli_die("out of memory at line %ld", line);
			p->v = nv;
			p->cap = cap;
		}
		p->v[p->n++] = v;
		fields++;
	}
	if (!p->declared && p->rows == 0)
		p->cols = fields;
	if (fields != p->cols)
		cli_die("line %ld: %zu fields, but matrix '%s' has %zu columns", line, fields,
			p->name, p->cols);
	p->rows++;
	p->line = line;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct pending p = { 0 };
	char *buf = NULL, *s;
	size_t cap = 0;
	ssize_t len;
	long line = 0;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	while ((len = getline(&buf, &cap, stdin)) != -1) {
		line++;
		if (memchr(buf, '\0', (size_t)len))
			cli_die("line %ld: contains a NUL byte (this is not text)", line);
		for (s = buf; *s == ' ' || *s == '\t'; s++)
			;
		if (*s == '\n' || *s == '\r' || *s == '\0') {
			/* The rows of a declared matrix with 0 columns are blank lines, as mat-print
			 * writes them; any other blank line is ignored. */
			if (p.active && p.declared && p.cols == 0 && p.rows < p.want_rows) {
				p.rows++;
				p.line = line;
			}
			continue;
		}
		if (*s == '#')
			parse_header_line(s, line, &p);
		else
			parse_data_line(s, line, &p, &o);
		p.line = line;
	}
	if (ferror(stdin))
		cli_die("read error on standard input");
	if (!p.active)
		cli_die("no input (the text is empty or blank)");
	flush_pending(&p);
	free(buf);
	free(p.v);
	return cli_finish();
}
