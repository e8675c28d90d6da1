#!/bin/bash
# figure.sh: put labels on image grids (PGM, e.g. from imgrid) and write one PNG.
#
#   figure.sh rows OUT.png LABEL GRID [LABEL GRID]...   one labelled row per grid, the
#                                                      grids right-aligned in a column
#   figure.sh title OUT.png TITLE GRID                 a title above one grid
#
# Labels are drawn by pbmtext (black on white, enlarged 2x so they read next to digits
# scaled 4x). The PNG is written to a temporary and renamed, so a failure leaves none.
set -euo pipefail
mode=$1 out=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
label() { # TEXT FILE: the text as an enlarged PBM with a white margin
	pbmtext -builtin fixed -- "$1" | pamenlarge 2 | pnmpad -white -left 12 -right 12 -top 6 -bottom 6 > "$2"
}
case $mode in
rows)
	[ $# -ge 2 ] && [ $(($# % 2)) -eq 0 ] || { echo "figure.sh: rows wants LABEL GRID pairs" >&2; exit 2; }
	i=0 parts=()
	while [ $# -gt 0 ]; do
		label "$1" "$tmp/l$i.pbm"
		pnmcat -lr -jcenter -white "$tmp/l$i.pbm" "$2" | pnmpad -white -bottom 4 > "$tmp/r$i.pnm"
		parts+=("$tmp/r$i.pnm")
		i=$((i + 1))
		shift 2
	done
	pnmcat -tb -jright -white "${parts[@]}" | pnmpad -white -left 8 -right 8 -top 8 -bottom 4 > "$tmp/all.pnm"
	;;
title)
	[ $# -eq 2 ] || { echo "figure.sh: title wants TITLE GRID" >&2; exit 2; }
	label "$1" "$tmp/t.pbm"
	pnmcat -tb -jcenter -white "$tmp/t.pbm" "$2" | pnmpad -white -left 8 -right 8 -top 4 -bottom 8 > "$tmp/all.pnm"
	;;
*)
	echo "figure.sh: unknown mode '$mode' (rows or title)" >&2
	exit 2
	;;
esac
pnmtopng < "$tmp/all.pnm" > "$out.tmp"
mv "$out.tmp" "$out"
