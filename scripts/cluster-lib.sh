# Shared by cluster-demo.sh and cluster-bench.sh (sourced, not run): start
# docsql servers in the background and stop them on exit. Expects $docsql (the
# binary) and $work (a scratch folder, removed on exit).

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# Starts `docsql ARGS...` as server NAME in the background (in the calling
# shell, so that the trap stops it); its stdout, stderr and pid go to
# $work/NAME.out, .log and .pid.
launch() {
    local name=$1; shift
    "$docsql" "$@" > "$work/$name.out" 2> "$work/$name.log" &
    pids+=($!)
    echo $! > "$work/$name.pid"
}

# Prints the address server NAME listens on, once it says so ("docsql ...
# listening on HOST:PORT"); exits if it has not within 30 s.
address() {
    for _ in $(seq 1 300); do
        if grep -q "listening on" "$work/$1.out" 2>/dev/null; then
            sed -n 's/.* listening on //p' "$work/$1.out"
            return
        fi
        sleep 0.1
    done
    echo "$1 did not start:" >&2; cat "$work/$1.log" >&2; exit 1
}
