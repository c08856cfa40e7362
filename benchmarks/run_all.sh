#!/usr/bin/env bash
# Run every benchmark on the extraction-dev folder and keep each output in benchmarks/results/.
# Usage: benchmarks/run_all.sh PATH/TO/extraction-dev [name ...]
# Needs the bench extra: pip install -e '.[bench]'  (html-text, jusText, psutil).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
data="${1:?usage: benchmarks/run_all.sh PATH/TO/extraction-dev [name ...]}"
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(boilerplate html speed typos translit batch review robust)
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}"
py="${PYTHON:-python3}"
mkdir -p "$here/results"
for name in "${names[@]}"; do
    case "$name" in
        boilerplate) cmd=("$py" "$here/bench_boilerplate.py" "$data") ;;
        html)        cmd=("$py" "$here/bench_html.py" "$data" --repeat 1) ;;
        speed)       cmd=("$py" "$here/bench_speed.py" "$data" --mb 5) ;;
        typos)       cmd=("$py" "$here/bench_typos.py" "$data" --repeat 3) ;;
        translit)    cmd=("$py" "$here/bench_translit.py" "$data" --big-mb 5) ;;
        batch)       cmd=("$py" "$here/bench_batch.py" "$data" --docs 1000 --repeat 2) ;;
        review)      cmd=("$py" "$here/bench_review.py" "$root/seeds" --docs 5000) ;;
        robust)      cmd=("$py" "$here/bench_robust.py" --mb 50) ;;
        *) echo "unknown benchmark: $name" >&2; exit 2 ;;
    esac
    echo "== $name: ${cmd[*]#$root/}" | tee "$here/results/$name.txt"
    "${cmd[@]}" 2>&1 | tee -a "$here/results/$name.txt"
done
