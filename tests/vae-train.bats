bats_require_minimum_version 1.5.0
load helper

# 256 binary images of 4 x 4 pixels: four prototypes (pixel j is on when j mod 4 = p, a
# vertical bar in column p), every third image with one pixel flipped. Structure a
# 2-D latent space can capture, and small enough to train in milliseconds.
bars_text() {
	awk 'BEGIN { for (i = 0; i < 256; i++) { p = i % 4; f = i % 3 ? -1 : (i * 7) % 16; s = ""
		for (j = 0; j < 16; j++) { b = (j % 4 == p); if (j == f) b = 1 - b
			s = s (j ? " " : "") b }
		print s } }'
}

bars() {
	bars_text | mat-from-text --type f32 --name bars
}

# A quick run on the bars: options tuned for 256 images of 16 pixels.
quick() {
	vae-train -k 2 --hidden 32 --batch 16 --lr 3e-3 "$@"
}

@test "vae-train --help prints usage and every default to stdout" {
	run -0 vae-train --help
	assert_line --index 0 'Usage: vae-train -k K [OPTION]... < IMAGES > MODEL'
	assert_output --partial '(default 250)'
	assert_output --partial '(default 128)'
	assert_output --partial '(default 1e-3)'
}

@test "vae-train --version names the tool" {
	run -0 vae-train --version
	assert_output --partial 'vae-train (latent'
}

@test "vae-train rejects an unknown option with exit 2" {
	run -2 vae-train --bogus
}

@test "vae-train requires -k" {
	run -2 --separate-stderr vae-train --epochs 2
	[ -z "$output" ]
	assert_equal "${stderr_lines[0]}" 'vae-train: the latent dimension -k K is required'
}

@test "vae-train checks its numbers before reading any input" {
	run -2 --separate-stderr vae-train -k 0 < /dev/null
	assert_equal "${stderr_lines[0]}" "vae-train: -k '0' is out of range [1, 100000]"
	run -2 --separate-stderr vae-train -k 2 --lr 1e-3x < /dev/null
	assert_equal "${stderr_lines[0]}" "vae-train: --lr '1e-3x' is not a number"
	run -2 --separate-stderr vae-train -k 2 --beta2 1 < /dev/null
	assert_equal "${stderr_lines[0]}" "vae-train: --beta2 '1' is out of range [0, 0.999999]"
	run -2 --separate-stderr vae-train -k 2 --seed -1 < /dev/null
	assert_equal "${stderr_lines[0]}" "vae-train: --seed '-1' is not a non-negative integer"
}

@test "vae-train rejects an operand" {
	run -2 --separate-stderr vae-train -k 2 images.mat
	assert_equal "${stderr_lines[0]}" "vae-train: unexpected operand 'images.mat' (the images are read from standard input)"
}

@test "vae-train rejects an empty input" {
	run -1 --separate-stderr vae-train -k 2 < /dev/null
	[ -z "$output" ]
	[ "$stderr" = 'vae-train: standard input: no matrix (empty stream)' ]
}

@test "vae-train rejects a matrix with no images" {
	printf 'LMAT 1 f32 0 16 bars\n' > empty.mat
	run -1 --separate-stderr vae-train -k 2 < empty.mat
	[ -z "$output" ]
	[ "$stderr" = 'vae-train: standard input: no images (the matrix is 0 x 16)' ]
}

@test "vae-train rejects a pixel outside [0, 1] and a missing pixel" {
	mat f32 X '0 1 0.5\n1 1.5 0' > big.mat
	run -1 --separate-stderr vae-train -k 2 < big.mat
	[ -z "$output" ]
	[ "$stderr" = 'vae-train: standard input: value 1.5 at row 2, column 2 is outside [0, 1]' ]
	mat f32 X '0 1 nan' > nan.mat
	run -1 --separate-stderr vae-train -k 2 < nan.mat
	[ -z "$output" ]
	[ "$stderr" = 'vae-train: standard input: value nan at row 1, column 3 is outside [0, 1]' ]
}

@test "vae-train rejects a broken stream with the reader's message" {
	printf 'LMAT 1 f32 4 16 bars\n1234' > short.mat
	run -1 --separate-stderr vae-train -k 2 < short.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-train: standard input: short payload in matrix 'bars': header promises 4 x 16 f32 (256 bytes), stream holds 4" ]
}

