bats_require_minimum_version 1.5.0
load helper

# Draw N rows from a known PPCA model with awk's own generator (Box-Muller), independent
# of lib/rng: x = W z + mean + noise, z ~ N(0, I_K), noise ~ N(0, s2 I_D).
#   ppca_draw SEED N "W row-major, rows separated by ;" "mean" s2
ppca_draw() {
	awk -v seed="$1" -v N="$2" -v Wt="$3" -v mt="$4" -v s2="$5" '
	function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
	BEGIN {
		srand(seed)
		D = split(Wt, rows, ";")
		for (i = 1; i <= D; i++) K = split(rows[i], w, " ")
		for (i = 1; i <= D; i++) { split(rows[i], w, " "); for (k = 1; k <= K; k++) W[i, k] = w[k] }
		split(mt, mu, " ")
		for (n = 0; n < N; n++) {
			for (k = 1; k <= K; k++) z[k] = gauss()
			line = ""
			for (i = 1; i <= D; i++) {
				x = mu[i] + sqrt(s2) * gauss()
				for (k = 1; k <= K; k++) x += W[i, k] * z[k]
				line = line (i > 1 ? " " : "") sprintf("%.17g", x)
			}
			print line
		}
	}'
}

@test "ppca-fit --help prints usage to stdout and exits 0" {
	run -0 ppca-fit --help
	assert_line --index 0 'Usage: ppca-fit -k K [OPTION]... < DATA > MODEL'
	run -0 ppca-fit --version
}

@test "ppca-fit rejects misuse with exit 2" {
	run -2 ppca-fit --bogus
	run -2 --separate-stderr ppca-fit < /dev/null
	[ "${stderr_lines[0]}" = "ppca-fit: missing -k K (the number of latent dimensions)" ]
	run -2 --separate-stderr ppca-fit -k 0
	[ "${stderr_lines[0]}" = "ppca-fit: -k '0' is out of range [1, 1000000]" ]
	run -2 --separate-stderr ppca-fit -k 1 extra
	[ "${stderr_lines[0]}" = "ppca-fit: unexpected operand 'extra' (the data are read from standard input)" ]
}

@test "four points on the axes give the model worked out by hand" {
	# mean 0; S = (1/4) sum x x^T = diag(2, 0.5): l1 = 2, l2 = 0.5, so with K = 1
	# sigma2 = 0.5 and W = e1 sqrt(2 - 0.5) = (sqrt(1.5), 0).
	# avg log-lik = -1/2 (2 ln 2 pi + ln 2 + ln 0.5 + 2) = -(ln 2 pi + 1) = -2.8378770664
	printf '2 0\n-2 0\n0 1\n0 -1\n' | mat-from-text > x.mat
	run -0 --separate-stderr bash -c 'ppca-fit -k 1 --loglik ll.txt < x.mat | mat-print --header'
	assert_output $'# model:ppca 1 1 f64\n1\n# mean 1 2 f64\n0\t0\n# W 2 1 f64\n1.224744871391589\n0\n# sigma2 1 1 f64\n0.5'
	close "$(cat ll.txt)" -2.8378770664093453 1e-9
	# progress: one line as each step begins, then the summary
	[[ ${stderr_lines[0]} == "ppca-fit: "*" s: covariance 2 x 2 of 4 rows" ]]
	[[ ${stderr_lines[1]} == "ppca-fit: "*" s: eigen-decomposition of the 2 x 2 covariance" ]]
	[[ ${stderr_lines[2]} == "ppca-fit: "*" s: log-likelihood" ]]
	[[ ${stderr_lines[3]} == "ppca-fit: 4 x 2, K = 1: sigma2 = 0.5, average log-likelihood -2.83788 ("* ]]
	[ "${#stderr_lines[@]}" -eq 4 ]
	run -0 --separate-stderr bash -c 'ppca-fit -q -k 1 < x.mat > /dev/null'
	[ -z "$stderr" ]
}

