bats_require_minimum_version 1.5.0
load helper

@test "mat-print --help prints usage to stdout and exits 0" {
	run -0 mat-print --help
	assert_line --index 0 --partial 'Usage: mat-print'
}

@test "mat-print rejects an unknown option with exit 2" {
	run -2 mat-print --bogus
}

@test "mat-print rejects an operand with exit 2" {
	run -2 mat-print file.mat
	assert_output --partial "mat-print: unexpected operand 'file.mat'"
}

@test "a header is exactly the bytes the format specifies" {
	run -0 bash -c 'mat f64 ratings "1 2 3\n4 5 6" | head -n 1'
	assert_output 'LMAT 1 f64 2 3 ratings'
	mat f32 W "1 2\n3 4\n5 6" > w.mat
	[ "$(head -n 1 w.mat)" = 'LMAT 1 f32 3 2 W' ]
	# header (16 bytes + newline) then 6 * 4 payload bytes
	[ "$(wc -c < w.mat)" -eq $((17 + 24)) ]
}

@test "the payload is little-endian IEEE-754 in row-major order" {
	mat f32 A "1 2\n-2 0.5" > a.mat
	run -0 bash -c 'tail -c 16 a.mat | od -An -tx1 | tr -s " \n" " "'
	# 1.0f = 3f800000, 2.0f = 40000000, -2.0f = c0000000, 0.5f = 3f000000
	assert_output ' 00 00 80 3f 00 00 00 40 00 00 00 c0 00 00 00 3f '
	mat f64 B "1" > b.mat
	run -0 bash -c 'tail -c 8 b.mat | od -An -tx1 | tr -s " \n" " "'
	assert_output ' 00 00 00 00 00 00 f0 3f '
}

@test "f64 values round-trip exactly through text" {
	printf '0.1\t-3\t1e+300\n2.5e-300\tnan\t-inf\n' > in.txt
	run -0 bash -c 'mat-from-text < in.txt | mat-print'
	assert_output "$(cat in.txt)"
}

@test "f32 values print in the shortest form that reads back to the same float" {
	run -0 bash -c 'mat f32 A "0.1 16777217 3.4028235e38" | mat-print'
	# 16777217 is not a float: it rounds to 16777216
	assert_output $'0.1\t16777216\t3.4028235e+38'
}

@test "subnormals print in their shortest form too" {
	# By hand: bit pattern 1 is 2^-1074 (f64) and 2^-149 (f32), whose nearest one-digit
	# decimals are 5e-324 and 1e-45; 2024 * 2^-1074 = 9.99989e-321 is the f64 nearest to
	# 1e-320 (1e-320 / 2^-1074 = 2024.02).
	printf 'LMAT 1 f64 1 3 d\n\x01\0\0\0\0\0\0\0\xe8\x07\0\0\0\0\0\0\x01\0\0\0\0\0\0\x80' > d.mat
	run -0 mat-print < d.mat
	assert_output $'5e-324\t1e-320\t-5e-324'
	printf 'LMAT 1 f32 1 2 f\n\x01\0\0\0\x01\0\0\x80' > f.mat
	run -0 mat-print < f.mat
	assert_output $'1e-45\t-1e-45'
	# and they read back to the same bytes
	run -0 bash -c 'mat-print --header < d.mat | mat-from-text | cmp - d.mat'
	run -0 bash -c 'mat-print --header < f.mat | mat-from-text | cmp - f.mat'
}

@test "a value prints with the smallest %.Ng that reads back, one digit long at some powers of two" {
	# 2^-1017 (exponent field 6): %.16g gives 7.120236347223044e-307, which reads back as
	# another double, so 17 digits are printed, though 7.120236347223045e-307 would do
	printf 'LMAT 1 f64 1 1 p\n\0\0\0\0\0\0\x60\0' > p.mat
	run -0 mat-print < p.mat
	assert_output '7.1202363472230444e-307'
	run -0 bash -c 'printf "7.120236347223045e-307\n" | mat-from-text --name p | cmp - p.mat'
}

@test "a multi-matrix stream round-trips byte for byte through --header text" {
	{ mat f64 A "1 nan\n3 4"; mat f32 B "0.25 -1 7"; } > s.mat
	run -0 bash -c 'mat-print --header < s.mat | mat-from-text | cmp - s.mat'
}

@test "mat-print --info lists the headers without the values" {
	{ mat f64 A "1 2\n3 4"; mat f32 B "0.25 -1 7"; } > s.mat
	run -0 mat-print --info < s.mat
	assert_output $'# A 2 2 f64\n# B 1 3 f32'
}

@test "mat-print --name picks one matrix out of a stream" {
	{ mat f64 A "1 2\n3 4"; mat f32 B "0.25 -1 7"; } > s.mat
	run -0 mat-print --name B < s.mat
	assert_output $'0.25\t-1\t7'
	run -1 --separate-stderr mat-print --name Z < s.mat
	[ -z "$output" ]
	[ "$stderr" = "mat-print: no matrix named 'Z' in the stream" ]
}