@test "vae-train rejects validation images of another width, and a missing file" {
	bars > bars.mat
	mat f32 V '0 1 0\n1 0 1' > v3.mat
	run -1 --separate-stderr vae-train -k 2 --validate v3.mat < bars.mat
	[ -z "$output" ]
	[ "$stderr" = 'vae-train: v3.mat: images of 3 values, but the training images have 16' ]
	run -1 --separate-stderr vae-train -k 2 --validate nowhere.mat < bars.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-train: cannot open 'nowhere.mat': No such file or directory" ]
}

@test "a failed run leaves no loss file behind" {
	mat f32 X '0 2' > bad.mat
	run -1 vae-train -k 2 --loss loss.mat < bad.mat
	run -0 bash -c 'ls | grep -c loss || true'
	assert_output 0
}

@test "the model stream holds the kind and the ten tensors with their shapes" {
	bars > bars.mat
	quick --epochs 1 -q < bars.mat > model.mat
	run -0 mat-print --info < model.mat
	assert_output "$(printf '# %s\n' 'model:vae 1 1 f32' 'enc1.W 32 16 f32' 'enc1.b 1 32 f32' \
		'enc_mu.W 2 32 f32' 'enc_mu.b 1 2 f32' 'enc_sigma.W 2 32 f32' 'enc_sigma.b 1 2 f32' \
		'dec1.W 32 2 f32' 'dec1.b 1 32 f32' 'dec2.W 16 32 f32' 'dec2.b 1 16 f32')"
	run -0 mat-print --name model:vae < model.mat
	assert_output 1
}

@test "the loss file has one row per epoch: epoch, loss, and nan without --validate" {
	bars > bars.mat
	quick --epochs 3 -q --loss loss.mat < bars.mat > /dev/null
	run -0 mat-print --header < loss.mat
	assert_line --index 0 '# loss 3 3 f64'
	run -0 bash -c "mat-print < loss.mat | awk '{ printf \"%s %s|\", \$1, \$3 }'"
	assert_output '1 nan|2 nan|3 nan|'
}