@test "an offset of 1e8 does not cost accuracy: the covariance is formed from centred rows" {
	# the same four points moved to (1e8, 1e8): E[x x^T] - mean mean^T would lose every
	# digit here (1e16 * 2^-52 is about 2); centred rows keep W and sigma2 exact.
	printf '100000002 100000000\n99999998 100000000\n100000000 100000001\n100000000 99999999\n' |
		mat-from-text > x.mat
	run -0 bash -c 'ppca-fit -q -k 1 < x.mat | mat-print'
	assert_output $'1\n100000000\t100000000\n1.224744871391589\n0\n0.5'
}

@test "in 2-D, W and sigma2 agree with the closed-form eigen-decomposition of a 2 x 2 covariance" {
	ppca_draw 7 400 "1.5; -0.8" "3 -1" 0.3 | mat-from-text > x.mat
	# Second algorithm: awk forms S and solves the 2 x 2 eigenproblem by the quadratic formula.
	want=$(mat-print < x.mat | awk '{ n++; a += $1; b += $2; X[n] = $1; Y[n] = $2 }
	END { a /= n; b /= n
		for (i = 1; i <= n; i++) { sxx += (X[i]-a)^2; syy += (Y[i]-b)^2; sxy += (X[i]-a)*(Y[i]-b) }
		sxx /= n; syy /= n; sxy /= n
		m = (sxx + syy) / 2; r = sqrt(((sxx - syy) / 2)^2 + sxy^2); l1 = m + r; l2 = m - r
		vx = sxy; vy = l1 - sxx; len = sqrt(vx^2 + vy^2); vx /= len; vy /= len
		if ((vx < 0 ? -vx : vx) >= (vy < 0 ? -vy : vy) ? vx < 0 : vy < 0) { vx = -vx; vy = -vy }
		printf "%.12g %.12g %.12g %.12g %.12g\n", a, b, vx * sqrt(l1 - l2), vy * sqrt(l1 - l2), l2 }')
	got=$(ppca-fit -q -k 1 < x.mat | mat-print | awk 'NR > 1 { for (i = 1; i <= NF; i++) printf "%s ", $i }')
	read -r a b w1 w2 s2 <<< "$want"
	read -r ga gb gw1 gw2 gs2 <<< "$got"
	# both in double from the same 400 rows: agreement to ~1e-12 relative; 1e-9 allows
	# for the order of summation
	close "$ga" "$a" 1e-9; close "$gb" "$b" 1e-9
	close "$gw1" "$w1" 1e-9; close "$gw2" "$w2" 1e-9; close "$gs2" "$s2" 1e-9
}

@test "data drawn from a known model give back its sigma2, W W^T and mean" {
	W="2 0; 1 1; 0 1.5; -1 0.5"
	ppca_draw 1 20000 "$W" "5 -3 10 0" 1 | mat-from-text > x.mat
	ppca-fit -q -k 2 < x.mat | mat-print --header > model.txt
	# sigma2: the mean of 2 sample eigenvalues of 20000 rows has a standard deviation of
	# about sigma2 sqrt(2 / (20000 * 2)) = 0.007; 0.04 is over 5 of them
	close "$(awk '/^# sigma2/ { getline; print }' model.txt)" 1 0.04
	# W W^T entry by entry (W itself is fixed only up to a rotation): entries of a sample
	# covariance of 20000 rows with variances <= 6 have a standard deviation of at most
	# sqrt(2 * 36 / 20000) = 0.06; 0.3 is 5 of them, and still below sigma2 = 1, so
	# forgetting to subtract sigma2 from the eigenvalues would fail
	run -0 awk -v Wt="$W" '
		/^# W/ { inW = 1; next } /^#/ { inW = 0 }
		inW { d++; for (k = 1; k <= NF; k++) G[d, k] = $k; K = NF }
		END { D = split(Wt, rows, ";")
			for (i = 1; i <= D; i++) { split(rows[i], w, " "); for (k = 1; k <= K; k++) T[i, k] = w[k] }
			for (i = 1; i <= D; i++) for (j = 1; j <= D; j++) {
				g = t = 0
				for (k = 1; k <= K; k++) { g += G[i, k] * G[j, k]; t += T[i, k] * T[j, k] }
				e = g - t; if (e < 0) e = -e; if (e > worst) worst = e }
			printf "%d x %d, worst %.3f\n", D, K, worst; exit (worst > 0.3) }' model.txt
	# mean: standard deviation sqrt(6 / 20000) = 0.017 per entry
	read -r m1 m2 m3 m4 <<< "$(awk '/^# mean/ { getline; print }' model.txt)"
	close "$m1" 5 0.1; close "$m2" -3 0.1; close "$m3" 10 0.1; close "$m4" 0 0.1
}

# Average log-likelihood of the rows of x.mat under a 3-D model given as text
# (mean: 3 numbers, W: 3 numbers, s2), by awk: C = W W^T + s2 I inverted by its adjugate.
loglik3() {
	mat-print < x.mat | awk -v m="$1" -v w="$2" -v s2="$3" '
	BEGIN { split(m, mu, " "); split(w, W, " ")
		for (i = 1; i <= 3; i++) for (j = 1; j <= 3; j++) C[i, j] = W[i] * W[j] + (i == j) * s2
		det = C[1,1] * (C[2,2] * C[3,3] - C[2,3] * C[3,2]) - C[1,2] * (C[2,1] * C[3,3] - C[2,3] * C[3,1]) + C[1,3] * (C[2,1] * C[3,2] - C[2,2] * C[3,1])
		for (i = 1; i <= 3; i++) for (j = 1; j <= 3; j++) {
			i1 = i % 3 + 1; i2 = (i + 1) % 3 + 1; j1 = j % 3 + 1; j2 = (j + 1) % 3 + 1
			Ci[j, i] = (C[i1, j1] * C[i2, j2] - C[i1, j2] * C[i2, j1]) / det }
	}
	{ q = 0; for (i = 1; i <= 3; i++) for (j = 1; j <= 3; j++) q += ($i - mu[i]) * Ci[i, j] * ($j - mu[j]); Q += q; n++ }
	END { printf "%.12f\n", -0.5 * (3 * log(6.283185307179586) + log(det) + Q / n) }'
}

@test "the reported log-likelihood is the likelihood, and every perturbation lowers it" {
	ppca_draw 3 500 "1; 2; -1" "0.5 0 1" 0.4 | mat-from-text > x.mat
	ppca-fit -q -k 1 --loglik ll.txt < x.mat | mat-print > m.txt
	mean=$(sed -n 2p m.txt); w=$(sed -n 3,5p m.txt | tr '\n' ' '); s2=$(sed -n 6p m.txt)
	best=$(loglik3 "$mean" "$w" "$s2")
	# the model file holds the f64 parameters the tool used: agreement to rounding
	close "$(cat ll.txt)" "$best" 1e-8
	w_up=$(awk '{ for (i = 1; i <= NF; i++) printf "%.17g ", $i * 1.05 }' <<< "$w")
	w_down=$(awk '{ for (i = 1; i <= NF; i++) printf "%.17g ", $i * 0.95 }' <<< "$w")
	w_turn=$(awk '{ printf "%.17g %.17g %.17g", $1 + 0.05, $2 - 0.05, $3 }' <<< "$w")
	mean_moved=$(awk '{ printf "%.17g %.17g %.17g", $1 + 0.05, $2, $3 }' <<< "$mean")
	for args in "$mean|$w_up|$s2" "$mean|$w_down|$s2" "$mean|$w_turn|$s2" \
		"$mean|$w|$(awk -v s="$s2" 'BEGIN { print s * 1.05 }')" \
		"$mean|$w|$(awk -v s="$s2" 'BEGIN { print s * 0.95 }')" "$mean_moved|$w|$s2"; do
		IFS='|' read -r pm pw ps <<< "$args"
		other=$(loglik3 "$pm" "$pw" "$ps")
		awk -v a="$other" -v b="$best" 'BEGIN { exit !(a < b) }' ||
			{ echo "perturbed ($args) $other >= fitted $best"; false; }
	done
}

@test "f32 data give an f32 model, and the same data always give the same bytes" {
	ppca_draw 5 300 "1 0; 0 1; 1 1" "0 0 0" 0.1 | mat-from-text --type f32 > x.mat
	ppca-fit -q -k 2 < x.mat > a.mat
	ppca-fit -q -k 2 < x.mat > b.mat
	cmp a.mat b.mat
	run -0 mat-print --info < a.mat
	assert_output $'# model:ppca 1 1 f32\n# mean 1 3 f32\n# W 3 2 f32\n# sigma2 1 1 f32'
}

@test "ppca-fit refuses K >= D, a single row, and missing values" {
	printf '1 2\n3 4\n5 7\n' | mat-from-text > x.mat
	run -1 --separate-stderr ppca-fit -k 2 < x.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: -k 2 must be less than the 2 columns of the input" ]
	printf '1 2 3\n4 5 7\n' | mat-from-text > two.mat
	run -1 --separate-stderr ppca-fit -k 1 < two.mat
	[ "$stderr" = "ppca-fit: the input has 2 rows; PPCA with K = 1 needs at least K + 2 = 3 (N centred rows span at most N - 1 dimensions)" ]
	printf '1 2\nnan 4\n5 6\n' | mat-from-text > nan.mat
	run -1 --separate-stderr ppca-fit -k 1 < nan.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: row 2, column 1 is nan: PPCA needs complete, finite data" ]
}

@test "ppca-fit refuses data that span only K dimensions (sigma2 would be 0)" {
	printf '1 2\n2 4\n3 6\n' | mat-from-text > line.mat
	run -1 --separate-stderr ppca-fit -q -k 1 --loglik ll.txt < line.mat
	[ -z "$output" ]
	[[ $stderr == "ppca-fit: sigma2 / l_1 = "*" is below 1e-10: the data span at most 1 dimension (to double precision), so PPCA with K = 1 is degenerate" ]]
	[ ! -e ll.txt ]
	[ -z "$(ls ll.txt.tmp.* 2>/dev/null)" ]
	# a second direction 1e-300 times as wide has a variance 1e-600 of the first: no double
	# holds that ratio (finding 8: this was "sigma^2 is -nan", an overflowed covariance)
	printf '1e300 1\n-1e300 2\n1 -3\n' | mat-from-text > wide.mat
	run -1 --separate-stderr ppca-fit -q -k 1 < wide.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: sigma2 / l_1 = 0 is below 1e-10: the data span at most 1 dimension (to double precision), so PPCA with K = 1 is degenerate" ]
	printf '1 2 3\n1 2 3\n1 2 3\n' | mat-from-text > same.mat
	run -1 --separate-stderr ppca-fit -q -k 1 < same.mat
	[ "$stderr" = "ppca-fit: all 3 rows are equal: the data span 0 dimensions" ]
}

@test "data at 1e77 give the model and log-likelihood worked out by hand, not inf" {
	# mean 0, S = diag(1/3, 4/3, 3) 1e154; K = 1: l_1 = 3e154, sigma2 = (1/3 + 4/3) / 2 1e154
	# = 5/6 1e154, W = (0, 0, sqrt(3e154 - sigma2)); at the maximum tr(C^-1 S) = D = 3, so
	# the average log-likelihood is -1/2 (3 ln 2 pi + 2 ln sigma2 + ln l_1 + 3) = -536.52
	printf '1e77 0 0\n-1e77 0 0\n0 2e77 0\n0 -2e77 0\n0 0 3e77\n0 0 -3e77\n' | mat-from-text > x.mat
	run -0 bash -c 'ppca-fit -q -k 1 --loglik ll.txt < x.mat | mat-print | tr "\n" " "'
	read -r _ m1 m2 m3 w1 w2 w3 s2 <<< "$output"
	[ "$m1 $m2 $m3 $w1 $w2" = "0 0 0 0 0" ]
	# relative 1e-14: a few roundings in double of the eigenvalue and a square root
	close "$s2" 8.333333333333333e153 1e140
	close "$w3" "$(awk 'BEGIN { printf "%.17g", sqrt(3e154 - 5e154 / 6) }')" 1e63
	want=$(awk 'BEGIN { printf "%.12f", -0.5 * (3 * log(2 * atan2(0, -1)) + 2 * log(5e154 / 6) + log(3e154) + 3) }')
	# ll.txt holds 10 significant digits: 1e-7 of 536
	close "$(cat ll.txt)" "$want" 1e-7
}

@test "multiplying the data by 2^260 or 2^-500 scales W by the same factor, sigma2 by its square, and lowers the log-likelihood by D ln of it" {
	ppca_draw 4 50 "1; 2; -1" "0.5 0 1" 0.4 > x.txt
	# x 2^260 is near 1e78, where W^T S W (1e312) overflows a double; x 2^-500 near 1e-150,
	# where it (1e-600) underflows. Powers of 2 scale a double exactly, so each model is
	# the unscaled one times the factor, to the precision of awk's decimal conversion.
	for k in 260 -500; do
		mat-from-text < x.txt | ppca-fit -q -k 1 --loglik ll1.txt | mat-print > m1.txt
		awk -v k="$k" '{ for (i = 1; i <= NF; i++) printf "%.17g%s", $i * 2^k, i < NF ? " " : "\n" }' x.txt |
			mat-from-text | ppca-fit -q -k 1 --loglik ll2.txt | mat-print > m2.txt
		# rows 3 to 5 are W, row 6 sigma2: compare W 2^k and sigma2 4^k, relative 1e-15
		run -0 awk -v k="$k" 'NR >= 3 && NR <= 6 { f = NR == 6 ? 2 * k : k; want = $1 * 2^f
			d = $2 - want; if (d < 0) d = -d; if (want < 0) want = -want
			if (!(d <= 1e-15 * want)) { print "row " NR ": " $2 " vs " want; bad = 1 } } END { exit bad }' <(paste m1.txt m2.txt)
		# 10 significant digits in each file, of numbers up to 1100: 5e-7 each
		close "$(cat ll2.txt)" "$(awk -v a="$(cat ll1.txt)" -v k="$k" 'BEGIN { printf "%.12f", a - 3 * k * log(2) }')" 1e-6
	done
}

