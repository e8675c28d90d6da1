bats_require_minimum_version 1.5.0
load helper

# Factor analysis by EM (lib/fa). Synthetic data come from fa-sample and the 6 x 2 model
# in fixtures/fa_model_6x2.txt; independent checks are written in awk below.

# The exact observed-data log-likelihood sum_i log N(x_i^o | m_o, W_o W_o^T + Psi_o),
# computed the slow, direct way: each user's full covariance, Gaussian elimination with
# partial pivoting for its determinant and for C^-1 r. No determinant lemma, no Woodbury.
# Input: the model (mat-print --header), then the data (mat-print).
LL_AWK='
FNR == 1 { f++ }
f == 1 && /^#/ { name = $2; r = 0; next }
f == 1 && name == "W" { r++; K = NF; for (k = 1; k <= NF; k++) W[r, k] = $k; next }
f == 1 && name == "mean" { r++; mu[r] = $1; next }
f == 1 && name == "psi" { r++; psi[r] = $1; next }
f == 2 { M = FNR; N = NF; for (i = 1; i <= NF; i++) X[FNR, i] = $i }
function abs(x) { return x < 0 ? -x : x }
END {
	for (i = 1; i <= N; i++) {
		n = 0
		for (j = 1; j <= M; j++) if (X[j, i] != "nan") o[++n] = j
		if (n == 0) continue
		for (a = 1; a <= n; a++) {
			for (b = 1; b <= n; b++) {
				c = (a == b) ? psi[o[a]] : 0
				for (k = 1; k <= K; k++) c += W[o[a], k] * W[o[b], k]
				C[a, b] = c
			}
			C[a, n + 1] = X[o[a], i] - mu[o[a]]; rr[a] = C[a, n + 1]
		}
		logdet = 0
		for (p = 1; p <= n; p++) {
			piv = p
			for (a = p + 1; a <= n; a++) if (abs(C[a, p]) > abs(C[piv, p])) piv = a
			if (piv != p) for (b = 1; b <= n + 1; b++) { t = C[p, b]; C[p, b] = C[piv, b]; C[piv, b] = t }
			logdet += log(abs(C[p, p]))
			for (a = p + 1; a <= n; a++) {
				fct = C[a, p] / C[p, p]
				for (b = p; b <= n + 1; b++) C[a, b] -= fct * C[p, b]
			}
		}
		quad = 0
		for (a = n; a >= 1; a--) {
			s = C[a, n + 1]
			for (b = a + 1; b <= n; b++) s -= C[a, b] * sol[b]
			sol[a] = s / C[a, a]; quad += rr[a] * sol[a]
		}
		ll += -0.5 * (n * log(2 * 3.14159265358979323846) + logdet + quad)
	}
	printf "%.17g\n", ll
}'

# W W^T + diag(psi) of a model (mat-print --header), one row per line.
COV_AWK='
/^#/ { name = $2; r = 0; next }
name == "W" { r++; K = NF; for (k = 1; k <= NF; k++) W[r, k] = $k; M = r }
name == "psi" { r++; psi[r] = $1 }
END {
	for (i = 1; i <= M; i++) {
		line = ""
		for (j = 1; j <= M; j++) {
			c = (i == j) ? psi[i] : 0
			for (k = 1; k <= K; k++) c += W[i, k] * W[j, k]
			line = line (j > 1 ? "\t" : "") c
		}
		print line
	}
}'

# Every line of a --loglik file at least the one before, up to tol; prints offenders.
MONOTONE_AWK='NR > 1 && $2 < prev - tol { printf "iteration %d: %.17g < %.17g\n", $1, $2, prev; bad = 1 }
	{ prev = $2 } END { exit bad }'

true_model() {
	mat-from-text < "$FIX/fa_model_6x2.txt" > true.mat
}

# The MovieLens training matrix (500 movies x 943 users), if the data and ml-load are there.
real_train() {
	require_data ml-100k/ua.base
	command -v ml-load > /dev/null || skip "ml-load is not built"
	ml-load --top 500 < "$DATA/ml-100k/ua.base" > train.mat
}

@test "ml-faem --help prints usage to stdout and exits 0" {
	run -0 ml-faem --help
	assert_line --index 0 --partial 'Usage: ml-faem -k K'
	assert_output --partial '--iterations N'
	run -0 ml-faem --version
	assert_output --partial 'ml-faem'
}

