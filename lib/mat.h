/*
 * mat: the matrix type and the matrix stream format every latent tool reads and writes.
 *
 * A stream is zero or more matrices, each a one-line ASCII header and a binary payload:
 *
 *     LMAT 1 f64 500 943 ratings\n   <rows*cols little-endian IEEE-754 values, row-major>
 *
 * Fields are separated by exactly one space: magic `LMAT`, format version `1`, element
 * type `f32` or `f64`, rows, cols (decimal, no sign, no leading zeros), and a name of 1 to
 * MAT_NAME_MAX characters from [A-Za-z0-9_.,:+=-]. The header is at most MAT_HEADER_MAX
 * bytes including the newline. rows or cols may be 0 (empty payload); rows*cols may not
 * exceed MAT_MAX_ELEMS. NaN marks a missing entry. The README is the normative copy.
 */
#ifndef LATENT_MAT_H
#define LATENT_MAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define MAT_NAME_MAX 63
#define MAT_HEADER_MAX 128
/* Largest element count: 2^31 - 1, so any index fits a BLAS int and no header can
 * promise more than 16 GiB. */
#define MAT_MAX_ELEMS ((size_t)INT32_MAX)

typedef enum { MAT_F32 = 1, MAT_F64 = 2 } MatType;

/*
 * A dense row-major matrix. Exactly one of f (type MAT_F32) or d (type MAT_F64) is
 * non-NULL unless rows*cols == 0. Element (i, j) is at index i*stride + j. Matrices from
 * mat_new/mat_read own their data and have stride == cols.
 */
typedef struct {
	size_t rows, cols, stride;
	MatType type;
	float *f;
	double *d;
	char name[MAT_NAME_MAX + 1];
} Mat;

#define MAT_F(m, i, j) ((m)->f[(size_t)(i) * (m)->stride + (size_t)(j)])
#define MAT_D(m, i, j) ((m)->d[(size_t)(i) * (m)->stride + (size_t)(j)])

/* A parsed header. */
typedef struct {
	MatType type;
	size_t rows, cols;
	char name[MAT_NAME_MAX + 1];
} MatHeader;

/* 1 if name is a valid matrix name, else 0. */
int mat_name_ok(const char *name);
/* "f32" or "f64". */
const char *mat_type_name(MatType type);
/* Parse "f32"/"f64" into *type; 0 on success, -1 if unknown. */
int mat_type_parse(const char *text, MatType *type);
/* Bytes per element. */
size_t mat_type_size(MatType type);

/*
 * A new zero-filled rows x cols matrix of the given type and name. Returns NULL (and a
 * message in e) when the name is invalid, rows*cols exceeds MAT_MAX_ELEMS, or memory runs
 * out. The caller frees it with mat_free.
 */
Mat *mat_new(size_t rows, size_t cols, MatType type, const char *name, Err *e);
/* mat_new for tools: dies on failure. */
Mat *mat_new_or_die(size_t rows, size_t cols, MatType type, const char *name);
/* Free m and its data; m may be NULL. */
void mat_free(Mat *m);
/* Rename m; 0 on success, -1 (m unchanged) if the name is invalid. */
int mat_rename(Mat *m, const char *name, Err *e);
/* Convert m's elements to type in place (f64 -> f32 rounds to nearest). 0 or -1 (OOM). */
int mat_convert(Mat *m, MatType type, Err *e);
/* Element (i, j) as a double, whatever the type. */
double mat_get(const Mat *m, size_t i, size_t j);
/* Set element (i, j) from a double (rounded for f32). */
void mat_set(Mat *m, size_t i, size_t j, double v);

/*
 * Read the next header from f. Returns 0 and fills h; 1 at a clean end of stream (no
 * byte before EOF); -1 with a message in e for anything malformed: bad magic, unknown
 * version or type, bad number, bad name, too many elements, truncated header.
 */
int mat_read_header(FILE *f, MatHeader *h, Err *e);
/*
 * Read the payload that h announces into a new matrix (*out, caller frees). Memory grows
 * as data arrives, so a header that promises more than the stream holds fails with
 * "short payload" after allocating no more than was read. 0 or -1 (message in e).
 */
int mat_read_payload(FILE *f, const MatHeader *h, Mat **out, Err *e);
/* Skip the payload that h announces without storing it. 0 or -1 (short payload). */
int mat_skip_payload(FILE *f, const MatHeader *h, Err *e);
/* Header and payload together: 0 (matrix in *out), 1 (clean end), -1 (error). */
int mat_read(FILE *f, Mat **out, Err *e);
/* Write m (header + payload, little-endian) to f. 0, or -1 on a write error. */
int mat_write(FILE *f, const Mat *m, Err *e);
/*
 * The two halves of mat_write, for writers that produce a matrix a few rows at a time
 * without holding it whole: mat_write_header writes the header h announces (-1 if its
 * name or shape is invalid, or on a write error); then the caller writes exactly
 * h->rows x h->cols values of type h->type with mat_write_payload, which writes the
 * values of m (any number of rows) and no header. 0, or -1 on a write error.
 */
int mat_write_header(FILE *f, const MatHeader *h, Err *e);
int mat_write_payload(FILE *f, const Mat *m, Err *e);

/*
 * For tools: read the next matrix or die. `what` names the input in messages (e.g.
 * "standard input" or a file name). A clean end of stream is an error ("no matrix in
 * ..."). If type is nonzero, the matrix is converted to it.
 */
Mat *mat_read_or_die(FILE *f, const char *what, MatType type);
/* For tools: read the next matrix, or return NULL at a clean end of stream. */
Mat *mat_read_next_or_die(FILE *f, const char *what, MatType type);
/* For tools: die unless f is at a clean end of stream (a tool that takes one matrix
 * refuses a second rather than ignore it). */
void mat_read_end_or_die(FILE *f, const char *what);
/* For tools: write m or die. */
void mat_write_or_die(FILE *f, const Mat *m);
/* For tools: read matrices until one named `name`, skipping the others; die if absent. */
Mat *mat_read_named_or_die(FILE *f, const char *what, const char *name, MatType type);

/*
 * Text view. mat_write_text writes m as rows of TAB-separated numbers, each printed with
 * %.Ng for the smallest N (at most 9 for f32, 17 for f64) that reads back to the same
 * value: the shortest decimal that does, but for a few exact powers of two, which get
 * one digit more. Any NaN is "nan" (sign and payload are not kept), infinities "inf" and
 * "-inf". With header set, first a line `# NAME ROWS COLS TYPE`. A row of a matrix with 0
 * columns is an empty line. Returns 0 or -1 (write error).
 */
int mat_write_text(FILE *f, const Mat *m, int header, Err *e);
/* Format one value as mat_write_text does into buf (at least 32 bytes). */
void mat_format_value(char *buf, size_t len, double v, MatType type);

#endif
