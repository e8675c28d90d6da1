/*
 * ratings: MovieLens rating files to a movies x users matrix.
 *
 * Input (ml-100k's u.data, ua.base, ua.test, u1.base, ...): one rating per line,
 *
 *     user item rating timestamp
 *
 * four fields separated by tabs or spaces. The ids are whole numbers from 1 to
 * RATINGS_ID_MAX, the rating a whole number from 1 to 5 (ml-100k has whole stars only),
 * the timestamp a whole number (checked, then ignored). A user rates a movie at most once.
 *
 * A layout (RatingsIds) says which movie each row of the matrix holds and which user each
 * column holds. The default layout has every movie of the input in increasing id order
 * and the users 1..U as columns, U the largest user id seen (ml-100k: 943), so column j
 * is user j + 1 even when that user rated nothing. A test split is loaded onto the layout
 * of its training split, saved as two matrices (see ratings_ids_to_mats).
 *
 * Memory is the ratings plus a few arrays as long as a row or a column, never the whole
 * matrix: ids only index sorted arrays, and the matrix is written row by row
 * (ratings_write). A single line with user id 10^7 costs arrays of 10^7 entries (it does
 * ask for that many columns), nothing sized by the cap or by rows x columns.
 */
#ifndef LATENT_RATINGS_H
#define LATENT_RATINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "mat.h"

/* Largest movie or user id accepted. MovieLens 32M, the largest release, stays below
 * 300000 for both; the cap only stops a corrupt id from meaning millions of columns. */
#define RATINGS_ID_MAX 10000000u

typedef struct {
	uint32_t user, movie; /* ids as in the file */
	uint32_t row, col;    /* place in the matrix: set by ratings_place */
	double value;         /* 1..5 */
	long line;            /* line number in the input, for messages */
} Rating;

/* The ratings of one input, sorted by (movie, user) after ratings_read. */
typedef struct {
	Rating *r;
	size_t n;
	size_t movies;     /* distinct movie ids among r */
	size_t users;      /* distinct user ids among r */
	uint32_t max_user; /* largest user id among r */
} Ratings;

/* A layout: row i holds movie movie[i], column j holds user user[j]. Ids in each list
 * are distinct and in [1, RATINGS_ID_MAX]; the order is free (ours are increasing). */
typedef struct {
	uint32_t *movie;
	size_t rows;
	uint32_t *user;
	size_t cols;
} RatingsIds;

/*
 * Read every line of f. On success *out (caller frees with ratings_free) holds at least
 * one rating, sorted by (movie, user). Fails (-1, message in e, *out NULL) on a line that
 * is malformed (field count, a field that is not a whole number, a NUL byte), an id
 * outside [1, RATINGS_ID_MAX], a rating outside 1..5, a second rating of the same
 * (user, movie) pair, empty input, a read error or out of memory. Messages about a line
 * start with "line N: "; for a duplicate pair N is the later of the two lines.
 */
int ratings_read(FILE *f, Ratings **out, Err *e);
void ratings_free(Ratings *r);

/* The default layout of r: every movie in increasing id order, users 1..r->max_user.
 * 0, or -1 (out of memory). Caller frees *out with ratings_ids_free. */
int ratings_ids_all(const Ratings *r, RatingsIds **out, Err *e);
/*
 * The layout of the n movies with the most ratings in r, ties broken by the smaller
 * movie id, as rows in increasing id order; users 1..r->max_user. -1 if n is 0 or
 * exceeds r->movies (the message says both), or out of memory.
 */
int ratings_ids_top(const Ratings *r, size_t n, RatingsIds **out, Err *e);
void ratings_ids_free(RatingsIds *ids);

/*
 * A layout as two f64 matrices, for a file a later ml-load reads back: `movie_ids`
 * (rows x 1: the movie id of each row) and `user_ids` (1 x cols: the user id of each
 * column). Caller frees both. 0, or -1 (out of memory).
 */
int ratings_ids_to_mats(const RatingsIds *ids, Mat **movie_ids, Mat **user_ids, Err *e);
/*
 * The inverse: -1 (message names the matrix and the row or column) unless movie_ids is
 * R x 1 and user_ids 1 x C with R, C >= 1, and every value is a whole number in
 * [1, RATINGS_ID_MAX] that appears once in its matrix.
 */
int ratings_ids_from_mats(const Mat *movie_ids, const Mat *user_ids, RatingsIds **out,
			  Err *e);

/*
 * Place r on layout ids: set each rating's row and col, remove the ratings of movies the
 * layout does not hold (their number goes to *dropped), and sort the rest by (row, col).
 * A rating of a movie the layout holds, by a user it does not, is an error (-1, "line N:
 * ..." for the first such line of the input), and leaves r unchanged; so is a layout of
 * more than MAT_MAX_ELEMS cells.
 */
int ratings_place(Ratings *r, const RatingsIds *ids, size_t *dropped, Err *e);

/*
 * Write the ids->rows x ids->cols f64 matrix `name` to f: the rating where r (placed on
 * ids by ratings_place) has one, NaN elsewhere. Row by row: memory is one row. 0, or -1
 * (write error or out of memory).
 */
int ratings_write(FILE *f, const Ratings *r, const RatingsIds *ids, const char *name,
		  Err *e);

#endif
