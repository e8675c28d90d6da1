bats_require_minimum_version 1.5.0
load helper

# tests/nn-check.c (built into $LATENT_BIN/tests/) compares every layer of lib/nn and the
# whole VAE loss of lib/vae with plain-loop double-precision references and with central
# finite differences of them; its header explains each tolerance. One group per test.
check() {
	run -0 "$LATENT_BIN/tests/nn-check" "$1"
	assert_output --regexp "^$1: [0-9]+ checks, 0 failed$"
}

@test "the dense layer matches plain loops, and its backward pass the finite differences" {
	check dense
}

@test "ReLU's backward pass matches finite differences and is 0 at the kink" {
	check relu
}

@test "the sigma head is relu + 1e-4 and its backward pass matches finite differences" {
	check sigma
}

@test "the reparameterised sample's backward pass matches finite differences" {
	check reparam
}

@test "KL to N(0, I) matches its closed form and its gradient the finite differences" {
	check kl
}

@test "cross-entropy from logits is accurate from -1e4 to 1e4 and its gradient exact" {
	check bce
}

@test "the sigmoid is accurate to 4 ulps and never overflows" {
	check sigmoid
}

@test "Adam's steps match Algorithm 1 of Kingma and Ba" {
	check adam
}

@test "the gradient of the whole VAE loss with eps fixed matches finite differences" {
	check vae
}

@test "a VAE model stream reads back exactly, and each kind of damage is named" {
	check model
}

@test "nn-check refuses an unknown group" {
	run -2 "$LATENT_BIN/tests/nn-check" bogus
}
