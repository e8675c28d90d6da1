bats_require_minimum_version 1.5.0
load helper

# A PPCA model worked out by hand: D = 2, K = 1, mean (1, 2), W = (2, 1)^T, sigma2 = 1.
# M = W^T W + sigma2 = 6, so encode(x) = (2 (x1 - 1) + (x2 - 2)) / 6 and
# decode(z) = (1 + 2 z, 2 + z).
model_text() {
	printf '# model:ppca 1 1 f32\n%s\n# mean 1 2 f32\n1 2\n# W 2 1 f32\n2\n1\n# sigma2 1 1 f32\n%s\n' \
		"${1:-1}" "${2:-1}"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	model_text | mat-from-text > m.mat
}

@test "vae-sample --help prints usage to stdout and exits 0" {
	run -0 vae-sample --help
	assert_line --index 0 'Usage: vae-sample MODE [OPTION]... MODEL'
	run -0 vae-sample --version
}

@test "vae-sample rejects misuse with exit 2" {
	run -2 vae-sample --bogus m.mat
	run -2 --separate-stderr vae-sample m.mat
	[ "${stderr_lines[0]}" = "vae-sample: choose a mode: --sample N, --reconstruct, --encode or --decode" ]
	run -2 --separate-stderr vae-sample --encode --decode m.mat
	[ "${stderr_lines[0]}" = "vae-sample: --sample, --reconstruct, --encode and --decode exclude each other" ]
	run -2 --separate-stderr vae-sample --encode --seed 3 m.mat
	[ "${stderr_lines[0]}" = "vae-sample: --seed applies to --sample only" ]
	run -2 --separate-stderr vae-sample --encode --no-clip m.mat
	[ "${stderr_lines[0]}" = "vae-sample: --no-clip applies to images, not to --encode" ]
	run -2 --separate-stderr vae-sample --sample 0 m.mat
	[ "${stderr_lines[0]}" = "vae-sample: --sample '0' is out of range [1, 10000000]" ]
	run -2 --separate-stderr vae-sample --sample 5
	[ "${stderr_lines[0]}" = "vae-sample: missing MODEL operand (a model file from ppca-fit or vae-train)" ]
}

@test "--encode gives the PPCA posterior mean M^-1 W^T (x - mean)" {
	# by hand: (4, 5) -> (2*3 + 3) / 6 = 1.5; (1, 2) -> 0; (0, 0) -> (-2 - 2) / 6 = -2/3
	run -0 bash -c 'mat f32 X "4 5\n1 2\n0 0" | vae-sample -q --encode m.mat | mat-print --header'
	# f32 arithmetic through M^-1 W^T: a few ulps of 1, so 1e-6
	assert_line --index 0 '# latent 3 1 f32'
	close "${lines[1]}" 1.5 1e-6
	close "${lines[2]}" 0 1e-6
	close "${lines[3]}" -0.6666667 1e-6
}

@test "--decode gives W z + mean, unclipped with --no-clip and clipped to [0, 1] without" {
	run -0 bash -c 'mat f32 Z "1.5\n-1\n0" | vae-sample -q --decode --no-clip m.mat | mat-print --header'
	assert_output $'# decoded 3 2 f32\n4\t3.5\n-1\t1\n1\t2'
	run -0 bash -c 'mat f32 Z "1.5\n-1\n-0.25" | vae-sample -q --decode m.mat | mat-print'
	assert_output $'1\t1\n0\t1\n0.5\t1'
}

@test "--reconstruct is decode(encode(x))" {
	# (4, 5) -> z = 1.5 -> (4, 3.5); (0, 0) -> z = -2/3 -> (-1/3, 4/3)
	run -0 bash -c 'mat f64 X "4 5\n0 0" | vae-sample -q --reconstruct --no-clip m.mat | mat-print'
	read -r a b <<< "${lines[0]}"; read -r c d <<< "${lines[1]}"
	close "$a" 4 1e-6; close "$b" 3.5 1e-6; close "$c" -0.33333333 1e-6; close "$d" 1.3333333 1e-6
}

