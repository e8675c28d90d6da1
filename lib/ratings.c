#include "ratings.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Marks a rating whose movie the layout does not hold (ratings_place). */
#define NOT_PLACED UINT32_MAX

/* An id and its position in a layout list, sorted by id for bsearch. */
typedef struct {
	uint32_t id, pos;
} IdPos;

/*
 * A field that must be a whole number: 1 and the value in *v when it is digits only, 0
 * otherwise. Values above hi saturate at hi + 1 (hi < UINT64_MAX), so a long digit string
 * cannot overflow and still reads as out of range.
 */
static int parse_whole(const char *s, uint64_t hi, uint64_t *v)
{
	uint64_t x = 0, d;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		d = (uint64_t)(*s - '0');
		x = x > hi || x > (hi - d) / 10 ? hi + 1 : x * 10 + d;
	}
	*v = x;
	return 1;
}

static int parse_id(const char *s, const char *what, long line, uint32_t *id, Err *e)
{
	uint64_t v;
	char q[ERR_SHOW_LEN];

	if (!parse_whole(s, RATINGS_ID_MAX, &v))
		return err_set(e, "line %ld: %s id '%s' is not a whole number", line, what,
			       err_show(q, sizeof q, s));
	if (v < 1 || v > RATINGS_ID_MAX)
		return err_set(e, "line %ld: %s id %s is out of range [1, %u]", line, what, s,
			       RATINGS_ID_MAX);
	*id = (uint32_t)v;
	return 0;
}

/* One input line (NUL-terminated, newline included or not) into *r. */
static int parse_line(char *s, long line, Rating *r, Err *e)
{
	char *field[5], *save = NULL, *t, q[ERR_SHOW_LEN];
	uint64_t v;
	int n = 0;

	for (t = strtok_r(s, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 5)
			break;
		field[n++] = t;
	}
	if (n != 4)
		return err_set(e, "line %ld: expected 4 fields (user item rating timestamp), found %s%d",
			       line, n == 5 ? "more than " : "", n == 5 ? 4 : n);
	if (parse_id(field[0], "user", line, &r->user, e) ||
	    parse_id(field[1], "movie", line, &r->movie, e))
		return -1;
	if (!parse_whole(field[2], 5, &v))
		return err_set(e, "line %ld: rating '%s' is not a whole number", line,
			       err_show(q, sizeof q, field[2]));
	if (v < 1 || v > 5)
		return err_set(e, "line %ld: rating %s is out of range [1, 5]", line, field[2]);
	r->value = (double)v;
	if (!parse_whole(field[3], UINT64_MAX - 1, &v))
		return err_set(e, "line %ld: timestamp '%s' is not a whole number", line,
			       err_show(q, sizeof q, field[3]));
	r->line = line;
	r->row = r->col = 0;
	return 0;
}

static int by_movie_user_line(const void *a, const void *b)
{
	const Rating *x = a, *y = b;

	if (x->movie != y->movie)
		return (x->movie > y->movie) - (x->movie < y->movie);
	if (x->user != y->user)
		return (x->user > y->user) - (x->user < y->user);
	return (x->line > y->line) - (x->line < y->line);
}

static int by_row_col(const void *a, const void *b)
{
	const Rating *x = a, *y = b;

	if (x->row != y->row)
		return (x->row > y->row) - (x->row < y->row);
	return (x->col > y->col) - (x->col < y->col);
}

/* Sorted by (movie, user, line), a repeated pair is adjacent; report the repeat that
 * comes first in the file, so the message does not depend on the sort. */
static int check_duplicates(const Ratings *rs, Err *e)
{
	const Rating *first = NULL, *again = NULL;
	size_t i;

	for (i = 1; i < rs->n; i++) {
		const Rating *a = &rs->r[i - 1], *b = &rs->r[i];
		if (a->movie == b->movie && a->user == b->user && (!again || b->line < again->line)) {
			again = b;
			for (first = a; first > rs->r && first[-1].movie == a->movie &&
					first[-1].user == a->user;
			     first--)
				;
		}
	}
	if (again)
		return err_set(e, "line %ld: user %u rated movie %u twice (first at line %ld)",
			       again->line, again->user, again->movie, first->line);
	return 0;
}

