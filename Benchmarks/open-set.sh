#!/usr/bin/env bash
# Regenerates docs/open-set.md: what the committed model answers for repertories it has never
# seen (string quartets, keyboard and chamber music, fiddle tunes), converted from the corpus that
# music21 ships. The right answer for every file is `unknown`.
#
# Usage: Benchmarks/open-set.sh [MODEL]      (default Models/talea.json)
# The conversion (Corpus/make_open_set.py) takes about half an hour on two cores the first time;
# the files are kept in .cache/open-set/ and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-Models/talea.json}
open=.cache/open-set
mkdir -p .cache

python3 -c "import music21" 2>/dev/null || pip install music21==10.5.1
python3 Corpus/make_open_set.py "$open"
swift build -c release --product talea
.build/release/talea batch "$open" --per-voice --model "$model" --out .cache/open-set-answers.csv
python3 Benchmarks/open_set_report.py "$open" .cache/open-set-answers.csv > docs/open-set.md
echo "wrote docs/open-set.md"
