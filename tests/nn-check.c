/*
 * nn-check: numerical checks of lib/nn and lib/vae, run by tests/nn.bats.
 *
 *     nn-check GROUP     GROUP: dense relu sigma reparam kl bce sigmoid adam vae model
 *
 * Prints one line per failed comparison and `GROUP: N checks, M failed`; exits 1 if any
 * failed. The expected values never come from the code under test:
 * - every layer is re-implemented here in double precision with plain loops (ref_*), and
 *   the float layer's forward pass is compared with it;
 * - every backward pass is compared with central finite differences, in double, of the
 *   reference forward pass: for a layer y = f(theta) and a random upstream gradient r, the
 *   derivative of sum(r . y) with respect to each input and parameter;
 * - the whole VAE loss, with the noise eps held fixed at the values the library drew, is
 *   differentiated the same way with respect to every parameter;
 * - closed forms where there are some (KL, the first Adam step).
 * Inputs are floats, so the double reference sees exactly the values the float code sees.
 *
 * Tolerances: the code under test computes in float32 (unit roundoff 2^-24 ~ 6e-8). A
 * result that sums T terms of size ~1 is off by a few T ulps; with T <= 10 here that is
 * ~1e-6, so REL = 1e-5 (relative, floored at 1 in magnitude) leaves a 10x margin, while a
 * wrong term, factor or sign shows as an O(1) error. The finite differences use
 * h = 1e-6 in double: truncation ~ h^2 and cancellation ~ 1e-16 / h, both below 1e-9.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mat.h"
#include "model.h"
#include "nn.h"
#include "rng.h"
#include "vae.h"

#define REL 1e-5
#define FD_H 1e-6

static int checks, failures;
static Rng rng;

/* Record one comparison: |got - want| <= tol * max(1, |want|). */
static void close_to(const char *what, size_t i, double got, double want, double tol)
{
	double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;

	checks++;
	if (!(fabs(got - want) <= tol * scale)) {
		failures++;
		printf("FAIL %s[%zu]: got %.9g, want %.9g (diff %.3g, tol %.3g)\n", what, i, got,
		       want, fabs(got - want), tol * scale);
	}
}

static void truth(const char *what, int ok)
{
	checks++;
	if (!ok) {
		failures++;
		printf("FAIL %s\n", what);
	}
}

/* n random floats, normal with standard deviation sd, none closer than gap to 0 (so a
 * finite difference never straddles the kink of a ReLU). */
static float *randf(size_t n, double sd, double gap)
{
	float *v = malloc((n ? n : 1) * sizeof *v);
	size_t i;

	for (i = 0; i < n; i++) {
		double x = sd * rng_normal(&rng);
		if (fabs(x) < gap)
			x = x < 0 ? -gap - fabs(x) : gap + fabs(x);
		v[i] = (float)x;
	}
	return v;
}

static double *to_double(const float *f, size_t n)
{
	double *d = malloc((n ? n : 1) * sizeof *d);
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = f[i];
	return d;
}

/* The objective of a finite-difference check: a scalar function of theta[n]. */
typedef double Objective(const double *theta, void *ctx);

/* g[n] = central differences of f at theta (theta is restored). */
static void fd_gradient(double *g, Objective *f, double *theta, size_t n, void *ctx)
{
	size_t i;
	double keep, up, down;

	for (i = 0; i < n; i++) {
		keep = theta[i];
		theta[i] = keep + FD_H;
		up = f(theta, ctx);
		theta[i] = keep - FD_H;
		down = f(theta, ctx);
		theta[i] = keep;
		g[i] = (up - down) / (2 * FD_H);
	}
}

/* ---- reference layers, double precision, plain loops ---- */

static void ref_dense(double *y, const double *x, const double *W, const double *b, size_t B,
		      size_t I, size_t O)
{
	size_t n, o, i;

	for (n = 0; n < B; n++)
		for (o = 0; o < O; o++) {
			double s = b[o];
			for (i = 0; i < I; i++)
				s += x[n * I + i] * W[o * I + i];
			y[n * O + o] = s;
		}
}

