/*
 * model: a fitted latent-variable model of images, whatever its kind (PPCA, VAE).
 *
 * A model file is a matrix stream whose first matrix is a 1 x 1 matrix named
 * `model:KIND` (`model:ppca`, `model:vae`) holding the model format version (1),
 * followed by the kind's own named matrices:
 *
 *     ppca: mean 1 x D, W D x K, sigma2 1 x 1      (in this order; see ppca.h)
 *     vae:  its parameter tensors enc1.W, enc1.b, ... (see vae.h)
 *
 * Image models are written as f32. Every kind offers the same verbs: encode an image to
 * its latent mean, decode a latent code to its pixel means. Tools that use a model
 * (vae-sample) call these and never look at the kind.
 *
 * Adding a kind: write a ModelOps for it (lib/<kind>.c) and add one row to the table of
 * kinds in model.c.
 */
#ifndef LATENT_MODEL_H
#define LATENT_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "mat.h"

/* The format version this code reads and writes, stored in the `model:KIND` matrix. */
#define MODEL_VERSION 1

typedef struct Model Model;

/*
 * What one kind of model provides. `load` reads the kind's matrices from f, which is
 * positioned just after the `model:KIND` matrix; it returns 0 with the kind's own state
 * in *impl and the data dimension D and latent dimension K, or -1 with a message in e
 * (`what` names the file in messages). encode/decode have model_encode/model_decode's
 * contract. free accepts NULL.
 */
typedef struct {
	const char *kind;
	int (*load)(FILE *f, const char *what, void **impl, size_t *D, size_t *K, Err *e);
	int (*encode)(const void *impl, float *Z, const float *X, size_t N, Err *e);
	int (*decode)(const void *impl, float *X, const float *Z, size_t N, Err *e);
	void (*free)(void *impl);
} ModelOps;

/*
 * Read a model from f, which must end after the model's last matrix; `what` names the
 * file in messages. Returns 0 with *out (free with model_free), or -1 with a message in
 * e: the first matrix is not `model:KIND` 1 x 1, the kind is unknown, the version is not
 * MODEL_VERSION, the kind's loader refused what follows, or anything follows the model.
 */
int model_read(FILE *f, const char *what, Model **out, Err *e);
void model_free(Model *m);
/* "ppca", "vae": the KIND of `model:KIND`. */
const char *model_kind(const Model *m);
/* D: the data dimension (784 for MNIST). */
size_t model_dim(const Model *m);
/* K: the latent dimension. */
size_t model_latent(const Model *m);
/* Z[N][K] = the posterior / encoder mean of each row of X[N][D]. 0, or -1 (message in e)
 * when the kind fails or a result is not finite (overflow in single precision). */
int model_encode(const Model *m, float *Z, const float *X, size_t N, Err *e);
/* X[N][D] = the decoder mean of each row of Z[N][K] (unclipped). 0, or -1 (message in e)
 * when the kind fails or a result is not finite (overflow in single precision). */
int model_decode(const Model *m, float *X, const float *Z, size_t N, Err *e);

/*
 * Write the first matrix of a model file: 1 x 1 `model:KIND` holding MODEL_VERSION, of
 * the given element type. For a kind's writer. 0, or -1 on a write error (message in e).
 */
int model_write_header(FILE *f, const char *kind, MatType type, Err *e);

/*
 * For a kind's loader: read the next matrix of a model file, which must be named `name`,
 * into *out (caller frees), converted to type. -1 with a message in e when the stream
 * ends, the matrix is malformed, or it has another name.
 */
int model_read_part(FILE *f, const char *what, const char *kind, const char *name,
		    MatType type, Mat **out, Err *e);

#endif