@test "ppca-fit refuses data whose sigma2 overflows or underflows a double, and says which" {
	printf '1e200 0 0\n0 2e200 0\n0 0 3e200\n-1e200 0 1e200\n' | mat-from-text > big.mat
	run -1 --separate-stderr ppca-fit -q -k 1 < big.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: sigma2 = 4.8e+399 overflows double precision (largest 1.8e+308): scale the data down" ]
	# near the largest double the column sums overflow too: the mean is then summed in
	# units of 2^1024. sigma2 lies between 0 and (tr S - max var) / 2 = 4.4e613.
	printf '1.5e308 0 0\n1.7e308 1e307 0\n1.6e308 0 2e307\n' | mat-from-text > top.mat
	run -1 --separate-stderr ppca-fit -q -k 1 < top.mat
	[ -z "$output" ]
	[[ $stderr == "ppca-fit: sigma2 = "[1-4].*"e+613 overflows double precision (largest 1.8e+308): scale the data down" ]]
	# 1e-300 data span 3 dimensions (finding 8: they were called degenerate)
	printf '1e-300 0 0\n0 2e-300 0\n0 0 3e-300\n-1e-300 0 1e-300\n' | mat-from-text > tiny.mat
	run -1 --separate-stderr ppca-fit -q -k 1 --loglik ll.txt < tiny.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: sigma2 = 4.8e-601 underflows double precision (smallest normal 2.23e-308): scale the data up" ]
	[ ! -e ll.txt ]
}