@test "--encode of more rows than one batch agrees with the formula on every row" {
	awk 'BEGIN { srand(11); for (i = 0; i < 3000; i++) printf "%.6f %.6f\n", 10 * rand() - 5, 10 * rand() - 5 }' > x.txt
	mat-from-text --type f32 < x.txt > x.mat
	run -0 bash -c 'vae-sample -q --encode m.mat < x.mat | mat-print | paste - x.txt |
		awk "{ n++; e = \$1 - (2 * (\$2 - 1) + (\$3 - 2)) / 6; if (e < 0) e = -e; if (e > m) m = e }
		END { print n, (m < 1e-5) }"'
	# |z| <= 2.5 in f32 through a product of 2 terms: 1e-5 is a few ulps
	assert_output '3000 1'
}

@test "--sample draws z ~ N(0, 1) and decodes it: the images lie on the model's line" {
	run -0 bash -c 'vae-sample -q --sample 20000 --no-clip m.mat | mat-print |
		awk "{ n++; s += \$2; q += \$2 * \$2; e = \$1 - 2 * \$2 + 3; if (e < 0) e = -e; if (e > m) m = e }
		END { printf \"%d %.6f %.6f %.8f\n\", n, s / n, q / n - (s / n)^2, m }"'
	read -r n mean var worst <<< "$output"
	[ "$n" -eq 20000 ]
	# x2 = 2 + z: mean 2 (standard error 1/sqrt(20000) = 0.007) and variance 1 (standard
	# error sqrt(2/20000) = 0.01); 5 standard errors each
	close "$mean" 2 0.035
	close "$var" 1 0.05
	# x1 = 1 + 2 z = 2 x2 - 3 exactly, up to f32 rounding of values below 20
	close "$worst" 0 1e-5
}

@test "--sample clips to [0, 1] by default" {
	run -0 bash -c 'vae-sample -q --sample 1000 m.mat | mat-print |
		awk "{ for (j = 1; j <= NF; j++) { if (\$j < 0 || \$j > 1) bad++; if (\$j == 0) lo++; if (\$j == 1) hi++ } }
		END { print bad + 0, (lo > 0), (hi > 0) }"'
	assert_output '0 1 1'
}

@test "--seed: the same seed gives the same bytes, another seed other bytes, default 42" {
	vae-sample -q --sample 10 --no-clip m.mat > a.mat
	vae-sample -q --sample 10 --no-clip --seed 42 m.mat > b.mat
	vae-sample -q --sample 10 --no-clip --seed 43 m.mat > c.mat
	cmp a.mat b.mat
	! cmp -s a.mat c.mat
}

@test "a model from ppca-fit works end to end, and progress goes to stderr" {
	printf '2 0\n-2 0\n0 1\n0 -1\n' | mat-from-text --type f32 | ppca-fit -q -k 1 > fit.mat
	# W = (sqrt 1.5, 0), sigma2 = 0.5, M = 2: encode(2, 0) = sqrt(1.5) * 2 / 2 = 1.2247449
	run -0 --separate-stderr bash -c 'mat f32 X "2 0" | vae-sample --encode fit.mat | mat-print'
	close "$output" 1.2247449 1e-6
	[ "$stderr" = "vae-sample: ppca model, D = 2, K = 1: 1 rows" ]
	run -0 --separate-stderr bash -c 'mat f32 X "2 0" | vae-sample -q --encode fit.mat > /dev/null'
	[ -z "$stderr" ]
}

@test "vae-sample refuses a file that is not a model, an unknown kind and a wrong version" {
	run -1 --separate-stderr vae-sample --sample 1 nope.mat
	[ "$stderr" = "vae-sample: cannot open 'nope.mat': No such file or directory" ]
	mat f64 X "1 2\n3 4" > x.mat
	run -1 --separate-stderr vae-sample --sample 1 x.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: 'x.mat': not a model (its first matrix is 'X' 2 x 2, not 'model:KIND' 1 x 1)" ]
	model_text | sed 's/model:ppca/model:gan/' | mat-from-text > gan.mat
	run -1 --separate-stderr vae-sample --sample 1 gan.mat
	[ "$stderr" = "vae-sample: 'gan.mat': unknown model kind 'gan' (known: ppca, vae)" ]
	model_text 2 | mat-from-text > v2.mat
	run -1 --separate-stderr vae-sample --sample 1 v2.mat
	[ "$stderr" = "vae-sample: 'v2.mat': ppca model format version 2 is not supported (this is version 1)" ]
	: > empty.mat
	run -1 --separate-stderr vae-sample --sample 1 empty.mat
	[ "$stderr" = "vae-sample: 'empty.mat': empty stream (not a model)" ]
}

@test "vae-sample refuses a PPCA model with missing, misplaced or malformed parts" {
	model_text | head -n 7 | mat-from-text > cut.mat
	run -1 --separate-stderr vae-sample --sample 1 cut.mat
	[ "$stderr" = "vae-sample: 'cut.mat': ppca model ends before its matrix 'sigma2'" ]
	printf '# model:ppca 1 1 f32\n1\n# mean 1 2 f32\n1 2\n# sigma2 1 1 f32\n1\n' | mat-from-text > order.mat
	run -1 --separate-stderr vae-sample --sample 1 order.mat
	[ "$stderr" = "vae-sample: 'order.mat': ppca model has matrix 'sigma2' where 'W' belongs" ]
	printf '# model:ppca 1 1 f32\n1\n# mean 1 2 f32\n1 2\n# W 3 1 f32\n1\n2\n3\n# sigma2 1 1 f32\n1\n' | mat-from-text > shape.mat
	run -1 --separate-stderr vae-sample --sample 1 shape.mat
	[ "$stderr" = "vae-sample: 'shape.mat': ppca 'W' is 3 x 1, but 'mean' has D = 2 (want D x K with 1 <= K < D)" ]
	model_text 1 0 | mat-from-text > s0.mat
	run -1 --separate-stderr vae-sample --sample 1 s0.mat
	[ "$stderr" = "vae-sample: 's0.mat': ppca 'sigma2' is 0: it must be a positive finite number" ]
	model_text | mat-from-text | head -c 80 > short.mat
	run -1 --separate-stderr vae-sample --sample 1 short.mat
	[[ $stderr == "vae-sample: 'short.mat': short payload in matrix 'W'"* ]]
}

@test "vae-sample refuses a PPCA model with K >= D, without spending memory on its K x K matrix" {
	# finding 4: W 1 x 20000 made a 20000 x 20000 M (3.2 GB, 16 s) before failing
	{ printf 'LMAT 1 f64 1 1 model:ppca\n'; printf '\0\0\0\0\0\0\360?'
	  printf 'LMAT 1 f64 1 1 mean\n'; head -c 8 /dev/zero
	  printf 'LMAT 1 f64 1 20000 W\n'; head -c 160000 /dev/zero
	  printf 'LMAT 1 f64 1 1 sigma2\n'; printf '\0\0\0\0\0\0\360?'; } > wide.mat
	run -1 --separate-stderr bash -c 'memlimit 200000; vae-sample --sample 1 wide.mat'
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: 'wide.mat': ppca 'W' is 1 x 20000, but 'mean' has D = 1 (want D x K with 1 <= K < D)" ]
	printf '# model:ppca 1 1 f32\n1\n# mean 1 2 f32\n0 0\n# W 2 2 f32\n1 0\n0 1\n# sigma2 1 1 f32\n1\n' | mat-from-text > square.mat
	run -1 --separate-stderr vae-sample --sample 1 square.mat
	[ "$stderr" = "vae-sample: 'square.mat': ppca 'W' is 2 x 2, but 'mean' has D = 2 (want D x K with 1 <= K < D)" ]
}

@test "vae-sample refuses a PPCA model whose values, or W^T W + sigma2 I, are not finite, instead of aborting" {
	printf '# model:ppca 1 1 f64\n1\n# mean 1 2 f64\n0 nan\n# W 2 1 f64\n1\n1\n# sigma2 1 1 f64\n1\n' | mat-from-text > nan.mat
	run -1 --separate-stderr vae-sample --sample 1 nan.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: 'nan.mat': ppca 'mean' holds nan at (1, 2): a model's values must be finite" ]
	model_text 1 inf | mat-from-text > sinf.mat
	run -1 --separate-stderr vae-sample --sample 1 sinf.mat
	[ "$stderr" = "vae-sample: 'sinf.mat': ppca 'sigma2' is inf: it must be a positive finite number" ]
	# finding 2: finite values whose W^T W (2e600) overflows: LAPACKE's NaN check made an
	# assert fire (exit 134)
	printf '# model:ppca 1 1 f64\n1\n# mean 1 3 f64\n0 0 0\n# W 3 2 f64\n1e300 1e300\n1e300 -1e300\n0 0\n# sigma2 1 1 f64\n1\n' | mat-from-text > big.mat
	run -1 --separate-stderr vae-sample --sample 1 big.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: 'big.mat': ppca W^T W + sigma2 I overflows double precision: 'W' is too large" ]
	# W = 1e50 is a double but no float, and vae-sample computes in f32
	printf '# model:ppca 1 1 f64\n1\n# mean 1 2 f64\n0 0\n# W 2 1 f64\n1e50\n0\n# sigma2 1 1 f64\n1\n' | mat-from-text > f64.mat
	run -1 --separate-stderr vae-sample --sample 1 f64.mat
	[ "$stderr" = "vae-sample: 'f64.mat': ppca 'W' holds 1e+50 at (1, 1), beyond single precision (vae-sample computes in f32)" ]
}

@test "vae-sample refuses anything after a model's last matrix" {
	# finding 14: garbage after sigma2 was accepted
	{ model_text | mat-from-text; printf 'junk'; } > junk.mat
	run -1 --separate-stderr vae-sample --sample 1 junk.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: 'junk.mat': trailing data after the ppca model: not a matrix stream (bad magic: expected 'LMAT')" ]
	{ model_text | mat-from-text; model_text | mat-from-text; } > two.mat
	run -1 --separate-stderr vae-sample --sample 1 two.mat
	[ "$stderr" = "vae-sample: 'two.mat': unexpected matrix 'model:ppca' after the end of the ppca model" ]
	{ vae_text; printf '# extra 1 1 f32\n0\n'; } | mat-from-text > vae2.mat
	run -1 --separate-stderr vae-sample --sample 1 vae2.mat
	[ "$stderr" = "vae-sample: 'vae2.mat': unexpected matrix 'extra' after the end of the vae model" ]
}

@test "vae-sample refuses to write values that overflow single precision" {
	# W = 3e38 fits a float, but decoding z = 2 gives 6e38, which does not
	printf '# model:ppca 1 1 f32\n1\n# mean 1 2 f32\n0 0\n# W 2 1 f32\n3e38\n0\n# sigma2 1 1 f32\n1\n' | mat-from-text > edge.mat
	run -1 --separate-stderr bash -c 'mat f32 Z "0.5\n2" | vae-sample --decode --no-clip edge.mat'
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: decoding row 2 gave inf in column 1: beyond single precision" ]
}

@test "vae-sample says an f64 input value does not fit single precision, rather than calling it inf" {
	# finding 2.8: 1e300 was converted to f32 first and reported as inf. 3.4028236e38 is
	# just above FLT_MAX = 3.40282347e38 by more than half an ulp, so it rounds to inf too.
	run -1 --separate-stderr bash -c 'mat f64 X "0 5\n1e300 0" | vae-sample --encode m.mat'
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: standard input: row 2, column 1 is 1e+300, which does not fit single precision (largest 3.40282347e+38)" ]
	run -1 --separate-stderr bash -c 'mat f64 Z "3.4028236e38" | vae-sample --decode m.mat'
	[ "$stderr" = "vae-sample: standard input: row 1, column 1 is 3.4028236e+38, which does not fit single precision (largest 3.40282347e+38)" ]
	# FLT_MAX itself fits: decode(z) = (1 + 2 z, 2 + z) overflows, but the input is accepted
	run -1 --separate-stderr bash -c 'mat f64 Z "3.40282347e38" | vae-sample --decode m.mat'
	[ "$stderr" = "vae-sample: decoding row 1 gave inf in column 1: beyond single precision" ]
}

@test "vae-sample refuses a second matrix on standard input in every mode that reads it" {
	# finding 14: --encode, --decode and --reconstruct ignored the rest of the stream
	{ mat f32 X "4 5"; mat f32 Y "1 2"; } > two.mat
	for mode in --encode --reconstruct; do
		run -1 --separate-stderr vae-sample -q $mode m.mat < two.mat
		[ -z "$output" ]
		[ "$stderr" = "vae-sample: standard input: unexpected extra matrix 'Y'" ]
	done
	{ mat f32 Z "1"; printf 'junk'; } > junk.mat
	run -1 --separate-stderr vae-sample -q --decode m.mat < junk.mat
	[ -z "$output" ]
	[[ $stderr == "vae-sample: standard input: trailing data: "* ]]
}

@test "vae-sample reads a model from standard input with --sample only" {
	run -0 bash -c 'vae-sample -q --sample 2 - < m.mat | mat-print --info'
	assert_output '# samples 2 2 f32'
	run -2 --separate-stderr vae-sample --encode - < m.mat
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "vae-sample: MODEL '-' (standard input) works with --sample only: the other modes read their data from standard input" ]
}

