bats_require_minimum_version 1.5.0
load helper

# Hand-made IDX files, written byte by byte (the format: big-endian magic 0x00000803 for
# images or 0x00000801 for labels, then 32-bit big-endian sizes, then unsigned bytes).
# img.idx: 2 images of 2 x 3 pixels.
#   image 0: 0 51 102 153 204 255    image 1: 255 0 128 127 1 2
IMG_HEADER='\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x03'
IMG_PIXELS='\x00\x33\x66\x99\xcc\xff\xff\x00\x80\x7f\x01\x02'
# lab.idx: 3 labels 7 2 1
LAB_HEADER='\x00\x00\x08\x01\x00\x00\x00\x03'
LAB_VALUES='\x07\x02\x01'

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	printf "$IMG_HEADER$IMG_PIXELS" > img.idx
	gzip -c img.idx > img.idx.gz
	printf "$LAB_HEADER$LAB_VALUES" > lab.idx
	gzip -c lab.idx > lab.idx.gz
}

# Run mnist-read expecting failure 1 with exactly this message and an empty stdout.
fails_with() {
	local msg=$1
	shift
	run -1 --separate-stderr mnist-read "$@"
	[ -z "$output" ] || { echo "stdout not empty: $output"; return 1; }
	[ "$stderr" = "mnist-read: $msg" ] || { echo "got: $stderr"; echo "want: mnist-read: $msg"; return 1; }
}

@test "mnist-read --help prints usage to stdout and exits 0" {
	run -0 mnist-read --help
	assert_line --index 0 'Usage: mnist-read [OPTION]... FILE'
	assert_output --partial '--binarize T'
	run -0 mnist-read --version
	assert_output --partial 'mnist-read (latent'
}

@test "mnist-read rejects misuse with exit 2 before reading anything" {
	run -2 mnist-read --bogus img.idx
	run -2 --separate-stderr mnist-read
	[ "${stderr_lines[0]}" = "mnist-read: missing FILE operand (an IDX file, or '-' for standard input)" ]
	run -2 --separate-stderr mnist-read img.idx lab.idx
	[ "${stderr_lines[0]}" = "mnist-read: unexpected operand 'lab.idx' (one FILE only)" ]
	run -2 --separate-stderr mnist-read --binarize 1.5 img.idx
	[ "${stderr_lines[0]}" = "mnist-read: --binarize '1.5' is out of range [0, 1]" ]
	run -2 --separate-stderr mnist-read --count x img.idx
	[ "${stderr_lines[0]}" = "mnist-read: --count 'x' is not an integer" ]
	run -2 mnist-read --images --labels img.idx
	run -2 mnist-read --labels --binarize 0.5 lab.idx
}

@test "image pixels become b/255 as f32, one image per row" {
	run -0 bash -c 'mnist-read img.idx | head -n 1'
	assert_output 'LMAT 1 f32 2 6 images'
	# Expected values by hand: b/255 for each byte; 6e-8 is half an f32 ulp at 1.
	run -0 bash -c 'mnist-read img.idx | mat-print |
		awk -v want="0 51 102 153 204 255 255 0 128 127 1 2" "BEGIN { split(want, b) }
		{ for (j = 1; j <= NF; j++) { v = \$j - b[++n] / 255; if (v < 0) v = -v; if (v > 6e-8) bad++ } }
		END { print n, bad + 0 }"'
	assert_output '12 0'
}

@test "a gzip'd file reads to the same bytes as the raw one, from a path or stdin" {
	mnist-read img.idx > raw.mat
	run -0 bash -c 'mnist-read img.idx.gz | cmp - raw.mat'
	run -0 bash -c 'mnist-read - < img.idx.gz | cmp - raw.mat'
	run -0 bash -c 'cat img.idx | mnist-read - | cmp - raw.mat'
}

@test "labels become an N x 1 matrix of their values" {
	run -0 bash -c 'mnist-read lab.idx.gz | mat-print --header'
	assert_output $'# labels 3 1 f32\n7\n2\n1'
}

