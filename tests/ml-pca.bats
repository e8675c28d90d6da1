bats_require_minimum_version 1.5.0
load helper

# PCA (lib/pca). Test data: fa-sample draws from the 6 x 2 factor model of the fixtures,
# so the matrices are full rank with well separated leading variances.

# Largest |a - b| over two equally shaped TAB-separated files.
maxdiff() {
	paste "$1" "$2" | awk '{ n = NF / 2; for (i = 1; i <= n; i++) { d = $i - $(i + n)
		if (d < 0) d = -d; if (d > m) m = d } } END { printf "%.3g\n", m }'
}

# Every number of a TAB-separated text negated, exactly.
negate() {
	awk '{ for (i = 1; i <= NF; i++) printf "%s%.17g", (i > 1 ? "\t" : ""), -$i; print "" }'
}

# data.txt: a 6 x 8 matrix of ratings-like numbers
sample_data() {
	mat-from-text < "$FIX/fa_model_6x2.txt" | fa-sample -n "${1:-8}" --seed 3 > data.mat
	mat-print < data.mat > data.txt
}

@test "ml-pca --help prints usage to stdout and exits 0" {
	run -0 ml-pca --help
	assert_line --index 0 --partial 'Usage: ml-pca -k K'
	run -0 ml-pca --version
	assert_output --partial 'ml-pca'
}

@test "ml-pca rejects misuse with exit 2" {
	run -2 ml-pca --bogus
	run -2 --separate-stderr ml-pca < /dev/null
	[[ $stderr == "ml-pca: -k K is required"* ]]
	run -2 --separate-stderr ml-pca -k 0
	[[ $stderr == "ml-pca: -k '0' is out of range"* ]]
	run -2 --separate-stderr ml-pca -k 2x
	[[ $stderr == "ml-pca: -k '2x' is not an integer"* ]]
	run -2 --separate-stderr ml-pca -k 2 --method qr
	[[ $stderr == "ml-pca: --method 'qr' is not svd or eig"* ]]
	run -2 ml-pca -k 2 file.mat
}

@test "ml-pca rejects a bad range with exit 2 before reading input" {
	run -2 --separate-stderr ml-pca -k 5-3 < /dev/null
	[ -z "$output" ]
	[[ $stderr == "ml-pca: -k '5-3' is an empty range: FIRST 5 is above LAST 3"* ]]
	run -2 --separate-stderr ml-pca -k 0-2 < /dev/null
	[[ $stderr == "ml-pca: -k '0-2': FIRST '0' is out of range [1, "* ]]
	run -2 --separate-stderr ml-pca -k 1- < /dev/null
	[[ $stderr == "ml-pca: -k '1-' is not K or FIRST-LAST (e.g. 1-15)"* ]]
	run -2 --separate-stderr ml-pca -k -3 < /dev/null
	[[ $stderr == "ml-pca: -k '-3' is out of range [1, "* ]]
	run -2 --separate-stderr ml-pca -k 1-x < /dev/null
	[[ $stderr == "ml-pca: -k '1-x': LAST 'x' is not an integer"* ]]
	run -2 --separate-stderr ml-pca -k 1-2-3 < /dev/null
	[[ $stderr == "ml-pca: -k '1-2-3': LAST '2-3' is not an integer"* ]]
}

@test "ml-pca refuses a range beyond min(rows, columns) before writing anything" {
	# like a single K above the limit, this depends on the input: exit 1, not 2
	mat f64 X "1 2 3\n4 5 6" > x.mat
	run -1 --separate-stderr ml-pca -k 1-3 --scores s.mat < x.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-pca: -k 1-3: LAST exceeds min(rows, columns) = 2 of the 2 x 3 input" ]
	[ ! -e s.mat ]
}

