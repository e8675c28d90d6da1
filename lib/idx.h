/*
 * idx: reading the IDX files that MNIST and Fashion-MNIST ship in, raw or gzip'd.
 *
 * An IDX file (LeCun et al., http://yann.lecun.com/exdb/mnist/) is a big-endian header
 * followed by unsigned bytes:
 *
 *     00 00 08 03  N  ROWS COLS  <N*ROWS*COLS pixels, row-major>   images, magic 2051
 *     00 00 08 01  N             <N labels>                        labels, magic 2049
 *
 * N, ROWS and COLS are 32-bit big-endian unsigned integers. Only the unsigned-byte element
 * type (0x08) with 1 or 3 dimensions is accepted; that is what both data sets use. A file
 * that starts with gzip's magic bytes (1f 8b) is decompressed with zlib's inflate: one
 * gzip member, or several one after the other (their data joined, as gzip -d joins them),
 * and nothing after the last member.
 *
 * Nothing is allocated from a header's word alone: the header is checked (magic, element
 * type, dimensions nonzero, N*ROWS*COLS under MAT_MAX_ELEMS), a raw file's size must match
 * it exactly, and a gzip'd file's matrix grows as the decompressed bytes arrive, so a
 * header that promises more than the file holds fails after allocating no more than the
 * file really contains.
 */
#ifndef LATENT_IDX_H
#define LATENT_IDX_H

#include <stddef.h>

#include "err.h"
#include "mat.h"

#define IDX_MAGIC_LABELS 2049u
#define IDX_MAGIC_IMAGES 2051u

typedef enum { IDX_LABELS = 1, IDX_IMAGES = 3 } IdxKind;

/* What an IDX header says. For labels, rows = cols = 1. */
typedef struct {
	IdxKind kind;
	size_t count, rows, cols;
} IdxInfo;

typedef struct IdxFile IdxFile;

/*
 * Open path ("-" is standard input) and read and check its header into *info. Returns 0
 * and a handle in *out (close with idx_close), or -1 with a message in e: the file cannot
 * be opened, is not an IDX file of unsigned bytes with 1 (labels) or 3 (images)
 * dimensions, has a zero image size, promises more than MAT_MAX_ELEMS values, or (a raw
 * regular file) is not exactly as long as the header says.
 */
int idx_open(const char *path, IdxFile **out, IdxInfo *info, Err *e);
/* The file's name for messages: "'path'" (quoted), or "standard input" for "-". */
const char *idx_name(const IdxFile *f);
/* Close the file; f may be NULL. */
void idx_close(IdxFile *f);

/*
 * Read items [skip, skip + count) of an open file into a new count x (rows*cols) f32
 * matrix named `name` (*out, caller frees). An image byte b becomes b/255, or with
 * binarize >= 0, 1 when b/255 > binarize and 0 otherwise (binarize < 0: no binarizing);
 * a label byte becomes its value (binarize must be < 0 for labels: asserted).
 * The rest of the file is read and checked too: its data must end exactly where the
 * header says (no missing and no extra bytes), and a gzip'd file must decompress without
 * error (each member's CRC-32 and length are checked) with no byte after its last member. Call at most once
 * per open file. skip + count must not exceed info.count (asserted: check it first).
 * Returns 0, or -1 with a message in e (*out NULL).
 */
int idx_read(IdxFile *f, size_t skip, size_t count, double binarize, const char *name,
	     Mat **out, Err *e);

#endif