@test "ml-faem rejects misuse with exit 2 before reading input" {
	run -2 ml-faem --bogus
	run -2 --separate-stderr ml-faem < /dev/null
	[ "$stderr" = "$(printf "ml-faem: -k K is required (or --start FILE)\nTry 'ml-faem --help' for more information.")" ]
	run -2 --separate-stderr ml-faem -k 0
	[[ $stderr == "ml-faem: -k '0' is out of range [1, 100]"* ]]
	run -2 --separate-stderr ml-faem -k 2 --init magic
	[[ $stderr == "ml-faem: --init 'magic' is not random or pca"* ]]
	run -2 --separate-stderr ml-faem -k 2 --verbose --quiet
	[[ $stderr == "ml-faem: --verbose and --quiet contradict each other"* ]]
	run -2 --separate-stderr ml-faem -k 2 --init pca --seed 3
	[[ $stderr == "ml-faem: --init pca draws no random numbers"* ]]
	run -2 --separate-stderr ml-faem --start m.mat --seed 3
	[[ $stderr == "ml-faem: --start replaces the initialisation"* ]]
	run -2 ml-faem -k 2 --tol -1
	run -2 ml-faem -k 2 --iterations x
}

@test "ml-faem refuses more factors than rows, after the header and before any output" {
	mat f64 X "1 2 3\n4 nan 6" > x.mat
	run -1 --separate-stderr ml-faem -k 3 < x.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-faem: -k 3 exceeds the 2 rows (movies) of the input" ]
}

@test "ml-faem refuses an infinite entry and a broken stream" {
	mat f64 X "1 2 3\n4 inf 6" > x.mat
	run -1 --separate-stderr ml-faem -k 1 < x.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-faem: standard input: entry (2, 2) is infinite" ]
	printf 'LMAT 1 f64 2 2 X\n1234' > short.mat
	run -1 --separate-stderr ml-faem -k 1 < short.mat
	[ -z "$output" ]
	[[ $stderr == "ml-faem: standard input: short payload"* ]]
	run -1 --separate-stderr ml-faem -k 1 < /dev/null
	[ "$stderr" = "ml-faem: standard input: no matrix (empty stream)" ]
}

@test "the reported log-likelihood equals a direct full-covariance computation" {
	true_model
	fa-sample -n 40 --missing 0.3 --seed 3 < true.mat > x.mat
	run -0 ml-faem -q -k 2 -i 20 --model fit.mat --loglik ll.txt < x.mat
	# The tool's last line is the log-likelihood of the model it wrote.
	want=$(awk "$LL_AWK" <(mat-print --header < fit.mat) <(mat-print < x.mat))
	got=$(tail -n 1 ll.txt | cut -f 2)
	# about 200 terms summed, each correct to ~1e-15 relative: 1e-9 absolute is ample
	close "$got" "$want" 1e-9
	# and at the starting point (iteration 0), for the true parameters too
	run -0 ml-faem -q --start true.mat -i 0 --loglik t.txt < x.mat
	close "$(cut -f 2 t.txt)" "$(awk "$LL_AWK" <(mat-print --header < true.mat) <(mat-print < x.mat))" 1e-9
}

@test "EM never decreases the log-likelihood on synthetic data, iteration by iteration" {
	true_model
	fa-sample -n 500 --missing 0.4 --seed 11 < true.mat > x.mat
	for k in 1 2 3; do
		run -0 ml-faem -q -k "$k" -i 60 --seed "$k" --loglik ll.txt < x.mat
		[ "$(wc -l < ll.txt)" -eq 61 ]
		# |loglik| ~ 3e3 summed from ~2e3 terms: rounding stays far below 1e-8
		run awk -v tol=1e-8 "$MONOTONE_AWK" ll.txt
		assert_success
	done
	# The same check on a model with every psi far off: the increases must be real.
	run -0 ml-faem -q -k 2 -i 30 --init-scale 3 --loglik ll.txt < x.mat
	run awk -v tol=1e-8 "$MONOTONE_AWK" ll.txt
	assert_success
	[ "$(awk 'NR == 1 { a = $2 } END { print ($2 - a > 100) }' ll.txt)" = 1 ]
}

