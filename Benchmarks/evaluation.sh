#!/usr/bin/env bash
# Regenerates docs/evaluation.md and docs/evaluation.html: builds talea in release, runs
# `talea evaluate` on the shared corpus (grouped CV, stress tests, leave-one-motet-out,
# cross-repertory, candidates, audio excerpts; the chorales, motets and `other` files that music21
# ships also written by a second encoder, Verovio, for the stress test "another encoder"), then
# scores the music21 + RandomForest baseline on the same folds and appends it.
#
# Usage: Benchmarks/evaluation.sh [CORPUS_DIR]     (default ../shared/corpus)
# The music21 features take about an hour to extract; they are cached in .cache/ and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
out=.build-evaluation
mkdir -p "$out" .cache

python3 -c "import music21, sklearn, verovio" 2>/dev/null || pip install music21==10.5.1 scikit-learn verovio==6.4.1
python3 Benchmarks/another_encoder.py .cache/another-encoder "$corpus"

swift build -c release --product talea
.build/release/talea evaluate --corpus "$corpus" --report "$out" --another-encoder .cache/another-encoder

features=.cache/music21_features.jsonl
python3 Benchmarks/baseline/music21_features.py "$corpus" "$features"
python3 Benchmarks/baseline/music21_randomforest.py "$features" "$out/metrics.json" "$out/items.jsonl" "$out/baseline.md"

{
  # The excerpts are embedded in the HTML report; the Markdown links to it rather than to loose files.
  sed 's#\[excerpt\](audio/[^)]*)#[listen in evaluation.html](evaluation.html)#' "$out/report.md"
  echo
  echo "## Baseline: music21 jSymbolic features + scikit-learn RandomForest, same folds"
  echo
  echo "music21 needs seconds per file, so the baseline runs on a fixed stratified subset of the corpus"
  echo "(every motet; every 8th chorale, every 24th lied, in id order; each whole piece and its first four"
  echo "voices; \`other\` files are left out because the baseline has no open-set answer). Talea's own"
  echo "cross-validated answers for the same files, from the same folds, are scored the same way"
  echo "(an \`unknown\` answer counts as a miss). Command: \`Benchmarks/evaluation.sh\`."
  echo
  cat "$out/baseline.md"
} > docs/evaluation.md
cp "$out/report.html" docs/evaluation.html
echo "wrote docs/evaluation.md and docs/evaluation.html"
