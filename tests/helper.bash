# Shared set-up for every latent bats file: `load helper` at the top.
#
# - the freshly built tools come first on PATH (LATENT_BIN, default ../bin)
# - FIX is the fixtures folder, exported so `bash -c` pipelines see it
# - REPO is the project root; DATA is where `make -C data` puts the real data sets
# - each test runs inside its own $BATS_TEST_TMPDIR

bats_load_library bats-support
bats_load_library bats-assert

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
LATENT_BIN=${LATENT_BIN:-$REPO/bin}
PATH="$LATENT_BIN:$PATH"
FIX="$BATS_TEST_DIRNAME/fixtures"
DATA="$REPO/data"
export PATH FIX REPO DATA LATENT_BIN
export LC_ALL=C OPENBLAS_NUM_THREADS=1

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# Skip (visibly) unless the real data file $1, relative to data/, is present.
require_data() {
	[ -f "$DATA/$1" ] || skip "real data $1 not present (run: make -C data DATA_MIRROR=...)"
}

# Assert that two numbers agree within an absolute tolerance: close A B TOL
close() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d;
		if (d <= t) exit 0; printf "|%s - %s| = %g > %g\n", a, b, d, t; exit 1 }'
}

# A matrix stream from literal text: mat TYPE NAME 'row1\nrow2' > file
mat() {
	printf '%b\n' "$3" | mat-from-text --type "$1" --name "$2"
}

# Cap the virtual memory of this shell at $1 KB (ulimit -v), to show that a lying size
# allocates nothing. Not under ASan: its shadow memory reserves terabytes of address
# space at start-up, so there the test checks the outcome only.
memlimit() {
	# Not `ldd | grep -q`: under pipefail, grep's early exit kills ldd with SIGPIPE and the
	# pipeline "fails", which would set the limit on an ASan build after all.
	case $(ldd "$LATENT_BIN/mat-print" 2>/dev/null) in
	*libasan*) ;;
	*) ulimit -v "$1" ;;
	esac
}
export -f mat close memlimit
