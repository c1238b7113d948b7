#!/usr/bin/env bash
# Cluster mode in one go: a docsql scheduler and two executors on loopback,
# the BBC corpus built into a store through them, a query run on them, all
# stopped at the end.
#
#   scripts/cluster-demo.sh [CORPUS]      (default ../shared/corpora/bbc)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/bbc}
[ -e "$corpus" ] || { echo "no corpus at $corpus: give a folder of articles" >&2; exit 2; }

cargo build --release --quiet
docsql=$PWD/target/release/docsql
work=$(mktemp -d)
# shellcheck source=scripts/cluster-lib.sh
. scripts/cluster-lib.sh

launch scheduler scheduler --bind 127.0.0.1:0
scheduler=$(address scheduler)
echo "scheduler on $scheduler"
for n in 1 2; do
    launch "executor-$n" executor --scheduler "$scheduler" --bind 127.0.0.1:0 --cores 1 --work-dir "$work"
    executor=$(address "executor-$n")
    echo "executor $n on $executor"
done

echo "building $corpus through the cluster..."
time "$docsql" build "$corpus" --store "$work/store" --cluster "df://$scheduler"
echo "tasks run: executor 1: $(grep -c 'Received task' "$work/executor-1.log"), executor 2: $(grep -c 'Received task' "$work/executor-2.log")"

echo "people named most, queried on the cluster:"
"$docsql" "$work/store" --cluster "df://$scheduler" -f queries/top_people.sql --maxrows 10