@test "vae-sample refuses input of the wrong width or with missing values" {
	run -1 --separate-stderr bash -c 'mat f32 X "1 2 3" | vae-sample --encode m.mat'
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: standard input has 3 columns, but the model's data dimension D is 2" ]
	run -1 --separate-stderr bash -c 'mat f32 Z "1 2" | vae-sample --decode m.mat'
	[ "$stderr" = "vae-sample: standard input has 2 columns, but the model's latent dimension K is 1" ]
	run -1 --separate-stderr bash -c 'mat f32 X "1 nan" | vae-sample --reconstruct m.mat'
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: standard input: row 1, column 2 is nan: the input must be complete and finite" ]
	run -1 --separate-stderr bash -c 'vae-sample --encode m.mat < /dev/null'
	[ "$stderr" = "vae-sample: standard input: no matrix (empty stream)" ]
}

# --- VAE models (issue 5) ---

# A VAE worked out by hand: D = 2, H = 1, K = 1.
#   encoder: h = relu(x1 + x2), mu = 2 h - 1 (sigma = relu(0 h + 0.5) + 1e-4 = 0.5001)
#   decoder: g = relu(z), pixel means (sigmoid(g), sigmoid(-g))
vae_text() {
	printf '# model:vae 1 1 f32\n1\n'
	printf '# enc1.W 1 2 f32\n1 1\n# enc1.b 1 1 f32\n0\n'
	printf '# enc_mu.W 1 1 f32\n2\n# enc_mu.b 1 1 f32\n-1\n'
	printf '# enc_sigma.W 1 1 f32\n0\n# enc_sigma.b 1 1 f32\n0.5\n'
	printf '# dec1.W 1 1 f32\n1\n# dec1.b 1 1 f32\n0\n'
	printf '# dec2.W 2 1 f32\n1\n-1\n# dec2.b 1 2 f32\n0 0\n'
}

