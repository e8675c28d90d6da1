#include "nn.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

/*
 * NN_VECTORISED marks the elementwise loops that run over every pixel or parameter of
 * every training step (the Makefile builds this file with -O3 so that they vectorise).
 * On x86-64 with GCC each is compiled three times, for AVX-512, for AVX2 and for the
 * SSE2 baseline, and the dynamic loader picks the widest the CPU has (function
 * multiversioning). The clones give identical bits: each operation is IEEE-rounded
 * whatever the vector width, and -std=c11 turns off the contraction of a * b + c into a
 * fused multiply-add.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NN_VECTORISED \
	__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NN_VECTORISED
#endif

size_t nn_layout(NnTensor *t, size_t count)
{
	size_t i, size = 0;

	for (i = 0; i < count; i++) {
		t[i].offset = size;
		size += t[i].rows * t[i].cols;
	}
	return size;
}

float *nn_block_new(size_t n, Err *e)
{
	float *block = calloc(n ? n : 1, sizeof *block);

	if (!block)
		err_set(e, "out of memory for %zu parameters", n);
	return block;
}

void nn_block_free(float *block)
{
	free(block);
}

int nn_write_tensors(FILE *f, const NnTensor *t, size_t count, const float *block, Err *e)
{
	Mat view;
	size_t i;

	for (i = 0; i < count; i++) {
		/* A view: mat_write only reads, and nothing here frees it. */
		memset(&view, 0, sizeof view);
		view.rows = t[i].rows;
		view.cols = t[i].cols;
		view.stride = t[i].cols;
		view.type = MAT_F32;
		view.f = (float *)(block + t[i].offset);
		assert(mat_name_ok(t[i].name));
		strcpy(view.name, t[i].name);
		if (mat_write(f, &view, e))
			return -1;
	}
	return 0;
}

int nn_set_tensor(float *block, const NnTensor *t, const Mat *m, Err *e)
{
	float *dst = block + t->offset;
	size_t i, j;
	double v;

	if (strcmp(m->name, t->name) != 0)
		return err_set(e, "expected the tensor '%s', found a matrix named '%s'", t->name,
			       m->name);
	if (m->rows != t->rows || m->cols != t->cols)
		return err_set(e, "tensor '%s' is %zu x %zu, expected %zu x %zu", t->name, m->rows,
			       m->cols, t->rows, t->cols);
	for (i = 0; i < m->rows; i++)
		for (j = 0; j < m->cols; j++) {
			v = mat_get(m, i, j);
			if (!isfinite(v) || fabs(v) > FLT_MAX)
				return err_set(e, "tensor '%s' holds a non-finite value at (%zu, %zu)",
					       t->name, i + 1, j + 1);
			dst[i * t->cols + j] = (float)v;
		}
	return 0;
}

void nn_dense_init(float *W, float *b, size_t I, size_t O, Rng *r)
{
	double bound = 1.0 / sqrt((double)I);
	size_t i;

	for (i = 0; i < O * I; i++)
		W[i] = (float)(bound * (2.0 * rng_uniform(r) - 1.0));
	for (i = 0; i < O; i++)
		b[i] = (float)(bound * (2.0 * rng_uniform(r) - 1.0));
}

void nn_dense_forward(float *y, const float *x, const float *W, const float *b, size_t B,
		      size_t I, size_t O)
{
	size_t i;

	for (i = 0; i < B; i++)
		memcpy(y + i * O, b, O * sizeof *y);
	linalg_sgemm(0, 1, B, O, I, 1.0f, x, I, W, I, 1.0f, y, O);
}

/* s[O] += the column sums of y[B][O] */
NN_VECTORISED
static void add_column_sums(float *restrict s, const float *restrict y, size_t B, size_t O)
{
	size_t i, o;

	for (i = 0; i < B; i++)
		for (o = 0; o < O; o++)
			s[o] += y[i * O + o];
}

void nn_dense_backward(float *dx, float *dW, float *db, const float *dy, const float *x,
		       const float *W, size_t B, size_t I, size_t O)
{
	linalg_sgemm(1, 0, O, I, B, 1.0f, dy, O, x, I, 1.0f, dW, I);
	add_column_sums(db, dy, B, O);
	if (dx)
		linalg_sgemm(0, 0, B, I, O, 1.0f, dy, O, W, I, 1.0f, dx, I);
}

