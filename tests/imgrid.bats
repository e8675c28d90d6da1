bats_require_minimum_version 1.5.0
load helper

# The gray level at (x, y) (0-based, x to the right) of a PGM/PAM on stdin, read through
# netpbm's own plain-text converter.
pixel() {
	pamtopnm -plain | awk -v X="$1" -v Y="$2" '
		NR == 1 { next } NR == 2 { w = $1; next } NR == 3 { next }
		{ for (i = 1; i <= NF; i++) { if (n % w == X && int(n / w) == Y) print $i; n++ } }'
}

# Every pixel equal to $1, as "x,y" lines, from a PGM/PAM on stdin.
where() {
	pamtopnm -plain | awk -v V="$1" '
		NR == 1 { next } NR == 2 { w = $1; next } NR == 3 { next }
		{ for (i = 1; i <= NF; i++) { if ($i == V) print (n % w) "," int(n / w); n++ } }'
}
export -f pixel where

@test "imgrid --help prints usage to stdout and exits 0" {
	run -0 imgrid --help
	assert_line --index 0 'Usage: imgrid [OPTION]... < IMAGES > GRID.pgm'
	run -0 imgrid --version
}

@test "imgrid rejects misuse with exit 2" {
	run -2 imgrid --bogus
	run -2 --separate-stderr imgrid --scale 0
	[ "${stderr_lines[0]}" = "imgrid: --scale '0' is out of range [1, 100]" ]
	run -2 --separate-stderr imgrid --background 2
	[ "${stderr_lines[0]}" = "imgrid: --background '2' is out of range [0, 1]" ]
	run -2 --separate-stderr imgrid x.mat
	[ "${stderr_lines[0]}" = "imgrid: unexpected operand 'x.mat' (the images are read from standard input)" ]
}

@test "the output is a valid raw PGM of the size the layout gives" {
	# 3 images of 2 x 2, 2 per row, scale 2, pad 1: width 2 * (2*2 + 1) + 1 = 11, height
	# 2 rows of the same: 11
	mat f32 X "0 0 0 0\n0 0 1 0\n0.2 2 -1 0.5" > x.mat
	imgrid --cols 2 --pad 1 --scale 2 < x.mat > g.pgm
	run -0 pamfile g.pgm
	assert_output $'g.pgm:\tPGM raw, 11 by 11  maxval 255'
	pamvalidate < g.pgm > /dev/null
	imgrid --cols 2 --pad 1 --scale 2 --pam < x.mat > g.pam
	run -0 pamfile g.pam
	assert_output $'g.pam:\tPAM, 11 by 11 by 1 maxval 255\n    Tuple type: GRAYSCALE'
	pamvalidate < g.pam > /dev/null
}

@test "a known pixel lands where the layout puts it, scaled to an S x S block" {
	# image 1 (second), pixel row 1, column 0 is white. Its cell is grid column 1, row 0:
	# x0 = pad + 1 * (w*s + pad) = 1 + 5 = 6, y0 = 1; the pixel covers x 6..7, y 3..4.
	mat f32 X "0 0 0 0\n0 0 1 0\n0 0 0 0" > x.mat
	run -0 bash -c 'imgrid --cols 2 --pad 1 --scale 2 < x.mat | where 255'
	assert_output $'6,3\n7,3\n6,4\n7,4'
}

@test "pixel values are clipped to [0, 1] and rounded to 255 levels, padding is the background" {
	# image 2 (grid row 1, column 0) at x0 = 1, y0 = 6: values 0.2 2 / -1 0.5
	mat f32 X "0 0 0 0\n0 0 1 0\n0.2 2 -1 0.5" > x.mat
	imgrid --cols 2 --pad 1 --scale 2 --background 0.25 < x.mat > g.pgm
	[ "$(pixel 1 6 < g.pgm)" = 51 ]    # 0.2 * 255 = 51
	[ "$(pixel 3 6 < g.pgm)" = 255 ]   # 2 clipped to 1
	[ "$(pixel 1 8 < g.pgm)" = 0 ]     # -1 clipped to 0
	[ "$(pixel 4 9 < g.pgm)" = 128 ]   # 0.5 * 255 = 127.5 rounds to 128
	[ "$(pixel 0 0 < g.pgm)" = 64 ]    # background 0.25 * 255 = 63.75
	[ "$(pixel 7 7 < g.pgm)" = 64 ]    # the empty fourth cell
}