static double ref_relu(double x)
{
	return x > 0 ? x : 0;
}

static double ref_sigma(double s)
{
	return ref_relu(s) + (double)NN_SIGMA_FLOOR;
}

/* KL(N(mu, sigma^2) || N(0, 1)) of one coordinate, straight from the two densities:
 * E_q[log q - log p] = -log sigma - 1/2 + (sigma^2 + mu^2) / 2. */
static double ref_kl(double mu, double sigma)
{
	return -log(sigma) - 0.5 + 0.5 * (sigma * sigma + mu * mu);
}

/* log(1 + exp(u)), evaluated on the side where exp cannot overflow */
static double ref_softplus(double u)
{
	return u > 0 ? u + log1p(exp(-u)) : log1p(exp(u));
}

/* -[x log p + (1 - x) log(1 - p)] with p = sigmoid(l): since log p = -softplus(-l) and
 * log(1 - p) = -softplus(l), it is x softplus(-l) + (1 - x) softplus(l). */
static double ref_bce(double l, double x)
{
	return x * ref_softplus(-l) + (1 - x) * ref_softplus(l);
}

static double ref_sigmoid(double l)
{
	return 1.0 / (1.0 + exp(-l));
}

/* ---- dense ---- */

struct dense_ctx {
	size_t B, I, O;
	const double *r; /* upstream gradient [B][O] */
};

/* theta = x[B][I], W[O][I], b[O]; returns sum(r . y) */
static double dense_objective(const double *theta, void *vctx)
{
	struct dense_ctx *c = vctx;
	double *y = malloc(c->B * c->O * sizeof *y), s = 0;
	size_t i;

	ref_dense(y, theta, theta + c->B * c->I, theta + c->B * c->I + c->O * c->I, c->B, c->I,
		  c->O);
	for (i = 0; i < c->B * c->O; i++)
		s += c->r[i] * y[i];
	free(y);
	return s;
}

static void check_dense(size_t B, size_t I, size_t O)
{
	size_t nx = B * I, nw = O * I, n = nx + nw + O, i;
	float *theta = randf(n, 1.0, 0), *r = randf(B * O, 1.0, 0);
	float *y = malloc(B * O * sizeof *y), *grad = randf(n, 1.0, 0), *before;
	double *td = to_double(theta, n), *rd = to_double(r, B * O), *yd, *g;
	struct dense_ctx c = { B, I, O, rd };

	yd = malloc(B * O * sizeof *yd);
	g = malloc(n * sizeof *g);
	nn_dense_forward(y, theta, theta + nx, theta + nx + nw, B, I, O);
	ref_dense(yd, td, td + nx, td + nx + nw, B, I, O);
	for (i = 0; i < B * O; i++)
		close_to("dense forward y", i, y[i], yd[i], REL);

	/* The backward pass adds: start from arbitrary gradients and compare the change. */
	before = malloc(n * sizeof *before);
	memcpy(before, grad, n * sizeof *before);
	nn_dense_backward(grad, grad + nx, grad + nx + nw, r, theta, theta + nx, B, I, O);
	fd_gradient(g, dense_objective, td, n, &c);
	for (i = 0; i < n; i++)
		close_to(i < nx ? "dense dx" : i < nx + nw ? "dense dW" : "dense db", i,
			 (double)grad[i] - before[i], g[i], REL);

	/* dx may be NULL: the parameter gradients are the same. */
	memcpy(grad, before, n * sizeof *grad);
	nn_dense_backward(NULL, grad + nx, grad + nx + nw, r, theta, theta + nx, B, I, O);
	for (i = nx; i < n; i++)
		close_to("dense dW, db with dx NULL", i, (double)grad[i] - before[i], g[i], REL);
	for (i = 0; i < nx; i++)
		truth("dense with dx NULL leaves the x gradient alone", grad[i] == before[i]);
	free(theta), free(r), free(y), free(grad), free(before), free(td), free(rd), free(yd);
	free(g);
}

