#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"

static const char *prog = "latent";
static int quiet;

/*
 * The output files of cli_open_write. A slot is used once (at most CLI_MAX_OUTPUTS per
 * process), and its temporary's name sits in static storage, so the signal handler can
 * read it at any moment: `live` is set once the name is complete, just before the file
 * is created, and cleared when the file has been renamed or removed.
 */
static struct {
	FILE *f;
	char *path;
	char tmp[PATH_MAX];
	atomic_int live;
} outputs[CLI_MAX_OUTPUTS];
static int n_outputs;

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs a lock-free atomic int");

void cli_init(const char *argv0)
{
	const char *slash;

	if (argv0 && *argv0) {
		slash = strrchr(argv0, '/');
		prog = slash ? slash + 1 : argv0;
	}
	/* A closed pipe downstream must surface as a write error we report, or as a
	 * quiet death by SIGPIPE as every Unix filter does; keep the default. */
}

const char *cli_name(void)
{
	return prog;
}

static void remove_temporaries(void)
{
	int i;

	for (i = 0; i < n_outputs; i++) {
		if (!atomic_load(&outputs[i].live))
			continue;
		atomic_store(&outputs[i].live, 0);
		if (outputs[i].f)
			fclose(outputs[i].f);
		unlink(outputs[i].tmp);
		free(outputs[i].path);
		outputs[i].f = NULL;
	}
}

/*
 * An error exit: _exit, not exit. vmessage has already flushed what stdout held, and
 * nothing more may reach it; skipping the atexit handlers also keeps LeakSanitizer from
 * reporting, at random, the memory a dying tool still holds (once cli_die is known not to
 * return, the compiler may drop the last pointer to it). Leaks on the way to a normal
 * exit are still found.
 */
static __attribute__((noreturn)) void error_exit(int status)
{
	fflush(stderr);
	_exit(status);
}

static void vmessage(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	remove_temporaries();
	error_exit(1);
}

void cli_usage_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	remove_temporaries();
	error_exit(2);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void cli_bad_option(void)
{
	/* getopt_long has already printed what was wrong. */
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	exit(2);
}

void cli_help(const char *text)
{
	fputs(text, stdout);
	exit(cli_finish());
}

void cli_version(void)
{
	printf("%s (%s)\n", prog, CLI_VERSION);
	exit(cli_finish());
}

/* strtol and friends skip leading white space; a number given as an option does not
 * start with any (nor does it end with any: that is trailing junk). */
static int starts_with_space(const char *text)
{
	return isspace((unsigned char)text[0]);
}

long cli_parse_long(const char *text, const char *what, long lo, long hi)
{
	char *end, q[ERR_SHOW_LEN];
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || *end != '\0' || starts_with_space(text))
		cli_usage_die("%s '%s' is not an integer", what, err_show(q, sizeof q, text));
	if (errno == ERANGE || v < lo || v > hi)
		cli_usage_die("%s '%s' is out of range [%ld, %ld]", what, err_show(q, sizeof q, text),
			      lo, hi);
	return v;
}

double cli_parse_double(const char *text, const char *what, double lo, double hi)
{
	char *end, q[ERR_SHOW_LEN];
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end != '\0' || isnan(v) || starts_with_space(text))
		cli_usage_die("%s '%s' is not a number", what, err_show(q, sizeof q, text));
	/* ERANGE on overflow (v is +-HUGE_VAL) or underflow (v is 0 or subnormal, the
	 * nearest double to a valid literal such as 1e-400: keep it). */
	if ((errno == ERANGE && isinf(v)) || v < lo || v > hi)
		cli_usage_die("%s '%s' is out of range [%g, %g]", what, err_show(q, sizeof q, text),
			      lo, hi);
	return v;
}

uint64_t cli_parse_seed(const char *text)
{
	char *end, q[ERR_SHOW_LEN];
	unsigned long long v;

	errno = 0;
	if (*text == '-' || *text == '+' || starts_with_space(text))
		cli_usage_die("--seed '%s' is not a non-negative integer", err_show(q, sizeof q, text));
	v = strtoull(text, &end, 10);
	if (end == text || *end != '\0')
		cli_usage_die("--seed '%s' is not a non-negative integer", err_show(q, sizeof q, text));
	if (errno == ERANGE)
		cli_usage_die("--seed '%s' is out of range [0, %llu]", err_show(q, sizeof q, text),
			      (unsigned long long)UINT64_MAX);
	return (uint64_t)v;
}

