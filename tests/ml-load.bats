bats_require_minimum_version 1.5.0
load helper

# ml-load on literal text: from_text 'user\tmovie\trating\tts\n...' [OPTION]...
from_text() {
	printf "$1" | ml-load "${@:2}"
}

# The fixtures, by hand: movies 5, 10, 20, 30 (rows, in id order) and users 1..4
# (columns; user 3 rated nothing in the training split):
#   movie 5:  user 2 = 5             (1 rating)
#   movie 10: user 1 = 3, user 4 = 5 (2 ratings)
#   movie 20: user 1 = 4, user 2 = 2 (2 ratings)
#   movie 30: user 4 = 1             (1 rating)

@test "ml-load --help prints usage to stdout and exits 0" {
	run -0 ml-load --help
	assert_line --index 0 --partial 'Usage: ml-load'
	assert_output --partial '--save-ids FILE'
}

@test "ml-load --version prints the version and exits 0" {
	run -0 ml-load --version
	assert_output --partial 'ml-load (latent '
}

@test "ml-load rejects an unknown option and an operand with exit 2" {
	run -2 ml-load --bogus
	run -2 --separate-stderr ml-load u.data
	[ -z "$output" ]
	[[ $stderr == "ml-load: unexpected operand 'u.data'"* ]]
}

@test "ml-load checks --top before reading any input" {
	for bad in 0 -3 x 5x 10000001; do
		run -2 --separate-stderr ml-load --top "$bad" < /dev/null
		[[ $stderr == "ml-load: --top '$bad' is "* ]] || { echo "$bad: $stderr"; false; }
	done
}

@test "ml-load refuses --top with --ids, --ids from standard input, and overwriting --ids" {
	run -2 --separate-stderr ml-load --top 3 --ids ids.mat < /dev/null
	[[ $stderr == "ml-load: --top and --ids exclude each other"* ]]
	run -2 --separate-stderr ml-load --ids - < /dev/null
	[[ $stderr == "ml-load: --ids cannot be standard input"* ]]
	run -2 --separate-stderr ml-load --ids a.mat --save-ids a.mat < /dev/null
	[[ $stderr == "ml-load: --save-ids would overwrite the --ids file 'a.mat'"* ]]
}

@test "ratings become a movies x users matrix with NaN where unrated, users 1..U as columns" {
	run -0 bash -c 'ml-load --quiet < "$FIX/ratings_train.txt" | mat-print --header'
	assert_output $'# ratings 4 4 f64\nnan\t5\tnan\tnan\n3\tnan\tnan\t5\n4\t2\tnan\tnan\nnan\tnan\tnan\t1'
}

@test "the summary line goes to stderr and --quiet silences it" {
	run -0 --separate-stderr ml-load < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: 6 ratings of 4 movies by 3 users; the 4 x 4 matrix holds 6, 0 ratings of other movies dropped" ]
	run -0 --separate-stderr ml-load --quiet < "$FIX/ratings_train.txt"
	[ -z "$stderr" ]
}

@test "spaces and a missing final newline are accepted" {
	run -0 bash -c 'printf "2 7  4 0\n1 7 5 0" | ml-load -q | mat-print'
	assert_output $'5\t4'
}

@test "--top keeps the most-rated movies, ties to the smaller id, rows in id order" {
	# counts: 10 and 20 have 2 ratings, 5 and 30 have 1: the third place goes to 5
	run -0 bash -c 'ml-load -q --top 3 --save-ids ids.mat < "$FIX/ratings_train.txt" | mat-print'
	assert_output $'nan\t5\tnan\tnan\n3\tnan\tnan\t5\n4\t2\tnan\tnan'
	run -0 mat-print --header < ids.mat
	assert_output $'# movie_ids 3 1 f64\n5\n10\n20\n# user_ids 1 4 f64\n1\t2\t3\t4'
}