static int by_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Distinct movies and users, largest user id; r is sorted by movie. */
static int count_distinct(Ratings *rs, Err *e)
{
	uint32_t *user = malloc(rs->n * sizeof *user);
	size_t i;

	if (!user)
		return err_set(e, "out of memory for %zu ratings", rs->n);
	rs->movies = 1;
	for (i = 0; i < rs->n; i++) {
		rs->movies += i > 0 && rs->r[i].movie != rs->r[i - 1].movie;
		user[i] = rs->r[i].user;
	}
	qsort(user, rs->n, sizeof *user, by_id);
	rs->users = 1;
	for (i = 1; i < rs->n; i++)
		rs->users += user[i] != user[i - 1];
	rs->max_user = user[rs->n - 1];
	free(user);
	return 0;
}

int ratings_read(FILE *f, Ratings **out, Err *e)
{
	Ratings *rs;
	char *buf = NULL;
	size_t cap = 0, rcap = 0;
	ssize_t len;
	long line = 0;

	*out = NULL;
	rs = calloc(1, sizeof *rs);
	if (!rs)
		return err_set(e, "out of memory");
	while ((len = getline(&buf, &cap, f)) != -1) {
		line++;
		if (strlen(buf) != (size_t)len) {
			err_set(e, "line %ld: contains a NUL byte", line);
			goto fail;
		}
		if (rs->n == rcap) {
			/* Every rating fills its own cell of the matrix, so more than
			 * MAT_MAX_ELEMS ratings could never be written. */
			size_t ncap = rcap ? 2 * rcap : 4096;
			Rating *nr;
			if (rs->n == MAT_MAX_ELEMS) {
				err_set(e, "line %ld: more than %zu ratings", line, MAT_MAX_ELEMS);
				goto fail;
			}
			if (ncap > MAT_MAX_ELEMS)
				ncap = MAT_MAX_ELEMS;
			nr = realloc(rs->r, ncap * sizeof *nr);
			if (!nr) {
				err_set(e, "out of memory at line %ld", line);
				goto fail;
			}
			rs->r = nr;
			rcap = ncap;
		}
		if (parse_line(buf, line, &rs->r[rs->n], e))
			goto fail;
		rs->n++;
	}
	if (ferror(f)) {
		err_set(e, "read error: %s", strerror(errno));
		goto fail;
	}
	if (rs->n == 0) {
		err_set(e, "empty input (no ratings)");
		goto fail;
	}
	qsort(rs->r, rs->n, sizeof *rs->r, by_movie_user_line);
	if (check_duplicates(rs, e) || count_distinct(rs, e))
		goto fail;
	free(buf);
	*out = rs;
	return 0;
fail:
	free(buf);
	ratings_free(rs);
	return -1;
}

void ratings_free(Ratings *r)
{
	if (!r)
		return;
	free(r->r);
	free(r);
}

/* A layout with room for rows movies and users 1..max_user as columns. */
static RatingsIds *ids_new(size_t rows, uint32_t max_user, Err *e)
{
	RatingsIds *ids = calloc(1, sizeof *ids);
	size_t j;

	if (!ids)
		goto oom;
	ids->rows = rows;
	ids->cols = max_user;
	ids->movie = malloc((rows ? rows : 1) * sizeof *ids->movie);
	ids->user = malloc((max_user ? max_user : 1) * sizeof *ids->user);
	if (!ids->movie || !ids->user)
		goto oom;
	for (j = 0; j < ids->cols; j++)
		ids->user[j] = (uint32_t)(j + 1);
	return ids;
oom:
	ratings_ids_free(ids);
	err_set(e, "out of memory for a layout of %zu movies and %u users", rows, max_user);
	return NULL;
}

void ratings_ids_free(RatingsIds *ids)
{
	if (!ids)
		return;
	free(ids->movie);
	free(ids->user);
	free(ids);
}

int ratings_ids_all(const Ratings *r, RatingsIds **out, Err *e)
{
	RatingsIds *ids = ids_new(r->movies, r->max_user, e);
	size_t i, k = 0;

	*out = NULL;
	if (!ids)
		return -1;
	for (i = 0; i < r->n; i++)
		if (i == 0 || r->r[i].movie != r->r[i - 1].movie)
			ids->movie[k++] = r->r[i].movie;
	*out = ids;
	return 0;
}

/* A movie and its number of ratings, for ranking. */
typedef struct {
	uint32_t movie;
	size_t count;
} MovieCount;

