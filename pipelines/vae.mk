# vae: the variational autoencoder on binarized MNIST (issue 5), beside PPCA.
#
# Outputs in $(OUT)/digits:
#   vae-kK.model      the VAE with K = 2 and K = 50 latent dimensions (vae-train)
#   vae-kK.loss       per epoch: training loss and test-set negative ELBO (a stream)
#   vae-loss.png      both models' loss curves against epoch
#   vae-results.tsv   final training loss and test-set negative ELBO of each model
# The VAEs also appear in digits.mk's figures (DIGITS_MODELS lists them): a row each in
# recon.png, samples-vae-k2.png and samples-vae-k50.png, and a panel of latent.png.
#
# Training takes about two seconds per epoch on 2 cores, so each model a few minutes.

VAE_KS     := 2 50
VAE_EPOCHS := 50
VAE_SEED   := 1

# The models and loss files are results too (and minutes of training): listed here, make
# keeps them instead of deleting them as intermediates of the figures.
ALL += $(VAE_KS:%=$(DIGITS)/vae-k%.model) $(VAE_KS:%=$(DIGITS)/vae-k%.loss) \
       $(DIGITS)/vae-loss.png $(DIGITS)/vae-results.tsv

# The 10000 test digits, binarized as the training digits are.
$(DIGITS)/test.mat: $(MNIST)/t10k-images-idx3-ubyte.gz | $(DIGITS)
	mnist-read --images --binarize $(DIGITS_BINARIZE) $< > $@

# One recipe writes the model and its losses (a grouped pattern rule). vae-train writes
# the loss file only after the model, so a failed run leaves neither.
$(DIGITS)/vae-k%.model $(DIGITS)/vae-k%.loss: $(DIGITS)/train.mat $(DIGITS)/test.mat
	vae-train -k $* --epochs $(VAE_EPOCHS) --seed $(VAE_SEED) \
		--validate $(DIGITS)/test.mat --loss $(DIGITS)/vae-k$*.loss \
		< $(DIGITS)/train.mat > $(DIGITS)/vae-k$*.model

$(DIGITS)/vae-loss-k%.tsv: $(DIGITS)/vae-k%.loss
	mat-print < $< > $@

$(DIGITS)/vae-loss.png: $(VAE_KS:%=$(DIGITS)/vae-loss-k%.tsv) vae-loss.gp
	gnuplot -e "files='$(VAE_KS:%=$(DIGITS)/vae-loss-k%.tsv)'; \
		titles='$(VAE_KS:%=K=%)'; out='$@.tmp'" vae-loss.gp
	mv $@.tmp $@

# The last epoch's row of each loss file.
$(DIGITS)/vae-results.tsv: $(VAE_KS:%=$(DIGITS)/vae-loss-k%.tsv)
	{ printf 'model\tepochs\ttrain_loss_nats\ttest_neg_elbo_nats\n'; \
	  for k in $(VAE_KS); do \
		tail -n 1 $(DIGITS)/vae-loss-k$$k.tsv | \
		  awk -v k=$$k '{ printf "VAE K=%s\t%d\t%.2f\t%.2f\n", k, $$1, $$2, $$3 }'; \
	  done; } > $@
