/*
 * impute: fill the missing (NaN) entries of a matrix.
 */
#ifndef LATENT_IMPUTE_H
#define LATENT_IMPUTE_H

#include <stddef.h>

#include "err.h"
#include "mat.h"

/* What impute_row_mean did, for the caller to report. */
typedef struct {
	size_t filled;      /* NaN entries replaced */
	size_t empty_rows;  /* rows with no observed entry, filled with the global mean */
	size_t first_empty; /* index of the first such row (valid when empty_rows > 0) */
	double global_mean; /* mean of every observed entry (NaN when there is none) */
} ImputeReport;

/*
 * Replace each NaN of m (any shape, f32 or f64) by the mean of the observed entries of
 * its row, summed in double (a sum that would overflow is taken scaled by 2^-32 instead,
 * so the mean of finite values is always finite); a row with no observed entry gets the
 * mean of all observed entries of m (rep->empty_rows says how many). A matrix without NaN is left unchanged.
 * Fails (-1, m unchanged) on an infinite entry, or when m has a NaN but no observed entry
 * at all. rep may be NULL.
 */
int impute_row_mean(Mat *m, ImputeReport *rep, Err *e);

#endif
