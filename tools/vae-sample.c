/* vae-sample: use a fitted model (PPCA or VAE): prior samples, reconstructions, latent
 * means, decoded latent codes. */
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mat.h"
#include "model.h"
#include "rng.h"

/* Rows handed to the model at a time, so that a kind needs workspace for a batch only. */
#define BATCH 1024

enum mode { NONE, SAMPLE, RECONSTRUCT, ENCODE, DECODE };

struct opts {
	enum mode mode;
	size_t n_samples;
	uint64_t seed;
	int seed_given, no_clip;
	const char *model_path;
};

static const char usage_text[] =
	"Usage: vae-sample MODE [OPTION]... MODEL\n"
	"Use a fitted model (the output of ppca-fit or vae-train; any kind) in one of four\n"
	"modes, writing one f32 matrix to standard output:\n\n"
	"  -n, --sample N     N images from the prior: z ~ N(0, I), image = decoder mean\n"
	"                     ('samples', N x D)\n"
	"  -r, --reconstruct  the images on standard input (N x D), encoded to their latent\n"
	"                     means and decoded again ('recon', N x D)\n"
	"  -e, --encode       the latent means of the images on standard input\n"
	"                     ('latent', N x K)\n"
	"  -d, --decode       the decoder means of the latent codes on standard input (N x K)\n"
	"                     ('decoded', N x D)\n\n"
	"Standard input holds one matrix (a second one is refused). MODEL is a file that ends\n"
	"after the model's last matrix; '-' (standard input) works with --sample only.\n\n"
	"Options:\n"
	"  -s, --seed S       seed for --sample (default 42)\n"
	"      --no-clip      images as the decoder's means, not clipped to [0, 1] (the\n"
	"                     default clips them for display)\n"
	"  -q, --quiet        no progress line on standard error\n"
	"      --help         show this help and exit\n"
	"      --version      show the version and exit\n";