@test "a range writes, in order, exactly the bytes of the single-K runs" {
	sample_data 8
	for k in 1 2 3 4 5 6; do ml-pca -q -k $k < data.mat; done > singles.mat
	ml-pca -q -k 1-6 < data.mat | cmp - singles.mat
	for k in 3 4 5; do ml-pca -q -k $k < data.mat; done > singles.mat
	ml-pca -q -k 3-5 < data.mat | cmp - singles.mat
	ml-pca -q -k 4-4 < data.mat | cmp - <(ml-pca -q -k 4 < data.mat)
	run -0 bash -c 'ml-pca -q -k 2-4 < data.mat | mat-print --info'
	assert_output $'# pca_k2 6 8 f64\n# pca_k3 6 8 f64\n# pca_k4 6 8 f64'
}

@test "with a range the side files are those of K = LAST" {
	sample_data 8
	ml-pca -q -k 2-4 --scores s1.mat --components c1.mat --variance v1.mat < data.mat > /dev/null
	ml-pca -q -k 4 --scores s2.mat --components c2.mat --variance v2.mat < data.mat > /dev/null
	cmp s1.mat s2.mat
	cmp c1.mat c2.mat
	cmp v1.mat v2.mat
}

@test "by covariance eigenvectors a range agrees with the single-K runs to rounding" {
	# dsyevr computes only the eigenpairs asked for, so the bits may differ with K
	sample_data 10
	for k in 1 2 3 4 5 6; do ml-pca -q --method eig -k $k < data.mat; done | mat-print > singles.txt
	ml-pca -q --method eig -k 1-6 < data.mat | mat-print > range.txt
	[ "$(wc -l < range.txt)" = 36 ]
	# entries ~4, well separated eigenvalues: ~1e-15; allow 1e-12
	close "$(maxdiff range.txt singles.txt)" 0 1e-12
}

@test "PCA of the mean-imputed MovieLens matrix for K = 1..15 in one run equals 15 runs" {
	require_data ml-100k/ua.base
	command -v ml-load > /dev/null && command -v ml-impute > /dev/null ||
		skip "ml-load or ml-impute is not built"
	ml-load -q --top 500 < "$DATA/ml-100k/ua.base" | ml-impute --mean > imputed.mat
	for k in $(seq 15); do ml-pca -q -k $k < imputed.mat; done > singles.mat
	ml-pca -q -k 1-15 < imputed.mat | cmp - singles.mat
}

@test "ml-pca refuses -k above min(rows, columns) before writing anything" {
	mat f64 X "1 2 3\n4 5 6" > x.mat
	run -1 --separate-stderr ml-pca -k 3 < x.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-pca: -k 3 exceeds min(rows, columns) = 2 of the 2 x 3 input" ]
}

@test "ml-pca refuses a missing entry, an infinite one and a broken stream" {
	mat f64 X "1 2 3\n4 nan 6" > x.mat
	run -1 --separate-stderr ml-pca -k 1 --scores s.mat < x.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-pca: standard input: entry (2, 2) is missing (NaN): PCA needs a complete matrix (fill it with ml-impute)" ]
	[ ! -e s.mat ]
	mat f64 X "1 -inf 3\n4 5 6" > x.mat
	run -1 --separate-stderr ml-pca -k 1 < x.mat
	[ "$stderr" = "ml-pca: standard input: entry (1, 2) is infinite" ]
	printf 'LMAT 1 f64 3 3 X\n1234' > short.mat
	run -1 --separate-stderr ml-pca -k 1 < short.mat
	[ -z "$output" ]
	[[ $stderr == "ml-pca: standard input: short payload"* ]]
}

