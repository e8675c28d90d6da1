bats_require_minimum_version 1.5.0
load helper

@test "rmse --help prints usage to stdout and exits 0" {
	run -0 rmse --help
	assert_line --index 0 --partial 'Usage: rmse [OPTION]... TEST'
}

@test "rmse --version prints the version and exits 0" {
	run -0 rmse --version
	assert_output --partial 'rmse (latent '
}

@test "rmse checks its operands before reading input: none, two, or standard input" {
	run -2 rmse --bogus t.mat
	run -2 --separate-stderr rmse < /dev/null
	[[ $stderr == "rmse: missing operand TEST"* ]]
	run -2 --separate-stderr rmse a.mat b.mat < /dev/null
	[[ $stderr == "rmse: unexpected operand 'b.mat'"* ]]
	run -2 --separate-stderr rmse - < /dev/null
	[[ $stderr == "rmse: TEST cannot be standard input"* ]]
}

@test "rmse averages over the entries observed in TEST only" {
	mat f64 T '1 nan\n3 4' > t.mat
	# squared errors 1, -, 0, 4 (the 9 is where TEST is missing): sqrt(5/3)
	run -0 bash -c 'mat f64 P "2 9\n3 2" | rmse t.mat'
	# 1e-15: a few ulps at 1.29; the sum 5 is exact, only / and sqrt round
	close "$output" "$(awk 'BEGIN { printf "%.17g", sqrt(5 / 3) }')" 1e-15
}

@test "rmse --count prints the number of observed entries after a tab" {
	mat f64 T '1 nan\n3 4' > t.mat
	run -0 bash -c 'mat f64 P "2 9\n3 2" | rmse --count t.mat'
	[ "${output#*$'\t'}" = 3 ]
	close "${output%$'\t'*}" 1.2909944487358056 1e-15
}

@test "a perfect prediction gives 0, and f32 predictions are read exactly" {
	mat f64 T '1 nan\n3 4' > t.mat
	run -0 bash -c 'mat f32 P "1 nan\n3 4" | rmse t.mat'
	assert_output 0
	# 0.5 is exact in f32: errors 0.5 on each of 3 entries
	run -0 bash -c 'mat f32 P "1.5 0\n3.5 4.5" | rmse t.mat'
	assert_output 0.5
}

@test "a NaN prediction where TEST is missing is ignored, where TEST is observed an error" {
	mat f64 T '1 nan\n3 4' > t.mat
	run -0 bash -c 'mat f64 P "1 nan\n3 4" | rmse t.mat'
	assert_output 0
	run -1 --separate-stderr bash -c 'mat f64 P "1 2\nnan 4" | rmse t.mat'
	[ -z "$output" ]
	[ "$stderr" = "rmse: prediction (2, 1) is NaN where the test matrix is observed" ]
	run -1 --separate-stderr bash -c 'mat f64 P "1 2\n3 inf" | rmse t.mat'
	[ "$stderr" = "rmse: prediction (2, 2) is inf where the test matrix is observed" ]
}

@test "shapes that differ are an error naming both" {
	mat f64 T '1 nan\n3 4' > t.mat
	run -1 --separate-stderr bash -c 'mat f64 P "1 2 3\n4 5 6" | rmse t.mat'
	[ -z "$output" ]
	[ "$stderr" = "rmse: the predictions are 2 x 3 but TEST 't.mat' is 2 x 2" ]
	# as many entries, another shape
	run -1 --separate-stderr bash -c 'mat f64 P "1 2 3 4" | rmse t.mat'
	[ "$stderr" = "rmse: the predictions are 1 x 4 but TEST 't.mat' is 2 x 2" ]
}