NN_VECTORISED
void nn_relu_forward(float *y, const float *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

NN_VECTORISED
void nn_relu_backward(float *dx, const float *dy, const float *x, size_t n)
{
	float g;
	size_t i;

	for (i = 0; i < n; i++) {
		g = dy[i]; /* read unconditionally, so the loop needs no branch */
		dx[i] += x[i] > 0.0f ? g : 0.0f;
	}
}

NN_VECTORISED
void nn_sigma_forward(float *sigma, const float *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sigma[i] = (s[i] > 0.0f ? s[i] : 0.0f) + NN_SIGMA_FLOOR;
}

void nn_sigma_backward(float *ds, const float *dsigma, const float *s, size_t n)
{
	nn_relu_backward(ds, dsigma, s, n);
}

NN_VECTORISED
void nn_reparam_forward(float *z, const float *mu, const float *sigma, const float *eps,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		z[i] = mu[i] + sigma[i] * eps[i];
}

NN_VECTORISED
void nn_reparam_backward(float *dmu, float *dsigma, const float *dz, const float *eps,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		dmu[i] += dz[i];
		dsigma[i] += dz[i] * eps[i];
	}
}

double nn_kl_forward(const float *mu, const float *sigma, size_t n)
{
	double sum = 0.0, m, s;
	size_t i;

	for (i = 0; i < n; i++) {
		m = mu[i];
		s = sigma[i];
		sum += 0.5 * (m * m + s * s - 1.0) - log(s);
	}
	return sum;
}

NN_VECTORISED
void nn_kl_backward(float *dmu, float *dsigma, const float *mu, const float *sigma,
		    float scale, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		dmu[i] += scale * mu[i];
		dsigma[i] += scale * (sigma[i] - 1.0f / sigma[i]);
	}
}

/*
 * exp(x) for x <= 0, in straight-line code the compiler can vectorise (libm's expf is a
 * call it cannot). Cody and Waite's reduction x = n ln 2 + r, |r| <= ln 2 / 2, then
 * exp(r) by the degree-7 polynomial of Cephes' expf (Moshier 1989), accurate to about
 * 1 ulp, and 2^n built in the exponent bits. Below -87.3, where exp underflows to
 * subnormals, the result is exp(-87.3) ~ 1e-38 instead: nothing here can tell them apart.
 */
static inline float exp_nonpositive(float x)
{
	/* 1.5 * 2^23: adding it rounds x / ln 2 to the nearest integer, whose value then
	 * sits in the low bits of the float t (valid for |x / ln 2| < 2^22). */
	const float round_magic = 12582912.0f;
	float t, n, r, p, two_n;
	int32_t bits;

	x = x < -87.3f ? -87.3f : x;
	t = x * 1.44269504088896341f + round_magic;
	n = t - round_magic;
	r = x - n * 0.693359375f + n * 2.12194440e-4f; /* ln 2 in two parts, exact n * hi */
	p = 1.9875691500e-4f;
	p = p * r + 1.3981999507e-3f;
	p = p * r + 8.3334519073e-3f;
	p = p * r + 4.1665795894e-2f;
	p = p * r + 1.6666665459e-1f;
	p = p * r + 5.0000001201e-1f;
	p = p * r * r + r + 1.0f;
	memcpy(&bits, &t, sizeof bits);
	bits = (bits - 0x4b400000 + 127) << 23; /* n + 127 in the exponent field */
	memcpy(&two_n, &bits, sizeof two_n);
	return p * two_n;
}

/*
 * log(1 + e) for e in [0, 1], vectorisable: with s = e / (2 + e) in [0, 1/3],
 * log(1 + e) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...); the terms are below 2^-24 of
 * the sum from s^17 on, since s^2 <= 1/9.
 */
