/*
 * rmse: the error of predictions over the observed entries of a test matrix.
 */
#ifndef LATENT_RMSE_H
#define LATENT_RMSE_H

#include <stddef.h>

#include "err.h"
#include "mat.h"

/*
 * *rmse = sqrt(sum (pred - test)^2 / n) over the n entries observed (not NaN) in test;
 * *count = n. pred and test are matrices of the same shape (the caller checks), of either
 * type; sums are in double, and where the squares would overflow or underflow, scaled as
 * LAPACK's dnrm2 scales them, so finite errors give a finite, accurate result. Fails (-1,
 * the message names the 1-based entry) when test has an infinite entry, when pred is NaN
 * or infinite where test is observed, when pred - test overflows a double, or when test
 * has no observed entry. Entries of pred where test is missing are not looked at.
 */
int rmse_observed(const Mat *pred, const Mat *test, double *rmse, size_t *count, Err *e);

#endif
