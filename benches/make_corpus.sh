#!/bin/sh
# Makes a benchmark corpus: N_COPIES copies of the BBC corpus under OUT, as
# OUT/copy-001/business/001.txt …, so every article has a distinct id.
#
#   benches/make_corpus.sh 10 target/bench-corpus
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 N_COPIES OUT" >&2
    exit 2
fi
n=$1
out=$2
src=$(dirname "$0")/../../shared/corpora/bbc
[ -d "$src" ] || { echo "no BBC corpus at $src" >&2; exit 1; }
mkdir -p "$out"
i=1
while [ "$i" -le "$n" ]; do
    dest=$(printf '%s/copy-%03d' "$out" "$i")
    if [ ! -d "$dest" ]; then
        mkdir -p "$dest"
        # Only the article folders: README.TXT is not an article.
        for category in business entertainment politics sport tech; do
            cp -r "$src/$category" "$dest/"
        done
    fi
    i=$((i + 1))
done
echo "$out: $(find "$out" -name '*.txt' | wc -l) files, $(du -sh "$out" | cut -f1)"