@test "--top 2 keeps the two movies with two ratings each" {
	run -0 bash -c 'ml-load -q --top 2 --save-ids ids.mat < "$FIX/ratings_train.txt" >/dev/null && mat-print --name movie_ids < ids.mat'
	assert_output $'10\n20'
}

@test "--top more than the movies of the input is an error" {
	run -1 --separate-stderr ml-load --top 5 --save-ids ids.mat < "$FIX/ratings_train.txt"
	[ -z "$output" ]
	[ "$stderr" = "ml-load: cannot keep the top 5 movies: the input has 4" ]
	[ -z "$(ls -d ids.mat* 2>/dev/null)" ]
}

@test "--ids loads a test split onto the training layout, dropping other movies" {
	ml-load -q --top 3 --save-ids ids.mat < "$FIX/ratings_train.txt" > train.mat
	run -0 --separate-stderr bash -c 'ml-load --ids ids.mat < "$FIX/ratings_test.txt" | mat-print --header'
	# movie 30 is not in the layout: its rating is dropped; movie 20 keeps its (empty) row
	assert_output $'# ratings 3 4 f64\nnan\t1\tnan\tnan\nnan\tnan\t4\tnan\nnan\tnan\tnan\tnan'
	[ "$stderr" = "ml-load: 3 ratings of 3 movies by 3 users; the 3 x 4 matrix holds 2, 1 ratings of other movies dropped" ]
}

@test "--ids with --save-ids writes the same layout back" {
	ml-load -q --top 3 --save-ids ids.mat < "$FIX/ratings_train.txt" > /dev/null
	ml-load -q --ids ids.mat --save-ids again.mat < "$FIX/ratings_test.txt" > /dev/null
	cmp ids.mat again.mat
}

@test "--ids keeps the layout's row order, whatever it is" {
	{ mat f64 movie_ids '20\n5'; mat f64 user_ids '4 3 2 1'; } > ids.mat
	run -0 bash -c 'ml-load -q --ids ids.mat < "$FIX/ratings_train.txt" | mat-print'
	assert_output $'nan\tnan\t2\t4\nnan\tnan\t5\tnan'
}

@test "--ids finds movie_ids and user_ids in either order" {
	{ mat f64 user_ids '4 3 2 1'; mat f64 movie_ids '20\n5'; } > ids.mat
	# the same layout as the test above, by hand
	run -0 bash -c 'ml-load -q --ids ids.mat < "$FIX/ratings_train.txt" | mat-print'
	assert_output $'nan\tnan\t2\t4\nnan\tnan\t5\tnan'
}

@test "--ids refuses any other matrix, a second copy and trailing bytes, before reading ratings" {
	{ mat f64 movie_ids '5\n10'; mat f64 user_ids '1 2'; mat f64 extra '1'; } > a.mat
	run -1 --separate-stderr bash -c 'printf "not ratings\n" | ml-load --ids a.mat'
	[ -z "$output" ]
	[ "$stderr" = "ml-load: a.mat: unexpected matrix 'extra' (a layout holds movie_ids and user_ids)" ]
	{ mat f64 movie_ids '5\n10'; mat f64 movie_ids '5'; mat f64 user_ids '1 2'; } > b.mat
	run -1 --separate-stderr ml-load --ids b.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: b.mat: a second matrix named 'movie_ids'" ]
	{ mat f64 user_ids '1 2'; printf 'junk'; } > c.mat
	run -1 --separate-stderr ml-load --ids c.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: c.mat: not a matrix stream (bad magic: expected 'LMAT')" ]
	mat f64 user_ids '1 2' > d.mat
	run -1 --separate-stderr ml-load --ids d.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: d.mat: no matrix named 'movie_ids'" ]
}

