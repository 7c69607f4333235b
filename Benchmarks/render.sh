#!/usr/bin/env bash
# Rendering benchmark: real-time factor (seconds of audio per CPU second) of `talea render`
# (TaleaAudio) and, on the same files, of the fluidsynth command-line player, as a ratio. Talea
# runs twice: with its own instrument choice (choir for voices: what users hear), and with the
# files' own programs, which is what the fluidsynth player plays, for a like-for-like ratio.
#
#   Benchmarks/render.sh                 # 8 files per corpus label (32 files)
#   PER_LABEL=20 Benchmarks/render.sh    # a larger sample
#   ALL=1 Benchmarks/render.sh           # the whole corpus (about 1,700 files; long)
#
# Environment: TALEA_CORPUS (default ../shared/corpus), TALEA_SOUNDFONT (default: Debian's
# TimGM6mb.sf2), RATE (44100), SCRATCH (SwiftPM scratch path, default .build-<branch>-rel),
# SKIP_FLUIDSYNTH=1 to measure Talea alone. Both sides load the SoundFont once per file, write
# 16-bit WAV and run with reverb and chorus off; CPU time is user + system of the process
# (getrusage). Installs the fluidsynth CLI with apt-get if it is missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=${TALEA_CORPUS:-../shared/corpus}
RATE=${RATE:-44100}
BRANCH=$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo bench)
SCRATCH=${SCRATCH:-.build-${BRANCH}-rel}
SOUNDFONT=${TALEA_SOUNDFONT:-/usr/share/sounds/sf2/TimGM6mb.sf2}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/talea-render-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

swift build -c release --scratch-path "$SCRATCH" --product talea-bench 2>&1 | grep -v "prohibited flag" | tail -1
BENCH="$SCRATCH/release/talea-bench"

if [[ -n "${ALL:-}" ]]; then SAMPLE=(--all); else SAMPLE=(--per-label "${PER_LABEL:-8}"); fi
"$BENCH" render --corpus "$CORPUS" "${SAMPLE[@]}" --list > "$WORK/files.txt"
echo "sample: $(wc -l < "$WORK/files.txt") files from $CORPUS; SoundFont $SOUNDFONT; $RATE Hz"
echo
echo "== Talea (TaleaAudio: own note scheduling, fluid_synth_write_float, libsndfile), Talea's instruments =="
"$BENCH" render --files "$WORK/files.txt" --rate "$RATE" --soundfont "$SOUNDFONT" --csv "$WORK/talea-own.csv"
echo
echo "== Talea with the files' own programs (--file-programs: the same instruments as a MIDI player) =="
"$BENCH" render --files "$WORK/files.txt" --rate "$RATE" --soundfont "$SOUNDFONT" --csv "$WORK/talea.csv" --file-programs

[[ -n "${SKIP_FLUIDSYNTH:-}" ]] && exit 0
if ! command -v fluidsynth > /dev/null; then
    if [[ $(id -u) == 0 ]]; then apt-get install -y fluidsynth > /dev/null; else echo "fluidsynth CLI missing"; exit 0; fi
fi
echo
echo "== fluidsynth $(fluidsynth --version 2>/dev/null | head -1 | awk '{print $NF}') CLI (-ni -F out.wav, MIDI file player) =="
python3 - "$WORK" "$SOUNDFONT" "$RATE" <<'PY'
# Runs the fluidsynth CLI on every file Talea rendered. A file where fluidsynth runs away (its
# output grows past 3x the length Talea rendered, or it takes more than 10 minutes) is stopped
# and left out of both totals, and named.
import csv, os, resource, subprocess, sys, time, wave
work, soundfont, rate = sys.argv[1], sys.argv[2], int(sys.argv[3])
talea = {}
with open(os.path.join(work, "talea.csv")) as f:
    for row in csv.DictReader(f):
        talea[row["path"]] = (float(row["audio_seconds"]), float(row["cpu_seconds"]))
out = os.path.join(work, "fs.wav")
fs_audio = fs_cpu = ta_audio = ta_cpu = 0.0
runaway = []
for path, (audio_seconds, cpu_seconds) in talea.items():
    limit_bytes = 3 * audio_seconds * rate * 4 + 10_000_000
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    process = subprocess.Popen(["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-r", str(rate), "-T", "wav",
                                "-O", "s16", "-F", out, soundfont, path],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stopped = False
    while process.poll() is None:
        time.sleep(0.05)
        size = os.path.getsize(out) if os.path.exists(out) else 0
        if size > limit_bytes or time.monotonic() - start > 600:
            process.kill()
            process.wait()
            stopped = True
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if stopped or process.returncode != 0:
        runaway.append(f"{path} (stopped after {time.monotonic() - start:.0f} s, "
                       f"{os.path.getsize(out) / 1e9 if os.path.exists(out) else 0:.1f} GB written, exit {process.returncode})")
    else:
        fs_cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        with wave.open(out) as w:
            fs_audio += w.getnframes() / w.getframerate()
        ta_audio += audio_seconds
        ta_cpu += cpu_seconds
    if os.path.exists(out):
        os.remove(out)
done = len(talea) - len(runaway)
fs_rtf, ta_rtf = fs_audio / fs_cpu, ta_audio / ta_cpu
print(f"all {done:5d} files  {fs_audio:9.1f} s audio  {fs_cpu:8.2f} s CPU  RTF {fs_rtf:7.1f} x (CPU)")
for line in runaway:
    print(f"  fluidsynth ran away on {line}; left out of both totals")
print()
print(f"on the {done} files both finished: Talea (--file-programs) RTF {ta_rtf:.1f} x ({ta_audio:.1f} s audio, {ta_cpu:.2f} s CPU), "
      f"fluidsynth CLI RTF {fs_rtf:.1f} x ({fs_audio:.1f} s audio, {fs_cpu:.2f} s CPU)")
print(f"ratio Talea / fluidsynth CLI = {ta_rtf / fs_rtf:.2f} (above 1: Talea renders faster)")
print("(Talea's audio includes its 1 s release tail per file; CPU time covers loading the SoundFont for both,"
      " and parsing the MIDI file for fluidsynth only)")
PY