/* ---- elementwise layers: y = f(u) (and a second input where there is one) ---- */

struct unary_ctx {
	size_t n;
	const double *r;
	double (*f)(double);
};

static double unary_objective(const double *theta, void *vctx)
{
	struct unary_ctx *c = vctx;
	double s = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		s += c->r[i] * c->f(theta[i]);
	return s;
}

typedef void Forward1(float *y, const float *x, size_t n);
typedef void Backward1(float *dx, const float *dy, const float *x, size_t n);

static void check_unary(const char *name, Forward1 *fwd, Backward1 *bwd, double (*ref)(double),
			size_t n)
{
	/* inputs at least 0.01 from the kink at 0 */
	float *x = randf(n, 1.0, 0.01), *r = randf(n, 1.0, 0), *y = malloc(n * sizeof *y);
	float *dx = randf(n, 1.0, 0), *before = malloc(n * sizeof *before);
	double *xd = to_double(x, n), *rd = to_double(r, n), *g = malloc(n * sizeof *g);
	struct unary_ctx c = { n, rd, ref };
	char what[64];
	size_t i;

	fwd(y, x, n);
	snprintf(what, sizeof what, "%s forward", name);
	for (i = 0; i < n; i++)
		close_to(what, i, y[i], ref(xd[i]), REL);
	memcpy(before, dx, n * sizeof *dx);
	bwd(dx, r, x, n);
	fd_gradient(g, unary_objective, xd, n, &c);
	snprintf(what, sizeof what, "%s backward", name);
	for (i = 0; i < n; i++)
		close_to(what, i, (double)dx[i] - before[i], g[i], REL);
	/* the kink itself: the gradient at exactly 0 is taken as 0 */
	x[0] = 0.0f;
	dx[0] = 0.0f;
	bwd(dx, r, x, 1);
	snprintf(what, sizeof what, "%s backward at 0 is 0", name);
	truth(what, dx[0] == 0.0f);
	free(x), free(r), free(y), free(dx), free(before), free(xd), free(rd), free(g);
}

/* ---- reparameterisation: z = mu + sigma eps ---- */

struct reparam_ctx {
	size_t n;
	const double *r, *eps;
};

static double reparam_objective(const double *theta, void *vctx)
{
	struct reparam_ctx *c = vctx;
	double s = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		s += c->r[i] * (theta[i] + theta[c->n + i] * c->eps[i]);
	return s;
}

static void check_reparam(size_t n)
{
	float *theta = randf(2 * n, 1.0, 0), *eps = randf(n, 1.0, 0), *r = randf(n, 1.0, 0);
	float *z = malloc(n * sizeof *z), *grad = randf(2 * n, 1.0, 0), *before;
	double *td = to_double(theta, 2 * n), *ed = to_double(eps, n), *rd = to_double(r, n);
	double *g = malloc(2 * n * sizeof *g);
	struct reparam_ctx c = { n, rd, ed };
	size_t i;

	nn_reparam_forward(z, theta, theta + n, eps, n);
	for (i = 0; i < n; i++)
		close_to("reparam forward z", i, z[i], td[i] + td[n + i] * ed[i], REL);
	before = malloc(2 * n * sizeof *before);
	memcpy(before, grad, 2 * n * sizeof *grad);
	nn_reparam_backward(grad, grad + n, r, eps, n);
	fd_gradient(g, reparam_objective, td, 2 * n, &c);
	for (i = 0; i < 2 * n; i++)
		close_to(i < n ? "reparam dmu" : "reparam dsigma", i, (double)grad[i] - before[i],
			 g[i], REL);
	free(theta), free(eps), free(r), free(z), free(grad), free(before), free(td), free(ed);
	free(rd), free(g);
}

/* ---- KL ---- */

struct kl_ctx {
	size_t n;
	double scale;
};

static double kl_objective(const double *theta, void *vctx)
{
	struct kl_ctx *c = vctx;
	double s = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		s += ref_kl(theta[i], theta[c->n + i]);
	return c->scale * s;
}