@test "a rating of a kept movie by a user outside the layout is an error naming the line" {
	ml-load -q --top 3 --save-ids ids.mat < "$FIX/ratings_train.txt" > /dev/null
	run -1 --separate-stderr from_text '1\t5\t3\t0\n9\t30\t3\t0\n7\t10\t3\t0\n' --ids ids.mat
	[ -z "$output" ]
	[ "$stderr" = "ml-load: line 3: user 7 is not among the 4 users of the layout" ]
	# the same user on a movie outside the layout is only dropped
	run -0 from_text '1\t5\t3\t0\n9\t30\t3\t0\n' --ids ids.mat --quiet
}

@test "a bad --ids file is an error naming the file and what is wrong" {
	run -1 --separate-stderr ml-load --ids nosuch.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: cannot open 'nosuch.mat': No such file or directory" ]
	mat f64 movie_ids '5\n10' > a.mat
	run -1 --separate-stderr ml-load --ids a.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: a.mat: no matrix named 'user_ids'" ]
	{ mat f64 movie_ids '5 10'; mat f64 user_ids '1 2'; } > b.mat
	run -1 --separate-stderr ml-load --ids b.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: b.mat: movie_ids: expected R x 1 with R >= 1, found 1 x 2" ]
	{ mat f64 movie_ids '5\n10'; mat f64 user_ids '1\n2'; } > c.mat
	run -1 --separate-stderr ml-load --ids c.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: c.mat: user_ids: expected 1 x C with C >= 1, found 2 x 1" ]
	{ mat f64 movie_ids '5\n10.5'; mat f64 user_ids '1 2'; } > d.mat
	run -1 --separate-stderr ml-load --ids d.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: d.mat: movie_ids: the value in row 2 is not an id (a whole number in [1, 10000000])" ]
	{ mat f64 movie_ids '5\n10'; mat f64 user_ids '1 nan'; } > e.mat
	run -1 --separate-stderr ml-load --ids e.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: e.mat: user_ids: the value in column 2 is not an id (a whole number in [1, 10000000])" ]
	{ mat f64 movie_ids '5\n10'; mat f64 user_ids '1 2 3 2'; } > f.mat
	run -1 --separate-stderr ml-load --ids f.mat < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: f.mat: user_ids: id 2 appears twice (columns 2 and 4)" ]
}

@test "a line with the wrong number of fields is an error naming the line" {
	run -1 --separate-stderr from_text '1\t2\t3\t4\n1\t3\t3\n'
	[ -z "$output" ]
	[ "$stderr" = "ml-load: line 2: expected 4 fields (user item rating timestamp), found 3" ]
	run -1 --separate-stderr from_text '1\t2\t3\t4\t5\n'
	[ "$stderr" = "ml-load: line 1: expected 4 fields (user item rating timestamp), found more than 4" ]
	run -1 --separate-stderr from_text '1\t2\t3\t4\n\n2\t2\t3\t4\n'
	[ "$stderr" = "ml-load: line 2: expected 4 fields (user item rating timestamp), found 0" ]
}

@test "a field that is not a whole number is an error naming the line and the field" {
	run -1 --separate-stderr from_text '1\t2\t3\t4\nx\t2\t3\t4\n'
	[ "$stderr" = "ml-load: line 2: user id 'x' is not a whole number" ]
	run -1 --separate-stderr from_text '1\t-2\t3\t4\n'
	[ "$stderr" = "ml-load: line 1: movie id '-2' is not a whole number" ]
	run -1 --separate-stderr from_text '1\t2\t3.5\t4\n'
	[ "$stderr" = "ml-load: line 1: rating '3.5' is not a whole number" ]
	run -1 --separate-stderr from_text '1\t2\t3\t4e9\n'
	[ "$stderr" = "ml-load: line 1: timestamp '4e9' is not a whole number" ]
}

