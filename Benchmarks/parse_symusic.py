"""symusic peer for Benchmarks/parse.sh: symusic.Score(path) over every MIDI file of a corpus.

Prints files/s, MB/s and notes/s (median of N timed passes after one warm-up pass), in CPU time of the
process (robust when other processes share the cores) and in wall time, and a RESULT line.
"""
import os
import sys
import time

try:
    import symusic
except ImportError:  # install on demand, as the benchmark brief asks
    import subprocess
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "symusic"])
    import symusic


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    paths = sorted(
        os.path.join(d, f)
        for d, _, fs in os.walk(corpus)
        for f in fs
        if f.lower().endswith((".mid", ".midi", ".rmi"))
    )
    total_bytes = sum(os.path.getsize(p) for p in paths)
    notes, failed = 0, 0
    for p in paths:  # warm-up pass (page cache, imports), counts notes
        try:
            s = symusic.Score(p)
            notes += sum(len(t.notes) for t in s.tracks)
        except Exception:
            failed += 1
    cpu, wall = [], []
    for _ in range(passes):
        c0, w0 = time.process_time(), time.perf_counter()
        for p in paths:
            try:
                symusic.Score(p)
            except Exception:
                pass
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    # The same files from memory (symusic.Score.from_midi(bytes)), like Talea's in-memory timing.
    blobs = [open(p, "rb").read() for p in paths]
    mem_cpu = []
    for _ in range(passes):
        c0 = time.process_time()
        for b in blobs:
            try:
                symusic.Score.from_midi(b)
            except Exception:
                pass
        mem_cpu.append(time.process_time() - c0)
    mem_cpu.sort()
    m = mem_cpu[len(mem_cpu) // 2]
    cpu.sort()
    wall.sort()
    c, w = cpu[len(cpu) // 2], wall[len(wall) // 2]
    n = len(paths)
    print(f"symusic {symusic.__version__}: {n} files, {total_bytes / 1e6:.1f} MB, {notes} notes, {failed} failed; {passes} timed passes (median)")
    print(f"  CPU time: {n / c:.0f} files/s, {total_bytes / 1e6 / c:.1f} MB/s, {notes / c / 1e6:.2f} M notes/s, {c * 1000 / n:.4f} ms per file (best pass {n / cpu[0]:.0f} files/s)")
    print(f"  wall time: {n / w:.0f} files/s (median pass), {n / wall[0]:.0f} files/s (best pass)")
    print(f"  from memory (Score.from_midi(bytes)), CPU time: {n / m:.0f} files/s, {total_bytes / 1e6 / m:.1f} MB/s (best pass {n / mem_cpu[0]:.0f} files/s)")
    print(f"RESULT files={n} bytes={total_bytes} notes={notes} seconds={c:.6f} files_per_s={n / c:.1f} wall_files_per_s={n / w:.1f} memory_files_per_s={n / m:.1f} best_files_per_s={n / cpu[0]:.1f} best_memory_files_per_s={n / mem_cpu[0]:.1f}")


if __name__ == "__main__":
    main()
