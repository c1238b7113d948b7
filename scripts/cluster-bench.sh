#!/usr/bin/env bash
# Cluster vs local, measured (issue 10): build time, store rows, a GROUP BY
# over the store, the fixed cost of a query, and the servers' peak RSS.
#
#   benches/make_corpus.sh 20 target/bench-corpus-100mb
#   scripts/cluster-bench.sh target/bench-corpus-100mb [STORE_FOR_QUERIES]
#
# The cluster is a scheduler and two executors of one core each on loopback;
# the local build uses 2 threads. With STORE_FOR_QUERIES (an existing store,
# e.g. of 1 GB), the query timings use it instead of the store built here.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:?usage: $0 CORPUS [STORE]}
query_store=${2:-}
cargo build --release --quiet
docsql=$PWD/target/release/docsql
work=$(mktemp -d -p "$PWD/target" cluster-bench.XXXX)
# shellcheck source=scripts/cluster-lib.sh
. scripts/cluster-lib.sh
peak_rss() { awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$(cat "$work/$1.pid")/status"; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

launch scheduler scheduler --bind 127.0.0.1:0
scheduler=$(address scheduler)
for n in 1 2; do
    launch "executor-$n" executor --scheduler "$scheduler" --cores 1 --work-dir "$work"
    address "executor-$n" > /dev/null
done
url="df://$scheduler"

local_build=$( { /usr/bin/time -f "%e s, %M KB peak RSS" env RAYON_NUM_THREADS=2 "$docsql" build "$corpus" --store "$work/local" -q; } 2>&1 )
cluster_build=$( { /usr/bin/time -f "%e s, %M KB client peak RSS" "$docsql" build "$corpus" --store "$work/cluster" --cluster "$url" -q; } 2>&1 )
echo "local build (2 threads):          $local_build"
echo "cluster build (2 executors x 1):  $cluster_build"
echo "peak RSS: scheduler $(peak_rss scheduler), executors $(peak_rss executor-1), $(peak_rss executor-2)"
echo "tasks: $(grep -c 'Received task' "$work/executor-1.log") and $(grep -c 'Received task' "$work/executor-2.log")"
count="SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM paragraphs) AS p, (SELECT count(*) FROM entities) AS e, (SELECT count(*) FROM figures) AS f"
a=$("$docsql" "$work/local" -q --format csv -c "$count" | tail -1)
b=$("$docsql" "$work/cluster" -q --format csv -c "$count" | tail -1)
echo "rows (articles, paragraphs, entities, figures): local $a, cluster $b"
[ "$a" = "$b" ] || echo "ROWS DIFFER"

store=${query_store:-$work/local}
group="SELECT name, count(*) FROM entities GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
for run in 1 2 3; do
    echo "GROUP BY on $store, run $run: local $(seconds "$docsql" "$store" -q -c "$group") s," \
        "cluster $(seconds "$docsql" "$store" --cluster "$url" -q -c "$group") s;" \
        "SELECT count(*) FROM articles: local $(seconds "$docsql" "$store" -q -c 'SELECT count(*) FROM articles') s," \
        "cluster $(seconds "$docsql" "$store" --cluster "$url" -q -c 'SELECT count(*) FROM articles') s"
done