@test "a rating outside 1..5 is an error naming the line" {
	run -1 --separate-stderr from_text '1\t2\t3\t4\n1\t3\t6\t4\n'
	[ -z "$output" ]
	[ "$stderr" = "ml-load: line 2: rating 6 is out of range [1, 5]" ]
	run -1 --separate-stderr from_text '1\t2\t0\t4\n'
	[ "$stderr" = "ml-load: line 1: rating 0 is out of range [1, 5]" ]
}

@test "an id outside [1, 10^7] is an error naming the line, even with many digits" {
	run -1 --separate-stderr from_text '0\t2\t3\t4\n'
	[ "$stderr" = "ml-load: line 1: user id 0 is out of range [1, 10000000]" ]
	run -1 --separate-stderr from_text '1\t10000001\t3\t4\n'
	[ "$stderr" = "ml-load: line 1: movie id 10000001 is out of range [1, 10000000]" ]
	run -1 --separate-stderr from_text '1\t2\t3\t4\n99999999999999999999999999\t2\t3\t4\n'
	[ "$stderr" = "ml-load: line 2: user id 99999999999999999999999999 is out of range [1, 10000000]" ]
	# 2^64 + 5: a parser that wraps around would read 5
	run -1 --separate-stderr from_text '18446744073709551621	2	3	4
'
	[ "$stderr" = "ml-load: line 1: user id 18446744073709551621 is out of range [1, 10000000]" ]
}

@test "a second rating of the same (user, movie) pair is an error naming both lines" {
	run -1 --separate-stderr from_text '1\t2\t3\t0\n2\t2\t3\t0\n3\t9\t1\t0\n2\t2\t5\t0\n3\t9\t2\t0\n'
	[ -z "$output" ]
	[ "$stderr" = "ml-load: line 4: user 2 rated movie 2 twice (first at line 2)" ]
}

@test "empty input is an error" {
	run -1 --separate-stderr ml-load < /dev/null
	[ -z "$output" ]
	[ "$stderr" = "ml-load: empty input (no ratings)" ]
}

@test "a NUL byte in a line is an error, not a silently shortened line" {
	run -1 --separate-stderr bash -c "printf '1\t2\t3\t4\n1\t3\t3\0junk\t4\n' | ml-load"
	[ "$stderr" = "ml-load: line 2: contains a NUL byte" ]
}

@test "the largest user id costs one row of that many columns, nothing sized by the cap" {
	# 1 x 10^7 f64 is 80 MB of output; the lookup tables follow the ids actually seen.
	run -0 bash -c 'memlimit 600000; printf "10000000\t3\t4\t0\n" | ml-load -q | mat-print --info'
	assert_output '# ratings 1 10000000 f64'
}

@test "a matrix over the format's limit is refused before it is written" {
	# 215 movies x 10^7 users is more than 2^31 - 1 elements
	run -1 --separate-stderr bash -c 'memlimit 600000; for m in $(seq 215); do printf "10000000\t%d\t4\t0\n" $m; done | ml-load'
	[ -z "$output" ]
	[ "$stderr" = "ml-load: a matrix of 215 movies x 10000000 users exceeds the limit of 2147483647 elements" ]
}

@test "a failure after --save-ids was opened leaves no ids file behind" {
	run -1 --separate-stderr bash -c 'ml-load --save-ids ids.mat < "$FIX/ratings_train.txt" > /dev/full'
	[[ $stderr == "ml-load: error writing standard output"* ]]
	[ -z "$(ls -d ids.mat* 2>/dev/null)" ]
}

# The real data: every expected value comes from awk and sort straight from the file.

top500_awk() {
	cut -f2 "$DATA/ml-100k/ua.base" | sort -n | uniq -c | awk '{ print $2, $1 }' |
		sort -k2,2nr -k1,1n | head -n 500 | cut -d' ' -f1 | sort -n
}

