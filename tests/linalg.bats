bats_require_minimum_version 1.5.0
load helper

# tests/linalg-check.c (built into $LATENT_BIN/tests/) calls the LAPACK wrappers of
# lib/linalg on small matrices worked out by hand, and on matrices holding NaN or
# infinity; its header explains the tolerance. One group per test.
check() {
	run -0 "$LATENT_BIN/tests/linalg-check" "$1"
	assert_output --regexp "^$1: [0-9]+ checks, 0 failed$"
}

@test "linalg_posv solves an SPD system, reports an indefinite one, and returns a status for NaN or infinity instead of aborting" {
	check posv
}

@test "linalg_syevd finds the eigenpairs of a 2 x 2 matrix and returns a status for NaN or infinity instead of aborting" {
	check syevd
}