static void check_kl(size_t n)
{
	float *theta = randf(2 * n, 1.0, 0), *grad = randf(2 * n, 1.0, 0), *before;
	double *td, *g = malloc(2 * n * sizeof *g), sum = 0;
	struct kl_ctx c = { n, 0.25 };
	size_t i;
	/* Closed forms by hand: KL = -log s - 1/2 + (s^2 + m^2) / 2 is 0 at the prior
	 * (m = 0, s = 1); 1/2 at m = 1, s = 1; and at m = 0, s = 2: -log 2 - 1/2 + 2. */
	const float mu[3] = { 0, 1, 0 }, sigma[3] = { 1, 1, 2 };

	close_to("KL at the prior", 0, nn_kl_forward(mu, sigma, 1), 0.0, REL);
	close_to("KL at mu = 1", 0, nn_kl_forward(mu + 1, sigma + 1, 1), 0.5, REL);
	close_to("KL at sigma = 2", 0, nn_kl_forward(mu + 2, sigma + 2, 1), 1.5 - log(2.0), REL);
	for (i = n; i < 2 * n; i++)
		theta[i] = 0.05f + fabsf(theta[i]); /* sigma > 0 */
	td = to_double(theta, 2 * n);
	for (i = 0; i < n; i++)
		sum += ref_kl(td[i], td[n + i]);
	close_to("KL forward sum", 0, nn_kl_forward(theta, theta + n, n), sum, REL);
	before = malloc(2 * n * sizeof *before);
	memcpy(before, grad, 2 * n * sizeof *grad);
	nn_kl_backward(grad, grad + n, theta, theta + n, (float)c.scale, n);
	fd_gradient(g, kl_objective, td, 2 * n, &c);
	for (i = 0; i < 2 * n; i++)
		close_to(i < n ? "KL dmu" : "KL dsigma", i, (double)grad[i] - before[i], g[i], REL);
	free(theta), free(grad), free(before), free(td), free(g);
}

/* ---- binary cross-entropy from logits ---- */

struct bce_ctx {
	size_t n;
	const double *x;
	double scale;
};

static double bce_objective(const double *theta, void *vctx)
{
	struct bce_ctx *c = vctx;
	double s = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		s += ref_bce(theta[i], c->x[i]);
	return c->scale * s;
}

static void check_bce(void)
{
	/* Logits across the whole range, where the naive formulas overflow (exp(l) for
	 * l > 88) or cancel (log(1 - p) near p = 1), and targets 0, 1 and in between. */
	static const float grid[] = { -1e4f, -200, -88, -87.3f, -50, -17, -8, -1, -0.25f,
				      -1e-3f, -1e-8f, 0, 1e-8f, 1e-3f, 0.25f, 1, 8, 17, 50,
				      87.3f, 88, 200, 1e4f };
	static const float targets[] = { 0, 1, 0.3f };
	size_t ng = sizeof grid / sizeof *grid, i, j, n = 517;
	float dl, *l, *x, *d;
	double got, want, *ld, *xd, *g;
	struct bce_ctx c;

	for (i = 0; i < ng; i++)
		for (j = 0; j < 3; j++) {
			got = nn_bce_logits(&dl, &grid[i], &targets[j], 1.0f, 1);
			want = ref_bce(grid[i], targets[j]);
			/* One float result of size |l|: relative 1e-6, and an absolute
			 * floor of 1e-37 for the far tail, where exp(-|l|) underflows to
			 * ~1e-38 instead of e.g. exp(-200). */
			checks++;
			if (!(fabs(got - want) <= 1e-6 * fabs(want) + 1e-37)) {
				failures++;
				printf("FAIL bce loss at l = %g, x = %g: got %.9g, want %.9g\n",
				       (double)grid[i], (double)targets[j], got, want);
			}
			close_to("bce gradient on the grid", i,
				 dl, ref_sigmoid(grid[i]) - targets[j], REL);
		}
	/* A long vector (the loop's vector part and its tail), and the sum over it. */
	l = randf(n, 4.0, 0);
	x = randf(n, 1.0, 0);
	d = malloc(n * sizeof *d);
	for (i = 0; i < n; i++)
		x[i] = x[i] > 0 ? 1.0f : (i % 3 ? 0.0f : 0.5f);
	ld = to_double(l, n);
	xd = to_double(x, n);
	g = malloc(n * sizeof *g);
	c = (struct bce_ctx){ n, xd, 1.0 / 3 };
	got = nn_bce_logits(d, l, x, (float)c.scale, n);
	/* the sum of n terms: n ulps of the total at most */
	close_to("bce sum", 0, got, bce_objective(ld, &c) / c.scale, n * 6e-8);
	fd_gradient(g, bce_objective, ld, n, &c);
	for (i = 0; i < n; i++)
		close_to("bce gradient", i, d[i], g[i], REL);
	free(l), free(x), free(d), free(ld), free(xd), free(g);
}