@test "EM never decreases the log-likelihood on the MovieLens ratings, iteration by iteration" {
	real_train
	run -0 ml-faem -q -k 5 -i 100 --loglik ll.txt < train.mat
	# |loglik| ~ 9e4 from 7e4 terms: rounding ~1e-10 relative at most
	run awk -v tol=1e-5 "$MONOTONE_AWK" ll.txt
	assert_success
}

@test "EM recovers W W^T + Psi of the model that generated the data" {
	true_model
	fa-sample -n 3000 --missing 0.2 --seed 5 < true.mat > x.mat
	run -0 ml-faem -q -k 2 -i 200 --model fit.mat --loglik fit.txt < x.mat
	# Sampling error of a covariance entry is about sqrt((C_ii C_jj + C_ij^2) / n), with
	# n ~ 2000 users seeing both movies and C up to 1.3: <= 0.04. Allow 0.1.
	run -0 bash -c "paste <(mat-print --header < fit.mat | awk '$COV_AWK') \
		<(mat-print --header < true.mat | awk '$COV_AWK') |
		awk '{ n = NF / 2; for (i = 1; i <= n; i++) { d = \$i - \$(i + n);
			if (d < 0) d = -d; if (d > m) m = d } } END { print m }'"
	echo "max |C_fit - C_true| = $output"
	[ "$(awk -v m="$output" 'BEGIN { print (m < 0.1) }')" = 1 ]
	# ... and the maximum likelihood fit is at least as likely as the truth
	run -0 ml-faem -q --start true.mat -i 0 --loglik truth.txt < x.mat
	fitted=$(tail -n 1 fit.txt | cut -f 2)
	truth=$(cut -f 2 truth.txt)
	echo "fitted $fitted, truth $truth"
	[ "$(awk -v f="$fitted" -v t="$truth" 'BEGIN { print (t <= f) }')" = 1 ]
}

@test "the posterior mean of a one-factor model matches its closed form" {
	true_model
	fa-sample -n 30 --missing 0.3 --seed 9 < true.mat > x.mat
	run -0 ml-faem -q -k 1 -i 15 --model fit.mat < x.mat
	# K = 1: E[z_i] = sum_j w_j r_ij / psi_j / (1 + sum_j w_j^2 / psi_j), r = x - m
	run -0 bash -c '
		awk "FNR == 1 { f++ } f == 1 && /^#/ { name = \$2; r = 0; next }
		f == 1 && name == \"W\" { w[++r] = \$1 } f == 1 && name == \"mean\" { m[++r] = \$1 }
		f == 1 && name == \"psi\" { p[++r] = \$1 } f == 1 && name == \"codes\" { z[++r] = \$1 }
		f == 2 { for (i = 1; i <= NF; i++) if (\$i != \"nan\") {
			q[i] += w[FNR] * (\$i - m[FNR]) / p[FNR]; a[i] += w[FNR] * w[FNR] / p[FNR] } n = NF }
		END { for (i = 1; i <= n; i++) { d = q[i] / (1 + a[i]) - z[i]; if (d < 0) d = -d
			if (d > dmax) dmax = d } print dmax }" \
			<(mat-print --header < fit.mat) <(mat-print < x.mat)'
	# a handful of terms of size ~10: rounding ~1e-14
	close "$output" 0 1e-12
}

@test "the prediction is W E[z] + mean, entry by entry, from the written model" {
	true_model
	fa-sample -n 25 --missing 0.5 --seed 4 < true.mat > x.mat
	run -0 bash -c 'ml-faem -q -k 2 -i 10 --model fit.mat < x.mat | mat-print > pred.txt'
	run -0 bash -c '
		awk "FNR == 1 { f++ } f == 1 && /^#/ { name = \$2; r = 0; next }
		f == 1 && name == \"W\" { r++; W[r, 1] = \$1; W[r, 2] = \$2 }
		f == 1 && name == \"mean\" { m[++r] = \$1 }
		f == 1 && name == \"codes\" { r++; z[r, 1] = \$1; z[r, 2] = \$2 }
		f == 2 { for (i = 1; i <= NF; i++) { d = \$i - (m[FNR] + W[FNR, 1] * z[i, 1] + W[FNR, 2] * z[i, 2])
			if (d < 0) d = -d; if (d > dmax) dmax = d } }
		END { print dmax }" <(mat-print --header < fit.mat) pred.txt'
	close "$output" 0 1e-12
}

