#!/usr/bin/env python3
"""Extract music21's jSymbolic-style features (features.base.allFeaturesAsList) for the baseline.

The baseline the issue names is "music21's jSymbolic features + scikit-learn RandomForest". music21
needs seconds per file, so it runs on a deterministic stratified subset of the corpus: every motet,
and every k-th chorale and lied in id order (`other` files are left out: the baseline has no open-set answer) (see SUBSET below), each as a whole piece and as
every single voice (track with notes). Output: one JSON line per (id, voice) with the flattened
feature vector, appended to OUT so an interrupted run resumes.

Usage: python3 Benchmarks/baseline/music21_features.py CORPUS_DIR OUT.jsonl
"""
import csv
import json
import os
import signal
import sys
import time
import warnings

warnings.filterwarnings("ignore")
from music21 import converter, features, stream  # noqa: E402

# label -> take every k-th file (in id order)
SUBSET = {"isorhythmic_motet": 1, "bach_chorale": 8, "lied": 24}
MAX_VOICES = 4
TIMEOUT_S = 60


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def flatten(values):
    out = []
    for v in values:
        out.extend(float(x) for x in v)
    return out


def subset(corpus):
    rows = list(csv.DictReader(open(os.path.join(corpus, "manifest.csv"), newline="")))
    chosen = []
    for label, step in SUBSET.items():
        group = sorted((r for r in rows if r["label"] == label), key=lambda r: r["id"])
        chosen.extend(group[::step])
    return chosen


def main():
    corpus, out_path = sys.argv[1], sys.argv[2]
    done = set()
    if os.path.exists(out_path):
        for line in open(out_path):
            d = json.loads(line)
            done.add((d["id"], d["voice"]))
    signal.signal(signal.SIGALRM, on_alarm)
    with open(out_path, "a") as out:
        for row in subset(corpus):
            path = os.path.join(corpus, row["path"])
            try:
                score = converter.parse(path)
            except Exception as e:  # a file music21 cannot read is reported, not fatal
                print(f"{row['id']}: parse failed: {e}", file=sys.stderr)
                continue
            parts = [p for p in score.parts if p.recurse().notes][:MAX_VOICES]
            items = [(-1, score)] + [(i, p) for i, p in enumerate(parts)]
            for voice, s in items:
                if (row["id"], voice) in done:
                    continue
                if voice >= 0:
                    single = stream.Score()
                    single.insert(0, s)
                    s = single
                start = time.time()
                try:
                    signal.alarm(TIMEOUT_S)
                    vec = flatten(features.base.allFeaturesAsList(s))
                    signal.alarm(0)
                    ok = True
                except Exception as e:
                    signal.alarm(0)
                    print(f"{row['id']} voice {voice}: {type(e).__name__}", file=sys.stderr)
                    vec, ok = [], False
                rec = {"id": row["id"], "label": row["label"], "work_id": row["work_id"], "voice": voice,
                       "ok": ok, "seconds": round(time.time() - start, 3), "features": vec}
                out.write(json.dumps(rec) + "\n")
                out.flush()


if __name__ == "__main__":
    main()