@test "ppca-fit refuses an f32 model whose sigma2 would be infinite or 0 in f32" {
	# sigma2 is about 5.6e59 (1e30 squared) and 5.6e-61: beyond f32's 3.4e38 and 1.2e-38
	# (finding 7: sigma2 = inf was written with exit 0)
	printf '1e30 0 0\n0 2e30 0\n0 0 3e30\n-1e30 0 0\n' | mat-from-text --type f32 > big.mat
	run -1 --separate-stderr ppca-fit -q -k 1 --loglik ll.txt < big.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: sigma2 = 5.59229e+59 does not fit an f32 model (its normal numbers lie in 1.18e-38 .. 3.4e+38): give ppca-fit the data as f64 (mat-print < DATA | mat-from-text), or scale them" ]
	[ ! -e ll.txt ]
	printf '1e-30 0 0\n0 2e-30 0\n0 0 3e-30\n-1e-30 0 0\n' | mat-from-text --type f32 > tiny.mat
	run -1 --separate-stderr ppca-fit -q -k 1 < tiny.mat
	[ -z "$output" ]
	[[ $stderr == "ppca-fit: sigma2 = 5.59229e-61 does not fit an f32 model "* ]]
	# the advice works: as f64 the same data give a model
	run -0 bash -c 'mat-print < big.mat | mat-from-text | ppca-fit -q -k 1 | mat-print --info'
	assert_line --index 3 '# sigma2 1 1 f64'
}

