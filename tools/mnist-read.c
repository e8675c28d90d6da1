/* mnist-read: an IDX file of images or labels (raw or gzip'd) to a matrix stream. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "idx.h"
#include "mat.h"

struct opts {
	const char *path;
	double binarize;          /* < 0: keep b/255 */
	size_t skip, count;
	int count_given;
	int want_kind;            /* 0: either; IDX_IMAGES or IDX_LABELS: refuse the other */
};

static const char usage_text[] =
	"Usage: mnist-read [OPTION]... FILE\n"
	"Read an IDX file of images (magic 2051) or labels (magic 2049), raw or gzip'd, as\n"
	"MNIST and Fashion-MNIST ship them, and write one f32 matrix: images as N x (ROWS*COLS)\n"
	"with pixel values b/255 in [0, 1], one image per row (named 'images'); labels as\n"
	"N x 1 (named 'labels'). FILE '-' is standard input.\n\n"
	"  -b, --binarize T  images only: a pixel becomes 1 when b/255 > T, else 0\n"
	"                    (T in [0, 1]; default: no binarizing)\n"
	"  -s, --skip S      leave out the first S items (default 0)\n"
	"  -n, --count N     take N items after the skipped ones (default: all the rest)\n"
	"      --images      refuse a file that does not hold images\n"
	"      --labels      refuse a file that does not hold labels\n"
	"      --help        show this help and exit\n"
	"      --version     show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "binarize", required_argument, NULL, 'b' }, { "skip", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },    { "images", no_argument, NULL, 'I' },
		{ "labels", no_argument, NULL, 'L' },	      { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },	      { NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->binarize = -1;
	while ((c = getopt_long(argc, argv, "b:s:n:", longs, NULL)) != -1) {
		switch (c) {
		case 'b': o->binarize = cli_parse_double(optarg, "--binarize", 0, 1); break;
		case 's': o->skip = (size_t)cli_parse_long(optarg, "--skip", 0, UINT32_MAX); break;
		case 'n':
			o->count = (size_t)cli_parse_long(optarg, "--count", 0, UINT32_MAX);
			o->count_given = 1;
			break;
		case 'I':
		case 'L':
			if (o->want_kind && o->want_kind != (c == 'I' ? IDX_IMAGES : IDX_LABELS))
				cli_usage_die("--images and --labels exclude each other");
			o->want_kind = c == 'I' ? IDX_IMAGES : IDX_LABELS;
			break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (o->binarize >= 0 && o->want_kind == IDX_LABELS)
		cli_usage_die("--binarize applies to images, not --labels");
	if (optind == argc)
		cli_usage_die("missing FILE operand (an IDX file, or '-' for standard input)");
	if (optind + 1 < argc)
		cli_usage_die("unexpected operand '%s' (one FILE only)", argv[optind + 1]);
	o->path = argv[optind];
}

/* Check the options that depend on the header (kind, range) before any data is read.
 * `what` names the file in messages: 'path', or standard input for '-'. */
static void check_against(const struct opts *o, const IdxInfo *in, const char *what)
{
	const char *kind = in->kind == IDX_IMAGES ? "images" : "labels";

	if (o->want_kind && (int)in->kind != o->want_kind)
		cli_die("%s holds %s (IDX magic %u), not %s", what, kind,
			in->kind == IDX_IMAGES ? IDX_MAGIC_IMAGES : IDX_MAGIC_LABELS,
			o->want_kind == IDX_IMAGES ? "images" : "labels");
	if (o->binarize >= 0 && in->kind == IDX_LABELS)
		cli_die("--binarize applies to images, but %s holds labels", what);
	if (o->skip > in->count)
		cli_die("--skip %zu is more than the %zu %s in %s", o->skip, in->count, kind, what);
	if (o->count_given && o->count > in->count - o->skip)
		cli_die("--skip %zu --count %zu asks for %s up to %zu, but %s holds %zu", o->skip,
			o->count, kind, o->skip + o->count, what, in->count);
}

int main(int argc, char **argv)
{
	struct opts o;
	IdxFile *f;
	IdxInfo in;
	Err e;
	Mat *m;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	if (idx_open(o.path, &f, &in, &e))
		cli_die("%s", e.msg);
	check_against(&o, &in, idx_name(f));
	if (!o.count_given)
		o.count = in.count - o.skip;
	if (idx_read(f, o.skip, o.count, in.kind == IDX_IMAGES ? o.binarize : -1,
		     in.kind == IDX_IMAGES ? "images" : "labels", &m, &e))
		cli_die("%s", e.msg);
	idx_close(f);
	mat_write_or_die(stdout, m);
	mat_free(m);
	return cli_finish();
}
