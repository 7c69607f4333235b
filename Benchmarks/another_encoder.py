#!/usr/bin/env python3
"""Write the corpus's works through a second MIDI encoder, for `talea evaluate --another-encoder`.

Every file of the shared corpus was written by music21's MIDI writer. This script takes the same
sources (the MusicXML and Humdrum files that music21 ships, listed in the manifest's source_path)
and writes them with Verovio's MIDI renderer instead: another encoder, with its own resolution
(120 ticks per quarter), its own track layout (no programs), its own reading of clefs and repeats.
Output: OUT_DIR/<manifest id>.mid. The lieder (OpenScore sources, not shipped with music21), Du
Fay's motet (a Josquin Research Project file) and the ABC folk-song books are not converted.

Usage: python3 Benchmarks/another_encoder.py OUT_DIR [CORPUS_DIR]     (default ../shared/corpus)
Needs `pip install music21==10.5.1 verovio==6.4.1`. Existing files are kept.
"""
import base64
import csv
import os
import sys
import zipfile

import verovio
from music21 import corpus

PREFIX = "music21/corpus/"


def load(toolkit, path):
    """Loads a score into the toolkit; .mxl archives are unpacked first."""
    if path.endswith(".mxl"):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist()
                     if n.endswith((".xml", ".musicxml")) and not n.startswith("META-INF")]
            if not names:
                return False
            return toolkit.loadData(archive.read(names[0]).decode("utf-8", "replace"))
    return toolkit.loadFile(path)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: another_encoder.py OUT_DIR [CORPUS_DIR]")
    out = sys.argv[1]
    corpus_dir = sys.argv[2] if len(sys.argv) == 3 else "../shared/corpus"
    root = os.path.dirname(os.path.abspath(corpus.__file__))
    os.makedirs(out, exist_ok=True)
    verovio.enableLog(False)
    toolkit = verovio.toolkit()
    written = skipped = failed = 0
    with open(os.path.join(corpus_dir, "manifest.csv"), newline="") as handle:
        for row in csv.DictReader(handle):
            source = row["source_path"]
            if not source.startswith(PREFIX) or not source.endswith((".mxl", ".xml", ".krn")):
                skipped += 1
                continue
            target = os.path.join(out, row["id"] + ".mid")
            if os.path.exists(target):
                written += 1
                continue
            path = os.path.join(root, source[len(PREFIX):])
            if not os.path.exists(path) or not load(toolkit, path):
                print(f"cannot load {source}", file=sys.stderr)
                failed += 1
                continue
            midi = toolkit.renderToMIDI()
            if not midi:
                print(f"no MIDI from {source}", file=sys.stderr)
                failed += 1
                continue
            with open(target, "wb") as handle_out:
                handle_out.write(base64.b64decode(midi))
            written += 1
    print(f"{written} files in {out}; {skipped} manifest rows have no source here; {failed} failed")


if __name__ == "__main__":
    main()