@test "fewer rows than columns (the Gram path): four points in 6-D give the model worked out by hand" {
	# mean 0; S = diag(2, 0.5, 0, 0, 0, 0): with K = 1, sigma2 = (0.5 + 0 + 0 + 0 + 0) / 5
	# = 0.1 and W = e1 sqrt(2 - 0.1); at the maximum tr(C^-1 S) = D = 6, so the average
	# log-likelihood is -1/2 (6 ln 2 pi + ln 2 + 5 ln 0.1 + 6)
	printf '2 0 0 0 0 0\n-2 0 0 0 0 0\n0 1 0 0 0 0\n0 -1 0 0 0 0\n' | mat-from-text > x.mat
	run -0 --separate-stderr bash -c 'ppca-fit -k 1 --loglik ll.txt < x.mat | mat-print | tr "\n" " "'
	read -r _ m1 m2 m3 m4 m5 m6 w1 w2 w3 w4 w5 w6 s2 <<< "$output"
	[ "$m1 $m2 $m3 $m4 $m5 $m6" = "0 0 0 0 0 0" ]
	# double arithmetic on numbers near 1: 1e-12
	close "$w1" "$(awk 'BEGIN { printf "%.17g", sqrt(1.9) }')" 1e-12
	for v in $w2 $w3 $w4 $w5 $w6; do close "$v" 0 1e-12; done
	close "$s2" 0.1 1e-12
	close "$(cat ll.txt)" "$(awk 'BEGIN { printf "%.12f", -0.5 * (6 * log(2 * atan2(0, -1)) + log(2) + 5 * log(0.1) + 6) }')" 1e-8
	[[ ${stderr_lines[0]} == "ppca-fit: "*" s: Gram matrix 4 x 4 of 4 rows in 6 dimensions (N < D)" ]]
}

