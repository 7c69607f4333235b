#!/usr/bin/env bash
# Hostile-file benchmark: how long, and how much memory, each damaged or hostile MIDI file of
# Benchmarks/hostile_files.py costs `talea classify`, `talea render` (a 5-second excerpt) and a
# `talea batch --per-voice` over all of them, beside symusic reading the same file (the parser the
# parse benchmark compares with), in one run.
#
#   Benchmarks/hostile.sh [OUT_DIR]
#
# OUT_DIR (default .build-hostile) receives the files and the output. Every command runs under
# `timeout 300`; "rc 124" in the table means it was stopped there. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1; then export PATH="/opt/swift/usr/bin:$PATH"; fi

OUT="${1:-.build-hostile}"
FILES="$OUT/files"
rm -rf "$FILES" && mkdir -p "$FILES"
python3 -c "import symusic" 2>/dev/null || python3 -m pip install --quiet symusic

swift build -c release --product talea >&2
TALEA="$(swift build -c release --show-bin-path)/talea"
python3 Benchmarks/hostile_files.py "$FILES" > "$OUT/descriptions.tsv"

# run LABEL COMMAND...: "seconds s, peak MB, rc N, first line of output"
run() {
    local log="$OUT/last.log" timing="$OUT/last.time"
    /usr/bin/time -f "%e %M %x" -o "$timing" timeout 300 "$@" > "$log" 2>&1 || true
    read -r seconds kilobytes status < <(tail -1 "$timing" | sed 's/Command exited with non-zero status [0-9]*//')
    [ -z "${status:-}" ] && status="$(tail -1 "$timing" | awk '{print $NF}')"
    local first
    first="$(grep -m1 -E 'label:|rror|wrote|Score' "$log" | sed 's/^ *//; s/|/\\|/g' | cut -c1-110)"
    printf '%s s, %d MB, rc %s: %s' "$seconds" "$((kilobytes / 1024))" "$status" "${first:-}"
}

echo "| file | what it holds | talea classify | talea render (5 s) | symusic.Score |"
echo "| --- | --- | --- | --- | --- |"
while IFS=$'\t' read -r name what; do
    file="$FILES/$name"
    classify="$(run "$TALEA" classify "$file")"
    render="$(run "$TALEA" render "$file" -o "$OUT/excerpt.wav" --length 5)"
    peer="$(run python3 -c "import sys, symusic; s = symusic.Score(sys.argv[1]); print('Score:', sum(len(t.notes) for t in s.tracks), 'notes')" "$file")"
    echo "| $name | $what | $classify | $render | $peer |"
done < "$OUT/descriptions.tsv"
echo
echo "talea batch --per-voice over the folder: $(run "$TALEA" batch "$FILES" --per-voice --out "$OUT/batch.csv")"
grep -E "files by label" "$OUT/last.log" || true