@test "--binarize T sets a pixel to 1 exactly when b/255 > T" {
	# 128/255 = 0.502 > 0.5 and 127/255 = 0.498 < 0.5
	run -0 bash -c 'mnist-read --binarize 0.5 img.idx | mat-print'
	assert_output $'0\t0\t0\t1\t1\t1\n1\t0\t1\t0\t0\t0'
	run -0 bash -c 'mnist-read --binarize 0 img.idx | mat-print'
	assert_output $'0\t1\t1\t1\t1\t1\n1\t0\t1\t1\t1\t1'
	run -0 bash -c 'mnist-read --binarize 1 img.idx.gz | mat-print'
	assert_output $'0\t0\t0\t0\t0\t0\n0\t0\t0\t0\t0\t0'
}

@test "--skip and --count take a range of items" {
	run -0 bash -c 'mnist-read --skip 1 img.idx | mat-print --header'
	assert_output $'# images 1 6 f32\n1\t0\t0.5019608\t0.49803922\t0.003921569\t0.007843138'
	run -0 bash -c 'mnist-read --count 1 --binarize 0.5 img.idx.gz | mat-print'
	assert_output $'0\t0\t0\t1\t1\t1'
	run -0 bash -c 'mnist-read --skip 1 --count 1 lab.idx | mat-print'
	assert_output '2'
	run -0 bash -c 'mnist-read --skip 2 --count 0 img.idx | mat-print --header'
	assert_output '# images 0 6 f32'
}

@test "a range beyond the file is an error" {
	fails_with "--skip 1 --count 2 asks for images up to 3, but 'img.idx' holds 2" \
		--skip 1 --count 2 img.idx
	fails_with "--skip 4 is more than the 3 labels in 'lab.idx'" --skip 4 lab.idx
}

@test "messages about '-' name standard input" {
	run -1 --separate-stderr bash -c 'mnist-read --images - < lab.idx'
	[ -z "$output" ]
	[ "$stderr" = "mnist-read: standard input holds labels (IDX magic 2049), not images" ]
	run -1 --separate-stderr bash -c 'mnist-read --binarize 0.5 - < lab.idx.gz'
	[ "$stderr" = "mnist-read: --binarize applies to images, but standard input holds labels" ]
	run -1 --separate-stderr bash -c 'mnist-read --skip 4 - < lab.idx'
	[ "$stderr" = "mnist-read: --skip 4 is more than the 3 labels in standard input" ]
	run -1 --separate-stderr bash -c 'cat img.idx | mnist-read --skip 1 --count 2 -'
	[ "$stderr" = "mnist-read: --skip 1 --count 2 asks for images up to 3, but standard input holds 2" ]
}

@test "--binarize takes a threshold that underflows to 0 as 0" {
	mnist-read --binarize 0 img.idx > zero.mat
	run -0 bash -c 'mnist-read --binarize 1e-400 img.idx | cmp - zero.mat'
	run -2 --separate-stderr mnist-read --binarize 1e999 img.idx
	[ "${stderr_lines[0]}" = "mnist-read: --binarize '1e999' is out of range [0, 1]" ]
}

@test "a label file read as images is refused" {
	fails_with "'lab.idx.gz' holds labels (IDX magic 2049), not images" --images lab.idx.gz
	fails_with "'img.idx' holds images (IDX magic 2051), not labels" --labels img.idx
	fails_with "--binarize applies to images, but 'lab.idx' holds labels" --binarize 0.5 lab.idx
	# a label file whose magic was changed to images: its 11 bytes cannot hold that header
	printf "\x00\x00\x08\x03\x00\x00\x00\x03$LAB_VALUES" > lab3.idx
	fails_with "'lab3.idx': truncated IDX header (11 of 16 bytes)" lab3.idx
}

@test "a missing file, an empty file and a non-IDX file are refused" {
	fails_with "cannot open 'nope.idx': No such file or directory" nope.idx
	: > empty.idx
	fails_with "'empty.idx': empty file (not an IDX file)" empty.idx
	printf 'P5\n2 2\n255\n' > x.pgm
	fails_with "'x.pgm': not an IDX file (bad magic: expected 2049 for labels or 2051 for images)" x.pgm
	printf '\x00\x00\x08' > short.idx
	fails_with "'short.idx': truncated IDX header (3 of 8 bytes)" short.idx
}

