# vae-loss.gp: VAE loss curves against epoch, one colour per model.
#
#   gnuplot -e "files='a.tsv b.tsv'; titles='K=2 K=50'; out='loss.png'" vae-loss.gp
#
# Each file holds rows "epoch training-loss test-negative-ELBO" (mat-print of the loss
# stream vae-train --loss writes): the training loss is drawn solid, the test-set
# negative ELBO dashed, both in nats per digit.
n = words(files)
set terminal pngcairo size 900, 600 font "sans,12"
set output out
array colour[4] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
set title "VAE on binarized MNIST: loss per digit (one-sample negative ELBO)"
set xlabel "epoch"
set ylabel "nats per digit"
set key top right box
set grid
plot for [i = 1:n] word(files, i) using 1:2 with lines lw 2 lc rgb colour[i] \
	title "VAE ".word(titles, i)." training", \
     for [i = 1:n] word(files, i) using 1:3 with lines lw 2 dt 2 lc rgb colour[i] \
	title "VAE ".word(titles, i)." test"