@test "the Gram path (N < D) and the covariance path (N >= D) give the same model" {
	# Stacking the rows twice keeps the mean and S = (1/N) sum (x - mean)(x - mean)^T, so
	# the model is the same: 5 rows in 8-D go through the 5 x 5 Gram matrix, the 10 stacked
	# ones through the 8 x 8 covariance.
	ppca_draw 9 5 "1 0; 0 1; 1 1; 2 -1; 0 0; 1 0; -1 1; 0 2" "1 2 3 4 5 6 7 8" 0.2 > x.txt
	mat-from-text < x.txt | ppca-fit -q -k 2 --loglik ll1.txt | mat-print > m1.txt
	cat x.txt x.txt | mat-from-text | ppca-fit -q -k 2 --loglik ll2.txt | mat-print > m2.txt
	# two algorithms in double on numbers of order 1 to 10: agreement to 1e-9
	run -0 awk 'NR == FNR { for (i = 1; i <= NF; i++) a[FNR, i] = $i; next }
		{ for (i = 1; i <= NF; i++) { d = $i - a[FNR, i]; if (d < 0) d = -d; if (d > m) m = d; n++ } }
		END { print n, (m < 1e-9) ? "same" : "differ by " m }' m1.txt m2.txt
	assert_output '26 same'
	close "$(cat ll1.txt)" "$(cat ll2.txt)" 1e-8
}