static void check_sigmoid(void)
{
	static const float grid[] = { -1e4f, -100, -20, -1, -1e-8f, 0, 1e-8f, 1, 20, 100, 1e4f };
	size_t n = sizeof grid / sizeof *grid, i;
	float y[sizeof grid / sizeof *grid];

	nn_sigmoid(y, grid, n);
	for (i = 0; i < n; i++) {
		/* an absolute floor of 1e-37 for the underflowing tail, as in check_bce */
		checks++;
		if (!(fabs(y[i] - ref_sigmoid(grid[i])) <= 1e-6 * ref_sigmoid(grid[i]) + 1e-37)) {
			failures++;
			printf("FAIL sigmoid(%g) = %.9g, want %.9g\n", (double)grid[i], (double)y[i],
			       ref_sigmoid(grid[i]));
		}
	}
	truth("sigmoid(0) is exactly 1/2", y[5] == 0.5f);
	/* A fine grid over the range where exp(-|x|) is a normal float: the exponential is
	 * good to about 1 ulp and the quotient adds two roundings, so 4 ulps (2.4e-7) of the
	 * result. */
	for (i = 0; i < 4000; i++) {
		float x = -87.0f + 0.0219f * (float)i, s;
		double want = ref_sigmoid(x);
		nn_sigmoid(&s, &x, 1);
		checks++;
		if (!(fabs(s - want) <= 2.4e-7 * want)) {
			failures++;
			printf("FAIL sigmoid(%.9g) = %.9g, want %.9g (%.2g relative)\n", (double)x,
			       (double)s, want, fabs(s - want) / want);
		}
	}
	truth("sigmoid(1e4) is exactly 1", y[n - 1] == 1.0f);
	/* in place */
	memcpy(y, grid, sizeof y);
	nn_sigmoid(y, y, n);
	for (i = 0; i < n; i++)
		close_to("sigmoid in place", i, y[i], ref_sigmoid(grid[i]), 1e-6);
}

/* ---- Adam ---- */