@test "an unsupported element type or number of dimensions is refused" {
	printf '\x00\x00\x0d\x03\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00' > f.idx
	fails_with "'f.idx': IDX element type 0x0d is not supported (only unsigned bytes, 0x08)" f.idx
	printf '\x00\x00\x08\x02\x00\x00\x00\x01\x00\x00\x00\x01\x00' > m.idx
	fails_with "'m.idx': IDX file has 2 dimensions (only 1, labels, or 3, images, are supported)" m.idx
}

@test "a zero image size and an oversized header are refused" {
	printf '\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x1c' > z.idx
	fails_with "'z.idx': image size 0 x 28 is empty" z.idx
	# 65536 x 65536 x 1 = 2^32 values
	printf '\x00\x00\x08\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x01' | gzip -c > big.gz
	fails_with "'big.gz': header promises 65536 items of 65536 values, more than the limit of 2147483647 values" big.gz
}

@test "a raw file shorter or longer than its header promises is refused before reading" {
	head -c 25 img.idx > short.idx
	fails_with "'short.idx': header promises 2 images of 2 x 3 (28 bytes with the header), the file has 25 bytes" short.idx
	{ cat img.idx; printf '\x00'; } > long.idx
	fails_with "'long.idx': header promises 2 images of 2 x 3 (28 bytes with the header), the file has 29 bytes" long.idx
}

@test "gzip'd or piped data shorter or longer than the header promises is refused" {
	head -c 25 img.idx | gzip -c > short.gz
	fails_with "'short.gz': header promises 2 images of 2 x 3 (12 bytes of data), the file holds 9" short.gz
	run -1 --separate-stderr bash -c 'head -c 25 img.idx | mnist-read -'
	[ -z "$output" ]
	[ "$stderr" = "mnist-read: standard input: header promises 2 images of 2 x 3 (12 bytes of data), the file holds 9" ]
	{ cat lab.idx; printf '\x05'; } | gzip -c > long.gz
	fails_with "'long.gz': the file holds more data than the header promises (3 labels)" long.gz
}

@test "a truncated or corrupt gzip stream is refused" {
	head -c 20 img.idx.gz > cut.gz
	fails_with "'cut.gz': gzip data cut short (unexpected end of file)" cut.gz
	# flip a byte of the CRC-32 in the 8-byte trailer
	size=$(wc -c < img.idx.gz)
	{ head -c $((size - 8)) img.idx.gz; printf '\xde\xad\xbe\xef'; tail -c 4 img.idx.gz; } > crc.gz
	fails_with "'crc.gz': corrupt gzip data (incorrect data check)" crc.gz
}

@test "bytes after the end of the gzip data are refused, from a file or a pipe" {
	size=$(wc -c < img.idx.gz)
	{ cat img.idx.gz; echo junk; } > junk.gz
	fails_with "'junk.gz': the gzip data end after $size bytes, but the file goes on" junk.gz
	run -1 --separate-stderr bash -c 'cat junk.gz | mnist-read -'
	[ -z "$output" ]
	[ "$stderr" = "mnist-read: standard input: the gzip data end after $size bytes, but the file goes on" ]
	# zeros too (gzip -d ignores them with a warning)
	{ cat img.idx.gz; head -c 512 /dev/zero; } > zeros.gz
	fails_with "'zeros.gz': the gzip data end after $size bytes, but the file goes on" zeros.gz
	# a second member that is not valid gzip
	{ cat img.idx.gz; printf '\x1f\x00\x08\x00'; } > bad2.gz
	fails_with "'bad2.gz': corrupt gzip data (incorrect header check)" bad2.gz
}

@test "gzip members one after the other read as their data joined, as gzip -d reads them" {
	mnist-read img.idx > want.mat
	{ head -c 10 img.idx | gzip -c; tail -c +11 img.idx | gzip -c; } > two.gz
	gzip -dc two.gz | cmp - img.idx
	run -0 bash -c 'mnist-read two.gz | cmp - want.mat'
	{ cat img.idx.gz; gzip -c < /dev/null; } > empty2.gz
	run -0 bash -c 'mnist-read empty2.gz | cmp - want.mat'
	# one byte of data too many in a second member
	{ cat img.idx.gz; printf '\x00' | gzip -c; } > more.gz
	fails_with "'more.gz': the file holds more data than the header promises (2 images of 2 x 3)" more.gz
}

