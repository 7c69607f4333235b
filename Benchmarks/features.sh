#!/usr/bin/env bash
# Feature-extraction throughput: Talea (parse + every feature) against music21's jSymbolic feature
# extraction and a symusic + numpy histogram pipeline, on the same 100 corpus files; prints ratios.
#   Benchmarks/features.sh [CORPUS] [MUSIC21_FILES]
# CORPUS defaults to $TALEA_CORPUS or ../shared/corpus; MUSIC21_FILES (default 20) is how many of the
# 100 files music21 gets (it needs ~2 s per file; the rate is per file, so the ratio stays honest).
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${1:-${TALEA_CORPUS:-../shared/corpus}}"
M21="${2:-20}"
LIST="$(mktemp)"; trap 'rm -f "$LIST"' EXIT
# 100 files at an even stride through the manifest (all classes).
python3 - "$CORPUS" > "$LIST" <<'PY'
import csv, sys, os
corpus = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(corpus, "manifest.csv"), newline="")))
step = max(1, len(rows) // 100)
for row in rows[::step][:100]:
    print(os.path.join(corpus, row["path"]))
PY
swift build -c release --scratch-path "${TALEA_SCRATCH:-.build-release}" --product talea-bench >/dev/null
BIN=${TALEA_SCRATCH:-.build-release}/release/talea-bench
echo "== Talea on the same 100 files"
OUT=$("$BIN" features --files "$LIST"); echo "$OUT"
T100=$(echo "$OUT" | awk '/whole pieces on 1 core/ {print $7}')
C100=$(echo "$OUT" | awk '/whole pieces on 1 core/ {for (i = 1; i < NF; i++) if ($(i+1) == "files" && $(i+2) == "per") print $i}')
echo "== Talea on the whole corpus"
OUT=$(TALEA_CORPUS="$CORPUS" "$BIN" features); echo "$OUT"
TALL=$(echo "$OUT" | awk '/whole pieces on 1 core/ {print $7}')
echo "== Peers (one core each)"
PEERS=$(python3 Benchmarks/features_peers.py --list "$LIST" --music21-files "$M21"); echo "$PEERS"
python3 - "$T100" "$C100" "$TALL" "$PEERS" <<'PY'
import re, sys
t100, c100, tall = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
peers = sys.argv[4]
wall = dict(re.findall(r"^(symusic|music21)\S*.*?= ([0-9.]+) files/s", peers, re.M))
cpu = dict(re.findall(r"^(symusic|music21)\S*.*?= ([0-9.]+) files per CPU-second", peers, re.M))
wall = {k: float(v) for k, v in wall.items()}; cpu = {k: float(v) for k, v in cpu.items()}
print(f"ratios, wall time (one core, whole pieces, same 100 files): Talea/symusic+numpy = {t100 / wall['symusic']:.1f}x, "
      f"Talea/music21 = {t100 / wall['music21']:.0f}x")
print(f"ratios, CPU time (same): Talea/symusic+numpy = {c100 / cpu['symusic']:.1f}x, Talea/music21 = {c100 / cpu['music21']:.0f}x")
print(f"(Talea over the whole corpus on one core: {tall:.0f} files/s)")
PY
