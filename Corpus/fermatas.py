#!/usr/bin/env python3
"""Write Corpus/fermatas.csv: where the corpus's chorales hold a fermata, read from the scores
that music21 ships (the corpus MIDI files were written from them and carry no fermata).

Run from the repository root:  python3 Corpus/fermatas.py [../shared/corpus]
Needs `pip install music21==10.5.1` and `pip install mido`.

Why: music21 writes a fermata note at its notated length, but a performer holds it, and so do
some MIDI encoders. The stress test "fermatas held twice as long" of `talea evaluate`
(`StressVariant.heldFermatas`) needs to know where the fermatas are. The file is
an annotation of the training corpus, not a copy of it: one row per file, the fermata spans in
quarter notes from the start of the MIDI file.

Every span is checked against the MIDI file: some note must start where the span starts, or the
file is left out (and reported), so a misaligned score never moves a note.
"""
import csv
import os
import sys

import mido
import music21
from music21 import converter, expressions

CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "corpus")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fermatas.csv")
MUSIC21_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(music21.__file__)))


def midi_onsets(path):
    """Every note onset of a MIDI file, in quarter notes."""
    midi = mido.MidiFile(path)
    onsets = set()
    for track in midi.tracks:
        ticks = 0
        for message in track:
            ticks += message.time
            if message.type == "note_on" and message.velocity > 0:
                onsets.add(round(ticks / midi.ticks_per_beat, 4))
    return onsets


def fermata_spans(score):
    """The union of the (onset, end) spans of every note or chord that bears a fermata."""
    spans = []
    for note in score.recurse().notes:
        if any(isinstance(e, expressions.Fermata) for e in note.expressions):
            onset = float(note.getOffsetInHierarchy(score))
            spans.append((onset, onset + float(note.quarterLength)))
    merged = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def main():
    with open(os.path.join(CORPUS, "manifest.csv"), newline="", encoding="utf-8") as handle:
        entries = [row for row in csv.DictReader(handle) if row["label"] == "bach_chorale"]
    rows, skipped = [], []
    for entry in entries:
        source = os.path.join(MUSIC21_ROOT, entry["source_path"])
        try:
            spans = fermata_spans(converter.parse(source))
        except Exception as error:  # a score music21 cannot read: reported, left out
            skipped.append((entry["id"], f"cannot parse: {error}"))
            continue
        if not spans:
            skipped.append((entry["id"], "no fermata"))
            continue
        onsets = midi_onsets(os.path.join(CORPUS, entry["path"]))
        if any(round(start, 4) not in onsets for start, _ in spans):
            skipped.append((entry["id"], "a fermata does not start on a MIDI onset"))
            continue
        text = ";".join(f"{start:g}-{end:g}" for start, end in spans)
        rows.append((entry["id"], text))
    with open(OUT, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "fermatas_quarters"])
        writer.writerows(sorted(rows))
    print(f"wrote {len(rows)} files to {OUT}; left out {len(skipped)}")
    for entry_id, reason in skipped:
        print(f"  {entry_id}: {reason}")


if __name__ == "__main__":
    main()
