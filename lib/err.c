#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(Err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

const char *err_show(char *buf, size_t len, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	char piece[4];
	size_t o = 0, n;

	for (; (c = (unsigned char)*s) != 0; s++) {
		n = 0;
		if (c == '\\') {
			piece[n++] = '\\';
			piece[n++] = '\\';
		} else if (c >= 0x20 && c < 0x7f) {
			piece[n++] = (char)c;
		} else {
			piece[n++] = '\\';
			piece[n++] = 'x';
			piece[n++] = hex[c >> 4];
			piece[n++] = hex[c & 15];
		}
		/* Room for this piece and "..." (or, for the last piece, just for it). */
		if (o + n + 3 >= len && (s[1] || o + n >= len)) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, piece, n);
		o += n;
	}
	buf[o] = '\0';
	return buf;
}