@test "an empty matrix (0 rows) is a valid stream element" {
	printf 'LMAT 1 f64 0 5 empty\n' > e.mat
	run -0 mat-print --header < e.mat
	assert_output '# empty 0 5 f64'
}

@test "mat-print rejects a wrong magic" {
	printf 'P5\n2 2\n255\nabcd' > x.pgm
	run -1 --separate-stderr mat-print < x.pgm
	[ -z "$output" ]
	[ "$stderr" = "mat-print: standard input: not a matrix stream (bad magic: expected 'LMAT')" ]
}

@test "mat-print rejects an unknown version" {
	printf 'LMAT 2 f64 1 1 A\n12345678' > x.mat
	run -1 --separate-stderr mat-print < x.mat
	[ "$stderr" = "mat-print: standard input: unsupported matrix stream version '2' (this is version 1)" ]
}

@test "mat-print rejects an unknown element type" {
	printf 'LMAT 1 i32 1 1 A\n1234' > x.mat
	run -1 --separate-stderr mat-print < x.mat
	[ "$stderr" = "mat-print: standard input: unknown element type 'i32' (expected f32 or f64)" ]
}

@test "mat-print rejects malformed counts and names" {
	for h in 'LMAT 1 f64 01 1 A' 'LMAT 1 f64 -1 1 A' 'LMAT 1 f64 1 x A' 'LMAT 1 f64 1  1 A' \
		'LMAT 1 f64 1 1 a/b' 'LMAT 1 f64 1 1' 'LMAT 1 f64 1 1 A extra' \
		'LMAT 1 f64 99999999999999999999999 1 A'; do
		run -1 --separate-stderr bash -c "printf '%s\n12345678' '$h' | mat-print"
		[ -z "$output" ]
		[[ $stderr == "mat-print: standard input: bad "* ]] || { echo "$h -> $stderr"; false; }
	done
}

@test "a header's control characters and binary bytes are shown escaped" {
	run -1 --separate-stderr bash -c "printf 'LMAT 1 f64 1 1 x\r\n12345678' | mat-print"
	[ -z "$output" ]
	[ "$stderr" = 'mat-print: standard input: bad matrix name '\''x\x0d'\'' in matrix header' ]
	run -1 --separate-stderr bash -c "printf 'LMAT 1 f\377\033 1 1 x\n12345678' | mat-print"
	[ "$stderr" = 'mat-print: standard input: unknown element type '\''f\xff\x1b'\'' (expected f32 or f64)' ]
}

@test "mat-print refuses a header promising more than 2^31-1 elements before allocating" {
	printf 'LMAT 1 f64 65536 65536 A\n' > x.mat
	run -1 --separate-stderr mat-print < x.mat
	[ "$stderr" = "mat-print: standard input: matrix of 65536 x 65536 exceeds the limit of 2147483647 elements" ]
}

@test "a header promising more data than the stream holds is a short payload, not a big allocation" {
	# 40000 x 50000 f64 is 16 GB; the reader must fail on the few bytes present.
	printf 'LMAT 1 f64 40000 50000 A\n1234567812345678' > x.mat
	run -1 --separate-stderr bash -c 'memlimit 1000000; mat-print < x.mat'
	[ -z "$output" ]
	[[ $stderr == "mat-print: standard input: short payload in matrix 'A': header promises 40000 x 50000 f64 (16000000000 bytes), stream holds 16" ]]
}

@test "mat-print rejects a truncated header and an overlong one" {
	printf 'LMAT 1 f64 1' > x.mat
	run -1 --separate-stderr mat-print < x.mat
	[ "$stderr" = "mat-print: standard input: truncated matrix header" ]
	{ printf 'LMAT 1 f64 1 1 '; head -c 200 /dev/zero | tr '\0' a; printf '\n'; } > y.mat
	run -1 --separate-stderr mat-print < y.mat
	[ "$stderr" = "mat-print: standard input: bad matrix header: longer than 128 bytes" ]
}

@test "a short payload in the second matrix of a stream is reported with its name" {
	{ mat f64 A "1 2"; printf 'LMAT 1 f32 2 2 B\n12345678'; } > s.mat
	run -1 --separate-stderr mat-print < s.mat
	[ "$stderr" = "mat-print: standard input: short payload in matrix 'B': header promises 2 x 2 f32 (16 bytes), stream holds 8" ]
}

@test "mat-print reports a closed output pipe instead of passing silently" {
	mat f64 A "1 2" > a.mat
	run -1 --separate-stderr bash -c 'mat-print < a.mat > /dev/full'
	[[ $stderr == "mat-print: error writing standard output"* ]]
}