@test "a 2 x 3 example worked by hand: rank-1 reconstruction, scores, direction, variance" {
	# means (1, 2/3); centred rows (0 -1 1) and (-2/3 1/3 1/3) are orthogonal, so the
	# covariance (divisor N - 1 = 2) is diag(1, 1/3): direction (1, 0), variance 1 of a
	# total 4/3, scores (0 -1 1); the reconstruction keeps row 1 and flattens row 2.
	mat f64 X "1 0 2\n0 1 1" > x.mat
	run -0 bash -c 'ml-pca -q -k 1 --scores s.mat --components c.mat --variance v.mat < x.mat | mat-print > y.txt'
	printf '1\t0\t2\n0.666666666666666667\t0.666666666666666667\t0.666666666666666667\n' > want.txt
	# a few dozen flops on numbers of size 1: rounding is a few 1e-16
	close "$(maxdiff y.txt want.txt)" 0 1e-14
	mat-print < s.mat > s.txt
	close "$(maxdiff s.txt <(printf '0\n-1\n1\n'))" 0 1e-14
	mat-print < c.mat > c.txt
	close "$(maxdiff c.txt <(printf '1\n0\n'))" 0 1e-14
	mat-print < v.mat > v.txt
	close "$(maxdiff v.txt <(printf '1\t0.75\n'))" 0 1e-14
}

@test "each direction solves the eigen-equation of a covariance computed independently" {
	sample_data 8
	run -0 ml-pca -q -k 3 --components c.mat --variance v.mat < data.mat
	# C = Xc Xc^T / (N - 1) from the text in awk; then max |C u_k - lambda_k u_k|
	run -0 bash -c 'awk "FNR == 1 { f++ } f == 1 { M = FNR; N = NF; for (i = 1; i <= NF; i++) X[FNR, i] = \$i }
		f == 2 { K = NF; for (k = 1; k <= NF; k++) U[FNR, k] = \$k } f == 3 { lam[FNR] = \$1 }
		END { for (j = 1; j <= M; j++) { s = 0; for (i = 1; i <= N; i++) s += X[j, i]; m[j] = s / N }
		for (a = 1; a <= M; a++) for (b = 1; b <= M; b++) { s = 0
			for (i = 1; i <= N; i++) s += (X[a, i] - m[a]) * (X[b, i] - m[b]); C[a, b] = s / (N - 1) }
		for (k = 1; k <= K; k++) for (a = 1; a <= M; a++) { s = 0
			for (b = 1; b <= M; b++) s += C[a, b] * U[b, k]
			d = s - lam[k] * U[a, k]; if (d < 0) d = -d; if (d > r) r = d }
		print r }" data.txt <(mat-print < c.mat) <(mat-print < v.mat)'
	# entries of C are ~1; rounding in C u and in the SVD is ~1e-15
	close "$output" 0 1e-12
}

@test "the components are orthonormal and follow the stated sign convention" {
	sample_data 8
	ml-pca -q -k 4 --components c.mat < data.mat > /dev/null
	run -0 bash -c 'mat-print < c.mat | awk "{ for (k = 1; k <= NF; k++) U[NR, k] = \$k; K = NF }
		END { for (a = 1; a <= K; a++) for (b = 1; b <= K; b++) { s = 0
			for (i = 1; i <= NR; i++) s += U[i, a] * U[i, b]
			d = s - (a == b); if (d < 0) d = -d; if (d > r) r = d } print r }"'
	close "$output" 0 1e-14
	# the entry of largest magnitude in each column is positive
	run -0 bash -c 'mat-print < c.mat | awk "{ for (k = 1; k <= NF; k++) { a = \$k < 0 ? -\$k : \$k
		if (a > big[k]) { big[k] = a; sign[k] = \$k > 0 } } K = NF }
		END { for (k = 1; k <= K; k++) printf \"%d\", sign[k]; print \"\" }"'
	assert_output 1111
}

@test "negating the data keeps the directions and negates the scores" {
	sample_data 8
	mat-print < data.mat | negate | mat-from-text > neg.mat
	ml-pca -q -k 3 --components c1.mat --scores s1.mat < data.mat > /dev/null
	ml-pca -q -k 3 --components c2.mat --scores s2.mat < neg.mat > /dev/null
	close "$(maxdiff <(mat-print < c1.mat) <(mat-print < c2.mat))" 0 1e-12
	close "$(maxdiff <(mat-print < s1.mat) <(mat-print < s2.mat | negate))" 0 1e-12
}