# The matrix mat-print should show: top-500 movies in id order, users 1..943, from FILE
expected_matrix_awk() {
	awk 'FNR == NR { top[++n] = $1; next }
	     { v[$2 " " $1] = $3 }
	     END { for (i = 1; i <= n; i++) {
			   line = ""
			   for (u = 1; u <= 943; u++)
				   line = line (u > 1 ? "\t" : "") ((top[i] " " u) in v ? v[top[i] " " u] : "nan")
			   print line } }' top.txt "$1"
}

@test "ua.base --top 500: 500 x 943, the awk top 500, and every rating in its place" {
	require_data ml-100k/ua.base
	top500_awk > top.txt
	ml-load -q --top 500 --save-ids ids.mat < "$DATA/ml-100k/ua.base" > train.mat
	run -0 mat-print --info < train.mat
	assert_output '# ratings 500 943 f64'
	mat-print --name movie_ids < ids.mat > ids.txt
	cmp ids.txt top.txt
	# the observed count equals awk's count of the lines whose movie is in the top 500
	want=$(awk 'FNR == NR { t[$1]; next } $2 in t { n++ } END { print n }' top.txt "$DATA/ml-100k/ua.base")
	got=$(mat-print < train.mat | tr '\t' '\n' | grep -vc nan)
	[ "$got" -eq "$want" ]
	[ "$want" -eq 70113 ]
	expected_matrix_awk "$DATA/ml-100k/ua.base" > want.txt
	mat-print < train.mat | cmp - want.txt
}

@test "ua.test --ids: the training layout, and every test rating of those movies in its place" {
	require_data ml-100k/ua.test
	top500_awk > top.txt
	ml-load -q --top 500 --save-ids ids.mat < "$DATA/ml-100k/ua.base" > /dev/null
	ml-load -q --ids ids.mat < "$DATA/ml-100k/ua.test" > test.mat
	run -0 mat-print --info < test.mat
	assert_output '# ratings 500 943 f64'
	want=$(awk 'FNR == NR { t[$1]; next } $2 in t { n++ } END { print n }' top.txt "$DATA/ml-100k/ua.test")
	got=$(mat-print < test.mat | tr '\t' '\n' | grep -vc nan)
	[ "$got" -eq "$want" ]
	expected_matrix_awk "$DATA/ml-100k/ua.test" > want.txt
	mat-print < test.mat | cmp - want.txt
}

@test "u.data without --top: every movie and user, 100000 observed entries" {
	require_data ml-100k/u.data
	run -0 bash -c 'ml-load -q < "$DATA/ml-100k/u.data" | mat-print --info'
	assert_output '# ratings 1682 943 f64'
	got=$(ml-load -q < "$DATA/ml-100k/u.data" | mat-print | tr '\t' '\n' | grep -vc nan)
	[ "$got" -eq "$(wc -l < "$DATA/ml-100k/u.data")" ]
}

@test "--save-ids refuses an empty name and anything at FILE but a regular file, before any output" {
	run -1 --separate-stderr ml-load --save-ids '' < "$FIX/ratings_train.txt"
	[ -z "$output" ]
	[ "$stderr" = "ml-load: cannot write '': the file name is empty" ]
	mkdir dir
	run -1 --separate-stderr ml-load --save-ids dir < "$FIX/ratings_train.txt"
	[ -z "$output" ]
	[ "$stderr" = "ml-load: cannot write 'dir': it is a directory, not a regular file" ]
	echo keep > target
	ln -s target link
	run -1 --separate-stderr ml-load --save-ids link < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: cannot write 'link': it is a symbolic link, not a regular file" ]
	[ -L link ] && [ "$(cat target)" = keep ]
	mkfifo fifo
	run -1 --separate-stderr ml-load --save-ids fifo < "$FIX/ratings_train.txt"
	[ "$stderr" = "ml-load: cannot write 'fifo': it is a FIFO, not a regular file" ]
	[ -p fifo ]
	if [ "$(id -u)" = 0 ]; then   # a private null device; only root may make one
		mknod -m 666 mynull c 1 3
		run -1 --separate-stderr ml-load --save-ids mynull < "$FIX/ratings_train.txt"
		[ "$stderr" = "ml-load: cannot write 'mynull': it is a device, not a regular file" ]
		[ -c mynull ]
	fi
	# no temporary was left (nor made: '' would give '.tmp.PID', dir 'dir.tmp.PID')
	[ -z "$(ls -A | grep -F .tmp.)" ]
	[ -z "$(ls -A dir)" ]
}