@test "the model stream holds model:fa, W, mean, psi, codes and cov in that order" {
	true_model
	fa-sample -n 7 --seed 1 < true.mat > x.mat
	run -0 ml-faem -q -k 2 -i 3 --model fit.mat < x.mat
	run -0 mat-print --info < fit.mat
	assert_output $'# model:fa 1 1 f64\n# W 6 2 f64\n# mean 6 1 f64\n# psi 6 1 f64\n# codes 7 2 f64\n# cov 14 2 f64'
	run -0 bash -c 'ml-faem -q -k 2 -i 3 < x.mat | head -n 1'
	assert_output 'LMAT 1 f64 6 7 fa_k2'
}

@test "a user with no rating gets code 0, covariance I and the movie means as prediction" {
	mat f64 X "1 nan 2 3\n2 nan 3 5\n4 nan 1 1" > x.mat
	run -0 bash -c 'ml-faem -q -k 1 -i 5 --model fit.mat < x.mat | mat-print > pred.txt'
	[ "$(mat-print --name codes < fit.mat | sed -n 2p)" = 0 ]
	[ "$(mat-print --name cov < fit.mat | sed -n 2p)" = 1 ]
	run -0 bash -c 'paste <(cut -f 2 pred.txt) <(mat-print --name mean < fit.mat) | awk "\$1 != \$2"'
	assert_output ''
}

@test "a movie with a single rating and a movie with none leave EM finite and monotone" {
	mat f64 X "1 2 2 3 5 4\n2 1 3 4 5 3\nnan nan 4 nan nan nan\nnan nan nan nan nan nan\n3 3 1 2 1 2" > x.mat
	run -0 --separate-stderr ml-faem -k 1 -i 50 --loglik ll.txt < x.mat
	assert_equal "$(grep -c nan ll.txt)" 0
	[[ $stderr == *"ml-faem: 1 of 5 rows have no observed entry: EM leaves their W, mean and psi at the starting values"* ]]
	run awk -v tol=1e-9 "$MONOTONE_AWK" ll.txt
	assert_success
	run -0 bash -c 'ml-faem -q -k 1 -i 50 < x.mat 2> /dev/null | mat-print > pred.txt'
	run -1 grep -e nan -e inf pred.txt
}

@test "collapsing noise variances stop at the floor, and the floor is reported" {
	# rows 1 and 2 are identical: one factor explains them exactly, so psi -> 0
	mat f64 X "1 2 4 3 5 2\n1 2 4 3 5 2\n3 1 2 2 4 1" > x.mat
	run -0 --separate-stderr ml-faem -k 1 -i 200 --min-var 0.01 --model fit.mat < x.mat
	[[ $stderr == *"ml-faem: 2 of 3 noise variances psi reached the floor --min-var 0.01"* ]]
	run -0 bash -c 'mat-print --name psi < fit.mat | head -n 2'
	assert_output $'0.01\n0.01'
}

@test "non-finite arithmetic stops with an error naming the iteration" {
	mat f64 X "1 2\n3 4" > x.mat
	{ mat f64 W "1e200\n1e200"; mat f64 mean "0\n0"; mat f64 psi "1e-300\n1e-300"; } > bad.mat
	run -1 --separate-stderr ml-faem --start bad.mat < x.mat
	[ -z "$output" ]
	[[ $stderr == "ml-faem: iteration 0: "* ]]
}

@test "--start checks the shapes of the model against the input and -k" {
	true_model
	fa-sample -n 5 < true.mat > x.mat
	mat f64 X "1 2\n3 4" > small.mat
	run -1 --separate-stderr ml-faem --start true.mat < small.mat
	[ "$stderr" = "ml-faem: true.mat: W has 6 rows but the input has 2" ]
	run -1 --separate-stderr ml-faem -k 3 --start true.mat < x.mat
	[ "$stderr" = "ml-faem: -k 3 disagrees with the 2 columns of W in true.mat" ]
	run -1 --separate-stderr ml-faem --start missing.mat < x.mat
	[ "$stderr" = "ml-faem: cannot open 'missing.mat': No such file or directory" ]
}

