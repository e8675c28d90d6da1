/*
 * err: how lib/ functions that can fail on data report what went wrong.
 *
 * Such a function returns an int status (0 = ok, nonzero = failure) and, on failure,
 * writes one human-readable sentence (no program name, no trailing newline) into the
 * caller's Err. Tools print it with cli_die("%s", err.msg).
 */
#ifndef LATENT_ERR_H
#define LATENT_ERR_H

#define ERR_LEN 256

typedef struct {
	char msg[ERR_LEN];
} Err;

/* Format a message into e (e may be NULL); always returns -1, so `return err_set(...)`. */
int err_set(Err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
