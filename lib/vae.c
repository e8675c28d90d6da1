#include "vae.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mat.h"

/* Rows per call of the encoder and decoder outside training: big enough for BLAS to run
 * at full speed, small enough that the workspace stays a few MB. */
#define VAE_CHUNK 256

static const char *const tensor_name[VAE_TENSORS] = {
	"enc1.W", "enc1.b", "enc_mu.W", "enc_mu.b", "enc_sigma.W",
	"enc_sigma.b", "dec1.W", "dec1.b", "dec2.W", "dec2.b",
};

Vae *vae_new(size_t D, size_t H, size_t K, Err *e)
{
	/* (outputs, inputs) of the four dense layers' weights, in table order */
	size_t shape[VAE_TENSORS][2] = {
		{ H, D }, { 1, H }, { K, H }, { 1, K }, { K, H },
		{ 1, K }, { H, K }, { 1, H }, { D, H }, { 1, D },
	};
	Vae *v;
	int i;

	if (D == 0 || H == 0 || K == 0) {
		err_set(e, "a VAE needs at least one input, hidden unit and latent dimension");
		return NULL;
	}
	/* The largest tensor must be a valid matrix (and a BLAS int). */
	if (H > MAT_MAX_ELEMS / D || K > MAT_MAX_ELEMS / H) {
		err_set(e, "a VAE of %zu x %zu x %zu is too large", D, H, K);
		return NULL;
	}
	v = calloc(1, sizeof *v);
	if (!v) {
		err_set(e, "out of memory");
		return NULL;
	}
	v->D = D;
	v->H = H;
	v->K = K;
	for (i = 0; i < VAE_TENSORS; i++) {
		v->t[i].name = tensor_name[i];
		v->t[i].rows = shape[i][0];
		v->t[i].cols = shape[i][1];
	}
	v->size = nn_layout(v->t, VAE_TENSORS);
	v->param = nn_block_new(v->size, e);
	if (!v->param) {
		free(v);
		return NULL;
	}
	return v;
}

void vae_free(Vae *v)
{
	if (!v)
		return;
	nn_block_free(v->param);
	free(v);
}

void vae_init(Vae *v, Rng *r)
{
	float *p = v->param;

	nn_dense_init(VAE_T(v, p, VAE_ENC1_W), VAE_T(v, p, VAE_ENC1_B), v->D, v->H, r);
	nn_dense_init(VAE_T(v, p, VAE_MU_W), VAE_T(v, p, VAE_MU_B), v->H, v->K, r);
	nn_dense_init(VAE_T(v, p, VAE_SIGMA_W), VAE_T(v, p, VAE_SIGMA_B), v->H, v->K, r);
	nn_dense_init(VAE_T(v, p, VAE_DEC1_W), VAE_T(v, p, VAE_DEC1_B), v->K, v->H, r);
	nn_dense_init(VAE_T(v, p, VAE_DEC2_W), VAE_T(v, p, VAE_DEC2_B), v->H, v->D, r);
}

int vae_write(FILE *f, const Vae *v, Err *e)
{
	if (model_write_header(f, "vae", MAT_F32, e))
		return -1;
	return nn_write_tensors(f, v->t, VAE_TENSORS, v->param, e);
}

int vae_read_tensors(FILE *f, const char *what, Vae **out, Err *e)
{
	Mat *m[VAE_TENSORS] = { NULL };
	Vae *v = NULL;
	Err inner;
	int i;

	*out = NULL;
	for (i = 0; i < VAE_TENSORS; i++)
		if (model_read_part(f, what, "vae", tensor_name[i], MAT_F32, &m[i], e))
			goto fail;
	/* enc1.W is H x D and enc_mu.W is K x H; nn_set_tensor checks all the rest. */
	if (m[VAE_ENC1_W]->rows > VAE_MAX_H) {
		err_set(e, "%s: vae hidden width H = %zu (the rows of enc1.W) exceeds the limit of %d",
			what, m[VAE_ENC1_W]->rows, VAE_MAX_H);
		goto fail;
	}
	if (m[VAE_MU_W]->rows > VAE_MAX_K) {
		err_set(e, "%s: vae latent dimension K = %zu (the rows of enc_mu.W) exceeds the "
			   "limit of %d", what, m[VAE_MU_W]->rows, VAE_MAX_K);
		goto fail;
	}
	v = vae_new(m[VAE_ENC1_W]->cols, m[VAE_ENC1_W]->rows, m[VAE_MU_W]->rows, &inner);
	if (!v)
		goto fail_inner;
	for (i = 0; i < VAE_TENSORS; i++)
		if (nn_set_tensor(v->param, &v->t[i], m[i], &inner))
			goto fail_inner;
	for (i = 0; i < VAE_TENSORS; i++)
		mat_free(m[i]);
	*out = v;
	return 0;
fail_inner:
	err_set(e, "%s: vae %s", what, inner.msg);
fail:
	for (i = 0; i < VAE_TENSORS; i++)
		mat_free(m[i]);
	vae_free(v);
	return -1;
}

/* ---- the "vae" kind of model.h ---- */