static int by_count_desc_id(const void *a, const void *b)
{
	const MovieCount *x = a, *y = b;

	if (x->count != y->count)
		return (x->count < y->count) - (x->count > y->count);
	return (x->movie > y->movie) - (x->movie < y->movie);
}

int ratings_ids_top(const Ratings *r, size_t n, RatingsIds **out, Err *e)
{
	MovieCount *mc;
	RatingsIds *ids;
	size_t i, k = 0;

	*out = NULL;
	if (n == 0 || n > r->movies)
		return err_set(e, "cannot keep the top %zu movies: the input has %zu", n, r->movies);
	mc = malloc(r->movies * sizeof *mc);
	if (!mc)
		return err_set(e, "out of memory for %zu movies", r->movies);
	/* r is sorted by movie, so each movie's ratings are one run. */
	for (i = 0; i < r->n; i++) {
		if (i == 0 || r->r[i].movie != r->r[i - 1].movie)
			mc[k++] = (MovieCount){ r->r[i].movie, 0 };
		mc[k - 1].count++;
	}
	qsort(mc, r->movies, sizeof *mc, by_count_desc_id);
	ids = ids_new(n, r->max_user, e);
	if (!ids) {
		free(mc);
		return -1;
	}
	for (i = 0; i < n; i++)
		ids->movie[i] = mc[i].movie;
	qsort(ids->movie, n, sizeof *ids->movie, by_id);
	free(mc);
	*out = ids;
	return 0;
}

int ratings_ids_to_mats(const RatingsIds *ids, Mat **movie_ids, Mat **user_ids, Err *e)
{
	size_t i;

	*user_ids = NULL;
	*movie_ids = mat_new(ids->rows, 1, MAT_F64, "movie_ids", e);
	if (!*movie_ids)
		return -1;
	*user_ids = mat_new(1, ids->cols, MAT_F64, "user_ids", e);
	if (!*user_ids) {
		mat_free(*movie_ids);
		*movie_ids = NULL;
		return -1;
	}
	for (i = 0; i < ids->rows; i++)
		MAT_D(*movie_ids, i, 0) = ids->movie[i];
	for (i = 0; i < ids->cols; i++)
		MAT_D(*user_ids, 0, i) = ids->user[i];
	return 0;
}