@test "SVD and covariance eigenvectors give the same PCA" {
	sample_data 10
	for k in 1 3 6; do
		ml-pca -q -k $k --components c1.mat --scores s1.mat --variance v1.mat < data.mat | mat-print > y1.txt
		ml-pca -q -k $k --method eig --components c2.mat --scores s2.mat --variance v2.mat < data.mat | mat-print > y2.txt
		# separated eigenvalues: the two routes agree to ~1e-15 relative; allow 1e-10
		close "$(maxdiff y1.txt y2.txt)" 0 1e-10
		close "$(maxdiff <(mat-print < c1.mat) <(mat-print < c2.mat))" 0 1e-10
		close "$(maxdiff <(mat-print < s1.mat) <(mat-print < s2.mat))" 0 1e-10
		close "$(maxdiff <(mat-print < v1.mat) <(mat-print < v2.mat))" 0 1e-10
	done
}

@test "K = min(rows, columns) gives the input back to rounding" {
	sample_data 8
	ml-pca -q -k 6 --variance v.mat < data.mat | mat-print > y.txt
	# entries ~4; the reconstruction is a sum of 6 products: rounding ~1e-14
	close "$(maxdiff y.txt data.txt)" 0 1e-12
	# all the variance is explained
	close "$(mat-print < v.mat | awk '{ s += $2 } END { print s }')" 1 1e-12
	# more rows than columns: 6 x 4, K = 4
	sample_data 4
	ml-pca -q -k 4 < data.mat | mat-print > y.txt
	close "$(maxdiff y.txt data.txt)" 0 1e-12
}

@test "ml-pca output is deterministic, and names and shapes are as documented" {
	sample_data 8
	ml-pca -q -k 2 --scores s.mat --components c.mat --variance v.mat < data.mat > y1.mat
	ml-pca -q -k 2 < data.mat | cmp - y1.mat
	ml-pca -q -k 2 --method eig < data.mat | cmp - <(ml-pca -q -k 2 --method eig < data.mat)
	[ "$(head -n 1 y1.mat)" = 'LMAT 1 f64 6 8 pca_k2' ]
	run -0 bash -c 'cat s.mat c.mat v.mat | mat-print --info'
	assert_output $'# scores 8 2 f64\n# components 6 2 f64\n# variance 2 2 f64'
}

@test "PCA of the mean-imputed MovieLens matrix at K = 500 gives the matrix back" {
	require_data ml-100k/ua.base
	command -v ml-load > /dev/null && command -v ml-impute > /dev/null ||
		skip "ml-load or ml-impute is not built"
	ml-load --top 500 < "$DATA/ml-100k/ua.base" | ml-impute --mean > imputed.mat
	ml-pca -q -k 500 < imputed.mat | mat-print > y.txt
	# ratings 1..5; each entry sums 500 products: rounding ~1e-13
	close "$(maxdiff y.txt <(mat-print < imputed.mat))" 0 1e-11
}

@test "a write error on standard output is reported and leaves no side file" {
	mat f64 X "1 0 2\n0 1 1" > x.mat
	run -1 --separate-stderr bash -c 'ml-pca -k 1 --scores s.mat < x.mat > /dev/full'
	[[ $stderr == "ml-pca: error writing standard output"* ]]
	[ ! -e s.mat ]
	run -1 --separate-stderr bash -c 'ml-pca -k 1-2 --scores s.mat < x.mat > /dev/full'
	[[ $stderr == "ml-pca: error writing standard output"* ]]
	[ ! -e s.mat ]
}

@test "ml-pca refuses finite values whose sum of squares overflows, instead of writing NaN" {
	run -1 --separate-stderr bash -c 'mat f64 X "1 1e300 3\n2 -1e300 4\n5 1 0" | ml-pca -k 1'
	[ -z "$output" ]
	[ "$stderr" = "ml-pca: the values are too large: their sum of squares overflows double precision" ]
}

