#!/bin/sh
# Release benchmark of TaleaLearning plus the scikit-learn peer on the same synthetic data.
# Usage: Benchmarks/learning/run.sh   (needs swiftc; python3 for the peer, skipped with SKIP_PEER=1)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swiftc -O -module-name LearningBench "$root"/Sources/TaleaLearning/*.swift "$root"/Benchmarks/learning/main.swift -o "$work/learning-bench"
"$work/learning-bench" "$work"
[ "${SKIP_PEER:-0}" = 1 ] || python3 "$root/Benchmarks/learning/sklearn_peer.py" "$work"