static void check_adam(void)
{
	size_t n = 37, i, t;
	double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
	float *p = randf(n, 1.0, 0), *g = randf(n, 1.0, 0.01), *p0 = malloc(n * sizeof *p0);
	double *pd = to_double(p, n), *m = calloc(n, sizeof *m), *v = calloc(n, sizeof *v);
	NnAdam *a = nn_adam_new(n, lr, b1, b2, eps, NULL);

	memcpy(p0, p, n * sizeof *p);
	/* The first step moves every parameter by lr against the sign of its gradient:
	 * m/(1 - b1) = g and sqrt(v/(1 - b2)) = |g|, so the step is lr g / (|g| + eps).
	 * Tolerance: p is a float of size ~1, so p - p0 carries ~1e-7 of rounding. */
	nn_adam_step(a, p, g);
	for (i = 0; i < n; i++)
		close_to("Adam first step = -lr sign(g)", i, (double)p[i] - p0[i],
			 g[i] > 0 ? -lr : lr, 1e-6);
	/* Steps 1 to 5 with changing gradients against Algorithm 1 of Kingma and Ba in
	 * double, with the bias-corrected moments spelled out. */
	memcpy(p, p0, n * sizeof *p);
	nn_adam_free(a);
	a = nn_adam_new(n, lr, b1, b2, eps, NULL);
	for (t = 1; t <= 5; t++) {
		for (i = 0; i < n; i++)
			g[i] = (float)(g[i] * -0.7 + 0.1 * t);
		nn_adam_step(a, p, g);
		for (i = 0; i < n; i++) {
			double mhat, vhat;
			m[i] = b1 * m[i] + (1 - b1) * g[i];
			v[i] = b2 * v[i] + (1 - b2) * (double)g[i] * g[i];
			mhat = m[i] / (1 - pow(b1, (double)t));
			vhat = v[i] / (1 - pow(b2, (double)t));
			pd[i] -= lr * mhat / (sqrt(vhat) + eps);
		}
	}
	for (i = 0; i < n; i++)
		close_to("Adam after 5 steps", i, p[i], pd[i], REL);
	truth("Adam counts its steps", a->t == 5);
	nn_adam_free(a);
	free(p), free(g), free(p0), free(pd), free(m), free(v);
}

/* ---- the whole VAE ---- */

struct vae_ctx {
	size_t D, H, K, B;
	const Vae *layout;
	const double *X, *eps;
};

/* The mean over the batch of each example's loss, every step written out in double,
 * with theta laid out like Vae.param. */
static double vae_objective(const double *theta, void *vctx)
{
	struct vae_ctx *c = vctx;
	const Vae *v = c->layout;
	size_t D = c->D, H = c->H, K = c->K, n, i;
	double *a1 = malloc(H * sizeof *a1), *mu = malloc(K * sizeof *mu);
	double *s = malloc(K * sizeof *s), *z = malloc(K * sizeof *z);
	double *a3 = malloc(H * sizeof *a3), *l = malloc(D * sizeof *l), total = 0;

	for (n = 0; n < c->B; n++) {
		const double *x = c->X + n * D;
		ref_dense(a1, x, VAE_T(v, theta, VAE_ENC1_W), VAE_T(v, theta, VAE_ENC1_B), 1, D, H);
		for (i = 0; i < H; i++)
			a1[i] = ref_relu(a1[i]);
		ref_dense(mu, a1, VAE_T(v, theta, VAE_MU_W), VAE_T(v, theta, VAE_MU_B), 1, H, K);
		ref_dense(s, a1, VAE_T(v, theta, VAE_SIGMA_W), VAE_T(v, theta, VAE_SIGMA_B), 1, H,
			  K);
		for (i = 0; i < K; i++) {
			z[i] = mu[i] + ref_sigma(s[i]) * c->eps[n * K + i];
			total += ref_kl(mu[i], ref_sigma(s[i]));
		}
		ref_dense(a3, z, VAE_T(v, theta, VAE_DEC1_W), VAE_T(v, theta, VAE_DEC1_B), 1, K, H);
		for (i = 0; i < H; i++)
			a3[i] = ref_relu(a3[i]);
		ref_dense(l, a3, VAE_T(v, theta, VAE_DEC2_W), VAE_T(v, theta, VAE_DEC2_B), 1, H, D);
		for (i = 0; i < D; i++)
			total += ref_bce(l[i], x[i]);
	}
	free(a1), free(mu), free(s), free(z), free(a3), free(l);
	return total / (double)c->B;
}

