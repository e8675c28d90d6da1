/*
 * nn: the pieces of a small neural network, with explicit forward and backward buffers.
 *
 * Sizes use one set of letters: B rows in a mini-batch, I inputs and O outputs of a dense
 * layer, n elements of an elementwise layer. Every array is row-major float and owned by
 * the caller; nothing here allocates except the _new functions.
 *
 * The contract shared by every layer:
 * - a forward function writes its output, and the backward pass reads the forward's
 *   inputs and outputs again (pre-activations, the noise of the reparameterisation), so
 *   the caller keeps those buffers alive between the two passes;
 * - a backward function ADDS into every gradient it produces (parameters and inputs), so
 *   a tensor that feeds two layers collects both contributions, and the trainer zeroes
 *   each gradient buffer once per step. The one exception is nn_bce_logits, where the
 *   backward pass starts: it writes its gradient.
 *
 * Parameters live in one float block carved into named tensors by a table (NnTensor);
 * gradients and Adam's two moments are blocks of the same layout, so the optimiser is one
 * loop over flat arrays and a model file is that table written as named matrices.
 */
#ifndef LATENT_NN_H
#define LATENT_NN_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "mat.h"
#include "rng.h"

/* The floor added to the ReLU of the sigma head, so that sigma > 0 and log sigma is
 * finite: sigma = max(s, 0) + NN_SIGMA_FLOOR. */
#define NN_SIGMA_FLOOR 1e-4f

/* One tensor of a parameter block: rows x cols floats at block + offset. */
typedef struct {
	const char *name; /* a valid matrix name (mat_name_ok), e.g. "enc1.W" */
	size_t rows, cols;
	size_t offset; /* set by nn_layout */
} NnTensor;

/* Lay the count tensors of t out back to back (set each offset) and return the total
 * number of floats in the block. */
size_t nn_layout(NnTensor *t, size_t count);

/* A zero-filled block of n floats, or NULL with a message in e. Free with nn_block_free. */
float *nn_block_new(size_t n, Err *e);
void nn_block_free(float *block);

/* Write the tensors of block as f32 matrices named t[i].name, in table order.
 * 0, or -1 on a write error (message in e). */
int nn_write_tensors(FILE *f, const NnTensor *t, size_t count, const float *block, Err *e);

/* Copy matrix m into the tensor t of block after checking that m has t's name and shape
 * and only finite values. 0, or -1 with a message in e that names the tensor. */
int nn_set_tensor(float *block, const NnTensor *t, const Mat *m, Err *e);

/*
 * The initialisation of the common frameworks' dense layer (PyTorch's nn.Linear), so
 * results are comparable: every entry of W[O][I] and b[O] uniform in +-1/sqrt(I).
 */
void nn_dense_init(float *W, float *b, size_t I, size_t O, Rng *r);

/* y[B][O] = x[B][I] W[O][I]^T + b[O] */
void nn_dense_forward(float *y, const float *x, const float *W, const float *b, size_t B,
		      size_t I, size_t O);
/* dW[O][I] += dy^T x;  db[O] += column sums of dy[B][O];  dx[B][I] += dy W (dx may be
 * NULL: the gradient of a network's input is rarely wanted). */
void nn_dense_backward(float *dx, float *dW, float *db, const float *dy, const float *x,
		       const float *W, size_t B, size_t I, size_t O);

/* y[n] = max(x, 0) */
void nn_relu_forward(float *y, const float *x, size_t n);
/* dx[n] += dy where x > 0 (the gradient at the kink x = 0 is taken as 0) */
void nn_relu_backward(float *dx, const float *dy, const float *x, size_t n);

/* The sigma head: sigma[n] = max(s, 0) + NN_SIGMA_FLOOR */
void nn_sigma_forward(float *sigma, const float *s, size_t n);
/* ds[n] += dsigma where s > 0 */
void nn_sigma_backward(float *ds, const float *dsigma, const float *s, size_t n);

/* The reparameterised sample (Kingma and Welling 2014, eq. 10): z[n] = mu + sigma eps,
 * with eps ~ N(0, 1) drawn by the caller and kept for the backward pass. */
void nn_reparam_forward(float *z, const float *mu, const float *sigma, const float *eps,
			size_t n);
/* dmu[n] += dz;  dsigma[n] += dz eps */
void nn_reparam_backward(float *dmu, float *dsigma, const float *dz, const float *eps,
			 size_t n);

/*
 * KL(N(mu, sigma^2) || N(0, 1)) summed over n independent coordinates (Kingma and
 * Welling 2014, appendix B): sum of (mu^2 + sigma^2 - 1 - log sigma^2) / 2, accumulated
 * in double. sigma > 0.
 */
double nn_kl_forward(const float *mu, const float *sigma, size_t n);
/* The gradient of scale * nn_kl_forward: dmu[n] += scale mu;
 * dsigma[n] += scale (sigma - 1/sigma). */
void nn_kl_backward(float *dmu, float *dsigma, const float *mu, const float *sigma,
		    float scale, size_t n);

/*
 * Binary cross-entropy of targets x[n] in [0, 1] under Bernoulli means sigmoid(l[n]),
 * computed from the logits l with a stable softplus, never from the log of a sigmoid:
 *     -[x log s(l) + (1 - x) log(1 - s(l))] = softplus(l) - x l,
 *     softplus(l) = max(l, 0) + log1p(exp(-|l|)).
 * Returns the sum over n, accumulated in double. Fused with its gradient, which costs
 * little more once the exponential is computed: dl[n] = scale (sigmoid(l) - x) is WRITTEN
 * (not added: the backward pass starts here). dl must not overlap l or x.
 */
double nn_bce_logits(float *restrict dl, const float *restrict l, const float *restrict x,
		     float scale, size_t n);

/* y[n] = 1 / (1 + exp(-x)), computed without overflow for any x; y may equal x. */
void nn_sigmoid(float *y, const float *x, size_t n);

/*
 * Adam (Kingma and Ba 2015, Algorithm 1), in the form torch.optim.Adam uses, so runs are
 * comparable: after t steps,
 *     m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2,
 *     p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
 * The moments m and v are blocks of n floats in the parameters' layout.
 */
typedef struct {
	double lr, beta1, beta2, eps;
	long t;	 /* steps taken */
	size_t n;
	float *m, *v;
} NnAdam;

/* A new optimiser for n parameters with zero moments, or NULL with a message in e. */
NnAdam *nn_adam_new(size_t n, double lr, double beta1, double beta2, double eps, Err *e);
void nn_adam_free(NnAdam *a);
/* One step: p[n] -= the update computed from the gradient g[n]. */
void nn_adam_step(NnAdam *a, float *p, const float *g);

#endif