# 256 images of 4 x 4 pixels: four vertical bars, every third image with a pixel flipped
# (the data of tests/vae-train.bats).
bars() {
	awk 'BEGIN { for (i = 0; i < 256; i++) { p = i % 4; f = i % 3 ? -1 : (i * 7) % 16; s = ""
		for (j = 0; j < 16; j++) { b = (j % 4 == p); if (j == f) b = 1 - b
			s = s (j ? " " : "") b }
		print s } }' | mat-from-text --type f32 --name bars
}

@test "--encode of a VAE gives the encoder mean, worked out by hand" {
	vae_text | mat-from-text > vae.mat
	# (1, 0): h = 1, mu = 1; (0, 0): h = 0, mu = -1; (1, 1): h = 2, mu = 3; (-3, 1): h = 0
	run -0 bash -c 'mat f32 X "1 0\n0 0\n1 1\n-3 1" | vae-sample -q --encode vae.mat | mat-print'
	assert_output $'1\n-1\n3\n-1'
}

@test "--decode of a VAE gives the sigmoid pixel means, worked out by hand" {
	vae_text | mat-from-text > vae.mat
	# z = ln 3: g = ln 3, sigmoid(ln 3) = 3/4; z = 0 and z = -2: g = 0, means 1/2
	run -0 bash -c 'printf "%s\n0\n-2\n" "$(awk "BEGIN { printf \"%.9g\", log(3) }")" |
		mat-from-text --type f32 | vae-sample -q --decode vae.mat | mat-print'
	assert_line --index 1 $'0.5\t0.5'
	assert_line --index 2 $'0.5\t0.5'
	read -r a b <<< "${lines[0]}"
	# the float nearest ln 3, through float arithmetic: a few float ulps (6e-8)
	close "$a" 0.75 3e-7
	close "$b" 0.25 3e-7
}

