#!/usr/bin/env python3
"""Score the music21 (jSymbolic features) + scikit-learn RandomForest baseline on Talea's folds.

Reads the features written by music21_features.py and the fold of every file from the
metrics.json that `talea evaluate` writes, trains a RandomForest per fold on the training files of
the subset (whole pieces only, and whole pieces plus every single voice), scores the test files'
whole pieces and single voices, and prints a Markdown table. `other` files are left out (the
baseline has no open-set answer), so its numbers are over the three genres only.

With ITEMS.jsonl (written beside metrics.json by `talea evaluate`), Talea's own answers for the
same files are scored the same way on the same subset, for a side-by-side row.

Usage: python3 Benchmarks/baseline/music21_randomforest.py FEATURES.jsonl METRICS.json ITEMS.jsonl [OUT.md]
"""
import json
import sys

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score, recall_score

GENRES = ["isorhythmic_motet", "bach_chorale", "lied"]


def load(features_path):
    rows = [json.loads(line) for line in open(features_path)]
    rows = [r for r in rows if r["ok"] and r["label"] in GENRES]
    width = max(len(r["features"]) for r in rows)
    X = np.array([r["features"] + [0.0] * (width - len(r["features"])) for r in rows], dtype=float)
    X = np.nan_to_num(X, nan=0.0, posinf=0.0, neginf=0.0)
    y = np.array([GENRES.index(r["label"]) for r in rows])
    return rows, X, y


def main():
    features_path, metrics_path = sys.argv[1], sys.argv[2]
    fold_of = json.load(open(metrics_path))["foldOfFile"]
    rows, X, y = load(features_path)
    fold = np.array([fold_of.get(r["id"], -1) for r in rows])
    voice = np.array([r["voice"] >= 0 for r in rows])
    results = {}
    for name, train_voices in [("whole pieces only", False), ("whole pieces + every single voice", True)]:
        predictions = np.full(len(rows), -1)
        for k in sorted(set(fold) - {-1}):
            train = (fold != k) & (fold != -1) & (np.ones_like(voice) if train_voices else ~voice)
            test = fold == k
            model = RandomForestClassifier(n_estimators=500, class_weight="balanced", random_state=0, n_jobs=1)
            model.fit(X[train], y[train])
            predictions[test] = model.predict(X[test])
        scored = predictions >= 0
        out = {}
        for view, mask in [("pieces", scored & ~voice), ("voices", scored & voice)]:
            out[view] = {
                "n": int(mask.sum()),
                "macro_f1": float(f1_score(y[mask], predictions[mask], average="macro", labels=[0, 1, 2])),
                "motet_recall": float(recall_score(y[mask], predictions[mask], labels=[0], average="macro")),
            }
        results[name] = out
    lines = ["| music21 + RandomForest, trained on | pieces macro-F1 | pieces motet recall | voices macro-F1 | voices motet recall | items (pieces / voices) |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, out in results.items():
        lines.append(f"| {name} | {out['pieces']['macro_f1']:.3f} | {out['pieces']['motet_recall']:.3f} | "
                     f"{out['voices']['macro_f1']:.3f} | {out['voices']['motet_recall']:.3f} | {out['pieces']['n']} / {out['voices']['n']} |")
    talea = talea_on_subset(sys.argv[3], {(r["id"], r["voice"]) for r in rows})
    results["talea"] = talea
    lines.append(f"| **Talea** (same folds, same files) | {talea['pieces']['macro_f1']:.3f} | {talea['pieces']['motet_recall']:.3f} | "
                 f"{talea['voices']['macro_f1']:.3f} | {talea['voices']['motet_recall']:.3f} | {talea['pieces']['n']} / {talea['voices']['n']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if len(sys.argv) > 4:
        open(sys.argv[4], "w").write(text)
        json.dump(results, open(sys.argv[4].rsplit(".", 1)[0] + ".json", "w"), indent=2, sort_keys=True)


def voice_index(part):
    """The index in a part label such as `voice 2 (Tenor)`."""
    words = part.split(" ")
    return int(words[1]) if len(words) > 1 and words[1].isdigit() else 0


def talea_on_subset(items_path, scored):
    """Talea's cross-validated answers for exactly the pieces and voices the baseline scored, as
    (file id, voice index or -1 for the piece) pairs (an `unknown` answer counts as wrong)."""
    items = [json.loads(line) for line in open(items_path)]
    items = [i for i in items if i["truth"] in GENRES and i["variant"] == "original"
             and (i["entryID"], -1 if i["view"] == "piece" else voice_index(i["part"])) in scored]
    out = {}
    for view in ["piece", "voice"]:
        chosen = [i for i in items if i["view"] == view]
        truth = [GENRES.index(i["truth"]) for i in chosen]
        answer = [GENRES.index(i["predicted"]) if i["predicted"] in GENRES else 3 for i in chosen]
        out[view + "s"] = {
            "n": len(chosen),
            "macro_f1": float(f1_score(truth, answer, average="macro", labels=[0, 1, 2])),
            "motet_recall": float(recall_score(truth, answer, labels=[0], average="macro")),
        }
    return out


if __name__ == "__main__":
    main()
