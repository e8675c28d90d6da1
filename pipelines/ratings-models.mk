# ratings-models: PCA and factor analysis on the MovieLens split, test RMSE against K
# (issue 3). Builds on ratings.mk's files in $(OUT)/ml: train.mat (500 movies x 943
# users, NaN = unrated), test.mat, imputed.mat (train, NaN -> movie mean), baseline.txt.
#
# Outputs in $(OUT)/ml:
#   models-rmse.tsv      K, PCA RMSE, FA RMSE over the seeds (mean, min, max), FA from
#                        the PCA start, and the baseline, for K = 1..15
#   models-best-k.txt    the best K of each method
#   pca-k500.txt         PCA at K = 500 (the full rank): must equal the baseline
#   pca-check.txt        PCA RMSE by SVD against covariance eigenvectors, every K
#   models-rmse.png      RMSE against K: PCA, FA mean with its min-max band, baseline
#   fa-loglik.png        FA log-likelihood against iteration for a few K
#   numpy-check.txt      the same numbers computed independently (ratings-check.py)
#
# Every FA fit runs FA_ITERS EM iterations from a random W (scale 0.1, ml-faem's
# default) for each seed in FA_SEEDS; the spread over seeds is the band in the plot.

RM_DIR      := $(OUT)/ml
RM_KS       := 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
FA_SEEDS    := 1 2 3 4 5
FA_ITERS    := 100
# The log-likelihood plot: these K, for the first seed.
FA_LL_KS    := 1 2 5 10 15

ALL += $(RM_DIR)/models-rmse.tsv $(RM_DIR)/models-best-k.txt $(RM_DIR)/pca-k500.txt \
       $(RM_DIR)/pca-check.txt $(RM_DIR)/models-rmse.png $(RM_DIR)/fa-loglik.png \
       $(RM_DIR)/numpy-check.txt

# --- PCA of the mean-imputed matrix, by SVD (the results) and by eigenvectors (the check)

# The sweep is one SVD: ml-pca -k FIRST-LAST writes the reconstruction of every K (the
# bytes that -k K alone writes), and one rmse --names run scores them all, a line
# 'pca_kK<TAB>RMSE' each. RM_KS must therefore be a run of consecutive K.
RM_PCA := $(RM_KS:%=$(RM_DIR)/pca-k%.rmse)

$(RM_DIR)/pca-sweep.tsv: $(RM_DIR)/imputed.mat $(RM_DIR)/test.mat $(BIN)/ml-pca $(BIN)/rmse
	ml-pca -q -k $(firstword $(RM_KS))-$(lastword $(RM_KS)) < $< | \
		rmse --names $(RM_DIR)/test.mat > $@

# One file per K, as the table and the checks read them; fails if a K is missing.
$(RM_PCA) &: $(RM_DIR)/pca-sweep.tsv
	for k in $(RM_KS); do \
		awk -F '\t' -v name=pca_k$$k '$$1 == name { print $$2; n++ } END { exit n != 1 }' \
			$< > $(RM_DIR)/pca-k$$k.rmse; \
	done

# Any other K (the full-rank check, K = 500): a run of its own.
$(RM_DIR)/pca-k%.rmse: $(RM_DIR)/imputed.mat $(RM_DIR)/test.mat $(BIN)/ml-pca $(BIN)/rmse
	ml-pca -q -k $* < $< | rmse $(RM_DIR)/test.mat > $@

$(RM_DIR)/pca-eig-k%.rmse: $(RM_DIR)/imputed.mat $(RM_DIR)/test.mat $(BIN)/ml-pca $(BIN)/rmse
	ml-pca -q -k $* --method eig < $< | rmse $(RM_DIR)/test.mat > $@

# --- factor analysis by EM on the observed ratings: one rule per seed (two stems)

define RM_FA_SEED
$(RM_DIR)/fa-s$(1)-k%.rmse $(RM_DIR)/fa-s$(1)-k%.loglik: $(RM_DIR)/train.mat \
		$(RM_DIR)/test.mat $(BIN)/ml-faem $(BIN)/rmse
	ml-faem -q -k $$* -i $(FA_ITERS) --seed $(1) --loglik $(RM_DIR)/fa-s$(1)-k$$*.loglik \
		< $$< | rmse $(RM_DIR)/test.mat > $(RM_DIR)/fa-s$(1)-k$$*.rmse
endef
$(foreach s,$(FA_SEEDS),$(eval $(call RM_FA_SEED,$(s))))

$(RM_DIR)/fa-pca-k%.rmse: $(RM_DIR)/train.mat $(RM_DIR)/test.mat $(BIN)/ml-faem $(BIN)/rmse
	ml-faem -q -k $* -i $(FA_ITERS) --init pca < $< | rmse $(RM_DIR)/test.mat > $@

# --- the table, the best K, the full-rank check

RM_FA   := $(foreach s,$(FA_SEEDS),$(RM_KS:%=$(RM_DIR)/fa-s$(s)-k%.rmse))
RM_FAP  := $(RM_KS:%=$(RM_DIR)/fa-pca-k%.rmse)