@test "--reconstruct through a VAE is the decoder mean at the encoder mean" {
	vae_text | mat-from-text > vae.mat
	# (1, 0) -> mu = 1 -> (sigmoid(1), sigmoid(-1)) = (0.7310586, 0.2689414)
	run -0 bash -c 'mat f32 X "1 0" | vae-sample -q --reconstruct vae.mat | mat-print'
	read -r a b <<< "$output"
	close "$a" 0.7310586 3e-7
	close "$b" 0.2689414 3e-7
}

@test "a model from vae-train: shapes of samples, reconstructions and latent means, pixels in [0, 1]" {
	bars > bars.mat
	vae-train -q -k 2 --hidden 32 --batch 16 --lr 3e-3 --epochs 40 < bars.mat > vae.mat
	run -0 bash -c 'vae-sample -q --sample 25 --no-clip vae.mat | mat-print --header |
		awk "NR == 1 { print; next } { for (i = 1; i <= NF; i++) if (!(\$i >= 0 && \$i <= 1)) bad++ }
		END { print bad + 0 }"'
	assert_output $'# samples 25 16 f32\n0'
	run -0 bash -c 'vae-sample -q --reconstruct --no-clip vae.mat < bars.mat | mat-print --header |
		awk "NR == 1 { print; next } { for (i = 1; i <= NF; i++) if (!(\$i >= 0 && \$i <= 1)) bad++ }
		END { print bad + 0 }"'
	assert_output $'# recon 256 16 f32\n0'
	run -0 bash -c 'vae-sample -q --encode vae.mat < bars.mat | mat-print --info'
	assert_output '# latent 256 2 f32'
}

