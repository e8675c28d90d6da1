#include "idx.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Bytes are read and the matrix grown in pieces of this size, so a header that lies
 * about its length costs at most one piece beyond what the file holds. */
#define CHUNK ((size_t)1 << 16)
#define FIRST_CAP ((size_t)1 << 18)
/* The file is read in pieces of this size (raw bytes, or gzip data before inflating). */
#define IN_BYTES ((size_t)1 << 17)

/*
 * An open IDX file. zlib's gzread would be shorter, but it ignores whatever follows the
 * last gzip member when that is not another member (trailing garbage), so an overlong
 * gzip'd file would pass; inflate, called directly, says where each member ends.
 */
struct IdxFile {
	int fd;
	int is_gzip;              /* the file starts with gzip's magic bytes 1f 8b */
	int inflating;            /* inflateInit2 succeeded: inflateEnd is due */
	int member_ended;         /* inflate reached the end of a gzip member */
	unsigned long long used;  /* file bytes consumed (raw, or compressed for gzip) */
	z_stream z;               /* next_in/avail_in: unused input, for raw files too */
	unsigned char in[IN_BYTES];
	char what[300];           /* the file's name in messages: 'path' or standard input */
	IdxInfo info;
	size_t header_bytes;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* "60000 images of 28 x 28" or "60000 labels" */
static void describe(char *buf, size_t len, const IdxInfo *in)
{
	if (in->kind == IDX_IMAGES)
		snprintf(buf, len, "%zu images of %zu x %zu", in->count, in->rows, in->cols);
	else
		snprintf(buf, len, "%zu labels", in->count);
}

/* Append the next bytes of the file to the unused input: 1 if some came, 0 at the end
 * of the file, -1 on a read error. */
static int fill(IdxFile *f, Err *e)
{
	size_t keep = f->z.avail_in;
	ssize_t got;

	if (keep)
		memmove(f->in, f->z.next_in, keep);
	do
		got = read(f->fd, f->in + keep, sizeof f->in - keep);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return err_set(e, "%s: read error: %s", f->what, strerror(errno));
	f->z.next_in = f->in;
	f->z.avail_in = (uInt)(keep + (size_t)got);
	return got > 0;
}

/* Move k bytes of input to out (raw files). */
static void take(IdxFile *f, unsigned char *out, size_t k)
{
	memcpy(out, f->z.next_in, k);
	f->z.next_in += k;
	f->z.avail_in -= (uInt)k;
	f->used += k;
}

/*
 * Read up to n bytes of data into buf (n <= CHUNK; decompressed for a gzip'd file).
 * Returns the number read, short only at the end of the data, or -1 (message in e) on a
 * read error, corrupt gzip data (inflate also checks each member's CRC-32 and length),
 * gzip data cut short, or bytes after a gzip member that do not start another member.
 * Several members one after the other (as `cat a.gz b.gz` makes) give their data one
 * after the other, as gzip -d does.
 */
static long long read_full(IdxFile *f, unsigned char *buf, size_t n, Err *e)
{
	size_t have = 0, k;
	uInt before;
	int r;

	assert(n <= CHUNK);
	while (have < n) {
		if (f->z.avail_in == 0) {
			r = fill(f, e);
			if (r < 0)
				return -1;
			if (r == 0) {
				if (f->is_gzip && !f->member_ended)
					return err_set(e, "%s: gzip data cut short (unexpected end of file)",
						       f->what);
				break;
			}
		}
		if (!f->is_gzip) {
			k = n - have < f->z.avail_in ? n - have : f->z.avail_in;
			take(f, buf + have, k);
			have += k;
			continue;
		}
		if (f->member_ended) {
			if (f->z.next_in[0] != 0x1f)
				return err_set(e, "%s: the gzip data end after %llu bytes, but the file "
						  "goes on", f->what, f->used);
			inflateReset(&f->z);
			f->member_ended = 0;
		}
		f->z.next_out = buf + have;
		f->z.avail_out = (uInt)(n - have);
		before = f->z.avail_in;
		r = inflate(&f->z, Z_NO_FLUSH);
		f->used += before - f->z.avail_in;
		have = n - f->z.avail_out;
		if (r == Z_STREAM_END)
			f->member_ended = 1;
		else if (r == Z_MEM_ERROR)
			return err_set(e, "%s: out of memory for inflating", f->what);
		else if (r != Z_OK && !(r == Z_BUF_ERROR && f->z.avail_in == 0))
			return err_set(e, "%s: corrupt gzip data (%s)", f->what,
				       f->z.msg ? f->z.msg : zError(r));
	}
	return (long long)have;
}

/* Open the stream: the first two bytes say gzip (1f 8b) or raw (an IDX file starts with
 * 00 00). 0, or -1 with a message in e. */
static int start_reading(IdxFile *f, Err *e)
{
	int r;

	while (f->z.avail_in < 2 && (r = fill(f, e)) != 0)
		if (r < 0)
			return -1;
	f->is_gzip = f->z.avail_in >= 2 && f->in[0] == 0x1f && f->in[1] == 0x8b;
	if (!f->is_gzip)
		return 0;
	/* 16 + MAX_WBITS: gzip format only, any window size. */
	if (inflateInit2(&f->z, 16 + MAX_WBITS) != Z_OK)
		return err_set(e, "%s: out of memory for inflating", f->what);
	f->inflating = 1;
	return 0;
}

/* The first 4 bytes: magic and kind. */
static int check_magic(IdxFile *f, const unsigned char *h, size_t n, Err *e)
{
	if (n == 0)
		return err_set(e, "%s: empty file (not an IDX file)", f->what);
	if ((n >= 1 && h[0] != 0) || (n >= 2 && h[1] != 0))
		return err_set(e, "%s: not an IDX file (bad magic: expected 2049 for labels or "
				  "2051 for images)", f->what);
	if (n < 4)
		return err_set(e, "%s: truncated IDX header (%zu of 8 bytes)", f->what, n);
	if (h[2] != 0x08)
		return err_set(e, "%s: IDX element type 0x%02x is not supported (only unsigned "
				  "bytes, 0x08)", f->what, h[2]);
	if (h[3] != 1 && h[3] != 3)
		return err_set(e, "%s: IDX file has %d dimensions (only 1, labels, or 3, images, "
				  "are supported)", f->what, h[3]);
	f->info.kind = h[3] == 1 ? IDX_LABELS : IDX_IMAGES;
	f->header_bytes = f->info.kind == IDX_LABELS ? 8 : 16;
	return 0;
}

/* The whole header (n bytes read of it): sizes. */
static int check_header(IdxFile *f, const unsigned char *h, size_t n, Err *e)
{
	IdxInfo *in = &f->info;
	size_t per_item;

	if (n < f->header_bytes)
		return err_set(e, "%s: truncated IDX header (%zu of %zu bytes)", f->what, n,
			       f->header_bytes);
	in->count = be32(h + 4);
	in->rows = in->kind == IDX_IMAGES ? be32(h + 8) : 1;
	in->cols = in->kind == IDX_IMAGES ? be32(h + 12) : 1;
	if (in->rows == 0 || in->cols == 0)
		return err_set(e, "%s: image size %zu x %zu is empty", f->what, in->rows, in->cols);
	/* Each factor is below 2^32, so the first product cannot overflow a 64-bit size_t. */
	per_item = in->rows * in->cols;
	if (per_item > MAT_MAX_ELEMS || (in->count && per_item > MAT_MAX_ELEMS / in->count))
		return err_set(e, "%s: header promises %zu items of %zu values, more than the "
				  "limit of %zu values", f->what, in->count, per_item, MAT_MAX_ELEMS);
	return 0;
}

int idx_open(const char *path, IdxFile **out, IdxInfo *info, Err *e)
{
	IdxFile *f;
	unsigned char h[16];
	struct stat st;
	long long n, got;
	off_t start = 0;
	int is_regular = 0;
	size_t want;

	*out = NULL;
	f = calloc(1, sizeof *f);
	if (!f)
		return err_set(e, "out of memory");
	if (strcmp(path, "-") == 0) {
		snprintf(f->what, sizeof f->what, "standard input");
		f->fd = dup(STDIN_FILENO);
	} else {
		snprintf(f->what, sizeof f->what, "'%s'", path);
		f->fd = open(path, O_RDONLY);
	}
	if (f->fd < 0) {
		err_set(e, "cannot open %s: %s", f->what, strerror(errno));
		free(f);
		return -1;
	}
	/* A regular file (standard input may be one, read from its current offset) can be
	 * measured; a pipe cannot. */
	if (fstat(f->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (start = lseek(f->fd, 0, SEEK_CUR)) >= 0)
		is_regular = 1;
	if (start_reading(f, e))
		goto fail;
	/* Read the 8 bytes every header has, then the rest that the kind calls for. */
	n = read_full(f, h, 8, e);
	if (n < 0 || check_magic(f, h, (size_t)n, e))
		goto fail;
	want = f->header_bytes - 8;
	if (want && n == 8) {
		got = read_full(f, h + 8, want, e);
		if (got < 0)
			goto fail;
		n += got;
	}
	if (check_header(f, h, (size_t)n, e))
		goto fail;
	/* A raw file on disk can be measured before anything is allocated. */
	if (is_regular && !f->is_gzip) {
		size_t expect = f->header_bytes + f->info.count * f->info.rows * f->info.cols;
		if ((unsigned long long)(st.st_size - start) != expect) {
			char d[96];
			describe(d, sizeof d, &f->info);
			err_set(e, "%s: header promises %s (%zu bytes with the header), the file has "
				   "%lld bytes", f->what, d, expect, (long long)(st.st_size - start));
			goto fail;
		}
	}
	*info = f->info;
	*out = f;
	return 0;
fail:
	idx_close(f);
	return -1;
}

const char *idx_name(const IdxFile *f)
{
	return f->what;
}

void idx_close(IdxFile *f)
{
	if (!f)
		return;
	if (f->inflating)
		inflateEnd(&f->z);
	close(f->fd);
	free(f);
}

/* The error for data that ends before the header's promise. */
static int short_data(IdxFile *f, size_t have, Err *e)
{
	char d[96];
	const IdxInfo *in = &f->info;

	describe(d, sizeof d, in);
	return err_set(e, "%s: header promises %s (%zu bytes of data), the file holds %zu",
		       f->what, d, in->count * in->rows * in->cols, have);
}

int idx_read(IdxFile *f, size_t skip, size_t count, double binarize, const char *name,
	     Mat **out, Err *e)
{
	const IdxInfo *in = &f->info;
	size_t P = in->rows * in->cols, total = in->count * P, first = skip * P;
	size_t last = (skip + count) * P, pos = 0, cap = 0, i, want;
	unsigned char buf[CHUNK];
	float *data = NULL, *nd, lut[256];
	long long got;
	Mat *m;

	*out = NULL;
	assert(skip <= in->count && count <= in->count - skip);
	assert(in->kind == IDX_IMAGES || binarize < 0);
	for (i = 0; i < 256; i++) {
		if (in->kind == IDX_LABELS)
			lut[i] = (float)i;
		else if (binarize >= 0)
			lut[i] = (double)i / 255.0 > binarize ? 1.0f : 0.0f;
		else
			lut[i] = (float)((double)i / 255.0);
	}
	/* Invariant: pos bytes of data have been read; those in [first, last) are stored
	 * at data[0 .. pos - first). */
	while (pos < total) {
		want = total - pos < CHUNK ? total - pos : CHUNK;
		if (pos < first && first - pos < want)
			want = first - pos;
		if (pos < last && last - pos < want)
			want = last - pos;
		got = read_full(f, buf, want, e);
		if (got < 0)
			goto fail;
		if (pos >= first && pos < last) {
			size_t need = pos - first + (size_t)got;
			if (need > cap) {
				size_t ncap = cap ? cap : FIRST_CAP;
				while (ncap < need)
					ncap *= 2;
				if (ncap > last - first)
					ncap = last - first;
				nd = realloc(data, ncap * sizeof *data);
				if (!nd) {
					err_set(e, "out of memory reading %s", f->what);
					goto fail;
				}
				data = nd;
				cap = ncap;
			}
			for (i = 0; i < (size_t)got; i++)
				data[pos - first + i] = lut[buf[i]];
		}
		pos += (size_t)got;
		if ((size_t)got < want) {
			short_data(f, pos, e);
			goto fail;
		}
	}
	/* One more byte must not exist; reading to the end also checks the last gzip
	 * member's CRC-32 and length, and that nothing but gzip members follow. */
	got = read_full(f, buf, 1, e);
	if (got < 0)
		goto fail;
	if (got > 0) {
		char d[96];
		describe(d, sizeof d, in);
		err_set(e, "%s: the file holds more data than the header promises (%s)", f->what, d);
		goto fail;
	}
	m = calloc(1, sizeof *m);
	if (!m || mat_rename(m, name, e)) {
		if (!m)
			err_set(e, "out of memory");
		free(m);
		goto fail;
	}
	m->rows = count;
	m->cols = P;
	m->stride = P;
	m->type = MAT_F32;
	m->f = data;
	*out = m;
	return 0;
fail:
	free(data);
	return -1;
}