static void check_vae(void)
{
	size_t D = 7, H = 5, K = 3, B = 4, i, sigma_on = 0;
	VaeTrainConfig cfg = { 6, 1e-3, 0.9, 0.999, 1e-8 }; /* B < batch: a short batch */
	Vae *v = vae_new(D, H, K, NULL);
	VaeTrain *t = vae_train_new(v, &cfg, 100, NULL);
	float *X = randf(B * D, 1.0, 0), *p, *Z = malloc(B * K * sizeof *Z);
	float *Y = malloc(B * D * sizeof *Y);
	double *theta, *Xd, *epsd, *g = malloc(v->size * sizeof *g), loss;
	struct vae_ctx c = { D, H, K, B, v, NULL, NULL };

	/* Parameters of order 1 so every unit is sometimes on and sometimes off, and a
	 * positive sigma bias so that sigma's gradient path is exercised, not floored. */
	p = randf(v->size, 0.7, 0);
	memcpy(v->param, p, v->size * sizeof *p);
	for (i = 0; i < K; i++)
		VAE_T(v, v->param, VAE_SIGMA_B)[i] = 0.8f;
	for (i = 0; i < B * D; i++)
		X[i] = X[i] > 0 ? 1.0f : 0.0f;
	loss = vae_loss_grad(v, t, X, B, &rng);
	for (i = 0; i < B * K; i++)
		sigma_on += t->s[i] > 0;
	truth("the test exercises sigma's ReLU on both sides", sigma_on > 0 && sigma_on < B * K);
	theta = to_double(v->param, v->size);
	Xd = to_double(X, B * D);
	epsd = to_double(t->eps, B * K);
	c.X = Xd;
	c.eps = epsd;
	close_to("VAE batch loss (a sum over the batch)", 0, loss, B * vae_objective(theta, &c),
		 REL);
	fd_gradient(g, vae_objective, theta, v->size, &c);
	for (i = 0; i < v->size; i++) {
		int k;
		for (k = VAE_TENSORS - 1; v->t[k].offset > i; k--)
			;
		close_to(v->t[k].name, i - v->t[k].offset, t->grad[i], g[i], REL);
	}

	/* Encoder and decoder means against the same reference. */
	vae_encode(v, Z, X, B, NULL);
	for (i = 0; i < B * K; i++)
		close_to("encode = the encoder mean", i, Z[i], t->mu[i], REL);
	vae_decode(v, Y, t->z, B, NULL);
	for (i = 0; i < B * D; i++)
		close_to("decode = sigmoid of the logits", i, Y[i], ref_sigmoid(t->l[i]), REL);

	vae_train_free(t);
	vae_free(v);
	free(X), free(p), free(Z), free(Y), free(theta), free(Xd), free(epsd), free(g);
}

/* ---- the model stream ---- */

/* The model with one tensor changed: renamed, reshaped, poisoned or left out; or the
 * kind matrix changed. */
static void write_mutant(FILE *f, const Vae *v, int mutation)
{
	NnTensor t[VAE_TENSORS];
	float version = MODEL_VERSION, *copy = malloc(v->size * sizeof *copy);
	Mat kind = { 1, 1, 1, MAT_F32, &version, NULL, "model:vae" };
	size_t count = VAE_TENSORS;

	memcpy(t, v->t, sizeof t);
	memcpy(copy, v->param, v->size * sizeof *copy);
	switch (mutation) {
	case 0: t[VAE_DEC1_B].name = "dec1.bias"; break;
	case 1: t[VAE_DEC2_W].rows -= 1; break;
	case 2: copy[v->t[VAE_SIGMA_W].offset + 4] = NAN; break;
	case 3: count = VAE_TENSORS - 1; break;
	case 4: version = 2; break;
	}
	mat_write(f, &kind, NULL);
	nn_write_tensors(f, t, count, copy, NULL);
	free(copy);
}

