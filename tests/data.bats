bats_require_minimum_version 1.5.0
load helper

# data/Makefile run against a folder of this test (out/), never the repository's data/.
# A fake mirror holds small stand-in files, and a fake checksum list (SUMS) their sums,
# so the copy, check and rename steps run for real without the data sets; the download
# branch runs the same way on file:// URLs (no network here or in CI).

ML_FILES='README u.data u.genre u.info u.item u.occupation u.user u1.base u1.test u2.base u2.test u3.base u3.test u4.base u4.test u5.base u5.test ua.base ua.test ub.base ub.test'
MNIST_FILES='train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz'

# Run as a top-level make even inside `make test` (its MAKEFLAGS and level would leak in).
datamake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -f "$REPO/data/Makefile" -C out DATA_MIRROR= "$@"
}

# mirror/ laid out like the shared data folder, and sums listing every file
fake_mirror() {
	mkdir -p out mirror/ml-100k mirror/mnist
	for f in $ML_FILES; do echo "fake $f" > "mirror/ml-100k/$f"; done
	for f in $MNIST_FILES; do echo "fake $f" | gzip -n > "mirror/mnist/$f"; done
	(cd mirror && sha256sum ml-100k/* mnist/*) > sums
}

@test "with DATA_MIRROR every file is copied, checked and in place" {
	fake_mirror
	run -0 --separate-stderr datamake DATA_MIRROR="$PWD/mirror" SUMS="$PWD/sums"
	for f in $ML_FILES; do cmp "mirror/ml-100k/$f" "out/ml-100k/$f"; done
	for f in $MNIST_FILES; do cmp "mirror/mnist/$f" "out/mnist/$f"; done
	[ "$(echo "$stderr" | grep -c ' ok$')" -eq 25 ]
	[ -z "$(find out -name '*.tmp')" ]
	run -0 datamake DATA_MIRROR="$PWD/mirror" SUMS="$PWD/sums" check
	run -0 datamake DATA_MIRROR="$PWD/mirror" SUMS="$PWD/sums"
	assert_output "make: Nothing to be done for 'all'."
}

@test "a relative DATA_MIRROR is taken from the repository root" {
	fake_mirror
	rel=$(realpath --relative-to="$REPO" "$PWD/mirror")
	run -0 datamake DATA_MIRROR="$rel" SUMS="$PWD/sums"
	cmp mirror/ml-100k/ua.base out/ml-100k/ua.base
}

@test "a checksum mismatch fails, names the file and leaves nothing of it behind" {
	fake_mirror
	echo tampered >> mirror/ml-100k/ua.base
	run -2 --separate-stderr datamake DATA_MIRROR="$PWD/mirror" SUMS="$PWD/sums"
	assert_equal "$(echo "$stderr" | grep '^data: checksum mismatch')" \
		"data: checksum mismatch for ml-100k/ua.base: expected $(grep ' ml-100k/ua.base$' sums | cut -d' ' -f1), got $(sha256sum < mirror/ml-100k/ua.base | cut -d' ' -f1) (removed)"
	[ ! -e out/ml-100k/ua.base ]
	[ -z "$(find out -name '*.tmp')" ]
	run -2 --separate-stderr datamake SUMS="$PWD/sums" check
	[[ $stderr == "data: ml-100k/ua.base is missing"* ]]
}

@test "a file missing from the mirror fails and names it" {
	fake_mirror
	rm mirror/mnist/t10k-labels-idx1-ubyte.gz
	run -2 --separate-stderr datamake DATA_MIRROR="$PWD/mirror" SUMS="$PWD/sums"
	assert_equal "$(echo "$stderr" | grep '^data: cannot')" \
		"data: cannot copy mnist/t10k-labels-idx1-ubyte.gz from $PWD/mirror"
	[ -z "$(find out -name 't10k-labels*')" ]
}

@test "a file without a recorded checksum is refused" {
	fake_mirror
	grep -v ' ml-100k/u.item$' sums > fewer
	run -2 --separate-stderr datamake DATA_MIRROR="$PWD/mirror" SUMS="$PWD/fewer"
	assert_equal "$(echo "$stderr" | grep '^data: no checksum')" "data: no checksum for ml-100k/u.item in $PWD/fewer"
	[ -z "$(find out -name 'u.item*')" ]
}

@test "without a mirror, the zip and the MNIST files are downloaded, checked and unpacked" {
	command -v zip > /dev/null || skip "zip is not installed (.ci/install-deps installs it)"
	fake_mirror
	(cd mirror && zip -q -r ../ml-100k.zip ml-100k)
	sha256sum ml-100k.zip >> sums
	run -0 datamake SUMS="$PWD/sums" ML_URL="file://$PWD/ml-100k.zip" MNIST_URL="file://$PWD/mirror/mnist"
	for f in $ML_FILES; do cmp "mirror/ml-100k/$f" "out/ml-100k/$f"; done
	for f in $MNIST_FILES; do cmp "mirror/mnist/$f" "out/mnist/$f"; done
	cmp ml-100k.zip out/ml-100k.zip
}

@test "a zip with the wrong checksum is removed and nothing is unpacked" {
	command -v zip > /dev/null || skip "zip is not installed (.ci/install-deps installs it)"
	fake_mirror
	(cd mirror && zip -q -r ../ml-100k.zip ml-100k)
	echo "$(printf '0%.0s' $(seq 64))  ml-100k.zip" >> sums
	run -2 --separate-stderr datamake SUMS="$PWD/sums" ML_URL="file://$PWD/ml-100k.zip"
	[[ $stderr == *"data: checksum mismatch for ml-100k.zip: expected 000"* ]]
	[ -z "$(ls out)" ]
}

@test "a failed download says what it tried to fetch and leaves nothing behind" {
	fake_mirror
	run -2 --separate-stderr datamake SUMS="$PWD/sums" ML_URL="file://$PWD/nosuch.zip"
	[[ $stderr == *"data: cannot download ml-100k.zip from file://$PWD/nosuch.zip"* ]]
	[ -z "$(ls out)" ]
	run -2 --separate-stderr datamake SUMS="$PWD/sums" MNIST_URL="file://$PWD/nowhere" mnist/train-labels-idx1-ubyte.gz
	[[ $stderr == *"data: cannot download mnist/train-labels-idx1-ubyte.gz from file://$PWD/nowhere/train-labels-idx1-ubyte.gz"* ]]
	[ -z "$(find out -type f)" ]
}

@test "the real mirror matches every checksum recorded in the repository" {
	[ -n "${DATA_MIRROR:-}" ] || skip "DATA_MIRROR is not set (.ci/run sets it)"
	mkdir out
	run -0 datamake DATA_MIRROR="$DATA_MIRROR"
	run -0 datamake check
	[ "$(wc -l < out/ml-100k/u.data)" -eq 100000 ]
}