@test "the width defaults to the square root of the columns; --width sets a non-square one" {
	mat f32 X "1 0 0 0 0 0 0 0 0" > sq.mat
	run -0 bash -c 'imgrid --pad 0 < sq.mat | pamfile'
	assert_output $'stdin:\tPGM raw, 3 by 3  maxval 255'
	mat f32 X "1 0 0 0 0 0" > r.mat
	run -0 bash -c 'imgrid --pad 0 --width 3 < r.mat | pamfile'
	assert_output $'stdin:\tPGM raw, 3 by 2  maxval 255'
	run -0 bash -c 'imgrid --pad 0 --width 2 < r.mat | pamfile'
	assert_output $'stdin:\tPGM raw, 2 by 3  maxval 255'
}

@test "the default layout is ceil(sqrt(N)) images per row" {
	# 5 images of 1 x 1: 3 per row, 2 rows; pad 2: 3*3+2 = 11 by 2*3+2 = 8
	mat f32 X "1\n1\n1\n1\n1" > x.mat
	run -0 bash -c 'imgrid < x.mat | pamfile'
	assert_output $'stdin:\tPGM raw, 11 by 8  maxval 255'
}

@test "--cols more than the number of images is capped at it" {
	# 3 images of 1 x 1 with --cols 10: 3 per row; pad 2: 3*3+2 = 11 by 1*3+2 = 5
	mat f32 X "1\n1\n1" > x.mat
	run -0 bash -c 'imgrid --cols 10 < x.mat | pamfile'
	assert_output $'stdin:\tPGM raw, 11 by 5  maxval 255'
}

@test "real MNIST digits: 25 images at scale 4 give a 5 x 5 grid ready for pnmtopng" {
	require_data mnist/train-images-idx3-ubyte.gz
	mnist-read --count 25 "$DATA/mnist/train-images-idx3-ubyte.gz" > x.mat
	imgrid --scale 4 < x.mat > g.pgm
	run -0 pamfile g.pgm
	# 5 * (28*4 + 2) + 2 = 572
	assert_output $'g.pgm:\tPGM raw, 572 by 572  maxval 255'
	pnmtopng < g.pgm > g.png
	[ "$(head -c 4 g.png | od -An -c | tr -d ' ')" = '211PNG' ]
}

@test "imgrid refuses shapes that do not make images" {
	mat f32 X "1 0 0 0 0 0" > r.mat
	run -1 --separate-stderr imgrid < r.mat
	[ -z "$output" ]
	[ "$stderr" = "imgrid: the 6 columns of the input are not a square image: give --width" ]
	run -1 --separate-stderr imgrid --width 4 < r.mat
	[ "$stderr" = "imgrid: --width 4 does not divide the 6 columns of the input" ]
	printf 'LMAT 1 f32 0 4 X\n' > empty.mat
	run -1 --separate-stderr imgrid < empty.mat
	[ "$stderr" = "imgrid: standard input holds 0 images of 4 pixels: nothing to draw" ]
}

@test "imgrid refuses a grid too big to draw, before reading the data" {
	# 10^6 images of 28 x 28 would be 39 GB of pixels at scale 8; only the header is given
	printf 'LMAT 1 f32 1000000 784 X\n' > big.mat
	run -1 --separate-stderr imgrid --scale 8 < big.mat
	[ -z "$output" ]
	[ "$stderr" = "imgrid: the grid would be 226002 x 226002 pixels, more than 65535 on a side" ]
}

@test "imgrid refuses missing values and a malformed stream" {
	mat f32 X "1 nan 0 0" > n.mat
	run -1 --separate-stderr imgrid < n.mat
	[ -z "$output" ]
	[ "$stderr" = "imgrid: image 1, pixel (1, 2) is nan" ]
	run -1 --separate-stderr imgrid < /dev/null
	[ "$stderr" = "imgrid: standard input: no matrix (empty stream)" ]
	printf 'LMAT 1 f32 1 4 X\n12' > s.mat
	run -1 --separate-stderr imgrid < s.mat
	[ "$stderr" = "imgrid: standard input: short payload in matrix 'X': header promises 1 x 4 f32 (16 bytes), stream holds 2" ]
}

@test "imgrid refuses a second matrix rather than ignore it" {
	{ mat f32 X "1 0 0 1"; mat f32 Y "0 0 0 0"; } > two.mat
	run -1 --separate-stderr imgrid < two.mat
	[ -z "$output" ]
	[ "$stderr" = "imgrid: standard input: unexpected extra matrix 'Y'" ]
	{ mat f32 X "1 0 0 1"; printf 'junk'; } > junk.mat
	run -1 --separate-stderr imgrid < junk.mat
	[ -z "$output" ]
	[ "$stderr" = "imgrid: standard input: trailing data: not a matrix stream (bad magic: expected 'LMAT')" ]
}

@test "imgrid reports a failed write to standard output" {
	mat f32 X "1 0 0 1" > x.mat
	run -1 --separate-stderr bash -c 'imgrid < x.mat > /dev/full'
	[[ $stderr == "imgrid: "*"No space left on device"* ]]
}