@test "a trained VAE reconstructs the bars better than the mean image does" {
	bars > bars.mat
	vae-train -q -k 2 --hidden 32 --batch 16 --lr 3e-3 --epochs 40 < bars.mat > vae.mat
	vae-sample -q --reconstruct vae.mat < bars.mat | mat-print > recon.txt
	mat-print < bars.mat > bars.txt
	# mean absolute error per pixel: the mean image (each pixel's mean over the data, the
	# best constant guess) against the reconstructions
	run -0 awk 'NR == FNR { for (j = 1; j <= NF; j++) { x[FNR, j] = $j; m[j] += $j / 256 } next }
		{ for (j = 1; j <= NF; j++) { r += ($j > x[FNR, j] ? $j - x[FNR, j] : x[FNR, j] - $j)
			c += (m[j] > x[FNR, j] ? m[j] - x[FNR, j] : x[FNR, j] - m[j]) } }
		END { print (r < c / 2) ? "ok" : r / 4096 " vs " c / 4096 }' bars.txt recon.txt
	assert_output ok
}

@test "--sample from a VAE: the same seed gives the same bytes, another seed other bytes" {
	bars > bars.mat
	vae-train -q -k 2 --hidden 8 --epochs 2 < bars.mat > vae.mat
	vae-sample -q --sample 5 --seed 3 vae.mat > a.mat
	vae-sample -q --sample 5 --seed 3 vae.mat > b.mat
	vae-sample -q --sample 5 --seed 4 vae.mat > c.mat
	cmp a.mat b.mat
	! cmp -s a.mat c.mat
}