static int load(FILE *f, const char *what, void **impl, size_t *D, size_t *K, Err *e)
{
	Vae *v;

	if (vae_read_tensors(f, what, &v, e))
		return -1;
	*impl = v;
	*D = v->D;
	*K = v->K;
	return 0;
}

static int encode(const void *impl, float *Z, const float *X, size_t N, Err *e)
{
	return vae_encode(impl, Z, X, N, e);
}

static int decode(const void *impl, float *X, const float *Z, size_t N, Err *e)
{
	return vae_decode(impl, X, Z, N, e);
}

static void free_impl(void *impl)
{
	vae_free(impl);
}

const ModelOps vae_model_ops = { "vae", load, encode, decode, free_impl };

int vae_encode(const Vae *v, float *Z, const float *X, size_t N, Err *e)
{
	const float *p = v->param;
	float *a1 = malloc(VAE_CHUNK * v->H * sizeof *a1);
	size_t i, B;

	if (!a1)
		return err_set(e, "out of memory");
	for (i = 0; i < N; i += B) {
		B = N - i < VAE_CHUNK ? N - i : VAE_CHUNK;
		nn_dense_forward(a1, X + i * v->D, VAE_T(v, p, VAE_ENC1_W),
				 VAE_T(v, p, VAE_ENC1_B), B, v->D, v->H);
		nn_relu_forward(a1, a1, B * v->H);
		nn_dense_forward(Z + i * v->K, a1, VAE_T(v, p, VAE_MU_W), VAE_T(v, p, VAE_MU_B),
				 B, v->H, v->K);
	}
	free(a1);
	return 0;
}

int vae_decode(const Vae *v, float *X, const float *Z, size_t N, Err *e)
{
	const float *p = v->param;
	float *a3 = malloc(VAE_CHUNK * v->H * sizeof *a3);
	size_t i, B;

	if (!a3)
		return err_set(e, "out of memory");
	for (i = 0; i < N; i += B) {
		B = N - i < VAE_CHUNK ? N - i : VAE_CHUNK;
		nn_dense_forward(a3, Z + i * v->K, VAE_T(v, p, VAE_DEC1_W),
				 VAE_T(v, p, VAE_DEC1_B), B, v->K, v->H);
		nn_relu_forward(a3, a3, B * v->H);
		nn_dense_forward(X + i * v->D, a3, VAE_T(v, p, VAE_DEC2_W),
				 VAE_T(v, p, VAE_DEC2_B), B, v->H, v->D);
		nn_sigmoid(X + i * v->D, X + i * v->D, B * v->D);
	}
	free(a3);
	return 0;
}

VaeTrain *vae_train_new(const Vae *v, const VaeTrainConfig *c, size_t N, Err *e)
{
	/* No batch is larger than the data, so neither is the workspace. */
	size_t B = c->batch < N ? c->batch : (N ? N : 1), D = v->D, H = v->H, K = v->K, i, total;
	VaeTrain *t = calloc(1, sizeof *t);
	float *p;

	if (!t)
		goto oom;
	t->batch = B;
	t->N = N;
	/* The gradient, the batch, the forward buffers, dl, then the backward buffers that
	 * are zeroed every step, back to back so that zeroing them is one memset. */
	total = v->size + B * D + B * (4 * H + 5 * K + D) + B * D + B * (4 * H + 4 * K);
	t->work = nn_block_new(total, e);
	t->order = malloc((N ? N : 1) * sizeof *t->order);
	t->adam = nn_adam_new(v->size, c->lr, c->beta1, c->beta2, c->eps, e);
	if (!t->work || !t->order || !t->adam)
		goto oom;
	for (i = 0; i < N; i++)
		t->order[i] = i;
	p = t->work;
	t->grad = p, p += v->size;
	t->x = p, p += B * D;
	t->a1 = p, p += B * H;
	t->h1 = p, p += B * H;
	t->mu = p, p += B * K;
	t->s = p, p += B * K;
	t->sigma = p, p += B * K;
	t->eps = p, p += B * K;
	t->z = p, p += B * K;
	t->a3 = p, p += B * H;
	t->h3 = p, p += B * H;
	t->l = p, p += B * D;
	t->dl = p, p += B * D;
	t->dh3 = p, p += B * H;
	t->da3 = p, p += B * H;
	t->dz = p, p += B * K;
	t->dmu = p, p += B * K;
	t->dsigma = p, p += B * K;
	t->ds = p, p += B * K;
	t->dh1 = p, p += B * H;
	t->da1 = p, p += B * H;
	assert((size_t)(p - t->work) == total);
	return t;
oom:
	vae_train_free(t);
	err_set(e, "out of memory for the training workspace");
	return NULL;
}

void vae_train_free(VaeTrain *t)
{
	if (!t)
		return;
	nn_block_free(t->work);
	free(t->order);
	nn_adam_free(t->adam);
	free(t);
}

/* The forward pass of x[B][D]: fills every forward buffer and dl (the gradient of the
 * mean loss with respect to the logits), and returns the sum of the B examples' losses. */
