bats_require_minimum_version 1.5.0
load helper

@test "mat-from-text --help prints usage to stdout and exits 0" {
	run -0 mat-from-text --help
	assert_line --index 0 --partial 'Usage: mat-from-text'
}

@test "mat-from-text rejects a bad --type with exit 2" {
	run -2 --separate-stderr mat-from-text --type i8
	[[ $stderr == "mat-from-text: --type 'i8' is not f32 or f64"* ]]
}

@test "headerless text becomes one matrix named by --name with the shape of the text" {
	run -0 bash -c 'printf "1 2 3\n\n4\t5 6\n" | mat-from-text --name R | mat-print --info'
	assert_output '# R 2 3 f64'
}

@test "rows of different lengths are an error naming the line" {
	run -1 --separate-stderr bash -c 'printf "1 2 3\n4 5\n" | mat-from-text'
	[ -z "$output" ]
	[ "$stderr" = "mat-from-text: line 2: 2 fields, but matrix 'X' has 3 columns" ]
}

@test "a field that is not a number is an error naming the line and field" {
	run -1 --separate-stderr bash -c 'printf "1 2\n3 x4\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 2: field 2 'x4' is not a number" ]
}

@test "a header's row count must match the rows that follow" {
	run -1 --separate-stderr bash -c 'printf "# A 3 1 f64\n1\n2\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 3: matrix 'A' declares 3 rows but has 2" ]
	run -1 --separate-stderr bash -c 'printf "# A 1 1 f64\n1\n2\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 3: matrix 'A' declares 1 rows but has more" ]
}

@test "a malformed header line is an error, not a comment" {
	run -1 --separate-stderr bash -c 'printf "# hello world\n1\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 1: bad header (want '# NAME ROWS COLS TYPE')" ]
}

@test "a lying header does not allocate what it declares" {
	run -1 --separate-stderr bash -c 'memlimit 1000000; printf "# A 40000 50000 f64\n1\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 2: 1 fields, but matrix 'A' has 50000 columns" ]
}

@test "empty input and blank-only input are the same error" {
	run -1 --separate-stderr mat-from-text < /dev/null
	[ -z "$output" ]
	[ "$stderr" = "mat-from-text: no input (the text is empty or blank)" ]
	run -1 --separate-stderr bash -c 'printf " \n\t\n\n" | mat-from-text'
	[ -z "$output" ]
	[ "$stderr" = "mat-from-text: no input (the text is empty or blank)" ]
}

@test "a finite number beyond the type's range is an error naming line and field, 'inf' is not" {
	run -1 --separate-stderr bash -c 'printf "1 2\n3 1e999\n" | mat-from-text'
	[ -z "$output" ]
	[ "$stderr" = "mat-from-text: line 2: field 2 '1e999' is too large for f64 (it would round to inf)" ]
	run -1 --separate-stderr bash -c 'printf "1e39\n" | mat-from-text -t f32'
	[ "$stderr" = "mat-from-text: line 1: field 1 '1e39' is too large for f32 (it would round to inf)" ]
	run -1 --separate-stderr bash -c 'printf "0 -1e39\n" | mat-from-text -t f32'
	[ "$stderr" = "mat-from-text: line 1: field 2 '-1e39' is too large for f32 (it would round to -inf)" ]
	# FLT_MAX = 3.4028235e38 and DBL_MAX = 1.7976931348623157e308 are in range
	run -0 bash -c 'printf "inf -inf 3.4028235e38\n" | mat-from-text -t f32 | mat-print'
	assert_output $'inf\t-inf\t3.4028235e+38'
	run -0 bash -c 'printf "inf -infinity 1.7976931348623157e308\n" | mat-from-text | mat-print'
	assert_output $'inf\t-inf\t1.7976931348623157e+308'
}

@test "a nonzero number that would round to 0 is an error; one that rounds to a subnormal is kept" {
	run -1 --separate-stderr bash -c 'printf "1e-50\n" | mat-from-text -t f32'
	[ -z "$output" ]
	[ "$stderr" = "mat-from-text: line 1: field 1 '1e-50' is too small for f32 (it would round to 0)" ]
	run -1 --separate-stderr bash -c 'printf "1 1e-400\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 1: field 2 '1e-400' is too small for f64 (it would round to 0)" ]
	# zero itself, however written, is fine
	run -0 bash -c 'printf "0 -0 0e-999\n" | mat-from-text | mat-print'
	assert_output $'0\t-0\t0'
	# the smallest subnormals, by hand: bit pattern 1 (2^-149 ~ 1.4e-45, 2^-1074 ~ 4.9e-324),
	# the nearest values to 1e-45 and 3e-324
	run -0 bash -c 'printf "1e-45\n" | mat-from-text -t f32 | tail -c 4 | od -An -tx1'
	assert_output ' 01 00 00 00'
	run -0 bash -c 'printf "3e-324\n" | mat-from-text | tail -c 8 | od -An -tx1'
	assert_output ' 01 00 00 00 00 00 00 00'
}

@test "a NUL byte is an error naming the line, not a shortened line" {
	run -1 --separate-stderr bash -c 'printf "1 2\0 9\n3 4\n" | mat-from-text'
	[ -z "$output" ]
	[ "$stderr" = "mat-from-text: line 1: contains a NUL byte (this is not text)" ]
}

@test "a declared matrix with 0 columns takes its rows from blank lines, as mat-print writes them" {
	# 3 x 0 then 1 x 2, written byte by byte
	printf 'LMAT 1 f64 3 0 x\nLMAT 1 f64 1 2 y\n\0\0\0\0\0\0\xf0\x3f\0\0\0\0\0\0\0\x40' > want.mat
	run -0 bash -c 'mat-print --header < want.mat'
	assert_output $'# x 3 0 f64\n\n\n\n# y 1 2 f64\n1\t2'
	run -0 bash -c 'set -o pipefail; mat-print --header < want.mat | mat-from-text | cmp - want.mat'
	run -1 --separate-stderr bash -c 'printf "# x 3 0 f64\n\n\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 3: matrix 'x' declares 3 rows but has 2" ]
}

@test "error messages show control characters and binary bytes escaped, and long text cut" {
	run -1 --separate-stderr bash -c 'printf "1 \001\377\\\\\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 1: field 2 '\x01\xff\\\\' is not a number" ]
	run -1 --separate-stderr bash -c 'printf "# a\033[31m 1 1 f64\n1\n" | mat-from-text'
	[ "$stderr" = "mat-from-text: line 1: bad matrix name 'a\x1b[31m'" ]
	# 100 x: the first 60 are shown
	run -1 --separate-stderr bash -c 'printf "%0100d\n" 0 | tr 0 x | mat-from-text'
	[ "$stderr" = "mat-from-text: line 1: field 1 '$(printf '%060d' 0 | tr 0 x)...' is not a number" ]
	# 10 KB of every byte value but NUL, in a scrambled order: one printable line
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "%c", 1 + (i * 7919) % 255 }' > random.bin
	run -1 --separate-stderr bash -c 'mat-from-text < random.bin'
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr =~ ^[[:print:]]+$ ]]
}