@test "ml-pca --method eig survives eigenvalues tied at the K boundary (dsyevr's W holds N values)" {
	# Constant rows centre to zero: every eigenvalue of the covariance is 0, all tied,
	# and the reconstruction is the row means, i.e. the input itself.
	run -0 bash -c 'set -o pipefail; mat f64 X "0 0\n1 1\n2 2\n3 3" | ml-pca -q -k 1 --method eig | mat-print'
	assert_output $'0\t0\n1\t1\n2\t2\n3\t3'
	run -0 bash -c 'set -o pipefail; mat f64 X "1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1" | ml-pca -q -k 2 --method eig | mat-print --info'
	assert_output '# pca_k2 4 4 f64'
}

@test "ml-pca refuses a second matrix or trailing bytes on standard input" {
	mat f64 X "1 0 2\n0 1 1" > x.mat
	run -1 --separate-stderr bash -c 'cat x.mat x.mat | ml-pca -k 1 --scores s.mat'
	[ -z "$output" ]
	[ "$stderr" = "ml-pca: standard input: unexpected extra matrix 'X'" ]
	[ ! -e s.mat ]
	run -1 --separate-stderr bash -c '{ cat x.mat; printf garbage; } | ml-pca -k 1'
	[ -z "$output" ]
	[[ $stderr == "ml-pca: standard input: trailing data: "* ]]
}

@test "--method eig refuses a tall input whose covariance would outgrow the data, before reading it" {
	# only a header: the refusal comes before the payload is read
	run -1 --separate-stderr bash -c "printf 'LMAT 1 f64 50000 2 X\n' | ml-pca -k 1 --method eig"
	[ -z "$output" ]
	[ "$stderr" = "ml-pca: --method eig: the eig route would build a 50000 x 50000 covariance (20 GB) from 50000 x 2 data: use the SVD route" ]
	# a short wide input still takes the eig route (the covariance is the smaller side)
	run -0 bash -c 'set -o pipefail; mat f64 X "1 0 2\n0 1 1" | ml-pca -q -k 1 --method eig | mat-print --info'
	assert_output '# pca_k1 2 3 f64'
}

@test "one path for two side files, or an empty path, is misuse" {
	run -2 --separate-stderr ml-pca -k 2 --scores s.mat --components s.mat < /dev/null
	[ -z "$output" ]
	[[ $stderr == "ml-pca: --scores and --components name the same file 's.mat'"* ]]
	run -2 --separate-stderr ml-pca -k 2 --components v.mat --variance v.mat < /dev/null
	[[ $stderr == "ml-pca: --components and --variance name the same file 'v.mat'"* ]]
	run -2 --separate-stderr ml-pca -k 2 --scores '' < /dev/null
	[[ $stderr == "ml-pca: --scores: the file name is empty"* ]]
	run -2 --separate-stderr ml-pca -k 2 --variance '' < /dev/null
	[[ $stderr == "ml-pca: --variance: the file name is empty"* ]]
	[ ! -e s.mat ]
}

@test "the fraction of variance survives tiny values and never exceeds 1" {
	# 1e-300 times rows (1 2 3), (4 1 7): centred (-1 0 1), (0 -3 3), covariance
	# [[1, 1.5], [1.5, 9]] times 1e-600 (which underflows to 0 in double), total 10, top
	# eigenvalue (10 + sqrt(73)) / 2: fraction (10 + sqrt(73)) / 20
	run -0 --separate-stderr bash -c "printf '1e-300 2e-300 3e-300\n4e-300 1e-300 7e-300\n' | mat-from-text | ml-pca -k 1 --variance v.mat > /dev/null"
	[[ $stderr == *"92.72% of the variance"* ]]
	# a 2 x 2 eigenproblem on numbers of size 10: rounding ~1e-15
	close "$(mat-print < v.mat | cut -f 2)" "$(awk 'BEGIN { printf "%.17g", (10 + sqrt(73)) / 20 }')" 1e-14
	# one row: the single direction holds all of the variance, exactly 1
	rm v.mat
	run -0 bash -c "printf '1 2 3\n' | mat-from-text | ml-pca -q -k 1 --variance v.mat > /dev/null"
	[ "$(mat-print < v.mat | cut -f 2)" = 1 ]
}
