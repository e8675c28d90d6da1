bats_require_minimum_version 1.5.0
load helper

true_model() {
	mat-from-text < "$FIX/fa_model_6x2.txt" > true.mat
}

@test "fa-sample --help prints usage to stdout and exits 0" {
	run -0 fa-sample --help
	assert_line --index 0 --partial 'Usage: fa-sample -n N'
	run -0 fa-sample --version
}

@test "fa-sample rejects misuse with exit 2" {
	run -2 fa-sample --bogus
	run -2 --separate-stderr fa-sample < /dev/null
	[[ $stderr == "fa-sample: -n N is required"* ]]
	run -2 --separate-stderr fa-sample -n 0
	[[ $stderr == "fa-sample: --users '0' is out of range"* ]]
	run -2 --separate-stderr fa-sample -n 5 --missing 1
	[[ $stderr == "fa-sample: --missing '1' is out of range"* ]]
	run -2 fa-sample -n 5 --seed -1
}

@test "fa-sample refuses a model with a missing part, bad shapes or a negative variance" {
	mat f64 W "1\n2" > w.mat
	run -1 --separate-stderr fa-sample -n 3 < w.mat
	[ -z "$output" ]
	[ "$stderr" = "fa-sample: standard input: no matrix named 'mean'" ]
	{ mat f64 W "1\n2"; mat f64 mean "0\n0\n0"; mat f64 psi "1\n1"; } > bad.mat
	run -1 --separate-stderr fa-sample -n 3 < bad.mat
	[ "$stderr" = "fa-sample: standard input: 'mean' is 3 x 1, but W has 2 rows (expected 2 x 1)" ]
	{ mat f64 W "1\n2"; mat f64 mean "0\n0"; mat f64 psi "1\n-1"; } > neg.mat
	run -1 --separate-stderr fa-sample -n 3 < neg.mat
	[ "$stderr" = "fa-sample: standard input: psi (2, 1) is -1; variances must be finite and >= 0" ]
}

@test "fa-sample writes an M x N matrix named X, the same bytes for the same seed" {
	true_model
	run -0 bash -c 'fa-sample -n 9 < true.mat | head -n 1'
	assert_output 'LMAT 1 f64 6 9 X'
	fa-sample -n 9 < true.mat > a.mat
	fa-sample -n 9 --seed 42 < true.mat | cmp - a.mat
	run -1 cmp -s a.mat <(fa-sample -n 9 --seed 43 < true.mat)
}

@test "with psi = 0 and W = 0 every sample is the mean exactly" {
	{ mat f64 W "0 0\n0 0\n0 0"; mat f64 mean "1\n-2\n3.5"; mat f64 psi "0\n0\n0"; } > m.mat
	run -0 bash -c 'fa-sample -n 3 < m.mat | mat-print'
	assert_output $'1\t1\t1\n-2\t-2\t-2\n3.5\t3.5\t3.5'
}

@test "sample means and covariances match mean and W W^T + Psi" {
	true_model
	fa-sample -n 20000 --seed 2 < true.mat | mat-print > x.txt
	# With n = 20000 the standard error of a mean is sqrt(C_jj / n) <= 0.009 and that of a
	# covariance sqrt((C_ii C_jj + C_ij^2) / n) <= 0.014; allow 0.05 (over 3.5 of them).
	run -0 awk '{ for (i = 1; i <= NF; i++) X[NR, i] = $i; N = NF; M = NR }
		END {
			split("3 3.5 2.5 4 3 2", mu, " ")
			W[1,1] = 1;    W[1,2] = 0;    W[2,1] = 0.8; W[2,2] = 0.4; W[3,1] = 0.6;  W[3,2] = -0.5
			W[4,1] = 0;    W[4,2] = 1;    W[5,1] = -0.5; W[5,2] = 0.7; W[6,1] = 0.3; W[6,2] = 0.3
			split("0.2 0.3 0.25 0.2 0.4 0.5", psi, " ")
			for (j = 1; j <= M; j++) { s = 0; for (i = 1; i <= N; i++) s += X[j, i]; m[j] = s / N
				d = m[j] - mu[j]; if (d < 0) d = -d; if (d > worst) worst = d }
			for (a = 1; a <= M; a++) for (b = 1; b <= M; b++) {
				s = 0; for (i = 1; i <= N; i++) s += (X[a, i] - m[a]) * (X[b, i] - m[b])
				c = W[a,1] * W[b,1] + W[a,2] * W[b,2] + (a == b ? psi[a] : 0)
				d = s / (N - 1) - c; if (d < 0) d = -d; if (d > worst) worst = d }
			print worst }' x.txt
	echo "largest deviation $output"
	[ "$(awk -v w="$output" 'BEGIN { print (w < 0.05) }')" = 1 ]
}

