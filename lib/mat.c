#include "mat.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Payload is read and grown in pieces of this many bytes, so a lying header costs at
 * most one piece beyond what the stream really holds. */
#define CHUNK_BYTES ((size_t)1 << 20)

int mat_name_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > MAT_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("_.,:+=-", c)))
			return 0;
	}
	return 1;
}

const char *mat_type_name(MatType type)
{
	return type == MAT_F32 ? "f32" : "f64";
}

int mat_type_parse(const char *text, MatType *type)
{
	if (strcmp(text, "f32") == 0)
		*type = MAT_F32;
	else if (strcmp(text, "f64") == 0)
		*type = MAT_F64;
	else
		return -1;
	return 0;
}

size_t mat_type_size(MatType type)
{
	return type == MAT_F32 ? 4 : 8;
}

static int shape_ok(size_t rows, size_t cols, Err *e)
{
	if (rows > MAT_MAX_ELEMS || cols > MAT_MAX_ELEMS ||
	    (rows && cols > MAT_MAX_ELEMS / rows))
		return err_set(e, "matrix of %zu x %zu exceeds the limit of %zu elements", rows,
			       cols, MAT_MAX_ELEMS);
	return 0;
}

Mat *mat_new(size_t rows, size_t cols, MatType type, const char *name, Err *e)
{
	Mat *m;
	size_t n;

	if (!mat_name_ok(name)) {
		err_set(e, "invalid matrix name '%s'", name);
		return NULL;
	}
	if (shape_ok(rows, cols, e))
		return NULL;
	n = rows * cols;
	m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->rows = rows;
	m->cols = cols;
	m->stride = cols;
	m->type = type;
	strcpy(m->name, name);
	if (n) {
		if (type == MAT_F32)
			m->f = calloc(n, sizeof *m->f);
		else
			m->d = calloc(n, sizeof *m->d);
		if (!m->f && !m->d) {
			free(m);
			goto oom;
		}
	}
	return m;
oom:
	err_set(e, "out of memory for a %zu x %zu matrix", rows, cols);
	return NULL;
}

Mat *mat_new_or_die(size_t rows, size_t cols, MatType type, const char *name)
{
	Err e;
	Mat *m = mat_new(rows, cols, type, name, &e);

	if (!m)
		cli_die("%s", e.msg);
	return m;
}

void mat_free(Mat *m)
{
	if (!m)
		return;
	free(m->f);
	free(m->d);
	free(m);
}

int mat_rename(Mat *m, const char *name, Err *e)
{
	if (!mat_name_ok(name))
		return err_set(e, "invalid matrix name '%s'", name);
	strcpy(m->name, name);
	return 0;
}

double mat_get(const Mat *m, size_t i, size_t j)
{
	return m->type == MAT_F32 ? (double)MAT_F(m, i, j) : MAT_D(m, i, j);
}

void mat_set(Mat *m, size_t i, size_t j, double v)
{
	if (m->type == MAT_F32)
		MAT_F(m, i, j) = (float)v;
	else
		MAT_D(m, i, j) = v;
}

int mat_convert(Mat *m, MatType type, Err *e)
{
	size_t i, j, n = m->rows * m->cols;

	if (m->type == type)
		return 0;
	if (n == 0) {
		m->type = type;
		return 0;
	}
	if (type == MAT_F32) {
		float *f = malloc(n * sizeof *f);
		if (!f)
			return err_set(e, "out of memory converting a %zu x %zu matrix", m->rows,
				       m->cols);
		for (i = 0; i < m->rows; i++)
			for (j = 0; j < m->cols; j++)
				f[i * m->cols + j] = (float)MAT_D(m, i, j);
		free(m->d);
		m->d = NULL;
		m->f = f;
	} else {
		double *d = malloc(n * sizeof *d);
		if (!d)
			return err_set(e, "out of memory converting a %zu x %zu matrix", m->rows,
				       m->cols);
		for (i = 0; i < m->rows; i++)
			for (j = 0; j < m->cols; j++)
				d[i * m->cols + j] = (double)MAT_F(m, i, j);
		free(m->f);
		m->f = NULL;
		m->d = d;
	}
	m->type = type;
	m->stride = m->cols;
	return 0;
}

/* Parse a decimal count with no sign and no leading zeros; -1 if malformed. */
static int parse_count(const char *s, size_t *out)
{
	size_t v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v;
	return 0;
}