@test "--sample streams its rows: memory does not grow with N" {
	# finding 2.6: --sample held the whole N x D output. 100000 images of 1000 pixels are
	# 400 MB of f32; the cap of 400 MB (of which OpenBLAS reserves about 180) leaves room for a few batches only.
	awk 'BEGIN { print "# model:ppca 1 1 f32\n1\n# mean 1 1000 f32"; s = ""
		for (j = 0; j < 1000; j++) s = s (j ? " " : "") 0.5; print s; print "# W 1000 1 f32"
		for (j = 0; j < 1000; j++) print 0.1; print "# sigma2 1 1 f32\n1" }' |
		mat-from-text > wide.mat
	run -0 bash -c 'set -o pipefail; memlimit 400000; vae-sample -q --sample 100000 wide.mat | wc -c'
	# the header 'LMAT 1 f32 100000 1000 samples' and its newline: 31 bytes
	[ "$output" = 400000031 ]
}

@test "--sample of more rows than one batch is one draw sequence, as a prefix of a longer run" {
	# the rows of --sample N are the first N rows of --sample N2 > N (z drawn row by row
	# from one generator), whether N is a multiple of the batch of 1024 or not
	vae-sample -q --sample 2500 m.mat > long.mat
	for n in 1 1024 1025 2049; do
		vae-sample -q --sample $n m.mat | tail -c $(( n * 8 )) > short.bin
		cmp short.bin <(tail -c +$(( $(head -n 1 long.mat | wc -c) + 1 )) long.mat | head -c $(( n * 8 )))
	done
}

@test "vae-sample refuses a VAE whose latent dimension exceeds the limit of 100000" {
	# H = 1, K = 100001, D = 1, all weights 0 (zero bytes are the float 0)
	f() { printf 'LMAT 1 f32 %d %d %s\n' "$1" "$2" "$3"; head -c $(($1 * $2 * 4)) /dev/zero; }
	{ printf 'LMAT 1 f32 1 1 model:vae\n'; printf '\0\0\200?'
	  f 1 1 enc1.W; f 1 1 enc1.b; f 100001 1 enc_mu.W; f 1 100001 enc_mu.b
	  f 100001 1 enc_sigma.W; f 1 100001 enc_sigma.b; f 1 100001 dec1.W; f 1 1 dec1.b
	  f 1 1 dec2.W; f 1 1 dec2.b; } > bigk.mat
	run -1 --separate-stderr vae-sample --sample 1 bigk.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: 'bigk.mat': vae latent dimension K = 100001 (the rows of enc_mu.W) exceeds the limit of 100000" ]
}

@test "vae-sample refuses a VAE model with a missing, misplaced, misshapen or broken tensor" {
	vae_text | sed '/^# dec2.b/,$d' | mat-from-text > cut.mat
	run -1 --separate-stderr vae-sample --sample 1 cut.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-sample: 'cut.mat': vae model ends before its matrix 'dec2.b'" ]
	vae_text | sed 's/^# enc_mu.b/# mu.b/' | mat-from-text > name.mat
	run -1 --separate-stderr vae-sample --sample 1 name.mat
	[ "$stderr" = "vae-sample: 'name.mat': vae model has matrix 'mu.b' where 'enc_mu.b' belongs" ]
	vae_text | sed 's/^# dec1.b 1 1 f32/# dec1.b 1 2 f32/; /^# dec1.b/{n;s/.*/0 0/}' | mat-from-text > shape.mat
	run -1 --separate-stderr vae-sample --sample 1 shape.mat
	[ "$stderr" = "vae-sample: 'shape.mat': vae tensor 'dec1.b' is 1 x 2, expected 1 x 1" ]
	vae_text | sed '/^# enc1.b/{n;s/.*/nan/}' | mat-from-text > nan.mat
	run -1 --separate-stderr vae-sample --sample 1 nan.mat
	[ "$stderr" = "vae-sample: 'nan.mat': vae tensor 'enc1.b' holds a non-finite value at (1, 1)" ]
}