@test "3 rows of 20000 columns fit in little memory and time (the 20000 x 20000 covariance would need 3.2 GB)" {
	awk 'BEGIN { srand(2); for (i = 0; i < 3; i++) { for (j = 0; j < 20000; j++) printf "%s%.6f", j ? " " : "", rand(); print "" } }' |
		mat-from-text --type f32 > wide.mat
	# 200 MB of address space: OpenBLAS's buffers plus 3 x 20000 doubles, far below 3.2 GB
	run -0 --separate-stderr bash -c 'memlimit 200000; ppca-fit -q -k 1 < wide.mat | mat-print --info'
	assert_output $'# model:ppca 1 1 f32\n# mean 1 20000 f32\n# W 20000 1 f32\n# sigma2 1 1 f32'
}

@test "ppca-fit refuses an empty or malformed stream" {
	run -1 --separate-stderr ppca-fit -k 1 < /dev/null
	[ "$stderr" = "ppca-fit: standard input: no matrix (empty stream)" ]
	printf 'LMAT 1 f64 3 2 X\n1234' > short.mat
	run -1 --separate-stderr ppca-fit -k 1 < short.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: standard input: short payload in matrix 'X': header promises 3 x 2 f64 (48 bytes), stream holds 4" ]
}

@test "ppca-fit on real MNIST digits: sigma2 is the mean of the discarded variance" {
	require_data mnist/train-images-idx3-ubyte.gz
	mnist-read --count 2000 "$DATA/mnist/train-images-idx3-ubyte.gz" > x.mat
	ppca-fit -q -k 5 < x.mat | mat-print --header > m.txt
	# trace(S) = sum of all eigenvalues, computed by awk from the pixels; the K retained
	# eigenvalues are |w_k|^2 + sigma2. So sigma2 = (trace - sum_k |w_k|^2 - K sigma2) / (D - K).
	tr=$(mat-print < x.mat | awk '{ n++; for (j = 1; j <= NF; j++) { s[j] += $j; q[j] += $j * $j } }
		END { for (j in s) t += q[j] / n - (s[j] / n)^2; printf "%.10g", t }')
	read -r s2 wsq <<< "$(awk '/^# W/ { w = 1; next } /^# sigma2/ { getline; s2 = $1; w = 0 }
		w { for (k = 1; k <= NF; k++) ws += $k * $k } END { printf "%.10g %.10g", s2, ws }' m.txt)"
	want=$(awk -v t="$tr" -v w="$wsq" -v s="$s2" 'BEGIN { printf "%.10g", (t - w - 5 * s) / (784 - 5) }')
	# f32 model values (relative 6e-8) and awk's one-pass variance in double: 1e-6 relative
	close "$s2" "$want" "$(awk -v s="$s2" 'BEGIN { print s * 1e-5 }')"
}

@test "ppca-fit refuses a second matrix on standard input" {
	# finding 14: the rest of the stream was ignored
	{ mat f64 X "2 0\n-2 0\n0 1\n0 -1"; mat f64 Y "1 1"; } > two.mat
	run -1 --separate-stderr ppca-fit -q -k 1 < two.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: standard input: unexpected extra matrix 'Y'" ]
}

@test "ppca-fit writes nothing to standard output when --loglik cannot be written" {
	# finding 9: the whole model went to stdout, then the tool said "cannot write" with
	# exit 1. A directory cannot be renamed over, whatever cli_open_write checks at open.
	printf '2 0\n-2 0\n0 1\n0 -1\n' | mat-from-text > x.mat
	mkdir dir
	run -1 --separate-stderr ppca-fit -q -k 1 --loglik dir < x.mat
	[ -z "$output" ]
	[[ $stderr == "ppca-fit: cannot write 'dir': "* ]]
	[ -z "$(ls dir.tmp.* 2>/dev/null)" ]
	# and the file is opened before the input is read: a bad path wins over bad data
	run -1 --separate-stderr ppca-fit -q -k 1 --loglik nodir/ll.txt < /dev/null
	[ "$stderr" = "ppca-fit: cannot write 'nodir/ll.txt': No such file or directory" ]
}

@test "ppca-fit --loglik reports a write failure and leaves no file" {
	printf '2 0\n-2 0\n0 1\n0 -1\n' | mat-from-text > x.mat
	run -1 --separate-stderr ppca-fit -k 1 --loglik nodir/ll.txt < x.mat
	[ -z "$output" ]
	[ "$stderr" = "ppca-fit: cannot write 'nodir/ll.txt': No such file or directory" ]
}
