# digits: generative models of binarized MNIST: PPCA (issue 4) and the VAE (vae.mk).
#
# Outputs in $(OUT)/digits:
#   recon.png          7 training digits and their reconstructions, one row per model
#   samples-NAME.png   25 samples from the prior of each model, 5 x 5
#   latent.png         latent means of all 60000 training digits, one panel per K = 2 model
#   ppca-loglik.tsv    PPCA on the training set for several K: sigma2, average log-likelihood
#
# Adding a model to the figures: build it as $(DIGITS)/NAME.model (its rule may live in
# its own .mk file), add NAME to DIGITS_MODELS with a DIGITS_LABEL_NAME, and, for K = 2,
# to DIGITS_LATENT_MODELS.

DIGITS := $(OUT)/digits
MNIST  := $(DATA)/mnist

DIGITS_MODELS        := ppca-k2 ppca-k50 vae-k2 vae-k50
DIGITS_LATENT_MODELS := ppca-k2 vae-k2
DIGITS_LABEL_ppca-k2  := PPCA K=2
DIGITS_LABEL_ppca-k50 := PPCA K=50
DIGITS_LABEL_vae-k2   := VAE K=2
DIGITS_LABEL_vae-k50  := VAE K=50

# PPCA fits for the log-likelihood table (1-2 s each on 2 cores).
PPCA_KS := 2 5 10 20 50 100 200

# The experiment's data: binarized at 0.5 (the VAE's Bernoulli likelihood needs 0/1).
DIGITS_BINARIZE := 0.5
# Samples drawn from each model's prior, and the seed.
DIGITS_SEED := 1
# Digits are drawn 4x for the eye.
IMGRID := imgrid --scale 4 --pad 4 --background 0.6

ALL += $(DIGITS)/recon.png $(DIGITS_MODELS:%=$(DIGITS)/samples-%.png) \
       $(DIGITS)/latent.png $(DIGITS)/ppca-loglik.tsv

$(DIGITS):
	mkdir -p $@

$(DIGITS)/train.mat: $(MNIST)/train-images-idx3-ubyte.gz | $(DIGITS)
	mnist-read --images --binarize $(DIGITS_BINARIZE) $< > $@

$(DIGITS)/train-labels.mat: $(MNIST)/train-labels-idx1-ubyte.gz | $(DIGITS)
	mnist-read --labels $< > $@

# The first 7 training digits, shown in the reconstruction figure.
$(DIGITS)/first7.mat: $(MNIST)/train-images-idx3-ubyte.gz | $(DIGITS)
	mnist-read --images --binarize $(DIGITS_BINARIZE) --count 7 $< > $@

# One recipe writes the model and its log-likelihood (a grouped pattern rule).
$(DIGITS)/ppca-k%.model $(DIGITS)/ppca-k%.loglik: $(DIGITS)/train.mat
	ppca-fit -k $* --loglik $(DIGITS)/ppca-k$*.loglik < $< > $(DIGITS)/ppca-k$*.model

$(DIGITS)/ppca-loglik.tsv: $(PPCA_KS:%=$(DIGITS)/ppca-k%.model)
	{ printf 'K\tsigma2\tavg_loglik_nats\n'; \
	  for k in $(PPCA_KS); do \
		printf '%s\t%s\t%s\n' $$k \
		  "$$(mat-print --name sigma2 < $(DIGITS)/ppca-k$$k.model)" \
		  "$$(cat $(DIGITS)/ppca-k$$k.loglik)"; \
	  done; } > $@

# --- reconstructions: one labelled row per model under the originals ---

$(DIGITS)/row-originals.pgm: $(DIGITS)/first7.mat
	$(IMGRID) --cols 7 < $< > $@

$(DIGITS)/row-%.pgm: $(DIGITS)/%.model $(DIGITS)/first7.mat
	vae-sample -q --reconstruct $< < $(DIGITS)/first7.mat | $(IMGRID) --cols 7 > $@

$(DIGITS)/recon.png: $(DIGITS)/row-originals.pgm $(DIGITS_MODELS:%=$(DIGITS)/row-%.pgm) figure.sh
	bash figure.sh rows $@ "training digits" $(DIGITS)/row-originals.pgm \
		$(foreach m,$(DIGITS_MODELS),"$(DIGITS_LABEL_$(m))" $(DIGITS)/row-$(m).pgm)

# --- 25 samples from the prior of each model ---

$(DIGITS)/samples-%.png: $(DIGITS)/%.model figure.sh
	vae-sample -q --sample 25 --seed $(DIGITS_SEED) $< | $(IMGRID) --cols 5 > $(DIGITS)/samples-$*.pgm
	bash figure.sh title $@ "$(DIGITS_LABEL_$*): 25 samples" $(DIGITS)/samples-$*.pgm
	rm -f $(DIGITS)/samples-$*.pgm

# --- latent maps of the K = 2 models ---

$(DIGITS)/labels.txt: $(DIGITS)/train-labels.mat
	mat-print < $< > $@

$(DIGITS)/latent-%.tsv: $(DIGITS)/%.model $(DIGITS)/train.mat $(DIGITS)/labels.txt
	vae-sample -q --encode $< < $(DIGITS)/train.mat | mat-print | paste - $(DIGITS)/labels.txt > $@

$(DIGITS)/latent.png: $(DIGITS_LATENT_MODELS:%=$(DIGITS)/latent-%.tsv) latent-map.gp
	gnuplot -e "files='$(DIGITS_LATENT_MODELS:%=$(DIGITS)/latent-%.tsv)'; \
		titles='$(foreach m,$(DIGITS_LATENT_MODELS),\"$(DIGITS_LABEL_$(m))\")'; out='$@.tmp'" \
		latent-map.gp
	mv $@.tmp $@
