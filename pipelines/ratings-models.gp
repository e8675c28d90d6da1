# ratings-models.gp: the two figures of ratings-models.mk. Called with -e setting
#   mode = 'rmse':   data (models-rmse.tsv), out, seeds
#   mode = 'loglik': files (space-separated --loglik files), ks (their K), out
set terminal pngcairo size 900,600 font 'DejaVu Sans,13' linewidth 1.5
set output out
set grid lc rgb '#dddddd'
set key box opaque

if (mode eq 'rmse') {
	set terminal pngcairo size 1000,650 font 'DejaVu Sans,13' linewidth 1.5
	set output out
	set title 'MovieLens-100k (ua split, 500 movies): test RMSE against the number of factors'
	set xlabel 'K (components / factors)'
	set ylabel 'test RMSE'
	set xrange [0.5:15.5]
	set xtics 1
	set yrange [0.9:1.1]
	set key top left Left reverse
	plot data using 1:4:5 with filledcurves lc rgb '#f4c7a1' \
	         title sprintf('FA, min-max over %d seeds', seeds), \
	     data using 1:3 with linespoints lw 2 pt 7 lc rgb '#d95f02' \
	         title sprintf('FA by EM on observed ratings (mean of %d seeds)', seeds), \
	     data using 1:6 with linespoints lw 1 pt 6 dt 2 lc rgb '#7f3c00' title 'FA, PCA start', \
	     data using 1:2 with linespoints lw 2 pt 5 lc rgb '#1b9e77' title 'PCA of the mean-imputed matrix', \
	     data using 1:7 with lines lw 2 dt 3 lc rgb '#555555' title 'baseline: movie means'
}

if (mode eq 'loglik') {
	set title 'Factor analysis by EM: exact observed-data log-likelihood (seed 1)'
	set xlabel 'EM iteration (0 = the random start)'
	set ylabel 'log-likelihood (nats)'
	set key bottom right
	set xrange [0:*]
	set format y '%.0f'
	plot for [i = 1:words(files)] word(files, i) using 1:2 with lines lw 2 \
	     title sprintf('K = %s', word(ks, i))
}
