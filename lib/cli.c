#include "cli.h"

#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "latent";
static int quiet;

static struct {
	FILE *f;
	char *path;
	char *tmp;
} outputs[CLI_MAX_OUTPUTS];

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

	for (i = 0; i < CLI_MAX_OUTPUTS; i++) {
		if (!outputs[i].f)
			continue;
		fclose(outputs[i].f);
		remove(outputs[i].tmp);
		free(outputs[i].tmp);
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

long cli_parse_long(const char *text, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || *end != '\0')
		cli_usage_die("%s '%s' is not an integer", what, text);
	if (errno == ERANGE || v < lo || v > hi)
		cli_usage_die("%s '%s' is out of range [%ld, %ld]", what, text, lo, hi);
	return v;
}

double cli_parse_double(const char *text, const char *what, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end != '\0' || isnan(v))
		cli_usage_die("%s '%s' is not a number", what, text);
	if (errno == ERANGE || v < lo || v > hi)
		cli_usage_die("%s '%s' is out of range [%g, %g]", what, text, lo, hi);
	return v;
}

uint64_t cli_parse_seed(const char *text)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*text == '-' || *text == '+')
		cli_usage_die("--seed '%s' is not a non-negative integer", text);
	v = strtoull(text, &end, 10);
	if (end == text || *end != '\0')
		cli_usage_die("--seed '%s' is not a non-negative integer", text);
	if (errno == ERANGE)
		cli_usage_die("--seed '%s' is out of range [0, %llu]", text,
			      (unsigned long long)UINT64_MAX);
	return (uint64_t)v;
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

FILE *cli_open_write(const char *path)
{
	int i;
	size_t n;

	for (i = 0; i < CLI_MAX_OUTPUTS && outputs[i].f; i++)
		;
	if (i == CLI_MAX_OUTPUTS)
		cli_die("too many output files");
	n = strlen(path) + 32;
	outputs[i].tmp = malloc(n);
	outputs[i].path = strdup(path);
	if (!outputs[i].tmp || !outputs[i].path)
		cli_die("out of memory");
	snprintf(outputs[i].tmp, n, "%s.tmp.%ld", path, (long)getpid());
	outputs[i].f = fopen(outputs[i].tmp, "wb");
	if (!outputs[i].f) {
		int e = errno;
		free(outputs[i].tmp);
		free(outputs[i].path);
		cli_die("cannot write '%s': %s", path, strerror(e));
	}
	return outputs[i].f;
}

void cli_commit(FILE *f)
{
	int i, bad;

	for (i = 0; i < CLI_MAX_OUTPUTS && outputs[i].f != f; i++)
		;
	if (i == CLI_MAX_OUTPUTS || !f)
		return;
	bad = ferror(f) | fflush(f);
	bad |= fclose(f);
	outputs[i].f = NULL;
	if (bad || rename(outputs[i].tmp, outputs[i].path) != 0) {
		int e = errno;
		remove(outputs[i].tmp);
		cli_die("cannot write '%s': %s", outputs[i].path, strerror(e));
	}
	free(outputs[i].tmp);
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
