#!/bin/bash
# page.sh: write one HTML page that shows every result, to stdout.
#
#   page.sh TITLE [@SECTION FILE...]...
#
# '@Name' starts a section. A .png becomes an image, a .tsv a table (first line = header),
# any other file is shown as preformatted text. Paths are written relative to the page,
# which lives in the folder the files are under (pipelines/out).
set -euo pipefail
esc() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
title=$1
shift
cat <<HTML
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>$title</title>
<style>
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: right; }
img { max-width: 100%; border: 1px solid #ddd; }
figure { margin: 1.5em 0; } figcaption, .file { color: #555; font-size: 90%; }
pre { background: #f6f6f6; padding: 0.6em; }
</style></head><body>
<h1>$title</h1>
<p>Built by <code>make -C pipelines all</code> on $(LC_ALL=C date -u '+%Y-%m-%d %H:%M UTC').
Every file named here is in <code>pipelines/out/</code>.</p>
HTML
for f in "$@"; do
	case $f in
	@*) printf '<h2>%s</h2>\n' "$(printf '%s' "${f#@}" | esc)" ;;
	*.png) printf '<figure><img src="%s" alt="%s"><figcaption>%s</figcaption></figure>\n' \
		"${f#out/}" "${f#out/}" "${f#out/}" ;;
	*.tsv)
		printf '<div class="file">%s</div>\n<table>\n' "${f#out/}"
		esc < "$f" | awk -F '\t' 'NR == 1 { printf "<tr>"; for (i = 1; i <= NF; i++)
			printf "<th>%s</th>", $i; print "</tr>"; next }
			{ printf "<tr>"; for (i = 1; i <= NF; i++) printf "<td>%s</td>", $i;
			print "</tr>" }'
		printf '</table>\n' ;;
	*) printf '<div class="file">%s</div>\n<pre>' "${f#out/}"; esc < "$f"; printf '</pre>\n' ;;
	esac
done
printf '</body></html>\n'
