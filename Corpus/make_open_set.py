#!/usr/bin/env python3
"""Write an open-set test folder: MIDI files of repertories that the training corpus does not hold.

Talea is trained on isorhythmic motets, Bach chorales and lieder, with Renaissance polyphony,
folk songs and Italian trecento songs as the `other` negatives that teach it to answer `unknown`.
This script converts works of repertories it has never seen, from the corpus that music21 ships,
so that `Benchmarks/open-set.sh` can measure what Talea answers for them: string quartets,
keyboard pieces, chamber music and fiddle tunes. None of them is used for training, scaling,
calibration or any threshold; they are only scored.

Nothing held out of the shared corpus is touched: no Bach chorale, no song, nothing by a composer
whose lieder are held out (see ../shared/corpus/SOURCES.md), and no fourteenth-century music.

Run from the repository root:  python3 Corpus/make_open_set.py OUT_DIR
Needs `pip install music21==10.5.1`. Files already present are kept, so a second run only fills
gaps. Each work gets at most 10 minutes (music21 parses some quartets slowly); a work whose repeat
marks music21 cannot expand is played once, straight through; a work that still fails or times out
is reported and left out. Writes OUT_DIR/<repertory>/<work>.mid and
OUT_DIR/open-set.csv (path, repertory, music21 corpus path).

Attribution: "music21 corpus, Michael Scott Asato Cuthbert and the music21 contributors"
(music21 is BSD-3-Clause; see music21/corpus/license.txt for the encodings).
"""
import csv
import glob
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

# repertory -> music21 corpus paths (globs, relative to music21/corpus). Whole quartets stored as
# one file (Beethoven op. 18 nos. 3-5, op. 74, op. 132, op. 133) are left out: music21 needs many
# minutes for each, and the movements of other quartets are here instead.
REPERTORIES = {
    "string_quartet": [
        "beethoven/opus18no1/*.mxl", "beethoven/opus59no1/*.mxl", "beethoven/opus59no2/*.mxl",
        "beethoven/opus59no3/*.mxl", "haydn/opus1no1/*.mxl", "haydn/opus74no1/*.mxl",
        "mozart/k80/*.mxl", "mozart/k155/*.mxl", "mozart/k156/*.mxl", "mozart/k458/*.mxl",
        "schumann_robert/opus41no1/*.mxl",
    ],
    "keyboard": [
        "mozart/k545/*.mxl", "chopin/mazurka06-2.krn", "joplin/maple_leaf_rag.mxl",
        "schumann_clara/polonaise_op1n*.mxl", "cpebach/h186.mxl",
    ],
    "chamber": [
        "corelli/opus3no1/1grave.xml", "schumann_clara/opus17/movement3.xml",
        "weber/concertino_clarinet.mxl",
    ],
    # Every 35th tune of Ryan's Mammoth Collection (1883), in file-name order: 30 dance tunes.
    "fiddle_tune": ["ryansMammoth/*.abc::35"],
}

CONVERT = """
import sys
from music21 import bar, corpus, repeat
score = corpus.parse(sys.argv[1])
try:
    score.write("midi", fp=sys.argv[2])
except repeat.ExpanderException:
    # Badly formed repeat marks: the music is played once, straight through.
    for mark in list(score.recurse().getElementsByClass(bar.Repeat)):
        mark.activeSite.remove(mark)
    for mark in list(score.recurse().getElementsByClass(repeat.RepeatExpression)):
        mark.activeSite.remove(mark)
    score.write("midi", fp=sys.argv[2])
"""


def corpus_root():
    from music21 import corpus
    return os.path.dirname(os.path.abspath(corpus.__file__))


def works(root):
    """(repertory, corpus path) pairs in a stable order."""
    for repertory, patterns in REPERTORIES.items():
        for pattern in patterns:
            pattern, _, step = pattern.partition("::")
            paths = sorted(glob.glob(os.path.join(root, pattern)))[:: int(step or 1)]
            for path in paths:
                yield repertory, os.path.relpath(path, root)


def out_name(source):
    stem = os.path.splitext(source)[0]
    return stem.replace("/", "_") + ".mid"


def convert(job):
    repertory, source, target = job
    if os.path.exists(target):
        return repertory, source, target, None
    try:
        result = subprocess.run([sys.executable, "-c", CONVERT, source, target], capture_output=True,
                                text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return repertory, source, target, "timed out after 600 s"
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        if os.path.exists(target):
            os.remove(target)
        return repertory, source, target, last
    return repertory, source, target, None


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_open_set.py OUT_DIR")
    out = sys.argv[1]
    jobs = []
    for repertory, source in works(corpus_root()):
        os.makedirs(os.path.join(out, repertory), exist_ok=True)
        jobs.append((repertory, source, os.path.join(out, repertory, out_name(source))))
    rows = []
    with ThreadPoolExecutor(max(1, os.cpu_count() or 1)) as pool:
        for repertory, source, target, error in pool.map(convert, jobs):
            if error:
                print(f"left out {source}: {error}", file=sys.stderr)
            else:
                rows.append((os.path.relpath(target, out), repertory, source))
    with open(os.path.join(out, "open-set.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "repertory", "music21_corpus_path"])
        writer.writerows(rows)
    print(f"{len(rows)} of {len(jobs)} works in {out}")


if __name__ == "__main__":
    main()
