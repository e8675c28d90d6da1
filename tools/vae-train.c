/* vae-train: fit the variational autoencoder of lib/vae to binarized images. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mat.h"
#include "rng.h"
#include "vae.h"

struct opts {
	long K, hidden, epochs;
	VaeTrainConfig train;
	uint64_t seed;
	const char *loss_path, *validate_path;
	int quiet;
};

/* What the progress display needs to know between mini-batches. */
struct progress {
	long epoch, epochs;
	double start, epoch_start, last_draw;
	int live; /* stderr is a terminal: redraw a bar in place */
};

static const char usage_text[] =
	"Usage: vae-train -k K [OPTION]... < IMAGES > MODEL\n"
	"Train a variational autoencoder (encoder D-H-2K, decoder K-H-D, Bernoulli pixels)\n"
	"on the images of a matrix stream (one image per row, values in [0, 1]) with Adam,\n"
	"and write the model stream. The loss is the mean over a mini-batch of the summed\n"
	"pixel cross-entropy plus KL(q(z|x) || N(0, I)): a one-sample negative ELBO.\n\n"
	"  -k, --latent K         latent dimension (required)\n"
	"      --hidden H         hidden units of encoder and decoder (default 250)\n"
	"      --epochs E         passes over the data (default 50)\n"
	"      --batch B          mini-batch size (default 128)\n"
	"      --lr RATE          Adam learning rate (default 1e-3)\n"
	"      --beta1 B1         Adam decay of the first moment (default 0.9)\n"
	"      --beta2 B2         Adam decay of the second moment (default 0.999)\n"
	"      --adam-eps EPS     Adam denominator offset (default 1e-8)\n"
	"      --seed N           seed of the initialisation, shuffling and noise (default 42)\n"
	"      --loss FILE        write the per-epoch losses to FILE: a stream with one\n"
	"                         matrix 'loss', rows (epoch, training loss, validation\n"
	"                         negative ELBO or nan); read it with mat-print\n"
	"      --validate FILE    images (a matrix stream) whose mean negative ELBO is\n"
	"                         estimated after every epoch (one sample per image)\n"
	"  -q, --quiet            no progress on standard error\n"
	"      --help             show this help and exit\n"
	"      --version          show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	enum { HIDDEN = 256, EPOCHS, BATCH, LR, BETA1, BETA2, ADAM_EPS, SEED, LOSS, VALIDATE };
	static const struct option longs[] = {
		{ "latent", required_argument, NULL, 'k' },
		{ "hidden", required_argument, NULL, HIDDEN },
		{ "epochs", required_argument, NULL, EPOCHS },
		{ "batch", required_argument, NULL, BATCH },
		{ "lr", required_argument, NULL, LR },
		{ "beta1", required_argument, NULL, BETA1 },
		{ "beta2", required_argument, NULL, BETA2 },
		{ "adam-eps", required_argument, NULL, ADAM_EPS },
		{ "seed", required_argument, NULL, SEED },
		{ "loss", required_argument, NULL, LOSS },
		{ "validate", required_argument, NULL, VALIDATE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->hidden = 250;
	o->epochs = 50;
	o->train = (VaeTrainConfig){ 128, 1e-3, 0.9, 0.999, 1e-8 };
	o->seed = RNG_DEFAULT_SEED;
	while ((c = getopt_long(argc, argv, "k:q", longs, NULL)) != -1) {
		switch (c) {
		case 'k': o->K = cli_parse_long(optarg, "-k", 1, VAE_MAX_K); break;
		case HIDDEN: o->hidden = cli_parse_long(optarg, "--hidden", 1, VAE_MAX_H); break;
		case EPOCHS: o->epochs = cli_parse_long(optarg, "--epochs", 1, 1000000); break;
		case BATCH:
			o->train.batch = (size_t)cli_parse_long(optarg, "--batch", 1, 1000000);
			break;
		case LR: o->train.lr = cli_parse_double(optarg, "--lr", 1e-12, 10); break;
		case BETA1: o->train.beta1 = cli_parse_double(optarg, "--beta1", 0, 0.999999); break;
		case BETA2: o->train.beta2 = cli_parse_double(optarg, "--beta2", 0, 0.999999); break;
		case ADAM_EPS:
			o->train.eps = cli_parse_double(optarg, "--adam-eps", 1e-30, 1);
			break;
		case SEED: o->seed = cli_parse_seed(optarg); break;
		case LOSS: o->loss_path = optarg; break;
		case VALIDATE: o->validate_path = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (the images are read from standard input)",
			      argv[optind]);
	if (!o->K)
		cli_usage_die("the latent dimension -k K is required");
}

/* Images: f32, at least one row and column (D of them if D is not 0), every value in
 * [0, 1] (so NaN is refused: a missing pixel has no cross-entropy). */
static Mat *read_images(FILE *f, const char *what, size_t D)
{
	Mat *X = mat_read_or_die(f, what, MAT_F32);
	char msg[256] = "", num[32];
	size_t i, j;

	if (X->rows == 0 || X->cols == 0)
		snprintf(msg, sizeof msg, "no images (the matrix is %zu x %zu)", X->rows, X->cols);
	else if (D && X->cols != D)
		snprintf(msg, sizeof msg, "images of %zu values, but the training images have %zu",
			 X->cols, D);
	for (i = 0; i < X->rows && !*msg; i++)
		for (j = 0; j < X->cols && !*msg; j++) {
			float x = MAT_F(X, i, j);
			if (!(x >= 0.0f && x <= 1.0f)) {
				/* all the digits it takes: 1.0000001 is not 1 */
				mat_format_value(num, sizeof num, x, MAT_F32);
				snprintf(msg, sizeof msg,
					 "value %s at row %zu, column %zu is outside [0, 1]", num,
					 i + 1, j + 1);
			}
		}
	if (*msg) {
		mat_free(X);
		cli_die("%s: %s", what, msg);
	}
	mat_read_end_or_die(f, what);
	return X;
}

/* "1h02m", "3m05s" or "12.3s" */
static const char *duration(char *buf, size_t len, double s)
{
	long t = lround(s);

	if (s < 60)
		snprintf(buf, len, "%.1fs", s);
	else if (t < 3600)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t % 3600 / 60);
	return buf;
}

/* The live bar, redrawn at most ten times a second while an epoch runs. */
static void draw_bar(void *ctx, size_t done, size_t N, double mean_loss)
{
	struct progress *p = ctx;
	double now = cli_seconds(), frac = (double)done / (double)N, elapsed, left;
	char bar[31], tl[32];
	int i, fill = (int)(frac * 30);

	if (!p->live || (now - p->last_draw < 0.1 && done < N))
		return;
	p->last_draw = now;
	elapsed = now - p->start;
	left = elapsed / ((double)(p->epoch - 1) + frac) * ((double)p->epochs - (double)p->epoch +
							    1.0 - frac);
	for (i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = '\0';
	fprintf(stderr, "\r%s: epoch %ld/%ld [%s] %3.0f%% loss %.4f, %.1fs, %s left\033[K",
		cli_name(), p->epoch, p->epochs, bar, 100 * frac, mean_loss, now - p->epoch_start,
		duration(tl, sizeof tl, left));
	fflush(stderr);
}

static void report_epoch(struct progress *p, double loss, double test)
{
	double now = cli_seconds();
	double left = (now - p->start) / (double)p->epoch * (double)(p->epochs - p->epoch);
	char tb[64] = "", tl[32];

	if (cli_quiet())
		return;
	if (!isnan(test))
		snprintf(tb, sizeof tb, ", validation %.4f", test);
	if (p->live)
		fputs("\r\033[K", stderr);
	cli_progress("epoch %ld/%ld: loss %.4f%s, %.2fs, %s left", p->epoch, p->epochs, loss, tb,
		     now - p->epoch_start, duration(tl, sizeof tl, left));
}

int main(int argc, char **argv)
{
	struct opts o;
	struct progress prog = { 0 };
	Mat *X, *V = NULL, *losses;
	FILE *loss_file = NULL, *validate_file = NULL;
	Vae *vae;
	VaeTrain *train;
	Rng rng, vrng;
	Err e;
	double loss, test = NAN;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	cli_set_quiet(o.quiet);
	if (o.validate_path)
		validate_file = cli_open_read(o.validate_path);
	if (o.loss_path)
		loss_file = cli_open_write(o.loss_path);
	X = read_images(stdin, "standard input", 0);
	if (validate_file) {
		V = read_images(validate_file, o.validate_path, X->cols);
		if (validate_file != stdin)
			fclose(validate_file);
	}
	if (!(vae = vae_new(X->cols, (size_t)o.hidden, (size_t)o.K, &e)) ||
	    !(train = vae_train_new(vae, &o.train, X->rows, &e)))
		cli_die("%s", e.msg);
	losses = mat_new_or_die((size_t)o.epochs, 3, MAT_F64, "loss");

	rng_seed(&rng, o.seed);
	vae_init(vae, &rng);
	prog.epochs = o.epochs;
	prog.live = !o.quiet && isatty(STDERR_FILENO);
	prog.start = cli_seconds();
	for (prog.epoch = 1; prog.epoch <= o.epochs; prog.epoch++) {
		prog.epoch_start = cli_seconds();
		loss = vae_train_epoch(vae, train, X->f, &rng, draw_bar, &prog);
		if (isnan(loss))
			cli_die("training diverged in epoch %ld (the loss is not finite); try a "
				"smaller --lr",
				prog.epoch);
		if (V) {
			/* The same noise every epoch, so the curve shows the model changing,
			 * not the noise; a stream of its own, so validating does not change
			 * the training run. */
			rng_seed(&vrng, o.seed ^ 0x5851f42d4c957f2dULL);
			test = vae_neg_elbo(vae, train, V->f, V->rows, &vrng);
		}
		mat_set(losses, (size_t)prog.epoch - 1, 0, (double)prog.epoch);
		mat_set(losses, (size_t)prog.epoch - 1, 1, loss);
		mat_set(losses, (size_t)prog.epoch - 1, 2, test);
		report_epoch(&prog, loss, test);
	}
	cli_progress("%ld epochs of %zu images in %.1fs", o.epochs, X->rows,
		     cli_seconds() - prog.start);

	if (vae_write(stdout, vae, &e))
		cli_die("%s", e.msg);
	/* The loss file only once the model is safely out: a failed run leaves neither. */
	cli_finish();
	if (loss_file) {
		mat_write_or_die(loss_file, losses);
		cli_commit(loss_file);
	}
	mat_free(losses);
	vae_train_free(train);
	vae_free(vae);
	mat_free(X);
	mat_free(V);
	return 0;
}