@test "the same seed gives identical bytes and different seeds differ" {
	true_model
	fa-sample -n 50 --missing 0.3 < true.mat > x.mat
	ml-faem -q -k 2 -i 10 --model a1.mat < x.mat > p1.mat
	ml-faem -q -k 2 -i 10 --model a2.mat < x.mat > p2.mat
	cmp p1.mat p2.mat
	cmp a1.mat a2.mat
	ml-faem -q -k 2 -i 10 --seed 42 < x.mat | cmp - p1.mat
	run -1 cmp -s p1.mat <(ml-faem -q -k 2 -i 10 --seed 43 < x.mat)
	# the PCA start uses no randomness: two runs agree
	cmp <(ml-faem -q -k 2 -i 10 --init pca < x.mat) <(ml-faem -q -k 2 -i 10 --init pca < x.mat)
}

@test "--verbose prints one line per iteration and --quiet prints nothing" {
	true_model
	fa-sample -n 20 < true.mat > x.mat
	run -0 --separate-stderr ml-faem -v -k 1 -i 4 < x.mat
	[ "$(grep -c '^ml-faem: iteration [0-9]* loglik ' <<< "$stderr")" -eq 5 ]
	run -0 --separate-stderr ml-faem -q -k 1 -i 4 < x.mat
	[ -z "$stderr" ]
}

@test "--tol stops once the log-likelihood stops rising" {
	true_model
	fa-sample -n 200 < true.mat > x.mat
	run -0 ml-faem -q -k 2 -i 1000 --tol 1e-6 --loglik ll.txt < x.mat
	n=$(wc -l < ll.txt)
	[ "$n" -lt 1000 ]
	# the last step rose by at most 1e-6 |loglik|, the one before by more
	run -0 awk '{ l[NR] = $2 } END { a = l[NR] - l[NR - 1]; b = l[NR - 1] - l[NR - 2]
		t = 1e-6 * (l[NR] < 0 ? -l[NR] : l[NR]); print (a <= t && b > 1e-6 * -l[NR - 1]) }' ll.txt
	assert_output 1
}

@test "a write error on standard output is reported and leaves no model file" {
	true_model
	fa-sample -n 5 < true.mat > x.mat
	run -1 --separate-stderr bash -c 'ml-faem -q -k 1 -i 2 --model m.mat < x.mat > /dev/full'
	[[ $stderr == "ml-faem: "*"standard output"* ]]
	[ ! -e m.mat ]
}

@test "ml-faem refuses a second matrix or trailing bytes on standard input" {
	true_model
	fa-sample -n 5 < true.mat > x.mat
	run -1 --separate-stderr bash -c 'cat x.mat x.mat | ml-faem -k 1 -i 0 --model m.mat'
	[ -z "$output" ]
	[[ $stderr == "ml-faem: standard input: unexpected extra matrix '"* ]]
	[ ! -e m.mat ]
	run -1 --separate-stderr bash -c '{ cat x.mat; printf garbage; } | ml-faem -k 1 -i 0'
	[ -z "$output" ]
	[[ $stderr == "ml-faem: standard input: trailing data: "* ]]
}