const char *cli_parse_path(const char *text, const char *what)
{
	if (!*text)
		cli_usage_die("%s: the file name is empty", what);
	return text;
}

void cli_distinct_paths(const char *const path[], const char *const what[], int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (path[i] && path[j] && strcmp(path[i], path[j]) == 0)
				cli_usage_die("%s and %s name the same file '%s'", what[i], what[j],
					      path[i]);
}

FILE *cli_open_read(const char *path)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return stdin;
	f = fopen(path, "rb");
	if (!f)
		cli_die("cannot open '%s': %s", path, strerror(errno));
	return f;
}

/*
 * SIGINT, SIGTERM, SIGHUP or SIGPIPE (a reader downstream that quit) while an output file
 * is being written: remove its temporary, then die of the signal as if there were no
 * handler, so the parent sees the usual status. Only async-signal-safe calls: unlink,
 * raise. SA_RESETHAND has restored the default action on entry; the raised signal is
 * blocked until the handler returns, and is then delivered.
 */
static void on_signal(int sig)
{
	int i, saved = errno;

	for (i = 0; i < CLI_MAX_OUTPUTS; i++)
		if (atomic_load(&outputs[i].live))
			unlink(outputs[i].tmp);
	raise(sig);
	errno = saved;
}

/* Once, before the first temporary exists. A signal the parent set to be ignored stays
 * ignored (then a closed pipe is a write error, and cli_die cleans up). */
static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	static int done;
	struct sigaction sa, old;
	size_t k;

	if (done++)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (k = 0; k < sizeof sigs / sizeof *sigs; k++)
		if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[k], &sa, NULL);
}

/* What lstat found at an output path, for the message that refuses it. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a regular file";
}

FILE *cli_open_write(const char *path)
{
	struct stat st;
	int i, fd, n;

	if (!*path)
		cli_die("cannot write '': the file name is empty");
	/* rename() would replace a device, FIFO or symbolic link, and fail on a directory
	 * only after the output is complete: refuse them now. */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		cli_die("cannot write '%s': it is %s, not a regular file", path,
			file_kind(st.st_mode));
	if (n_outputs == CLI_MAX_OUTPUTS)
		cli_die("too many output files");
	i = n_outputs++;
	n = snprintf(outputs[i].tmp, sizeof outputs[i].tmp, "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof outputs[i].tmp)
		cli_die("cannot write '%s': %s", path, strerror(ENAMETOOLONG));
	outputs[i].path = strdup(path);
	if (!outputs[i].path)
		cli_die("out of memory");
	catch_signals();
	/* live before the file exists, so a signal that comes as soon as it exists removes
	 * it. O_EXCL: never write through something already at the temporary's name. */
	atomic_store(&outputs[i].live, 1);
	fd = open(outputs[i].tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		int e = errno;
		atomic_store(&outputs[i].live, 0);
		free(outputs[i].path);
		cli_die("cannot write '%s': %s", path, strerror(e));
	}
	outputs[i].f = fdopen(fd, "wb");
	if (!outputs[i].f)
		cli_die("cannot write '%s': %s", path, strerror(errno));
	return outputs[i].f;
}

void cli_commit(FILE *f)
{
	int i, bad;

	for (i = 0; i < n_outputs && outputs[i].f != f; i++)
		;
	if (i == n_outputs || !f)
		return;
	bad = ferror(f) | fflush(f);
	bad |= fclose(f);
	outputs[i].f = NULL;
	if (bad || rename(outputs[i].tmp, outputs[i].path) != 0) {
		int e = errno;
		unlink(outputs[i].tmp);
		atomic_store(&outputs[i].live, 0);
		cli_die("cannot write '%s': %s", outputs[i].path, strerror(e));
	}
	atomic_store(&outputs[i].live, 0);
	free(outputs[i].path);
}

void cli_set_quiet(int q)
{
	quiet = q;
}

int cli_quiet(void)
{
	return quiet;
}

void cli_progress(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

double cli_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cli_finish(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die("error writing standard output: %s", strerror(errno));
	return 0;
}
