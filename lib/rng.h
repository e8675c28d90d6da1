/*
 * rng: a seeded pseudo-random generator, identical on every platform.
 *
 * xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64, so any 64-bit seed
 * (0 included) gives a well-mixed state. Normal draws use the Box-Muller transform and
 * keep the second value of each pair. The state is a value owned by the caller; there is
 * no hidden global generator.
 */
#ifndef LATENT_RNG_H
#define LATENT_RNG_H

#include <stddef.h>
#include <stdint.h>

/* The seed every tool uses when --seed is not given. */
#define RNG_DEFAULT_SEED 42

typedef struct {
	uint64_t s[4];
	double spare;
	int has_spare;
} Rng;

/* Initialise r from seed. */
void rng_seed(Rng *r, uint64_t seed);
/* Next raw 64-bit output. */
uint64_t rng_next(Rng *r);
/* Uniform double in [0, 1), 53 random bits. */
double rng_uniform(Rng *r);
/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t rng_below(Rng *r, uint64_t n);
/* Standard normal draw. */
double rng_normal(Rng *r);
/* Advance r exactly as n calls of rng_normal would, without computing the skipped values
 * (for a caller that replays a sequence and needs only part of it). */
void rng_skip_normal(Rng *r, size_t n);
/* Uniformly random permutation of idx[0..n) in place (Fisher-Yates). */
void rng_shuffle(Rng *r, size_t *idx, size_t n);

#endif