@test "--start reads W, mean and psi in any order and the model to its end" {
	true_model
	fa-sample -n 9 --missing 0.2 --seed 2 < true.mat > x.mat
	ml-faem -q -i 0 --start true.mat < x.mat > want.mat
	# the same parts, psi first: the same evaluation, byte for byte
	{ mat-print --header --name psi < true.mat; mat-print --header --name W < true.mat
	  mat-print --header --name mean < true.mat; } | mat-from-text > swapped.mat
	ml-faem -q -i 0 --start swapped.mat < x.mat | cmp - want.mat
	# a model that --model wrote starts a run too
	ml-faem -q -k 2 -i 2 --model fit.mat < x.mat > /dev/null
	run -0 ml-faem -q -i 0 --start fit.mat < x.mat
	# truncated, garbage-tailed, doubled, missing a part, or of another kind: refused
	head -c $(( $(stat -c%s fit.mat) - 10 )) fit.mat > short.mat
	run -1 --separate-stderr ml-faem -i 0 --start short.mat < x.mat
	[ -z "$output" ]
	[[ $stderr == "ml-faem: short.mat: short payload"* ]]
	{ cat fit.mat; printf garbage; } > tail.mat
	run -1 --separate-stderr ml-faem -i 0 --start tail.mat < x.mat
	[[ $stderr == "ml-faem: tail.mat: not a matrix stream"* ]]
	cat true.mat true.mat > twice.mat
	run -1 --separate-stderr ml-faem -i 0 --start twice.mat < x.mat
	[ "$stderr" = "ml-faem: twice.mat: a second matrix named 'W'" ]
	mat-print --header --name W < true.mat | mat-from-text > w.mat
	run -1 --separate-stderr ml-faem -i 0 --start w.mat < x.mat
	[ "$stderr" = "ml-faem: w.mat: no matrix named 'mean'" ]
	{ mat f64 model:ppca 1; cat true.mat; } > ppca.mat
	run -1 --separate-stderr ml-faem -i 0 --start ppca.mat < x.mat
	[ "$stderr" = "ml-faem: ppca.mat: a 'ppca' model, not model:fa" ]
	{ mat f64 model:fa 2; cat true.mat; } > v2.mat
	run -1 --separate-stderr ml-faem -i 0 --start v2.mat < x.mat
	[ "$stderr" = "ml-faem: v2.mat: model:fa version 2, this program reads version 1" ]
	{ cat true.mat; mat f64 codes "1 2 3"; mat f64 cov "1\n2\n3"; } > codes.mat
	run -1 --separate-stderr ml-faem -i 0 --start codes.mat < x.mat
	[ "$stderr" = "ml-faem: codes.mat: codes (1 x 3) and cov (3 x 1) do not fit W's K = 2" ]
	{ cat true.mat; mat f64 psi "1\n1\n1\n1\n1" ; } > psi5.mat
	run -1 --separate-stderr ml-faem -i 0 --start psi5.mat < x.mat
	[ "$stderr" = "ml-faem: psi5.mat: a second matrix named 'psi'" ]
	{ mat-print --header --name W < true.mat; mat-print --header --name mean < true.mat
	  printf '# psi 5 1 f64\n1\n1\n1\n1\n1\n'; } | mat-from-text > psi5.mat
	run -1 --separate-stderr ml-faem -i 0 --start psi5.mat < x.mat
	[ "$stderr" = "ml-faem: psi5.mat: 'psi' is 5 x 1, but W has 6 rows (expected 6 x 1)" ]
}

@test "--init pca on a tall input takes the SVD route, not a huge covariance" {
	# 8000 x 3: an eigen-solve would need an 8000 x 8000 covariance (512 MB). 300 MB of
	# address space is ample for the SVD route (OpenBLAS itself spins, rather than fail,
	# below about 200 MB, so the limit cannot be much tighter).
	awk 'BEGIN { srand(2); for (i = 0; i < 8000; i++) print rand(), rand(), rand() }' | mat-from-text > tall.mat
	run -0 --separate-stderr bash -c 'set -o pipefail; memlimit 300000; ml-faem -k 1 -i 2 --init pca < tall.mat | mat-print --info'
	assert_output '# fa_k1 8000 3 f64'
}

@test "an unwritable --model or --loglik fails before any work is done" {
	true_model
	fa-sample -n 5 < true.mat > x.mat
	# a broken input would be reported first if the side files were opened after it
	run -1 --separate-stderr bash -c 'printf garbage | ml-faem -k 1 --model nowhere/m.mat'
	[ -z "$output" ]
	[ "$stderr" = "ml-faem: cannot write 'nowhere/m.mat': No such file or directory" ]
	run -1 --separate-stderr bash -c 'printf garbage | ml-faem -k 1 --loglik nowhere/l.txt'
	[ "$stderr" = "ml-faem: cannot write 'nowhere/l.txt': No such file or directory" ]
}

@test "one path for two outputs, or an empty path, is misuse" {
	run -2 --separate-stderr ml-faem -k 2 --model x.mat --loglik x.mat < /dev/null
	[ -z "$output" ]
	[[ $stderr == "ml-faem: --model and --loglik name the same file 'x.mat'"* ]]
	run -2 --separate-stderr ml-faem -k 2 --model '' < /dev/null
	[[ $stderr == "ml-faem: --model: the file name is empty"* ]]
	run -2 --separate-stderr ml-faem -k 2 --loglik '' < /dev/null
	[[ $stderr == "ml-faem: --loglik: the file name is empty"* ]]
	run -2 --separate-stderr ml-faem --start '' < /dev/null
	[[ $stderr == "ml-faem: --start: the file name is empty"* ]]
	[ ! -e x.mat ]
}