@test "--missing P hides about a fraction P of the entries" {
	true_model
	run -0 bash -c 'fa-sample -n 5000 --missing 0.3 < true.mat | mat-print | tr "\t" "\n" | grep -c nan'
	# 30000 coins: the count is 9000 +- sqrt(30000 0.3 0.7) = 79; allow 4 of those
	[ "$output" -gt 8684 ] && [ "$output" -lt 9316 ]
}

@test "fa-sample refuses, before writing anything, a model that can draw values beyond double precision" {
	# finding 2.5: this model wrote 233 infinities out of 2000 values with exit 0
	{ mat f64 W "1e308\n2"; mat f64 mean "1e308\n0"; mat f64 psi "1e308\n1"; } > big.mat
	run -1 --separate-stderr fa-sample -n 1000 < big.mat
	[ -z "$output" ]
	[ "$stderr" = "fa-sample: standard input: row 1 can draw values beyond double precision: |mean| + 8.6 (sqrt(psi) + sum |W|) is inf, above 1.79769e+308" ]
	# either side of the largest double, 1.798e308: the bound 1e307 + 8.6 (1 + 2e307) =
	# 1.82e308 is refused, 1e307 + 8.6 (0 + 1.9e307) = 1.734e308 accepted
	{ mat f64 W "0\n2e307"; mat f64 mean "0\n1e307"; mat f64 psi "0\n1"; } > edge.mat
	run -1 --separate-stderr fa-sample -n 1 < edge.mat
	[ "$stderr" = "fa-sample: standard input: row 2 can draw values beyond double precision: |mean| + 8.6 (sqrt(psi) + sum |W|) is inf, above 1.79769e+308" ]
	{ mat f64 W "0\n1.9e307"; mat f64 mean "0\n1e307"; mat f64 psi "0\n0"; } > below.mat
	run -0 bash -c 'fa-sample -n 100 < below.mat | mat-print | grep -c inf || true'
	assert_output 0
	# with W = 0 and psi = 0 the draws are the mean, 1e308 exactly, which is accepted
	{ mat f64 W "0"; mat f64 mean "1e308"; mat f64 psi "0"; } > mean.mat
	run -0 bash -c 'fa-sample -n 2 < mean.mat | mat-print'
	assert_output $'1e+308\t1e+308'
}

@test "fa-sample streams its output: memory does not grow with N" {
	# finding 2.6: 10 million users of a 1-row model are 80 MB, over the 60 MB cap
	{ mat f64 W "0.5 1"; mat f64 mean "3"; mat f64 psi "0.2"; } > one.mat
	run -0 bash -c 'set -o pipefail; memlimit 60000; fa-sample -n 10000000 < one.mat | wc -c'
	# the header 'LMAT 1 f64 1 10000000 X' and its newline: 24 bytes
	[ "$output" = 80000024 ]
}

@test "fa-sample written in blocks of rows and pieces of rows draws the same users as in one piece" {
	# Users are drawn in order, so the first 9 columns of -n N are -n 9, which is written
	# in one pass. N = 400001 takes two passes (rows 1-2, then row 3), N = 1100001 three
	# passes of two pieces each. K + M = 5 normals per user, so Box-Muller pairs straddle
	# users and rows, and the missing-entry coins are drawn too.
	{ mat f64 W "0.5 1\n-1 2\n0.3 0.1"; mat f64 mean "3\n1\n2"; mat f64 psi "0.2\n1\n0"; } > odd.mat
	fa-sample -n 9 --missing 0.3 < odd.mat > small.mat
	hs=$(head -n 1 small.mat | wc -c)
	for n in 400001 1100001; do
		fa-sample -n $n --missing 0.3 < odd.mat > big.mat
		hb=$(head -n 1 big.mat | wc -c)
		for j in 0 1 2; do
			cmp -n 72 -i "$(( hs + j * 72 )):$(( hb + j * n * 8 ))" small.mat big.mat
		done
	done
}

@test "fa-sample reads the parts of a model in any order and refuses anything after them" {
	{ mat f64 psi "0"; mat f64 mean "5"; mat f64 W "0"; } > any.mat
	run -0 bash -c 'set -o pipefail; fa-sample -n 2 < any.mat | mat-print'
	assert_output $'5\t5'
	{ cat any.mat; printf 'junk'; } > tail.mat
	run -1 --separate-stderr fa-sample -n 2 < tail.mat
	[ -z "$output" ]
	[ "$stderr" = "fa-sample: standard input: not a matrix stream (bad magic: expected 'LMAT')" ]
}
