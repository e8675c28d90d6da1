#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(Rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	r->has_spare = 0;
	r->spare = 0;
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(Rng *r)
{
	uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_uniform(Rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(Rng *r, uint64_t n)
{
	/* Reject the top partial block so every residue is equally likely. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

double rng_normal(Rng *r)
{
	double u1, u2, rad;

	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	do
		u1 = rng_uniform(r);
	while (u1 == 0.0);
	u2 = rng_uniform(r);
	rad = sqrt(-2.0 * log(u1));
	r->spare = rad * sin(2.0 * M_PI * u2);
	r->has_spare = 1;
	return rad * cos(2.0 * M_PI * u2);
}

/* Mirrors rng_normal: the same raw draws (u1 rejected while 0, then u2), none of the
 * arithmetic, except for a last odd draw, whose pair's second value becomes the spare. */
void rng_skip_normal(Rng *r, size_t n)
{
	if (n > 0 && r->has_spare) {
		r->has_spare = 0;
		n--;
	}
	for (; n >= 2; n -= 2) {
		while (rng_uniform(r) == 0.0)
			;
		(void)rng_next(r);
	}
	if (n == 1)
		(void)rng_normal(r);
}

void rng_shuffle(Rng *r, size_t *idx, size_t n)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = (size_t)rng_below(r, i);
		t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}
