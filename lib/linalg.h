/*
 * linalg: thin wrappers over CBLAS and LAPACKE, row-major, with shapes checked.
 *
 * Each wrapper asserts that the shapes conform (a caller's bug otherwise), makes one
 * CBLAS/LAPACKE call with an explicit leading dimension, treats LAPACK info < 0 as our
 * bug (assert) and returns info > 0 as a status: a property of the data.
 */
#ifndef LATENT_LINALG_H
#define LATENT_LINALG_H

#include <stddef.h>

/* n as a BLAS/LAPACK int; asserts that it fits (mat.h caps every matrix below INT_MAX). */
int linalg_int(size_t n);

#endif