@test "an unwritable --save-ids place is found before the input is read" {
	run -1 --separate-stderr bash -c 'printf "not ratings\n" | ml-load --save-ids nodir/ids.mat'
	[ -z "$output" ]
	[ "$stderr" = "ml-load: cannot write 'nodir/ids.mat': No such file or directory" ]
}

@test "an existing regular --save-ids file is replaced" {
	echo old > ids.mat
	ml-load -q --save-ids ids.mat < "$FIX/ratings_train.txt" > /dev/null
	run -0 mat-print --info < ids.mat
	assert_output $'# movie_ids 4 1 f64\n# user_ids 1 4 f64'
}

@test "SIGINT, SIGTERM and SIGHUP remove the --save-ids temporary and end ml-load by the signal" {
	# ml-load waits on a FIFO that is open for writing (fd 7) but stays empty
	mkfifo in
	exec 7<>in
	for sig in INT TERM HUP; do
		env --default-signal=$sig ml-load --save-ids ids.mat < in > out 2> err &
		pid=$!
		for i in $(seq 200); do [ -e ids.mat.tmp.$pid ] && break; sleep 0.05; done
		seen=$(ls -d ids.mat.tmp.* 2>/dev/null)
		kill -s $sig $pid
		status=0
		wait $pid || status=$?
		[ "$seen" = ids.mat.tmp.$pid ]
		[ "$status" -eq $((128 + $(kill -l $sig))) ]
		[ -z "$(ls -d ids.mat* 2>/dev/null)" ]
		[ ! -s out ]
	done
	exec 7>&-
}

@test "a reader that quits early (SIGPIPE) leaves no --save-ids temporary" {
	# 200 movies x 1000 users, 1.6 MB: far more than a pipe holds
	awk 'BEGIN { for (u = 1; u <= 1000; u++) printf "%d\t%d\t5\t0\n", u, u % 200 + 1 }' > big.txt
	run -0 bash -c 'ml-load -q --save-ids ids.mat < big.txt | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}"'
	assert_output 141
	[ -z "$(ls -d ids.mat* 2>/dev/null)" ]
}

@test "a number option with leading white space is refused like one with trailing junk" {
	run -2 --separate-stderr ml-load --top ' 5' < /dev/null
	[ "${stderr_lines[0]}" = "ml-load: --top ' 5' is not an integer" ]
	run -2 --separate-stderr ml-load --top $'\t5' < /dev/null
	[ "${stderr_lines[0]}" = "ml-load: --top '\x095' is not an integer" ]
	run -2 --separate-stderr ml-load --top '5 ' < /dev/null
	[ "${stderr_lines[0]}" = "ml-load: --top '5 ' is not an integer" ]
}

@test "a field with control characters is quoted with them escaped" {
	run -1 --separate-stderr bash -c 'printf "1\t2\033[31m\t3\t4\n" | ml-load'
	[ -z "$output" ]
	[ "$stderr" = 'ml-load: line 1: movie id '\''2\x1b[31m'\'' is not a whole number' ]
	run -1 --separate-stderr bash -c 'printf "1\t2\t\3775\t4\n" | ml-load'
	[ "$stderr" = 'ml-load: line 1: rating '\''\xff5'\'' is not a whole number' ]
	run -1 --separate-stderr bash -c 'printf "1\t2\t5\t4\001\n" | ml-load'
	[ "$stderr" = 'ml-load: line 1: timestamp '\''4\x01'\'' is not a whole number' ]
}
