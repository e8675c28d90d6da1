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

@test "empty input is an error" {
	run -1 --separate-stderr mat-from-text < /dev/null
	[ "$stderr" = "mat-from-text: no input (empty text)" ]
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