@test "a header promising 600000 images on 2 bytes of data fails without a big allocation" {
	printf '\x00\x00\x08\x03\x00\x09\x27\xc0\x00\x00\x00\x1c\x00\x00\x00\x1c\x00\x00' | gzip -c > lie.gz
	# 470 million pixels would be 1.9 GB as f32: memlimit's 1 GB cap fails any allocation
	# sized from the header alone
	run -1 --separate-stderr bash -c 'memlimit 1000000; mnist-read lie.gz'
	[ -z "$output" ]
	[ "$stderr" = "mnist-read: 'lie.gz': header promises 600000 images of 28 x 28 (470400000 bytes of data), the file holds 2" ]
}

@test "mnist-read reports a failed write to standard output" {
	run -1 --separate-stderr bash -c 'mnist-read img.idx > /dev/full'
	[[ $stderr == "mnist-read: "*"write error"* || $stderr == "mnist-read: error writing standard output"* ]]
}

# Independent reading of the real files: gzip + od + awk on the IDX bytes.
idx_u32() { # FILE OFFSET: the big-endian 32-bit integer at OFFSET of the decompressed file
	gzip -dc "$1" | od -An -tu1 -j "$2" -N 4 | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'
}

@test "the real MNIST training images: count, size and the first image's pixel sum" {
	require_data mnist/train-images-idx3-ubyte.gz
	f=$DATA/mnist/train-images-idx3-ubyte.gz
	n=$(idx_u32 "$f" 4); rows=$(idx_u32 "$f" 8); cols=$(idx_u32 "$f" 12)
	[ "$n" -eq 60000 ] && [ "$rows" -eq 28 ] && [ "$cols" -eq 28 ]
	run -0 bash -c "mnist-read '$f' | head -n 1"
	assert_output "LMAT 1 f32 $n $((rows * cols)) images"
	want=$(gzip -dc "$f" | od -An -tu1 -v -j 16 -N 784 | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')
	got=$(mnist-read --count 1 "$f" | mat-print | awk '{ for (i = 1; i <= NF; i++) s += $i } END { printf "%.6f", s * 255 }')
	# each of 784 values is b/255 rounded to f32 (error <= 6e-8); times 255: < 0.02 in all
	close "$got" "$want" 0.02
}

@test "the real MNIST training labels: count and the first label" {
	require_data mnist/train-labels-idx1-ubyte.gz
	f=$DATA/mnist/train-labels-idx1-ubyte.gz
	n=$(idx_u32 "$f" 4)
	first=$(gzip -dc "$f" | od -An -tu1 -j 8 -N 1 | tr -d ' ')
	run -0 bash -c "mnist-read '$f' | head -n 1"
	assert_output "LMAT 1 f32 $n 1 labels"
	run -0 bash -c "mnist-read --count 1 '$f' | mat-print"
	assert_output "$first"
	[ "$n" -eq 60000 ] && [ "$first" -eq 5 ]
}

@test "the real MNIST test images and labels read completely" {
	require_data mnist/t10k-images-idx3-ubyte.gz
	require_data mnist/t10k-labels-idx1-ubyte.gz
	run -0 bash -c "mnist-read '$DATA/mnist/t10k-images-idx3-ubyte.gz' | mat-print --info"
	assert_output '# images 10000 784 f32'
	# the label histogram agrees with the bytes counted by od
	want=$(gzip -dc "$DATA/mnist/t10k-labels-idx1-ubyte.gz" | od -An -tu1 -v -j 8 | tr -s ' ' '\n' | grep . | sort -n | uniq -c | awk '{ print $2, $1 }')
	got=$(mnist-read "$DATA/mnist/t10k-labels-idx1-ubyte.gz" | mat-print | sort -n | uniq -c | awk '{ print $2, $1 }')
	[ "$got" = "$want" ]
}

@test "Fashion-MNIST (Debian's dataset-fashion-mnist) reads the same way" {
	f=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
	[ -f "$f" ] || skip "dataset-fashion-mnist is not installed"
	run -0 bash -c "mnist-read --binarize 0.5 '$f' | mat-print --info"
	assert_output '# images 10000 784 f32'
	want=$(gzip -dc "$f" | od -An -tu1 -v -j 16 -N 784 | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')
	got=$(mnist-read --count 1 "$f" | mat-print | awk '{ for (i = 1; i <= NF; i++) s += $i } END { printf "%.6f", s * 255 }')
	close "$got" "$want" 0.02
}