@test "the loss falls, and the best of three seeds ends far below independent pixels" {
	bars > bars.mat
	# The best independent-pixel model's loss per image is the sum over pixels of the
	# binary entropy of each pixel's mean (8.98 nats here). A VAE that found the four
	# prototypes does far better: 0.6 of it leaves room for the noise of training.
	# One run in six or so gets stuck higher on this tiny problem: a sigma head whose
	# ReLU input turns negative for every image is dead (sigma = 1e-4 with zero
	# gradient, 8.7 nats of KL), so the best of three seeds must get there, and every
	# run's loss must fall.
	indep=$(bars_text | awk '{ for (j = 1; j <= NF; j++) s[j] += $j; n++ }
		END { for (j = 1; j <= 16; j++) { q = s[j] / n
			h -= (q > 0 ? q * log(q) : 0) + (q < 1 ? (1 - q) * log(1 - q) : 0) }
		print h }')
	best=1e9
	for seed in 1 2 3; do
		quick --epochs 40 -q --seed $seed --loss loss.mat < bars.mat > /dev/null
		read -r first last < <(mat-print < loss.mat | awk 'NR == 1 { f = $2 } { l = $2 }
			END { print f, l }')
		awk -v f="$first" -v l="$last" 'BEGIN { exit !(l < f / 1.5) }' ||
			{ echo "seed $seed: the loss goes from $first to $last"; false; }
		best=$(awk -v b="$best" -v l="$last" 'BEGIN { print (l < b ? l : b) }')
	done
	awk -v b="$best" -v i="$indep" 'BEGIN { exit !(b < 0.6 * i) }' ||
		{ echo "best final loss $best, independent pixels $indep"; false; }
}

@test "the validation negative ELBO is finite and never beats the data's own entropy" {
	bars > bars.mat
	quick --epochs 20 -q --validate bars.mat --loss loss.mat < bars.mat > /dev/null
	# Averaged over the images, -ELBO >= -log p(x) >= the entropy of the images'
	# empirical distribution (Gibbs' inequality), whatever the model.
	entropy=$(bars_text | sort | uniq -c | awk '{ c[NR] = $1; n += $1 }
		END { for (i in c) h -= c[i] / n * log(c[i] / n); print h }')
	run -0 bash -c "mat-print < loss.mat | awk -v h=$entropy '\$3 == \"nan\" || \$3 + 0 < h { bad = 1 }
		END { print bad ? \"bad\" : \"ok\" }'"
	assert_output ok
}

@test "the same seed gives identical bytes, a different seed different ones" {
	bars > bars.mat
	quick --epochs 3 -q --seed 7 --loss l1.mat < bars.mat > m1.mat
	quick --epochs 3 -q --seed 7 --loss l2.mat < bars.mat > m2.mat
	quick --epochs 3 -q --seed 8 --loss l3.mat < bars.mat > m3.mat
	cmp m1.mat m2.mat
	cmp l1.mat l2.mat
	! cmp -s m1.mat m3.mat
	! cmp -s l1.mat l3.mat
}

@test "without --seed the seed is 42" {
	bars > bars.mat
	quick --epochs 2 -q < bars.mat > a.mat
	quick --epochs 2 -q --seed 42 < bars.mat > b.mat
	cmp a.mat b.mat
}

@test "progress is one line per epoch on a pipe, and --quiet silences it" {
	bars > bars.mat
	run -0 --separate-stderr quick --epochs 3 --validate bars.mat < bars.mat
	[ "${#stderr_lines[@]}" -eq 4 ]
	[[ ${stderr_lines[0]} =~ ^vae-train:\ epoch\ 1/3:\ loss\ [0-9.]+,\ validation\ [0-9.]+,\ [0-9.]+s,\ [0-9.]+s\ left$ ]]
	[[ ${stderr_lines[3]} =~ ^vae-train:\ 3\ epochs\ of\ 256\ images\ in\ [0-9.]+s$ ]]
	run -0 --separate-stderr quick --epochs 3 -q < bars.mat
	[ -z "$stderr" ]
}

@test "on a terminal the progress is a bar redrawn in place" {
	command -v script > /dev/null || skip "script(1) is not installed"
	bars > bars.mat
	run -0 script -qec 'vae-train -k 2 --hidden 32 --batch 16 --epochs 2 < bars.mat > m.mat' /dev/null
	[[ $output == *$'\r'"vae-train: epoch 1/2 ["*"] 100% loss "* ]]
	[[ $output == *"vae-train: epoch 2/2: loss "* ]]
}

@test "vae-train reports a failed write of the model" {
	bars > bars.mat
	run -1 --separate-stderr bash -c 'vae-train -k 2 --hidden 8 --epochs 1 -q --loss l.mat < bars.mat > /dev/full'
	[[ $stderr == "vae-train: "*"No space left on device" ]]
	[ ! -e l.mat ]
}

@test "on 1000 real digits the loss falls and beats the coin-flip model in three epochs" {
	require_data mnist/train-images-idx3-ubyte.gz
	mnist-read --images --binarize 0.5 --count 1000 "$DATA/mnist/train-images-idx3-ubyte.gz" > d.mat
	vae-train -q -k 2 --epochs 3 --loss loss.mat < d.mat > vae.mat
	# A model that says 1/2 for every pixel loses 784 ln 2 = 543.4 nats per image; the
	# untrained VAE starts near it (its logits are small) and must end well below.
	run -0 bash -c "mat-print < loss.mat | awk 'NR == 1 { f = \$2 } { l = \$2 }
		END { print (l < f && l < 543.4 - 100) ? \"ok\" : f \" \" l }'"
	assert_output ok
	run -0 bash -c 'vae-sample -q --sample 4 vae.mat | mat-print --info'
	assert_output '# samples 4 784 f32'
}

@test "vae-train refuses a second matrix or trailing bytes on standard input and in --validate" {
	bars > bars.mat
	run -1 --separate-stderr bash -c 'cat bars.mat bars.mat | vae-train -k 2 --epochs 1 --loss l.mat'
	[ -z "$output" ]
	[ "$stderr" = "vae-train: standard input: unexpected extra matrix 'bars'" ]
	[ ! -e l.mat ]
	run -1 --separate-stderr bash -c '{ cat bars.mat; printf garbage; } | vae-train -k 2 --epochs 1'
	[ -z "$output" ]
	[[ $stderr == "vae-train: standard input: trailing data: "* ]]
	cat bars.mat bars.mat > two.mat
	run -1 --separate-stderr vae-train -k 2 --epochs 1 --validate two.mat < bars.mat
	[ -z "$output" ]
	[ "$stderr" = "vae-train: two.mat: unexpected extra matrix 'bars'" ]
}

@test "a pixel just above 1 is printed with every digit it takes" {
	# 1.0000001 rounds to the f32 just above 1, 1 + 2^-23 = 1.00000012; %g printed "1".
	# The shortest decimal that reads back to that f32 is 1.0000001.
	run -1 --separate-stderr bash -c "printf '0 1.0000001 1 0\n' | mat-from-text | vae-train -k 2"
	[ -z "$output" ]
	[ "$stderr" = 'vae-train: standard input: value 1.0000001 at row 1, column 2 is outside [0, 1]' ]
}
