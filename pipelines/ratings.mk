# ratings: the MovieLens-100k split and the per-movie-mean baseline.
#
# Train on ua.base, test on ua.test (ml-100k's split: 10 ratings of every user held
# out), on the 500 movies with the most ratings in ua.base and all 943 users:
#
#   $(OUT)/ml/train.mat    500 x 943 f64, NaN = unrated (ml-load --top 500)
#   $(OUT)/ml/ids.mat      the layout: movie_ids (500 x 1), user_ids (1 x 943)
#   $(OUT)/ml/test.mat     ua.test on the same rows and columns (ml-load --ids)
#   $(OUT)/ml/imputed.mat  train with each NaN replaced by its movie's mean
#   $(OUT)/ml/baseline.txt the test RMSE of that imputation, one number
#
# Other topics (ratings-models.mk) build on these files.

ML_OUT := $(OUT)/ml
ML_TOP := 500

ALL += $(ML_OUT)/baseline.txt

$(ML_OUT):
	mkdir -p $@

# A rebuilt tool reruns its steps.
$(ML_OUT)/train.mat $(ML_OUT)/ids.mat &: $(DATA)/ml-100k/ua.base $(BIN)/ml-load | $(ML_OUT)
	ml-load --top $(ML_TOP) --save-ids $(ML_OUT)/ids.mat < $< > $(ML_OUT)/train.mat

$(ML_OUT)/test.mat: $(DATA)/ml-100k/ua.test $(ML_OUT)/ids.mat $(BIN)/ml-load
	ml-load --ids $(ML_OUT)/ids.mat < $< > $@

$(ML_OUT)/imputed.mat: $(ML_OUT)/train.mat $(BIN)/ml-impute
	ml-impute --mean < $< > $@

$(ML_OUT)/baseline.txt: $(ML_OUT)/imputed.mat $(ML_OUT)/test.mat $(BIN)/rmse
	rmse $(ML_OUT)/test.mat < $< > $@
	@echo "ratings: per-movie-mean baseline, test RMSE on ua.test (top $(ML_TOP) movies): $$(cat $@)"
