#!/usr/bin/env python3
"""Peers for the feature benchmark (see features.sh): music21's jSymbolic/native feature extraction
and a symusic + numpy pipeline computing comparable histograms. Prints files/s, one core each."""
import argparse, os, sys, time, warnings

def ensure(module, package):
    try:
        __import__(module)
    except ImportError:
        import subprocess
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", package])

ensure("numpy", "numpy"); ensure("symusic", "symusic"); ensure("music21", "music21")
import numpy as np
import symusic

def symusic_features(path):
    """Histograms comparable to Talea's families, per track and pooled, in quarter notes."""
    score = symusic.Score(path)               # ticks
    tpq = max(score.ticks_per_quarter, 1)
    rows = []
    pooled_pitch, pooled_onset, pooled_end = [], [], []
    for track in score.tracks:
        if track.is_drum or len(track.notes) == 0:
            continue
        arr = track.notes.numpy()              # dict of numpy arrays: time, duration, pitch, velocity
        onset = arr["time"] / tpq
        dur = arr["duration"] / tpq
        pitch = arr["pitch"].astype(np.int64)
        order = np.lexsort((pitch, onset))
        onset, dur, pitch = onset[order], dur[order], pitch[order]
        pc = np.bincount(pitch % 12, weights=np.maximum(dur, 1e-6), minlength=12)
        uniq = np.unique(onset)
        ioi = np.diff(uniq)
        pulse = np.median(ioi) if len(ioi) else 1.0
        ratio = ioi / pulse if pulse > 0 else ioi
        ioi_hist = np.histogram(ratio, bins=[0, .4, .8, 1.25, 1.75, 2.5, 3.5, 6, np.inf])[0]
        steps = np.diff(pitch)
        interval_hist = np.bincount(np.minimum(np.abs(steps), 12), minlength=13)
        ambitus = pitch.max() - pitch.min()
        rest = np.maximum(onset[1:] - (onset[:-1] + dur[:-1]), 0).sum()
        rows.append(np.concatenate([pc / pc.sum(), ioi_hist / max(len(ioi), 1),
                                    interval_hist / max(len(steps), 1), [ambitus, rest, pulse]]))
        pooled_pitch.append(pitch); pooled_onset.append(onset); pooled_end.append(onset + dur)
    if pooled_pitch:
        p = np.concatenate(pooled_pitch); o = np.concatenate(pooled_onset); e = np.concatenate(pooled_end)
        starts = np.unique(o)
        # simultaneities: sounding notes at each onset (vectorised interval stabbing)
        sounding = (o[None, :] <= starts[:, None]) & (e[None, :] > starts[:, None]) if len(starts) * len(o) < 4_000_000 else None
        simult = sounding.sum(axis=1).mean() if sounding is not None else 0.0
        rows.append(np.array([simult, len(starts)]))
    return rows

def music21_features(path):
    import music21
    from music21.features import base
    stream = music21.converter.parse(path)
    return base.allFeaturesAsList(stream)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", required=True, help="file with one MIDI path per line")
    parser.add_argument("--music21-files", type=int, default=20)
    args = parser.parse_args()
    paths = [line.strip() for line in open(args.list) if line.strip()]
    warnings.filterwarnings("ignore")

    for path in paths[:3]:
        symusic_features(path)          # warm-up
    best = best_cpu = float("inf")
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        for path in paths:
            symusic_features(path)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    print(f"symusic+numpy: {len(paths)} files in {best:.3f} s = {len(paths) / best:.1f} files/s (one core, best of 3; "
          f"CPU {best_cpu:.3f} s = {len(paths) / best_cpu:.1f} files per CPU-second)")

    subset = paths[: args.music21_files]
    start, cpu = time.perf_counter(), time.process_time()
    done = 0
    for path in subset:
        try:
            music21_features(path)
            done += 1
        except Exception as error:  # a failing file still costs its time
            print(f"music21 failed on {path}: {error}", file=sys.stderr)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    print(f"music21 jSymbolic+native (allFeaturesAsList incl. parse): {len(subset)} files ({done} ok) in {seconds:.1f} s = "
          f"{len(subset) / seconds:.3f} files/s (one core; CPU {cpu_seconds:.1f} s = {len(subset) / cpu_seconds:.3f} files per CPU-second)")

if __name__ == "__main__":
    main()