@test "errors near the overflow and underflow limits give a finite, accurate RMSE" {
	mat f64 T '0 0' > t.mat
	# sqrt((3^2 + 4^2) / 2) = sqrt(12.5) times the scale; 1e-15 relative allows a few
	# ulps for the scaled sum (a division and a square per term) and the square root
	want=$(awk 'BEGIN { printf "%.17g", sqrt(12.5) }')
	run -0 bash -c 'mat f64 P "3e200 4e200" | rmse t.mat'
	close "$output" "${want}e200" 3.6e185
	run -0 bash -c 'mat f64 P "3e-200 4e-200" | rmse t.mat'
	close "$output" "${want}e-200" 3.6e-215
	# subnormal errors: the answer is only as precise as a subnormal, 2^-1074 = 4.9e-324
	run -0 bash -c 'mat f64 P "3e-320 4e-320" | rmse t.mat'
	close "$output" "${want}e-320" 5e-324
	# the squares overflow, the RMSE is exactly 1e308 (scale 1e308, ssq 2, n 2)
	run -0 bash -c 'mat f64 P "1e308 -1e308" | rmse t.mat'
	assert_output '1e+308'
}

@test "an error beyond the largest double is refused, not printed as inf" {
	mat f64 T '1.5e308 0' > t.mat
	run -1 --separate-stderr bash -c 'mat f64 P "-1e308 0" | rmse t.mat'
	[ -z "$output" ]
	[ "$stderr" = "rmse: prediction (1, 1) differs from the test entry by more than the largest double" ]
}

@test "a TEST with no observed entry or an infinite one is an error" {
	mat f64 T 'nan nan' > t.mat
	run -1 --separate-stderr bash -c 'mat f64 P "1 2" | rmse t.mat'
	[ "$stderr" = "rmse: the test matrix has no observed entry" ]
	mat f64 T 'inf 2' > t.mat
	run -1 --separate-stderr bash -c 'mat f64 P "1 2" | rmse t.mat'
	[ "$stderr" = "rmse: test entry (1, 1) is inf" ]
}

@test "a missing TEST file, empty predictions and a second matrix in TEST are errors" {
	run -1 --separate-stderr rmse nosuch.mat < /dev/null
	[ "$stderr" = "rmse: cannot open 'nosuch.mat': No such file or directory" ]
	mat f64 T '1 2' > t.mat
	run -1 --separate-stderr rmse t.mat < /dev/null
	[ "$stderr" = "rmse: standard input: no matrix (empty stream)" ]
	{ mat f64 T '1 2'; mat f64 U '3'; } > tt.mat
	run -1 --separate-stderr bash -c 'mat f64 P "1 2" | rmse tt.mat'
	[ "$stderr" = "rmse: tt.mat: unexpected extra matrix 'U'" ]
}

# Three predictions of the 2 x 2 TEST below, of both types, with different errors.
three_predictions() {
	mat f64 T '1 nan\n3 4' > t.mat
	mat f64 pca_k1 '2 9\n3 2' > a.mat
	mat f32 pca_k2 '1.5 0\n3.5 4.5' > b.mat
	mat f64 pca_k3 '1 nan\n3 4.25' > c.mat
}

@test "a stream of three predictions gives the three lines of three single runs, in order" {
	three_predictions
	for opt in '' --count; do
		want=$(for f in a b c; do rmse $opt t.mat < $f.mat || exit 1; done)
		run -0 bash -c "cat a.mat b.mat c.mat | rmse $opt t.mat"
		assert_output "$want"
		[ "${#lines[@]}" = 3 ]
	done
	# and by hand: sqrt(5/3), 0.5 exactly (f32 halves), sqrt(0.25^2 / 3)
	run -0 bash -c 'cat a.mat b.mat c.mat | rmse t.mat'
	close "${lines[0]}" "$(awk 'BEGIN { printf "%.17g", sqrt(5 / 3) }')" 1e-15
	[ "${lines[1]}" = 0.5 ]
	# 1e-16: a few ulps at 0.144
	close "${lines[2]}" "$(awk 'BEGIN { printf "%.17g", sqrt(0.0625 / 3) }')" 1e-16
}

@test "rmse --names begins each line with the matrix name and a TAB" {
	three_predictions
	run -0 bash -c 'cat c.mat a.mat b.mat | rmse --names --count t.mat'
	assert_output "$(printf 'pca_k3\t%s\npca_k1\t%s\npca_k2\t%s' \
		"$(rmse --count t.mat < c.mat)" "$(rmse --count t.mat < a.mat)" "$(rmse --count t.mat < b.mat)")"
	run -0 bash -c 'rmse -n t.mat < b.mat'
	assert_output $'pca_k2\t0.5'
}

