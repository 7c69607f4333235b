#!/usr/bin/env python3
"""Write the small example MIDI files in Corpus/examples/ from the corpus that music21 ships.

Run from the repository root:  python3 Corpus/make_examples.py
Needs `pip install music21==10.5.1` (other 10.x versions give the same notes, perhaps other bytes).

Attribution: "music21 corpus, Michael Scott Asato Cuthbert and the music21 contributors"
(music21 is BSD-3-Clause; see music21/corpus/license.txt for the encodings). The motet is
Michael Scott Cuthbert's encoding after Polyphonic Music of the Fourteenth Century (PMFC).
"""
import os
import sys

from music21 import corpus, stream

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "examples")

# name -> (music21 corpus path, parts to keep or None for all)
EXAMPLES = {
    "motet-vitry-vos-qui-admiramini.mid": ("trecento/PMFC_01-Vos Qui Admiramini Gratissima virginis species.xml", None),
    "chorale-bwv66_6.mid": ("bach/bwv66.6", None),
    "lied-schubert-der-lindenbaum.mid": ("schubert/Lindenbaum.xml", None),
    "lied-schumann-dichterliebe-2.mid": ("schumann_robert/dichterliebe_no2.xml", None),
    # Single voices: only the tenor of the motet, only the alto of the chorale.
    "voice-motet-tenor-vos-qui-admiramini.mid": ("trecento/PMFC_01-Vos Qui Admiramini Gratissima virginis species.xml", "tenor"),
    "voice-chorale-alto-bwv66_6.mid": ("bach/bwv66.6", "alto"),
}


def keep_part(score, wanted):
    """A new score holding only the part named `wanted` (case-insensitive), else the first part
    whose name contains it."""
    parts = list(score.parts)
    names = [(p.partName or str(p.id) or "").lower() for p in parts]
    chosen = [p for p, n in zip(parts, names) if n == wanted] or [p for p, n in zip(parts, names) if wanted in n]
    if chosen:
        single = stream.Score()
        single.insert(0, chosen[0])
        return single
    names = [p.partName for p in score.parts]
    sys.exit(f"no part named like {wanted!r}; parts are {names}")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (source, part) in EXAMPLES.items():
        score = corpus.parse(source)
        if part:
            score = keep_part(score, part)
        path = os.path.join(OUT, name)
        score.write("midi", fp=path)
        print(f"{path}: from music21 corpus {source}" + (f" (part {part})" if part else ""))


if __name__ == "__main__":
    main()
