/*
 * err: how lib/ functions that can fail on data report what went wrong.
 *
 * Such a function returns an int status (0 = ok, nonzero = failure) and, on failure,
 * writes one human-readable sentence (no program name, no trailing newline) into the
 * caller's Err. Tools print it with cli_die("%s", err.msg).
 */
#ifndef LATENT_ERR_H
#define LATENT_ERR_H

#include <stddef.h>

#define ERR_LEN 256

typedef struct {
	char msg[ERR_LEN];
} Err;

/* Format a message into e (e may be NULL); always returns -1, so `return err_set(...)`. */
int err_set(Err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Text from the input (a field, a header word), made safe to quote in a message, since a
 * message goes to a terminal: printable ASCII is copied, a backslash becomes \\, and every
 * other byte (control characters such as \r or ESC, the bytes of binary data or of
 * UTF-8) becomes \xHH. Text that does not fit in buf (len >= 8 bytes) is cut and ends
 * in "...". Returns buf, to be used as an argument: err_show(q, sizeof q, field).
 */
#define ERR_SHOW_LEN 64
const char *err_show(char *buf, size_t len, const char *s);

#endif
