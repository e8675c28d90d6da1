# latent-map.gp: 2-D latent means coloured by digit label, one panel per model.
#
#   gnuplot -e "files='a.tsv b.tsv'; titles='\"PPCA K=2\" \"VAE K=2\"'; out='map.png'" latent-map.gp
#
# Each file holds rows "z1 z2 label" (TAB-separated). Points are drawn in file order, so
# no digit hides the others wholesale; the legend uses large markers of the same colours.
n = words(files)
set terminal pngcairo size 760 * n, 720 font "sans,12"
set output out
# Tableau's ten categorical colours, one per digit.
array colour[10] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", \
                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
rgb(d) = int("0x" . colour[int(d) + 1][2:7])
set multiplot layout 1, n
set key outside right top title "digit" box
set xlabel "z_1"
set ylabel "z_2"
set size ratio -1
do for [i = 1:n] {
	set title word(titles, i) . ": latent means of the 60000 training digits"
	plot word(files, i) using 1:2:(rgb($3)) with points pt 7 ps 0.15 lc rgb variable notitle, \
	     for [d = 0:9] NaN with points pt 7 ps 1.5 lc rgb colour[d + 1] title sprintf("%d", d)
}
unset multiplot
