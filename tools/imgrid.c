/* imgrid: images, one per matrix row, to a PGM (or PAM) grid through libnetpbm. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pam.h>

#include "cli.h"
#include "mat.h"

/* Largest grid side in pixels: far above any figure, far below netpbm's own limits. */
#define MAX_SIDE 65535

struct opts {
	size_t width, cols, pad, scale;
	int width_given, cols_given, pam;
	double background;
};

/* The grid's geometry: image w x h, C images per row, R rows, each cell (w*s) x (h*s)
 * with pad pixels between cells and around the edge. */
struct grid {
	size_t w, h, C, R, s, pad, width, height;
};

static const char usage_text[] =
	"Usage: imgrid [OPTION]... < IMAGES > GRID.pgm\n"
	"Lay out the images of the one matrix on standard input (one image per row, pixels\n"
	"row-major, 0 = black, 1 = white; values outside [0, 1] are clipped) as a grid, and\n"
	"write it as a raw 8-bit PGM (ready for pnmtopng) or PAM. Grid cells are filled left\n"
	"to right, top to bottom; cells after the last image are background.\n\n"
	"  -w, --width W       image width in pixels (default: the square root of the number\n"
	"                      of columns, which must then be a square)\n"
	"  -c, --cols C        images per grid row, at most N (default: ceil(sqrt(N)))\n"
	"  -p, --pad P         background pixels between images and around the grid (default 2)\n"
	"  -s, --scale S       draw each pixel as an S x S block (default 1)\n"
	"  -b, --background V  gray level of the padding, in [0, 1] (default 0.5)\n"
	"      --pam           write PAM (tuple type GRAYSCALE) instead of PGM\n"
	"      --help          show this help and exit\n"
	"      --version       show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "width", required_argument, NULL, 'w' }, { "cols", required_argument, NULL, 'c' },
		{ "pad", required_argument, NULL, 'p' },   { "scale", required_argument, NULL, 's' },
		{ "background", required_argument, NULL, 'b' }, { "pam", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },	   { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->pad = 2;
	o->scale = 1;
	o->background = 0.5;
	while ((c = getopt_long(argc, argv, "w:c:p:s:b:", longs, NULL)) != -1) {
		switch (c) {
		case 'w':
			o->width = (size_t)cli_parse_long(optarg, "--width", 1, MAX_SIDE);
			o->width_given = 1;
			break;
		case 'c':
			o->cols = (size_t)cli_parse_long(optarg, "--cols", 1, MAX_SIDE);
			o->cols_given = 1;
			break;
		case 'p': o->pad = (size_t)cli_parse_long(optarg, "--pad", 0, 1000); break;
		case 's': o->scale = (size_t)cli_parse_long(optarg, "--scale", 1, 100); break;
		case 'b': o->background = cli_parse_double(optarg, "--background", 0, 1); break;
		case 'P': o->pam = 1; break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (the images are read from standard input)",
			      argv[optind]);
}

/* The geometry for N images of P pixels, or die saying what does not fit. */
static struct grid plan(const struct opts *o, size_t N, size_t P)
{
	struct grid g;
	double width, height;

	if (N == 0 || P == 0)
		cli_die("standard input holds %zu images of %zu pixels: nothing to draw", N, P);
	if (o->width_given) {
		if (P % o->width)
			cli_die("--width %zu does not divide the %zu columns of the input", o->width, P);
		g.w = o->width;
	} else {
		g.w = (size_t)llround(sqrt((double)P));
		if (g.w * g.w != P)
			cli_die("the %zu columns of the input are not a square image: give --width", P);
	}
	g.h = P / g.w;
	g.C = o->cols_given ? o->cols : (size_t)ceil(sqrt((double)N));
	if (g.C * g.C < N)          /* sqrt rounding for huge N */
		g.C++;
	if (g.C > N)
		g.C = N;
	g.R = (N + g.C - 1) / g.C;
	g.s = o->scale;
	g.pad = o->pad;
	/* In double: exact for every value below 2^53, so no overflow goes unseen. */
	width = (double)g.C * (double)(g.w * g.s + g.pad) + (double)g.pad;
	height = (double)g.R * (double)(g.h * g.s + g.pad) + (double)g.pad;
	if (width > MAX_SIDE || height > MAX_SIDE)
		cli_die("the grid would be %.0f x %.0f pixels, more than %d on a side", width, height,
			MAX_SIDE);
	g.width = (size_t)width;
	g.height = (size_t)height;
	return g;
}

static unsigned char gray_level(double v)
{
	v = v < 0 ? 0 : v > 1 ? 1 : v;
	return (unsigned char)floor(v * 255 + 0.5);
}

/* The grid as width x height bytes (caller frees). */
static unsigned char *draw(const Mat *X, const struct grid *g, double background)
{
	unsigned char *img = malloc(g->width * g->height), v;
	size_t k, r, c, x0, y0, dy, y;
	double value;

	if (!img)
		cli_die("out of memory for a %zu x %zu grid", g->width, g->height);
	memset(img, gray_level(background), g->width * g->height);
	for (k = 0; k < X->rows; k++) {
		x0 = g->pad + (k % g->C) * (g->w * g->s + g->pad);
		y0 = g->pad + (k / g->C) * (g->h * g->s + g->pad);
		for (r = 0; r < g->h; r++)
			for (c = 0; c < g->w; c++) {
				value = mat_get(X, k, r * g->w + c);
				if (isnan(value))
					cli_die("image %zu, pixel (%zu, %zu) is nan", k + 1, r + 1, c + 1);
				v = gray_level(value);
				for (dy = 0; dy < g->s; dy++) {
					y = y0 + r * g->s + dy;
					memset(img + y * g->width + x0 + c * g->s, v, g->s);
				}
			}
	}
	return img;
}

/* libnetpbm reports a failed write through this, then exits 1. */
static void netpbm_error(const char *msg)
{
	fprintf(stderr, "%s: %s\n", cli_name(), msg);
}

static void write_grid(const unsigned char *img, const struct grid *g, int pam)
{
	struct pam out;
	tuple *row;
	size_t x, y;

	memset(&out, 0, sizeof out);
	out.size = sizeof out;
	out.len = PAM_STRUCT_SIZE(tuple_type);
	out.file = stdout;
	out.format = pam ? PAM_FORMAT : RPGM_FORMAT;
	out.plainformat = 0;
	out.width = (int)g->width;
	out.height = (int)g->height;
	out.depth = 1;
	out.maxval = 255;
	out.bytes_per_sample = 1;
	strcpy(out.tuple_type, "GRAYSCALE");
	pnm_writepaminit(&out);
	row = pnm_allocpamrow(&out);
	for (y = 0; y < g->height; y++) {
		for (x = 0; x < g->width; x++)
			row[x][0] = img[y * g->width + x];
		pnm_writepamrow(&out, row);
	}
	pnm_freepamrow(row);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct grid g;
	MatHeader h;
	Mat *X;
	Err e;
	unsigned char *img;
	int r;

	cli_init(argv[0]);
	pm_init(cli_name(), 0);
	pm_setusererrormsgfn(netpbm_error);
	parse_args(argc, argv, &o);
	r = mat_read_header(stdin, &h, &e);
	if (r != 0)
		cli_die("standard input: %s", r > 0 ? "no matrix (empty stream)" : e.msg);
	g = plan(&o, h.rows, h.cols);
	if (mat_read_payload(stdin, &h, &X, &e))
		cli_die("standard input: %s", e.msg);
	mat_read_end_or_die(stdin, "standard input");
	img = draw(X, &g, o.background);
	write_grid(img, &g, o.pam);
	free(img);
	mat_free(X);
	return cli_finish();
}