$(RM_DIR)/models-rmse.tsv: $(RM_PCA) $(RM_FA) $(RM_FAP) $(RM_DIR)/baseline.txt
	{ printf 'K\tpca\tfa_mean\tfa_min\tfa_max\tfa_pca_init\tbaseline\n'; \
	  for k in $(RM_KS); do \
		fa=$$(for s in $(FA_SEEDS); do cat $(RM_DIR)/fa-s$$s-k$$k.rmse; done | \
			awk '{ s += $$1; if (NR == 1 || $$1 < lo) lo = $$1; if (NR == 1 || $$1 > hi) hi = $$1 } \
			     END { printf "%.6f\t%.6f\t%.6f", s / NR, lo, hi }'); \
		printf '%d\t%.6f\t%s\t%.6f\t%.6f\n' $$k "$$(cat $(RM_DIR)/pca-k$$k.rmse)" "$$fa" \
			"$$(cat $(RM_DIR)/fa-pca-k$$k.rmse)" "$$(cat $(RM_DIR)/baseline.txt)"; \
	  done; } > $@

$(RM_DIR)/models-best-k.txt: $(RM_DIR)/models-rmse.tsv
	awk -F '\t' 'NR > 1 { if (!p || $$2 < pb) { p = $$1; pb = $$2 } \
			      if (!f || $$3 < fb) { f = $$1; fb = $$3 } base = $$7 } \
		END { printf "PCA (mean-imputed, SVD): best K = %d, test RMSE %.4f\n", p, pb; \
		      printf "FA (EM, observed only, mean of %d seeds): best K = %d, test RMSE %.4f\n", \
			$(words $(FA_SEEDS)), f, fb; \
		      printf "baseline (movie means): test RMSE %.4f\n", base }' $< > $@

# At K = 500 = the number of movies the reconstruction is the imputed matrix itself, so
# its test RMSE is the baseline's; the recipe fails unless they agree to 1e-12.
$(RM_DIR)/pca-k500.txt: $(RM_DIR)/pca-k500.rmse $(RM_DIR)/baseline.txt
	awk -v p="$$(cat $<)" -v b="$$(cat $(RM_DIR)/baseline.txt)" 'BEGIN { d = p - b; \
		printf "PCA K=500 test RMSE %.15f, baseline %.15f, difference %.1e\n", p, b, d; \
		exit (d > 1e-12 || d < -1e-12) }' > $@

# The independent route: eigenvectors of the 500 x 500 covariance (dsyevr) instead of
# the SVD of the data (dgesdd). Fails unless every K agrees to 1e-9.
$(RM_DIR)/pca-check.txt: $(RM_PCA) $(RM_KS:%=$(RM_DIR)/pca-eig-k%.rmse)
	for k in $(RM_KS); do \
		printf '%s\t%s\t%s\n' $$k "$$(cat $(RM_DIR)/pca-k$$k.rmse)" "$$(cat $(RM_DIR)/pca-eig-k$$k.rmse)"; \
	done | awk -F '\t' '{ d = $$2 - $$3; if (d < 0) d = -d; if (d > m) m = d } \
		END { printf "PCA test RMSE for K = 1..15, SVD vs covariance eigenvectors: largest difference %.1e\n", m; \
		      exit (m > 1e-9) }' > $@

# --- plots

$(RM_DIR)/models-rmse.png: $(RM_DIR)/models-rmse.tsv ratings-models.gp
	gnuplot -e "mode = 'rmse'; data = '$<'; out = '$@.tmp'; seeds = $(words $(FA_SEEDS))" ratings-models.gp
	mv $@.tmp $@

RM_LL := $(FA_LL_KS:%=$(RM_DIR)/fa-s$(firstword $(FA_SEEDS))-k%.loglik)

$(RM_DIR)/fa-loglik.png: $(RM_LL) ratings-models.gp
	gnuplot -e "mode = 'loglik'; files = '$(RM_LL)'; ks = '$(FA_LL_KS)'; out = '$@.tmp'" ratings-models.gp
	mv $@.tmp $@

# --- the independent check in numpy (python3-numpy): see ratings-check.py

# A random starting model (K = 3, seed 1) and ml-faem's log-likelihoods for 10 EM
# iterations from it, which the check repeats with full covariances.
$(RM_DIR)/fa-start.mat: $(RM_DIR)/train.mat $(BIN)/ml-faem
	ml-faem -q -k 3 -i 0 --seed 1 --model $@ < $< > /dev/null

$(RM_DIR)/fa-check.loglik: $(RM_DIR)/fa-start.mat $(RM_DIR)/train.mat $(BIN)/ml-faem
	ml-faem -q --start $< -i 10 --loglik $@ < $(RM_DIR)/train.mat > /dev/null

$(RM_DIR)/numpy-check.txt: ratings-check.py $(RM_DIR)/models-rmse.tsv $(RM_DIR)/pca-k500.rmse \
		$(RM_DIR)/fa-start.mat $(RM_DIR)/fa-check.loglik
	/usr/bin/python3 ratings-check.py $(RM_DIR) > $@
	cat $@
