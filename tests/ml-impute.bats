bats_require_minimum_version 1.5.0
load helper

@test "ml-impute --help prints usage to stdout and exits 0" {
	run -0 ml-impute --help
	assert_line --index 0 --partial 'Usage: ml-impute --mean'
}

@test "ml-impute --version prints the version and exits 0" {
	run -0 ml-impute --version
	assert_output --partial 'ml-impute (latent '
}

@test "ml-impute rejects an unknown option and an operand with exit 2" {
	run -2 ml-impute --mean --bogus
	run -2 --separate-stderr ml-impute --mean train.mat
	[[ $stderr == "ml-impute: unexpected operand 'train.mat'"* ]]
}

@test "ml-impute without a method is misuse, checked before reading input" {
	run -2 --separate-stderr ml-impute < /dev/null
	[ -z "$output" ]
	[[ $stderr == "ml-impute: no method given (use --mean)"* ]]
}

@test "each NaN becomes its row's observed mean; an empty row gets the global mean, said on stderr" {
	mat f64 R '1 nan 3\nnan nan nan\n4 nan 5.5' > r.mat
	run -0 --separate-stderr bash -c 'ml-impute --mean < r.mat | mat-print --header'
	# row 1: (1+3)/2 = 2; row 3: (4+5.5)/2 = 4.75; row 2: (1+3+4+5.5)/4 = 3.375,
	# all exact in binary
	assert_output $'# R 3 3 f64\n1\t2\t3\n3.375\t3.375\t3.375\n4\t4.75\t5.5'
	[ "$stderr" = "ml-impute: 1 row with no observed value (the first is row 2) filled with the global mean 3.375" ]
}

@test "ml-impute --quiet says nothing about empty rows" {
	mat f64 R '1 nan\nnan nan\nnan nan' > r.mat
	run -0 --separate-stderr ml-impute --mean < r.mat
	[ "$stderr" = "ml-impute: 2 rows with no observed value (the first is row 2) filled with the global mean 1" ]
	run -0 --separate-stderr ml-impute --mean --quiet < r.mat
	[ -z "$stderr" ]
}

@test "an f32 matrix stays f32 with its name, and the mean is rounded once to f32" {
	mat f32 W '0.1 nan 0.2' > w.mat
	run -0 bash -c 'ml-impute --mean < w.mat | mat-print --header'
	# mean of the floats 0.1f and 0.2f in double, then rounded to float: 0.15f
	assert_output $'# W 1 3 f32\n0.1\t0.15\t0.2'
}

@test "a matrix without NaN comes out byte for byte the same" {
	mat f64 A '1 2.5\n-3 1e-300' > a.mat
	run -0 bash -c 'ml-impute --mean < a.mat | cmp - a.mat'
}

@test "means of values near the largest double do not overflow" {
	# by hand: the mean of equal values is that value; a plain sum would be inf
	mat f64 A '1e308 1e308 nan\nnan nan nan' > a.mat
	run -0 --separate-stderr bash -c 'ml-impute --mean < a.mat | mat-print'
	assert_output $'1e+308\t1e+308\t1e+308\n1e+308\t1e+308\t1e+308'
	# (1.5e308 + 1.5e308 - 1.5e308) / 3 = 5e307: a sum of three and one division, each
	# within half an ulp, so 4 ulps (2^-50 relative, 4.4e292) is generous
	mat f64 B '1.5e308 1.5e308 -1.5e308 nan' > b.mat
	run -0 bash -c 'ml-impute --mean < b.mat | mat-print | cut -f4'
	close "$output" 5e307 4.4e292
}

@test "a matrix with no observed entry at all is an error" {
	mat f64 A 'nan nan\nnan nan' > a.mat
	run -1 --separate-stderr ml-impute --mean < a.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-impute: matrix 'A': no observed entry in the 2 x 2 matrix: nothing to impute from" ]
}

@test "an infinite entry is an error naming the entry" {
	mat f64 A '1 nan\n3 -inf' > a.mat
	run -1 --separate-stderr ml-impute --mean < a.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-impute: matrix 'A': entry (2, 2) is -inf: only finite values and NaN (missing) are allowed" ]
}

@test "an empty stream, a bad stream and a second matrix are errors" {
	run -1 --separate-stderr ml-impute --mean < /dev/null
	[ "$stderr" = "ml-impute: standard input: no matrix (empty stream)" ]
	printf 'P5\n' > x.pgm
	run -1 --separate-stderr ml-impute --mean < x.pgm
	[ "$stderr" = "ml-impute: standard input: not a matrix stream (bad magic: expected 'LMAT')" ]
	{ mat f64 A '1 nan'; mat f64 B '2'; } > s.mat
	run -1 --separate-stderr ml-impute --mean < s.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-impute: standard input: unexpected extra matrix 'B'" ]
}

@test "on ua.base top 500 every filled value is its movie's mean rating computed by awk" {
	require_data ml-100k/ua.base
	ml-load -q --top 500 --save-ids ids.mat < "$DATA/ml-100k/ua.base" > train.mat
	mat-print --name movie_ids < ids.mat > ids.txt
	ml-impute --mean < train.mat | mat-print > imputed.txt
	mat-print < train.mat > train.txt
	# awk: mean of each movie straight from the file, then compare with every entry
	# that was NaN in train. Tolerance 1e-12: both are one double division of the same
	# integer sum (< 2^53), so they agree to an ulp or two.
	run -0 awk -v tol=1e-12 '
		FILENAME == ARGV[1] { s[$2] += $3; n[$2]++; next }
		FILENAME == ARGV[2] { id[FNR] = $1; next }
		FILENAME == ARGV[3] { for (j = 1; j <= NF; j++) miss[FNR, j] = ($j == "nan"); next }
		{ m = s[id[FNR]] / n[id[FNR]]
		  for (j = 1; j <= NF; j++) {
			if ($j == "nan") { print "NaN left at " FNR, j; bad++ }
			if (miss[FNR, j]) { d = $j - m; if (d < 0) d = -d
				if (d > tol) { print "row " FNR ": " $j " != " m; bad++ }; filled++ } } }
		END { print filled " filled"; exit bad > 0 }' \
		"$DATA/ml-100k/ua.base" ids.txt train.txt imputed.txt
	# 500 x 943 cells, 70113 observed (tests/ml-load.bats)
	assert_output "$((500 * 943 - 70113)) filled"
}