static int by_idpos(const void *a, const void *b)
{
	const IdPos *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The list's ids sorted with their positions (caller frees), or NULL on out of memory. */
static IdPos *index_ids(const uint32_t *id, size_t n)
{
	IdPos *ix = malloc((n ? n : 1) * sizeof *ix);
	size_t i;

	if (!ix)
		return NULL;
	for (i = 0; i < n; i++)
		ix[i] = (IdPos){ id[i], (uint32_t)i };
	qsort(ix, n, sizeof *ix, by_idpos);
	return ix;
}

/* Position of id in the sorted index, or NOT_PLACED. */
static uint32_t lookup(const IdPos *ix, size_t n, uint32_t id)
{
	IdPos key = { id, 0 };
	const IdPos *hit = bsearch(&key, ix, n, sizeof *ix, by_idpos);

	return hit ? hit->pos : NOT_PLACED;
}

/* The n values of an ids matrix, a column (R x 1) or a row (1 x C), into id[], checked. */
static int ids_from_values(const Mat *m, int is_row, size_t n, uint32_t *id, Err *e)
{
	const char *unit = is_row ? "column" : "row";
	IdPos *ix;
	size_t i;

	for (i = 0; i < n; i++) {
		double v = is_row ? mat_get(m, 0, i) : mat_get(m, i, 0);
		if (!(v >= 1 && v <= RATINGS_ID_MAX) || v != floor(v))
			return err_set(e, "%s: the value in %s %zu is not an id (a whole number in "
					  "[1, %u])",
				       m->name, unit, i + 1, RATINGS_ID_MAX);
		id[i] = (uint32_t)v;
	}
	ix = index_ids(id, n);
	if (!ix)
		return err_set(e, "out of memory for %zu ids", n);
	for (i = 1; i < n; i++)
		if (ix[i].id == ix[i - 1].id) {
			uint32_t a = ix[i - 1].pos, b = ix[i].pos;
			err_set(e, "%s: id %u appears twice (%ss %u and %u)", m->name, ix[i].id, unit,
				(a < b ? a : b) + 1, (a < b ? b : a) + 1);
			free(ix);
			return -1;
		}
	free(ix);
	return 0;
}

int ratings_ids_from_mats(const Mat *movie_ids, const Mat *user_ids, RatingsIds **out,
			  Err *e)
{
	RatingsIds *ids;

	*out = NULL;
	if (movie_ids->cols != 1 || movie_ids->rows == 0)
		return err_set(e, "movie_ids: expected R x 1 with R >= 1, found %zu x %zu",
			       movie_ids->rows, movie_ids->cols);
	if (user_ids->rows != 1 || user_ids->cols == 0)
		return err_set(e, "user_ids: expected 1 x C with C >= 1, found %zu x %zu",
			       user_ids->rows, user_ids->cols);
	ids = calloc(1, sizeof *ids);
	if (!ids)
		return err_set(e, "out of memory");
	ids->rows = movie_ids->rows;
	ids->cols = user_ids->cols;
	ids->movie = malloc(ids->rows * sizeof *ids->movie);
	ids->user = malloc(ids->cols * sizeof *ids->user);
	if (!ids->movie || !ids->user) {
		ratings_ids_free(ids);
		return err_set(e, "out of memory for a layout of %zu x %zu", movie_ids->rows,
			       user_ids->cols);
	}
	if (ids_from_values(movie_ids, 0, ids->rows, ids->movie, e) ||
	    ids_from_values(user_ids, 1, ids->cols, ids->user, e)) {
		ratings_ids_free(ids);
		return -1;
	}
	*out = ids;
	return 0;
}

int ratings_place(Ratings *r, const RatingsIds *ids, size_t *dropped, Err *e)
{
	IdPos *movies, *users;
	const Rating *bad = NULL;
	size_t i, k;

	*dropped = 0;
	if (ids->rows && ids->cols > MAT_MAX_ELEMS / ids->rows)
		return err_set(e, "a matrix of %zu movies x %zu users exceeds the limit of %zu "
				  "elements",
			       ids->rows, ids->cols, MAT_MAX_ELEMS);
	movies = index_ids(ids->movie, ids->rows);
	users = index_ids(ids->user, ids->cols);
	if (!movies || !users) {
		free(movies);
		free(users);
		return err_set(e, "out of memory placing %zu ratings", r->n);
	}
	for (i = 0; i < r->n; i++) {
		Rating *x = &r->r[i];
		x->row = lookup(movies, ids->rows, x->movie);
		x->col = x->row == NOT_PLACED ? NOT_PLACED : lookup(users, ids->cols, x->user);
		if (x->row != NOT_PLACED && x->col == NOT_PLACED && (!bad || x->line < bad->line))
			bad = x;
	}
	free(movies);
	free(users);
	if (bad)
		return err_set(e, "line %ld: user %u is not among the %zu users of the layout",
			       bad->line, bad->user, ids->cols);
	for (i = k = 0; i < r->n; i++)
		if (r->r[i].row != NOT_PLACED)
			r->r[k++] = r->r[i];
	*dropped = r->n - k;
	r->n = k;
	qsort(r->r, r->n, sizeof *r->r, by_row_col);
	return 0;
}

int ratings_write(FILE *f, const Ratings *r, const RatingsIds *ids, const char *name,
		  Err *e)
{
	MatHeader h = { .type = MAT_F64, .rows = ids->rows, .cols = ids->cols };
	Mat *row;
	size_t i, j, k = 0;

	if (strlen(name) > MAT_NAME_MAX)
		return err_set(e, "invalid matrix name '%s'", name);
	strcpy(h.name, name);
	row = mat_new(1, ids->cols, MAT_F64, "row", e);
	if (!row)
		return -1;
	for (j = 0; j < ids->cols; j++)
		row->d[j] = NAN;
	if (mat_write_header(f, &h, e))
		goto fail;
	/* r is sorted by (row, col): the ratings of row i are the next run. */
	for (i = 0; i < ids->rows; i++) {
		size_t start = k;
		for (; k < r->n && r->r[k].row == i; k++)
			row->d[r->r[k].col] = r->r[k].value;
		if (mat_write_payload(f, row, e))
			goto fail;
		for (; start < k; start++)
			row->d[r->r[start].col] = NAN;
	}
	mat_free(row);
	return 0;
fail:
	mat_free(row);
	return -1;
}
