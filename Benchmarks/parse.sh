#!/usr/bin/env bash
# Parse benchmark: Talea (release build) against symusic on the same corpus, in one run.
#
#   Benchmarks/parse.sh [CORPUS_DIR] [PASSES]
#
# CORPUS_DIR defaults to $TALEA_CORPUS or ../shared/corpus; PASSES (timed, after one warm-up pass)
# defaults to 10. Talea reads every file into memory first and times MIDI parsing plus score building;
# symusic times symusic.Score(path) (the reference figure of the issue) and, for an in-memory
# comparison, symusic.Score.from_midi(bytes). Both report the median pass in CPU time of the process (robust when
# other jobs share the machine) and in wall time. The ratio printed is Talea files/s ÷ symusic files/s.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1; then export PATH="/opt/swift/usr/bin:$PATH"; fi

CORPUS="${1:-${TALEA_CORPUS:-../shared/corpus}}"
PASSES="${2:-10}"
SCRATCH="${TALEA_SCRATCH:-.build-release}"

python3 -c "import symusic" 2>/dev/null || python3 -m pip install --quiet symusic

swift build -c release --scratch-path "$SCRATCH" --product talea-bench >&2
BENCH="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/talea-bench"

echo "== Talea"
TALEA_OUT="$("$BENCH" parse --corpus "$CORPUS" --passes "$PASSES")"
echo "$TALEA_OUT"
echo "== symusic"
SYMUSIC_OUT="$(python3 Benchmarks/parse_symusic.py "$CORPUS" "$PASSES")"
echo "$SYMUSIC_OUT"

field() { echo "$1" | grep '^RESULT' | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
python3 - "$(field "$TALEA_OUT" files_per_s)" "$(field "$SYMUSIC_OUT" files_per_s)" "$(field "$SYMUSIC_OUT" memory_files_per_s)" \
    "$(field "$TALEA_OUT" best_files_per_s)" "$(field "$SYMUSIC_OUT" best_files_per_s)" "$(field "$SYMUSIC_OUT" best_memory_files_per_s)" <<'PY'
import sys
talea, symusic, memory, best_talea, best_symusic, best_memory = (float(x) for x in sys.argv[1:7])
print("== ratio, files/s in CPU time (median pass | best pass)")
print(f"   Talea / symusic.Score(path):             {talea:.0f} / {symusic:.0f} = {talea / symusic:.2f}x | {best_talea:.0f} / {best_symusic:.0f} = {best_talea / best_symusic:.2f}x")
print(f"   Talea / symusic.Score.from_midi(bytes):  {talea:.0f} / {memory:.0f} = {talea / memory:.2f}x | {best_talea:.0f} / {best_memory:.0f} = {best_talea / best_memory:.2f}x")
PY
