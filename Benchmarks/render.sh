#!/usr/bin/env bash
# Rendering benchmark: real-time factor (seconds of audio per CPU second) of `talea render`
# (TaleaAudio) and, on the same files, of the fluidsynth command-line player, as a ratio.
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
echo "== Talea (TaleaAudio, own note scheduling, fluid_synth_write_float, libsndfile) =="
"$BENCH" render --files "$WORK/files.txt" --rate "$RATE" --soundfont "$SOUNDFONT" --csv "$WORK/talea.csv" \
    | tee "$WORK/talea.txt"

[[ -n "${SKIP_FLUIDSYNTH:-}" ]] && exit 0
if ! command -v fluidsynth > /dev/null; then
    if [[ $(id -u) == 0 ]]; then apt-get install -y fluidsynth > /dev/null; else echo "fluidsynth CLI missing"; exit 0; fi
fi
echo
echo "== fluidsynth $(fluidsynth --version 2>/dev/null | head -1 | awk '{print $NF}') CLI (-ni -F out.wav, MIDI file player) =="
python3 - "$WORK" "$SOUNDFONT" "$RATE" <<'PY'
import csv, os, resource, subprocess, sys, wave
work, soundfont, rate = sys.argv[1], sys.argv[2], sys.argv[3]
files = [line.strip() for line in open(os.path.join(work, "files.txt")) if line.strip()]
out = os.path.join(work, "fs.wav")
audio = cpu = 0.0
for path in files:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-r", rate, "-T", "wav", "-O", "s16",
                    "-F", out, soundfont, path], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with wave.open(out) as w:
        audio += w.getnframes() / w.getframerate()
    os.remove(out)
fs_rtf = audio / cpu
print(f"all {len(files):5d} files  {audio:9.1f} s audio  {cpu:8.2f} s CPU  RTF {fs_rtf:7.1f} x (CPU)")
talea_audio = talea_cpu = 0.0
with open(os.path.join(work, "talea.csv")) as f:
    for row in csv.DictReader(f):
        talea_audio += float(row["audio_seconds"]); talea_cpu += float(row["cpu_seconds"])
talea_rtf = talea_audio / talea_cpu
print()
print(f"Talea RTF {talea_rtf:.1f} x, fluidsynth CLI RTF {fs_rtf:.1f} x: ratio Talea / fluidsynth = {talea_rtf / fs_rtf:.2f}")
print(f"(audio lengths: Talea {talea_audio:.1f} s incl. 1 s tail per file, fluidsynth {audio:.1f} s)")
PY