static void set_mode(struct opts *o, enum mode m)
{
	if (o->mode != NONE && o->mode != m)
		cli_usage_die("--sample, --reconstruct, --encode and --decode exclude each other");
	o->mode = m;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "sample", required_argument, NULL, 'n' }, { "reconstruct", no_argument, NULL, 'r' },
		{ "encode", no_argument, NULL, 'e' },	    { "decode", no_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },   { "no-clip", no_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },	    { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },	    { NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->seed = RNG_DEFAULT_SEED;
	while ((c = getopt_long(argc, argv, "n:reds:q", longs, NULL)) != -1) {
		switch (c) {
		case 'n':
			set_mode(o, SAMPLE);
			o->n_samples = (size_t)cli_parse_long(optarg, "--sample", 1, 10000000);
			break;
		case 'r': set_mode(o, RECONSTRUCT); break;
		case 'e': set_mode(o, ENCODE); break;
		case 'd': set_mode(o, DECODE); break;
		case 's':
			o->seed = cli_parse_seed(optarg);
			o->seed_given = 1;
			break;
		case 'C': o->no_clip = 1; break;
		case 'q': cli_set_quiet(1); break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (o->mode == NONE)
		cli_usage_die("choose a mode: --sample N, --reconstruct, --encode or --decode");
	if (o->seed_given && o->mode != SAMPLE)
		cli_usage_die("--seed applies to --sample only");
	if (o->no_clip && o->mode == ENCODE)
		cli_usage_die("--no-clip applies to images, not to --encode");
	if (optind == argc)
		cli_usage_die("missing MODEL operand (a model file from ppca-fit or vae-train)");
	if (optind + 1 < argc)
		cli_usage_die("unexpected operand '%s' (one MODEL only; data come on standard "
			      "input)", argv[optind + 1]);
	o->model_path = argv[optind];
	if (strcmp(o->model_path, "-") == 0 && o->mode != SAMPLE)
		cli_usage_die("MODEL '-' (standard input) works with --sample only: the other modes "
			      "read their data from standard input");
}

static Model *load_model(const char *path)
{
	FILE *f = cli_open_read(path);
	char what[300];
	Model *m;
	Err e;

	snprintf(what, sizeof what, "'%s'", path);
	if (model_read(f, what, &m, &e))
		cli_die("%s", e.msg);
	if (f != stdin)
		fclose(f);
	return m;
}

/* The matrix on standard input, which must have `cols` columns (`what` says why) and
 * finite values; converted to f32. */
static Mat *read_input(size_t cols, const char *what)
{
	MatHeader h;
	Mat *X;
	Err e;
	size_t i, n;
	double v;
	int r = mat_read_header(stdin, &h, &e);

	if (r != 0)
		cli_die("standard input: %s", r > 0 ? "no matrix (empty stream)" : e.msg);
	if (h.cols != cols)
		cli_die("standard input has %zu columns, but the model's %s is %zu", h.cols, what,
			cols);
	if (mat_read_payload(stdin, &h, &X, &e))
		cli_die("standard input: %s", e.msg);
	mat_read_end_or_die(stdin, "standard input");
	for (i = 0, n = X->rows * X->cols; i < n; i++) {
		v = X->type == MAT_F64 ? X->d[i] : X->f[i];
		if (!isfinite(v))
			cli_die("standard input: row %zu, column %zu is %g: the input must be "
				"complete and finite", i / cols + 1, i % cols + 1, v);
		/* the model works in single precision, where an f64 value can round to inf */
		if (!isfinite((float)v))
			cli_die("standard input: row %zu, column %zu is %.9g, which does not fit "
				"single precision (largest %.9g)", i / cols + 1, i % cols + 1, v,
				FLT_MAX);
	}
	if (mat_convert(X, MAT_F32, &e))
		cli_die("standard input: %s", e.msg);
	return X;
}

/* out[N][cols] = the model applied to in[N][in_cols], BATCH rows at a time. */
static void apply(const Model *m, int encode, float *out, size_t cols, const float *in,
		  size_t in_cols, size_t N)
{
	size_t i, B;
	Err e;

	for (i = 0; i < N; i += B) {
		B = N - i < BATCH ? N - i : BATCH;
		if ((encode ? model_encode(m, out + i * cols, in + i * in_cols, B, &e)
			    : model_decode(m, out + i * cols, in + i * in_cols, B, &e)))
			cli_die("%s", e.msg);
	}
}

static void clip01(Mat *X)
{
	size_t i, n = X->rows * X->cols;

	for (i = 0; i < n; i++)
		X->f[i] = X->f[i] < 0 ? 0 : X->f[i] > 1 ? 1 : X->f[i];
}

/*
 * --sample: N prior draws, decoded BATCH rows at a time and written as they come, so that
 * memory does not grow with N. The normals are drawn row by row in one sequence, as if
 * the N x K matrix of z were drawn whole.
 */
static void sample(const Model *m, size_t N, uint64_t seed, int no_clip)
{
	size_t D = model_dim(m), K = model_latent(m), i, k, B;
	MatHeader h = { MAT_F32, 0, 0, "samples" };
	Mat *Z, *X;
	Rng rng;
	Err e;

	if (N > MAT_MAX_ELEMS / D)
		cli_die("--sample %zu x %zu pixels exceeds the limit of %zu values", N, D,
			MAT_MAX_ELEMS);
	Z = mat_new_or_die(N < BATCH ? N : BATCH, K, MAT_F32, "z");
	X = mat_new_or_die(Z->rows, D, MAT_F32, "samples");
	h.rows = N;
	h.cols = D;
	if (mat_write_header(stdout, &h, &e))
		cli_die("%s", e.msg);
	rng_seed(&rng, seed);
	for (i = 0; i < N; i += B) {
		B = N - i < BATCH ? N - i : BATCH;
		for (k = 0; k < B * K; k++)
			Z->f[k] = (float)rng_normal(&rng);
		if (model_decode(m, X->f, Z->f, B, &e))
			cli_die("%s", e.msg);
		X->rows = B;
		if (!no_clip)
			clip01(X);
		if (mat_write_payload(stdout, X, &e))
			cli_die("%s", e.msg);
	}
	cli_progress("%s model, D = %zu, K = %zu: %zu rows", model_kind(m), D, K, N);
	mat_free(X);
	mat_free(Z);
}

int main(int argc, char **argv)
{
	struct opts o;
	Model *m;
	Mat *in = NULL, *Z = NULL, *out;
	size_t D, K, N;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	m = load_model(o.model_path);
	if (o.mode == SAMPLE) {
		sample(m, o.n_samples, o.seed, o.no_clip);
		model_free(m);
		return cli_finish();
	}
	D = model_dim(m);
	K = model_latent(m);
	if (o.mode == DECODE) {
		Z = read_input(K, "latent dimension K");
		N = Z->rows;
	} else {
		in = read_input(D, "data dimension D");
		N = in->rows;
		Z = mat_new_or_die(N, K, MAT_F32, "latent");
		apply(m, 1, Z->f, K, in->f, D, N);
	}
	if (o.mode == ENCODE) {
		out = Z;
		Z = NULL;
	} else {
		out = mat_new_or_die(N, D, MAT_F32, o.mode == DECODE ? "decoded" : "recon");
		apply(m, 0, out->f, D, Z->f, K, N);
		if (!o.no_clip)
			clip01(out);
	}
	cli_progress("%s model, D = %zu, K = %zu: %zu rows", model_kind(m), D, K, N);
	mat_write_or_die(stdout, out);
	mat_free(out);
	mat_free(Z);
	mat_free(in);
	model_free(m);
	return cli_finish();
}
