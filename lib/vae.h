/*
 * vae: the variational autoencoder of the digits experiment (Kingma and Welling 2014),
 * built from the nn layers.
 *
 * Sizes: N examples, B rows of a mini-batch, D data dimension (784 pixels), H hidden
 * units (250), K latent dimension.
 *
 *     encoder  a1 = enc1(x) [H], h1 = relu(a1), mu = enc_mu(h1) [K],
 *              s = enc_sigma(h1) [K], sigma = relu(s) + 1e-4
 *     sample   z = mu + sigma eps, eps ~ N(0, I) [K]
 *     decoder  a3 = dec1(z) [H], h3 = relu(a3), l = dec2(h3) [D] (logits);
 *              the Bernoulli pixel means are sigmoid(l)
 *
 * where each enc* and dec* is a dense layer y = x W^T + b. The loss of one example x is
 * the one-sample estimate of the negative evidence lower bound,
 *     sum over d of BCE(x_d, sigmoid(l_d)) + KL(N(mu, diag sigma^2) || N(0, I)),
 * and training minimises its mean over mini-batches with Adam.
 *
 * A model file (model.h) is a matrix stream: a 1 x 1 matrix `model:vae` holding the model
 * format version, then the ten parameter tensors as f32 matrices in the order of the table
 * below (W as outputs x inputs, b as 1 x outputs), from which D, H and K are read back.
 */
#ifndef LATENT_VAE_H
#define LATENT_VAE_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "model.h"
#include "nn.h"
#include "rng.h"

/* The largest latent dimension K and hidden width H a VAE may have (vae-train's limits):
 * a model file with more is refused. */
#define VAE_MAX_K 100000
#define VAE_MAX_H 100000

/* The parameter tensors, in file order. */
enum {
	VAE_ENC1_W,    /* enc1.W      H x D */
	VAE_ENC1_B,    /* enc1.b      1 x H */
	VAE_MU_W,      /* enc_mu.W    K x H */
	VAE_MU_B,      /* enc_mu.b    1 x K */
	VAE_SIGMA_W,   /* enc_sigma.W K x H */
	VAE_SIGMA_B,   /* enc_sigma.b 1 x K */
	VAE_DEC1_W,    /* dec1.W      H x K */
	VAE_DEC1_B,    /* dec1.b      1 x H */
	VAE_DEC2_W,    /* dec2.W      D x H */
	VAE_DEC2_B,    /* dec2.b      1 x D */
	VAE_TENSORS
};

typedef struct {
	size_t D, H, K;
	NnTensor t[VAE_TENSORS]; /* the layout of param (and of every gradient block) */
	size_t size;		 /* floats in param */
	float *param;
} Vae;

/* Tensor `which` of a block laid out like v->param (the parameters or a gradient). */
#define VAE_T(v, block, which) ((block) + (v)->t[(which)].offset)

/* A new VAE with all parameters zero, or NULL with a message in e (out of memory, or a
 * size of 0). Free with vae_free (NULL is fine). */
Vae *vae_new(size_t D, size_t H, size_t K, Err *e);
void vae_free(Vae *v);

/* Initialise every dense layer as the common frameworks do (nn_dense_init), in table
 * order, from r. */
void vae_init(Vae *v, Rng *r);

/* Write the model stream (the `model:vae` matrix, then the tensors) to f. 0, or -1 on a
 * write error (message in e). */
int vae_write(FILE *f, const Vae *v, Err *e);
/*
 * Read the ten tensors that follow the `model:vae` matrix of a model stream into a new
 * VAE (*out, caller frees); `what` names the stream in messages. D, H and K come from
 * enc1.W and enc_mu.W (H <= VAE_MAX_H, K <= VAE_MAX_K); every other tensor must have the
 * name and shape the table gives, and only finite values. 0, or -1 with a message in e
 * naming what is wrong.
 */
int vae_read_tensors(FILE *f, const char *what, Vae **out, Err *e);
/* The ModelOps of kind "vae", for model.c's table: vae_read_tensors, vae_encode and
 * vae_decode. */
extern const ModelOps vae_model_ops;

/* Z[N][K] = the encoder mean mu of each row of X[N][D]. Allocates a small workspace;
 * 0, or -1 (out of memory) with a message in e. */
int vae_encode(const Vae *v, float *Z, const float *X, size_t N, Err *e);
/* X[N][D] = the decoder's pixel means sigmoid(l) of each row of Z[N][K]. 0, or -1 (out of
 * memory) with a message in e. */
int vae_decode(const Vae *v, float *X, const float *Z, size_t N, Err *e);

/* Training settings (the experiment's values in brackets). */
typedef struct {
	size_t batch;		       /* B, the mini-batch size [128] */
	double lr, beta1, beta2, eps; /* Adam [1e-3, 0.9, 0.999, 1e-8] */
} VaeTrainConfig;

/*
 * Everything a training run needs beyond the parameters, allocated once before the first
 * step and sized for the largest batch: the gradient, Adam's moments, the order in which
 * examples are visited, and every forward and backward buffer ([batch][...] row-major).
 */
typedef struct {
	size_t batch; /* the largest mini-batch: the configured size, or N if that is less */
	size_t N;
	float *grad; /* d (mean batch loss) / d param, laid out like Vae.param */
	NnAdam *adam;
	size_t *order; /* N example indices, reshuffled every epoch */
	float *x;      /* [B][D] the current mini-batch, gathered in visiting order */
	/* forward: pre-activations, activations, the noise eps and the logits */
	float *a1, *h1, *mu, *s, *sigma, *eps, *z, *a3, *h3, *l;
	/* backward: the gradient of the mean batch loss with respect to each of the above */
	float *dl, *dh3, *da3, *dz, *dmu, *dsigma, *ds, *dh1, *da1;
	float *work; /* the one allocation the buffers above point into */
} VaeTrain;

/* A trainer for v on N examples, or NULL with a message in e (out of memory).
 * Free with vae_train_free (NULL is fine). */
VaeTrain *vae_train_new(const Vae *v, const VaeTrainConfig *c, size_t N, Err *e);
void vae_train_free(VaeTrain *t);

/*
 * The forward and backward pass of one mini-batch x[B][D] (1 <= B <= t->batch), drawing
 * eps[B][K] from r: returns the SUM over the batch of each example's loss, and leaves in
 * t->grad the gradient of the MEAN (the loss the optimiser sees). t->eps and every other
 * buffer keep this pass's values.
 */
double vae_loss_grad(const Vae *v, VaeTrain *t, const float *x, size_t B, Rng *r);

/* Called after every mini-batch of an epoch: done of N examples seen, and the mean loss
 * over them so far. */
typedef void VaeProgress(void *ctx, size_t done, size_t N, double mean_loss);

/*
 * One epoch over X[N][D] (N as given to vae_train_new): reshuffle the visiting order with
 * r, then for each mini-batch (the last may be shorter) a vae_loss_grad and an Adam step.
 * Returns the mean over the N examples of the loss of each (with the parameters of its
 * batch's step), or NaN as soon as a batch's loss is not finite (training diverged).
 * progress may be NULL.
 */
double vae_train_epoch(Vae *v, VaeTrain *t, const float *X, Rng *r, VaeProgress *progress,
		       void *ctx);

/*
 * The mean over X[N][D] (any N) of the one-sample negative ELBO estimate, drawing eps
 * from r; uses t's forward buffers and leaves the parameters and the gradient alone.
 */
double vae_neg_elbo(const Vae *v, VaeTrain *t, const float *X, size_t N, Rng *r);

#endif
