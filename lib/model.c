#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ppca.h"
#include "vae.h"

/* The kinds of model this build knows: one row per kind. */
static const ModelOps *const kinds[] = {
	&ppca_model_ops,
	&vae_model_ops,
};

#define N_KINDS (sizeof kinds / sizeof kinds[0])

struct Model {
	const ModelOps *ops;
	void *impl;
	size_t D, K;
};

/* Put `what: ` in front of the message already in e; returns -1. */
static int prefixed(Err *e, const char *what)
{
	Err inner;

	if (!e)
		return -1;
	inner = *e;
	return err_set(e, "%s: %s", what, inner.msg);
}

static const ModelOps *find_kind(const char *kind)
{
	size_t i;

	for (i = 0; i < N_KINDS; i++)
		if (strcmp(kinds[i]->kind, kind) == 0)
			return kinds[i];
	return NULL;
}

int model_read(FILE *f, const char *what, Model **out, Err *e)
{
	const ModelOps *ops;
	MatHeader h;
	Mat *v;
	Model *m;
	double version;
	char known[128] = "";
	size_t i;
	int r;

	*out = NULL;
	r = mat_read_header(f, &h, e);
	if (r > 0)
		return err_set(e, "%s: empty stream (not a model)", what);
	if (r < 0)
		return prefixed(e, what);
	if (strncmp(h.name, "model:", 6) != 0 || h.rows != 1 || h.cols != 1)
		return err_set(e, "%s: not a model (its first matrix is '%s' %zu x %zu, not "
				  "'model:KIND' 1 x 1)", what, h.name, h.rows, h.cols);
	ops = find_kind(h.name + 6);
	if (!ops) {
		for (i = 0; i < N_KINDS; i++)
			snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
				 i ? ", " : "", kinds[i]->kind);
		return err_set(e, "%s: unknown model kind '%s' (known: %s)", what, h.name + 6, known);
	}
	if (mat_read_payload(f, &h, &v, e))
		return prefixed(e, what);
	version = mat_get(v, 0, 0);
	mat_free(v);
	if (version != MODEL_VERSION)
		return err_set(e, "%s: %s model format version %g is not supported (this is "
				  "version %d)", what, ops->kind, version, MODEL_VERSION);
	m = calloc(1, sizeof *m);
	if (!m)
		return err_set(e, "out of memory");
	m->ops = ops;
	if (ops->load(f, what, &m->impl, &m->D, &m->K, e)) {
		free(m);
		return -1;
	}
	/* Nothing may follow the last matrix: a second model or stray bytes mean the file is
	 * not what its writer wrote (finding 14). */
	r = mat_read_header(f, &h, e);
	if (r == 0)
		err_set(e, "%s: unexpected matrix '%s' after the end of the %s model", what, h.name,
			ops->kind);
	else if (r < 0) {
		Err inner = *e;
		err_set(e, "%s: trailing data after the %s model: %s", what, ops->kind, inner.msg);
	}
	if (r <= 0) {
		model_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

void model_free(Model *m)
{
	if (!m)
		return;
	m->ops->free(m->impl);
	free(m);
}

const char *model_kind(const Model *m)
{
	return m->ops->kind;
}

size_t model_dim(const Model *m)
{
	return m->D;
}

size_t model_latent(const Model *m)
{
	return m->K;
}

/* -1 with a message when an entry of A[N][cols] is not finite: finite inputs and a
 * finite model can still overflow single precision (a large W times a large z). */
static int finite_output(const float *A, size_t N, size_t cols, const char *verb, Err *e)
{
	size_t i;

	for (i = 0; i < N * cols; i++)
		if (!isfinite(A[i]))
			return err_set(e, "%s row %zu gave %g in column %zu: beyond single precision",
				       verb, i / cols + 1, (double)A[i], i % cols + 1);
	return 0;
}

int model_encode(const Model *m, float *Z, const float *X, size_t N, Err *e)
{
	if (m->ops->encode(m->impl, Z, X, N, e))
		return -1;
	return finite_output(Z, N, m->K, "encoding", e);
}

int model_decode(const Model *m, float *X, const float *Z, size_t N, Err *e)
{
	if (m->ops->decode(m->impl, X, Z, N, e))
		return -1;
	return finite_output(X, N, m->D, "decoding", e);
}

int model_write_header(FILE *f, const char *kind, MatType type, Err *e)
{
	char name[MAT_NAME_MAX + 1];
	Mat *v;
	int r;

	snprintf(name, sizeof name, "model:%s", kind);
	v = mat_new(1, 1, type, name, e);
	if (!v)
		return -1;
	mat_set(v, 0, 0, MODEL_VERSION);
	r = mat_write(f, v, e);
	mat_free(v);
	return r;
}

int model_read_part(FILE *f, const char *what, const char *kind, const char *name,
		    MatType type, Mat **out, Err *e)
{
	Mat *m;
	int r;

	*out = NULL;
	r = mat_read(f, &m, e);
	if (r > 0)
		return err_set(e, "%s: %s model ends before its matrix '%s'", what, kind, name);
	if (r < 0)
		return prefixed(e, what);
	if (strcmp(m->name, name) != 0) {
		err_set(e, "%s: %s model has matrix '%s' where '%s' belongs", what, kind, m->name,
			name);
		mat_free(m);
		return -1;
	}
	if (mat_convert(m, type, e)) {
		mat_free(m);
		return -1;
	}
	*out = m;
	return 0;
}