static inline float log1p_unit(float e)
{
	float s = e / (2.0f + e), s2 = s * s, p;

	p = 1.0f / 17;
	p = p * s2 + 1.0f / 15;
	p = p * s2 + 1.0f / 13;
	p = p * s2 + 1.0f / 11;
	p = p * s2 + 1.0f / 9;
	p = p * s2 + 1.0f / 7;
	p = p * s2 + 1.0f / 5;
	p = p * s2 + 1.0f / 3;
	p = p * s2 + 1.0f;
	return 2.0f * s * p;
}

/* The loss and gradient at one logit l with target x: returns softplus(l) - x l and
 * sets *dl = scale (sigmoid(l) - x). */
static inline float bce_one(float *dl, float l, float x, float scale)
{
	/* e = exp(-|l|) is in (0, 1]: no overflow, and it serves both the softplus and the
	 * sigmoid, whose two branches avoid cancellation for either sign of l. */
	float e = exp_nonpositive(-fabsf(l));

	*dl = scale * ((l >= 0.0f ? 1.0f : e) / (1.0f + e) - x);
	/* max(l, 0) - x l, arranged so that a confident right answer (l > 0 with x = 1, or
	 * l < 0 with x = 0) gives exactly 0 here instead of l - l, whose rounding error
	 * would swamp the small log1p term. */
	return (l > 0.0f ? (1.0f - x) * l : -x * l) + log1p_unit(e);
}

/* nn_bce_logits keeps BCE_LANES partial sums, one per lane of a vector register: a single
 * running sum would be a chain the compiler may not reorder, and so may not vectorise. */
#define BCE_LANES 8

NN_VECTORISED
double nn_bce_logits(float *restrict dl, const float *restrict l, const float *restrict x,
		     float scale, size_t n)
{
	double part[BCE_LANES] = { 0 }, sum = 0.0;
	size_t i, j;

	for (i = 0; i + BCE_LANES <= n; i += BCE_LANES)
		for (j = 0; j < BCE_LANES; j++)
			part[j] += (double)bce_one(&dl[i + j], l[i + j], x[i + j], scale);
	for (; i < n; i++)
		sum += (double)bce_one(&dl[i], l[i], x[i], scale);
	for (j = 0; j < BCE_LANES; j++)
		sum += part[j];
	return sum;
}

NN_VECTORISED
void nn_sigmoid(float *y, const float *x, size_t n)
{
	float e;
	size_t i;

	for (i = 0; i < n; i++) {
		e = exp_nonpositive(-fabsf(x[i]));
		y[i] = (x[i] >= 0.0f ? 1.0f : e) / (1.0f + e);
	}
}

NnAdam *nn_adam_new(size_t n, double lr, double beta1, double beta2, double eps, Err *e)
{
	NnAdam *a = calloc(1, sizeof *a);

	if (!a) {
		err_set(e, "out of memory");
		return NULL;
	}
	a->lr = lr;
	a->beta1 = beta1;
	a->beta2 = beta2;
	a->eps = eps;
	a->n = n;
	a->m = nn_block_new(n, e);
	a->v = nn_block_new(n, e);
	if (!a->m || !a->v) {
		nn_adam_free(a);
		return NULL;
	}
	return a;
}

void nn_adam_free(NnAdam *a)
{
	if (!a)
		return;
	nn_block_free(a->m);
	nn_block_free(a->v);
	free(a);
}

NN_VECTORISED
void nn_adam_step(NnAdam *a, float *p, const float *g)
{
	float b1 = (float)a->beta1, b2 = (float)a->beta2, step, rc2, eps = (float)a->eps;
	float *m = a->m, *v = a->v;
	size_t i;

	a->t++;
	/* The bias corrections in double: beta^t underflows gracefully, and 1 - beta2^t is
	 * about 1e-3 at t = 1, where float would lose digits. */
	step = (float)(a->lr / (1.0 - pow(a->beta1, (double)a->t)));
	rc2 = (float)(1.0 / sqrt(1.0 - pow(a->beta2, (double)a->t)));
	for (i = 0; i < a->n; i++) {
		m[i] = b1 * m[i] + (1.0f - b1) * g[i];
		v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
		p[i] -= step * m[i] / (sqrtf(v[i]) * rc2 + eps);
	}
}
