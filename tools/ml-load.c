/* ml-load: MovieLens ratings to a movies x users matrix stream, NaN where unrated. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mat.h"
#include "ratings.h"

struct opts {
	size_t top;  /* 0: every movie */
	const char *save_ids, *ids;
	int quiet;
};

static const char usage_text[] =
	"Usage: ml-load [OPTION]... < RATINGS\n"
	"Read MovieLens ratings, one 'user item rating timestamp' line each (ml-100k's\n"
	"u.data, ua.base, ua.test), and write the movies x users f64 matrix 'ratings':\n"
	"NaN where a user did not rate a movie. Rows are the movies in increasing id\n"
	"order; columns are the users 1..U in id order, U the largest user id.\n\n"
	"  -t, --top N          keep only the N movies with the most ratings in this\n"
	"                       input, ties to the smaller movie id (default: every movie)\n"
	"  -s, --save-ids FILE  also write the layout to FILE: 'movie_ids' (rows x 1, the\n"
	"                       movie id of each row) and 'user_ids' (1 x cols, the user id\n"
	"                       of each column)\n"
	"  -i, --ids FILE       use the layout saved in FILE (e.g. a training split's) for\n"
	"                       rows and columns: ratings of other movies are dropped, a\n"
	"                       rating by a user not in FILE is an error (not with --top)\n"
	"  -q, --quiet          no summary line on standard error\n"
	"      --help           show this help and exit\n"
	"      --version        show the version and exit\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "top", required_argument, NULL, 't' }, { "save-ids", required_argument, NULL, 's' },
		{ "ids", required_argument, NULL, 'i' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },	 { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, "t:s:i:q", longs, NULL)) != -1) {
		switch (c) {
		case 't': o->top = (size_t)cli_parse_long(optarg, "--top", 1, RATINGS_ID_MAX); break;
		case 's': o->save_ids = optarg; break;
		case 'i': o->ids = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_bad_option();
		}
	}
	if (optind < argc)
		cli_usage_die("unexpected operand '%s' (ratings are read from standard input)",
			      argv[optind]);
	if (o->top && o->ids)
		cli_usage_die("--top and --ids exclude each other (the layout in --ids fixes the rows)");
	if (o->ids && strcmp(o->ids, "-") == 0)
		cli_usage_die("--ids cannot be standard input (the ratings are read from there)");
	if (o->ids && o->save_ids && strcmp(o->ids, o->save_ids) == 0)
		cli_usage_die("--save-ids would overwrite the --ids file '%s'", o->ids);
}

/*
 * The layout that --save-ids wrote: the matrices movie_ids and user_ids, in either order.
 * Anything else in the file (another matrix, a second copy of one) is an error rather
 * than ignored.
 */
static RatingsIds *read_ids(const char *path)
{
	FILE *f = cli_open_read(path);
	Mat *m, *movie_ids = NULL, *user_ids = NULL, **slot;
	RatingsIds *ids;
	Err e;

	while ((m = mat_read_next_or_die(f, path, MAT_F64)) != NULL) {
		if (strcmp(m->name, "movie_ids") == 0)
			slot = &movie_ids;
		else if (strcmp(m->name, "user_ids") == 0)
			slot = &user_ids;
		else
			cli_die("%s: unexpected matrix '%s' (a layout holds movie_ids and user_ids)",
				path, m->name);
		if (*slot)
			cli_die("%s: a second matrix named '%s'", path, m->name);
		*slot = m;
	}
	fclose(f);
	if (!movie_ids || !user_ids)
		cli_die("%s: no matrix named '%s'", path, movie_ids ? "user_ids" : "movie_ids");
	if (ratings_ids_from_mats(movie_ids, user_ids, &ids, &e))
		cli_die("%s: %s", path, e.msg);
	mat_free(movie_ids);
	mat_free(user_ids);
	return ids;
}

/* The layout of the ratings without --ids: the top N movies, or every movie. */
static RatingsIds *choose_layout(const struct opts *o, const Ratings *r)
{
	RatingsIds *ids;
	Err e;

	if (o->top ? ratings_ids_top(r, o->top, &ids, &e) : ratings_ids_all(r, &ids, &e))
		cli_die("%s", e.msg);
	return ids;
}

/* The layout into f, the temporary of --save-ids: cli_commit puts it in place, and an
 * error or a signal before then removes it. */
static void write_ids(FILE *f, const RatingsIds *ids)
{
	Mat *movie_ids, *user_ids;
	Err e;

	if (ratings_ids_to_mats(ids, &movie_ids, &user_ids, &e))
		cli_die("%s", e.msg);
	mat_write_or_die(f, movie_ids);
	mat_write_or_die(f, user_ids);
	mat_free(movie_ids);
	mat_free(user_ids);
}

int main(int argc, char **argv)
{
	struct opts o;
	Ratings *r;
	RatingsIds *ids = NULL;
	FILE *ids_file = NULL;
	size_t n_read, dropped;
	Err e;

	cli_init(argv[0]);
	parse_args(argc, argv, &o);
	cli_set_quiet(o.quiet);
	/* Side files first: a bad --ids file or an unwritable --save-ids place is found
	 * before the ratings are read. */
	if (o.ids)
		ids = read_ids(o.ids);
	if (o.save_ids)
		ids_file = cli_open_write(o.save_ids);
	if (ratings_read(stdin, &r, &e))
		cli_die("%s", e.msg);
	n_read = r->n;
	if (!ids)
		ids = choose_layout(&o, r);
	if (ratings_place(r, ids, &dropped, &e))
		cli_die("%s", e.msg);
	if (ids_file)
		write_ids(ids_file, ids);
	if (ratings_write(stdout, r, ids, "ratings", &e))
		cli_die("%s", e.msg);
	cli_finish(); /* the ids file appears only once the matrix is out */
	cli_commit(ids_file);
	cli_progress("%zu ratings of %zu movies by %zu users; the %zu x %zu matrix holds %zu, "
		     "%zu ratings of other movies dropped",
		     n_read, r->movies, r->users, ids->rows, ids->cols, r->n, dropped);
	ratings_free(r);
	ratings_ids_free(ids);
	return cli_finish();
}