int mat_read_header(FILE *f, MatHeader *h, Err *e)
{
	char line[MAT_HEADER_MAX + 1], *field[6], *p, q[ERR_SHOW_LEN];
	size_t n = 0;
	int c, nf;

	c = getc(f);
	if (c == EOF) {
		if (ferror(f))
			return err_set(e, "read error: %s", strerror(errno));
		return 1;
	}
	while (c != EOF && c != '\n' && c != '\0' && n < MAT_HEADER_MAX - 1) {
		line[n++] = (char)c;
		c = getc(f);
	}
	line[n] = '\0';
	if (strncmp(line, "LMAT ", n < 5 ? n : 5) != 0 || (n < 5 && c != EOF))
		return err_set(e, "not a matrix stream (bad magic: expected 'LMAT')");
	if (c == '\0')
		return err_set(e, "bad matrix header: contains a NUL byte");
	if (c != EOF && c != '\n')
		return err_set(e, "bad matrix header: longer than %d bytes", MAT_HEADER_MAX);
	if (c == EOF)
		return err_set(e, "truncated matrix header");
	/* Split on single spaces: exactly six fields. */
	nf = 0;
	for (p = line; nf < 6;) {
		field[nf++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (nf != 6 || p)
		return err_set(e, "bad matrix header: expected 'LMAT 1 TYPE ROWS COLS NAME'");
	if (strcmp(field[1], "1") != 0)
		return err_set(e, "unsupported matrix stream version '%s' (this is version 1)",
			       err_show(q, sizeof q, field[1]));
	if (mat_type_parse(field[2], &h->type))
		return err_set(e, "unknown element type '%s' (expected f32 or f64)",
			       err_show(q, sizeof q, field[2]));
	if (parse_count(field[3], &h->rows))
		return err_set(e, "bad row count '%s' in matrix header",
			       err_show(q, sizeof q, field[3]));
	if (parse_count(field[4], &h->cols))
		return err_set(e, "bad column count '%s' in matrix header",
			       err_show(q, sizeof q, field[4]));
	if (!mat_name_ok(field[5]))
		return err_set(e, "bad matrix name '%s' in matrix header",
			       err_show(q, sizeof q, field[5]));
	if (shape_ok(h->rows, h->cols, e))
		return -1;
	strcpy(h->name, field[5]);
	return 0;
}

static int little_endian_host(void)
{
	const uint16_t one = 1;
	unsigned char b;

	memcpy(&b, &one, 1);
	return b == 1;
}

static void swap_bytes(unsigned char *p, size_t n, size_t size)
{
	size_t i, k;
	unsigned char t;

	for (i = 0; i < n; i++, p += size)
		for (k = 0; k < size / 2; k++) {
			t = p[k];
			p[k] = p[size - 1 - k];
			p[size - 1 - k] = t;
		}
}

int mat_read_payload(FILE *f, const MatHeader *h, Mat **out, Err *e)
{
	size_t size = mat_type_size(h->type), total = h->rows * h->cols * size;
	size_t have = 0, cap = 0, want, got;
	unsigned char *buf = NULL, *nb;
	Mat *m;

	*out = NULL;
	while (have < total) {
		want = total - have < CHUNK_BYTES ? total - have : CHUNK_BYTES;
		if (have + want > cap) {
			cap = cap ? cap * 2 : CHUNK_BYTES;
			if (cap > total)
				cap = total;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return err_set(e, "out of memory reading matrix '%s' (%zu x %zu)",
					       h->name, h->rows, h->cols);
			}
			buf = nb;
		}
		got = fread(buf + have, 1, want, f);
		have += got;
		if (got < want) {
			int rerr = ferror(f);
			free(buf);
			if (rerr)
				return err_set(e, "read error in matrix '%s': %s", h->name,
					       strerror(errno));
			return err_set(e,
				       "short payload in matrix '%s': header promises %zu x %zu %s "
				       "(%zu bytes), stream holds %zu",
				       h->name, h->rows, h->cols, mat_type_name(h->type), total, have);
		}
	}
	m = calloc(1, sizeof *m);
	if (!m) {
		free(buf);
		return err_set(e, "out of memory");
	}
	m->rows = h->rows;
	m->cols = h->cols;
	m->stride = h->cols;
	m->type = h->type;
	strcpy(m->name, h->name);
	if (!little_endian_host() && buf)
		swap_bytes(buf, h->rows * h->cols, size);
	if (h->type == MAT_F32)
		m->f = (float *)(void *)buf;
	else
		m->d = (double *)(void *)buf;
	*out = m;
	return 0;
}

int mat_skip_payload(FILE *f, const MatHeader *h, Err *e)
{
	size_t total = h->rows * h->cols * mat_type_size(h->type), have = 0, want, got;
	unsigned char buf[65536];

	while (have < total) {
		want = total - have < sizeof buf ? total - have : sizeof buf;
		got = fread(buf, 1, want, f);
		have += got;
		if (got < want)
			return err_set(e, "short payload in matrix '%s': header promises %zu bytes, "
					  "stream holds %zu",
				       h->name, total, have);
	}
	return 0;
}

int mat_read(FILE *f, Mat **out, Err *e)
{
	MatHeader h;
	int r = mat_read_header(f, &h, e);

	*out = NULL;
	if (r)
		return r;
	return mat_read_payload(f, &h, out, e);
}

int mat_write_header(FILE *f, const MatHeader *h, Err *e)
{
	if (!mat_name_ok(h->name))
		return err_set(e, "invalid matrix name '%s'", h->name);
	if (shape_ok(h->rows, h->cols, e))
		return -1;
	if (fprintf(f, "LMAT 1 %s %zu %zu %s\n", mat_type_name(h->type), h->rows, h->cols,
		    h->name) < 0)
		return err_set(e, "write error: %s", strerror(errno));
	return 0;
}

int mat_write_payload(FILE *f, const Mat *m, Err *e)
{
	size_t size = mat_type_size(m->type), i, n;
	const unsigned char *row;
	unsigned char tmp[8 * 512];

	for (i = 0; i < m->rows && m->cols; i++) {
		row = m->type == MAT_F32 ? (const unsigned char *)(m->f + i * m->stride)
					 : (const unsigned char *)(m->d + i * m->stride);
		if (little_endian_host()) {
			if (fwrite(row, size, m->cols, f) != m->cols)
				goto fail;
			continue;
		}
		for (n = 0; n < m->cols; n += sizeof tmp / size) {
			size_t k = m->cols - n < sizeof tmp / size ? m->cols - n : sizeof tmp / size;
			memcpy(tmp, row + n * size, k * size);
			swap_bytes(tmp, k, size);
			if (fwrite(tmp, size, k, f) != k)
				goto fail;
		}
	}
	return 0;
fail:
	return err_set(e, "write error: %s", strerror(errno));
}

int mat_write(FILE *f, const Mat *m, Err *e)
{
	MatHeader h;

	h.type = m->type;
	h.rows = m->rows;
	h.cols = m->cols;
	strcpy(h.name, m->name);
	if (mat_write_header(f, &h, e))
		return -1;
	return mat_write_payload(f, m, e);
}

Mat *mat_read_next_or_die(FILE *f, const char *what, MatType type)
{
	Err e;
	Mat *m;
	int r = mat_read(f, &m, &e);

	if (r < 0)
		cli_die("%s: %s", what, e.msg);
	if (r > 0)
		return NULL;
	if (type && mat_convert(m, type, &e))
		cli_die("%s", e.msg);
	return m;
}

Mat *mat_read_or_die(FILE *f, const char *what, MatType type)
{
	Mat *m = mat_read_next_or_die(f, what, type);

	if (!m)
		cli_die("%s: no matrix (empty stream)", what);
	return m;
}

void mat_read_end_or_die(FILE *f, const char *what)
{
	MatHeader h;
	Err e;
	int r = mat_read_header(f, &h, &e);

	if (r < 0)
		cli_die("%s: trailing data: %s", what, e.msg);
	if (r == 0)
		cli_die("%s: unexpected extra matrix '%s'", what, h.name);
}

Mat *mat_read_named_or_die(FILE *f, const char *what, const char *name, MatType type)
{
	MatHeader h;
	Err e;
	Mat *m;
	int r;

	for (;;) {
		r = mat_read_header(f, &h, &e);
		if (r < 0)
			cli_die("%s: %s", what, e.msg);
		if (r > 0)
			cli_die("%s: no matrix named '%s'", what, name);
		if (strcmp(h.name, name) == 0)
			break;
		if (mat_skip_payload(f, &h, &e))
			cli_die("%s: %s", what, e.msg);
	}
	if (mat_read_payload(f, &h, &m, &e) || (type && mat_convert(m, type, &e)))
		cli_die("%s: %s", what, e.msg);
	return m;
}

void mat_write_or_die(FILE *f, const Mat *m)
{
	Err e;

	if (mat_write(f, m, &e))
		cli_die("%s", e.msg);
}

void mat_format_value(char *buf, size_t len, double v, MatType type)
{
	int prec;

	if (isnan(v)) {
		snprintf(buf, len, "nan");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
		return;
	}
	/*
	 * The shortest %g precision that reads back to the same value of this type. For a
	 * normal number that is at least 6 (f32) or 15 (f64) digits: a value whose shortest
	 * form has fewer digits prints in that form at 6 or 15, since %g drops trailing
	 * zeros (a decimal of 6 or 15 digits is within half a unit of the value). A
	 * subnormal carries fewer bits (down to 1), so its search starts at 1 digit.
	 */
	if (type == MAT_F32) {
		for (prec = fabs(v) < FLT_MIN ? 1 : 6; prec < 9; prec++) {
			snprintf(buf, len, "%.*g", prec, v);
			if (strtof(buf, NULL) == (float)v)
				return;
		}
		snprintf(buf, len, "%.9g", v);
	} else {
		for (prec = fabs(v) < DBL_MIN ? 1 : 15; prec < 17; prec++) {
			snprintf(buf, len, "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				return;
		}
		snprintf(buf, len, "%.17g", v);
	}
}

int mat_write_text(FILE *f, const Mat *m, int header, Err *e)
{
	char buf[40];
	size_t i, j;

	if (header && fprintf(f, "# %s %zu %zu %s\n", m->name, m->rows, m->cols,
			      mat_type_name(m->type)) < 0)
		goto fail;
	for (i = 0; i < m->rows; i++) {
		for (j = 0; j < m->cols; j++) {
			mat_format_value(buf, sizeof buf, mat_get(m, i, j), m->type);
			if (j)
				putc('\t', f);
			fputs(buf, f);
		}
		if (putc('\n', f) == EOF)
			goto fail;
	}
	return 0;
fail:
	return err_set(e, "write error: %s", strerror(errno));
}