@test "a bad matrix anywhere in the stream is named, and nothing is printed" {
	three_predictions
	# a shape that differs, checked at the header
	run -1 --separate-stderr bash -c '{ cat a.mat; mat f64 wide "1 2 3\n4 5 6"; cat b.mat; } | rmse t.mat'
	[ -z "$output" ]
	[ "$stderr" = "rmse: matrix 2 ('wide'): the predictions are 2 x 3 but TEST 't.mat' is 2 x 2" ]
	# a NaN where TEST is observed, in the third matrix
	run -1 --separate-stderr bash -c '{ cat a.mat b.mat; mat f64 holes "1 2\nnan 4"; } | rmse --names t.mat'
	[ -z "$output" ]
	[ "$stderr" = "rmse: matrix 3 ('holes'): prediction (2, 1) is NaN where the test matrix is observed" ]
	# a broken stream after a good matrix: a bad header, a short payload
	run -1 --separate-stderr bash -c '{ cat a.mat; echo junk; } | rmse t.mat'
	[ -z "$output" ]
	[ "$stderr" = "rmse: standard input: matrix 2: not a matrix stream (bad magic: expected 'LMAT')" ]
	run -1 --separate-stderr bash -c '{ cat a.mat; printf "LMAT 1 f64 2 2 Q\n1234"; } | rmse t.mat'
	[ -z "$output" ]
	[[ $stderr == "rmse: standard input: matrix 2 ('Q'): short payload"* ]]
}

@test "the fixtures' per-movie-mean baseline, by hand, through ml-load, ml-impute and rmse" {
	# top 3 movies of the training fixture: 5, 10, 20 with means 5, (3+5)/2 = 4,
	# (4+2)/2 = 3. Test ratings kept: movie 5 by user 2 = 1 (error 4), movie 10 by
	# user 3 = 4 (error 0); movie 30 is dropped. RMSE = sqrt((16 + 0) / 2) = sqrt(8).
	ml-load -q --top 3 --save-ids ids.mat < "$FIX/ratings_train.txt" > train.mat
	ml-load -q --ids ids.mat < "$FIX/ratings_test.txt" > test.mat
	run -0 bash -c 'ml-impute --mean < train.mat | rmse --count test.mat'
	[ "${output#*$'\t'}" = 2 ]
	# 1e-15: sqrt of the exact 8 is correctly rounded; a few ulps at 2.83
	close "${output%$'\t'*}" "$(awk 'BEGIN { printf "%.17g", sqrt(8) }')" 1e-15
}

@test "the ua.base/ua.test baseline equals an awk computation straight from the files" {
	require_data ml-100k/ua.test
	ml-load -q --top 500 --save-ids ids.mat < "$DATA/ml-100k/ua.base" > train.mat
	ml-load -q --ids ids.mat < "$DATA/ml-100k/ua.test" > test.mat
	run -0 bash -c 'ml-impute --mean < train.mat | rmse --count test.mat'
	got=$output
	# awk: the top 500 by sort (count down, id up), each movie's mean over ua.base,
	# the squared error of every ua.test rating of those movies
	cut -f2 "$DATA/ml-100k/ua.base" | sort -n | uniq -c | awk '{ print $2, $1 }' |
		sort -k2,2nr -k1,1n | head -n 500 | cut -d' ' -f1 > top.txt
	want=$(awk 'FNR == NR { top[$1]; next }
		FILENAME ~ /base$/ { if ($2 in top) { s[$2] += $3; n[$2]++ }; next }
		$2 in top { d = $3 - s[$2] / n[$2]; ss += d * d; c++ }
		END { printf "%.17g\t%d", sqrt(ss / c), c }' top.txt "$DATA/ml-100k/ua.base" "$DATA/ml-100k/ua.test")
	[ "${got#*$'\t'}" = "${want#*$'\t'}" ]
	# 1e-12: both add the same 7630 squares (the means are exact integer sums divided
	# once), in different orders (matrix rows vs file lines). The worst-case relative
	# difference of two such sums is n * eps = 7630 * 1.1e-16 = 8.5e-13, halved by sqrt,
	# so below 5e-13 on an RMSE near 1.
	close "${got%$'\t'*}" "${want%$'\t'*}" 1e-12
}
