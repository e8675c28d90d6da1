/*
 * cli: the shared front end of every latent tool.
 *
 * Program name for messages, the `tool: message` error path, checked number parsing,
 * progress lines, opening files, and the final flush of stdout.
 *
 * Exit statuses (STYLE.md): 0 success, 1 failure on data or system, 2 command-line misuse.
 * Every function here that can fail exits the process; they are for tools, not lib/.
 */
#ifndef LATENT_CLI_H
#define LATENT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_VERSION "latent 0.1"

/* Record the program name (basename of argv0) used as the prefix of every message. */
void cli_init(const char *argv0);
const char *cli_name(void);

/* Print `tool: message` on stderr and exit 1. */
void cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Print `tool: message` and a pointer to --help on stderr and exit 2 (misuse). */
void cli_usage_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Print `tool: message` on stderr and go on. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Checked number parsing for option values. `what` names the option in messages
 * (e.g. "-k"). Each rejects empty text, trailing junk, overflow and values outside
 * [lo, hi], quoting the bad text, with exit 2.
 */
long cli_parse_long(const char *text, const char *what, long lo, long hi);
double cli_parse_double(const char *text, const char *what, double lo, double hi);
uint64_t cli_parse_seed(const char *text);

/* Handle the getopt_long results common to every tool: '?' (bad option, exit 2),
 * ':' (missing argument, exit 2). Call from the default branch of the switch. */
void cli_bad_option(void) __attribute__((noreturn));

/* Print text (the usage and one line per option) to stdout and exit 0. */
void cli_help(const char *text) __attribute__((noreturn));
/* Print the version line to stdout and exit 0. */
void cli_version(void) __attribute__((noreturn));

/* An option's file name (text, for option `what`); an empty one is misuse (exit 2). */
const char *cli_parse_path(const char *text, const char *what);
/*
 * Misuse (exit 2) when two of the n output paths are the same file name: two side files
 * at one path would overwrite each other. A NULL path (option not given) is skipped;
 * what[i] names the option of path[i].
 */
void cli_distinct_paths(const char *const path[], const char *const what[], int n);

/* fopen for reading or die with `tool: cannot open 'path': reason`. "-" is stdin. */
FILE *cli_open_read(const char *path);

/*
 * Output files written next to stdout (e.g. --scores FILE): opened as a temporary
 * `path.tmp.PID` (created anew, never through an existing file) and renamed into place
 * by cli_commit(), so a failure never leaves a half-written file behind. Open them before
 * anything goes to stdout: cli_open_write dies (exit 1) when path is empty, when
 * something other than a regular file is there (a directory, symbolic link, device, FIFO
 * or socket, which rename() would replace or fail on), or when the temporary cannot be
 * created. At most CLI_MAX_OUTPUTS per process. cli_die() removes every uncommitted
 * temporary, and so do SIGINT, SIGTERM, SIGHUP and SIGPIPE (unless the parent set them
 * to be ignored): the handler installed by the first cli_open_write removes them and
 * lets the signal end the process with its default action.
 */
#define CLI_MAX_OUTPUTS 8
FILE *cli_open_write(const char *path);
void cli_commit(FILE *f);

/* Progress on stderr, silenced by cli_set_quiet(1). */
void cli_set_quiet(int quiet);
int cli_quiet(void);
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Seconds since an arbitrary fixed point (monotonic clock). */
double cli_seconds(void);

/* Flush and check stdout; return the exit status (0, or die on a write error). */
int cli_finish(void);

#endif