static double forward(const Vae *v, VaeTrain *t, const float *x, size_t B, Rng *r)
{
	const float *p = v->param;
	size_t D = v->D, H = v->H, K = v->K, i;
	double loss;

	nn_dense_forward(t->a1, x, VAE_T(v, p, VAE_ENC1_W), VAE_T(v, p, VAE_ENC1_B), B, D, H);
	nn_relu_forward(t->h1, t->a1, B * H);
	nn_dense_forward(t->mu, t->h1, VAE_T(v, p, VAE_MU_W), VAE_T(v, p, VAE_MU_B), B, H, K);
	nn_dense_forward(t->s, t->h1, VAE_T(v, p, VAE_SIGMA_W), VAE_T(v, p, VAE_SIGMA_B), B, H,
			 K);
	nn_sigma_forward(t->sigma, t->s, B * K);
	for (i = 0; i < B * K; i++)
		t->eps[i] = (float)rng_normal(r);
	nn_reparam_forward(t->z, t->mu, t->sigma, t->eps, B * K);
	nn_dense_forward(t->a3, t->z, VAE_T(v, p, VAE_DEC1_W), VAE_T(v, p, VAE_DEC1_B), B, K,
			 H);
	nn_relu_forward(t->h3, t->a3, B * H);
	nn_dense_forward(t->l, t->h3, VAE_T(v, p, VAE_DEC2_W), VAE_T(v, p, VAE_DEC2_B), B, H,
			 D);
	loss = nn_bce_logits(t->dl, t->l, x, 1.0f / (float)B, B * D);
	return loss + nn_kl_forward(t->mu, t->sigma, B * K);
}

double vae_loss_grad(const Vae *v, VaeTrain *t, const float *x, size_t B, Rng *r)
{
	const float *p = v->param;
	float *g = t->grad;
	size_t D = v->D, H = v->H, K = v->K;
	double loss;

	loss = forward(v, t, x, B, r);
	memset(g, 0, v->size * sizeof *g);
	memset(t->dh3, 0, (size_t)(t->da1 + B * H - t->dh3) * sizeof *g);
	/* The backward pass, layer by layer in reverse; each call adds into its gradients. */
	nn_dense_backward(t->dh3, VAE_T(v, g, VAE_DEC2_W), VAE_T(v, g, VAE_DEC2_B), t->dl, t->h3,
			  VAE_T(v, p, VAE_DEC2_W), B, H, D);
	nn_relu_backward(t->da3, t->dh3, t->a3, B * H);
	nn_dense_backward(t->dz, VAE_T(v, g, VAE_DEC1_W), VAE_T(v, g, VAE_DEC1_B), t->da3, t->z,
			  VAE_T(v, p, VAE_DEC1_W), B, K, H);
	nn_reparam_backward(t->dmu, t->dsigma, t->dz, t->eps, B * K);
	nn_kl_backward(t->dmu, t->dsigma, t->mu, t->sigma, 1.0f / (float)B, B * K);
	nn_sigma_backward(t->ds, t->dsigma, t->s, B * K);
	nn_dense_backward(t->dh1, VAE_T(v, g, VAE_MU_W), VAE_T(v, g, VAE_MU_B), t->dmu, t->h1,
			  VAE_T(v, p, VAE_MU_W), B, H, K);
	nn_dense_backward(t->dh1, VAE_T(v, g, VAE_SIGMA_W), VAE_T(v, g, VAE_SIGMA_B), t->ds,
			  t->h1, VAE_T(v, p, VAE_SIGMA_W), B, H, K);
	nn_relu_backward(t->da1, t->dh1, t->a1, B * H);
	nn_dense_backward(NULL, VAE_T(v, g, VAE_ENC1_W), VAE_T(v, g, VAE_ENC1_B), t->da1, x,
			  VAE_T(v, p, VAE_ENC1_W), B, D, H);
	return loss;
}

double vae_train_epoch(Vae *v, VaeTrain *t, const float *X, Rng *r, VaeProgress *progress,
		       void *ctx)
{
	size_t N = t->N, D = v->D, i, j, B;
	double sum = 0.0, loss;

	rng_shuffle(r, t->order, N);
	for (i = 0; i < N; i += B) {
		B = N - i < t->batch ? N - i : t->batch;
		for (j = 0; j < B; j++)
			memcpy(t->x + j * D, X + t->order[i + j] * D, D * sizeof *X);
		loss = vae_loss_grad(v, t, t->x, B, r);
		if (!isfinite(loss))
			return NAN;
		nn_adam_step(t->adam, v->param, t->grad);
		sum += loss;
		if (progress)
			progress(ctx, i + B, N, sum / (double)(i + B));
	}
	return N ? sum / (double)N : 0.0;
}

double vae_neg_elbo(const Vae *v, VaeTrain *t, const float *X, size_t N, Rng *r)
{
	double sum = 0.0;
	size_t i, B;

	for (i = 0; i < N; i += B) {
		B = N - i < t->batch ? N - i : t->batch;
		sum += forward(v, t, X + i * v->D, B, r);
	}
	return N ? sum / (double)N : 0.0;
}