static void check_model(void)
{
	static const char *const want[] = {
		"m.mat: vae model has matrix 'dec1.bias' where 'dec1.b' belongs",
		"m.mat: vae tensor 'dec2.W' is 6 x 5, expected 7 x 5",
		"m.mat: vae tensor 'enc_sigma.W' holds a non-finite value at (1, 5)",
		"m.mat: vae model ends before its matrix 'dec2.b'",
		"m.mat: vae model format version 2 is not supported (this is version 1)",
	};
	Vae *v = vae_new(7, 5, 3, NULL), *w = NULL;
	float *Z = randf(4 * 3, 1.0, 0), *X = randf(4 * 7, 1.0, 0);
	float *out1 = malloc(4 * 7 * sizeof *out1), *out2 = malloc(4 * 7 * sizeof *out2);
	Model *m = NULL;
	Mat *kind = NULL;
	FILE *f;
	Err e;
	int i;

	vae_init(v, &rng);
	/* the tensors read back bit for bit */
	f = tmpfile();
	vae_write(f, v, NULL);
	rewind(f);
	truth("the model starts with model:vae holding the version",
	      mat_read(f, &kind, NULL) == 0 && strcmp(kind->name, "model:vae") == 0 &&
		      kind->rows == 1 && kind->cols == 1 && kind->f[0] == MODEL_VERSION);
	truth("its tensors read back", vae_read_tensors(f, "m.mat", &w, &e) == 0);
	truth("with the same sizes", w && w->D == 7 && w->H == 5 && w->K == 3);
	truth("and the same parameters",
	      w && memcmp(w->param, v->param, v->size * sizeof *v->param) == 0);
	mat_free(kind);
	vae_free(w);
	/* and through model.h, the way the tools read it */
	rewind(f);
	truth("model_read takes a VAE", model_read(f, "m.mat", &m, &e) == 0);
	truth("of kind vae, D = 7, K = 3", m && strcmp(model_kind(m), "vae") == 0 &&
						   model_dim(m) == 7 && model_latent(m) == 3);
	vae_decode(v, out1, Z, 4, NULL);
	truth("model_decode is vae_decode", m && model_decode(m, out2, Z, 4, &e) == 0 &&
						    memcmp(out1, out2, 4 * 7 * sizeof *out1) == 0);
	vae_encode(v, out1, X, 4, NULL);
	truth("model_encode is vae_encode", m && model_encode(m, out2, X, 4, &e) == 0 &&
						    memcmp(out1, out2, 4 * 3 * sizeof *out1) == 0);
	model_free(m);
	fclose(f);
	/* each kind of damage, named */
	for (i = 0; i < 5; i++) {
		f = tmpfile();
		write_mutant(f, v, i);
		rewind(f);
		m = NULL;
		e.msg[0] = '\0';
		checks++;
		if (model_read(f, "m.mat", &m, &e) != -1 || m || strcmp(e.msg, want[i]) != 0) {
			failures++;
			printf("FAIL model mutation %d: message '%s', want '%s'\n", i, e.msg, want[i]);
		}
		model_free(m);
		fclose(f);
	}
	vae_free(v);
	free(Z), free(X), free(out1), free(out2);
}

/* ---- driver ---- */

int main(int argc, char **argv)
{
	const char *group = argc == 2 ? argv[1] : "";

	rng_seed(&rng, 20240601);
	if (strcmp(group, "dense") == 0) {
		check_dense(1, 1, 1);
		check_dense(5, 4, 3);
		check_dense(3, 9, 17);
	} else if (strcmp(group, "relu") == 0) {
		check_unary("relu", nn_relu_forward, nn_relu_backward, ref_relu, 301);
	} else if (strcmp(group, "sigma") == 0) {
		check_unary("sigma", nn_sigma_forward, nn_sigma_backward, ref_sigma, 301);
	} else if (strcmp(group, "reparam") == 0) {
		check_reparam(301);
	} else if (strcmp(group, "kl") == 0) {
		check_kl(301);
	} else if (strcmp(group, "bce") == 0) {
		check_bce();
	} else if (strcmp(group, "sigmoid") == 0) {
		check_sigmoid();
	} else if (strcmp(group, "adam") == 0) {
		check_adam();
	} else if (strcmp(group, "vae") == 0) {
		check_vae();
	} else if (strcmp(group, "model") == 0) {
		check_model();
	} else {
		fprintf(stderr, "usage: nn-check dense|relu|sigma|reparam|kl|bce|sigmoid|adam|vae|"
				"model\n");
		return 2;
	}
	printf("%s: %d checks, %d failed\n", group, checks, failures);
	return failures ? 1 : 0;
}
