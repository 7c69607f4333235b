#!/usr/bin/env python3
"""Writes the damaged and hostile MIDI files of Benchmarks/hostile.sh into a folder.

    python3 Benchmarks/hostile_files.py OUT_DIR

Every file is built from raw bytes (no MIDI library), deterministically (seeded). Each stands for a
way a file can cost time or memory out of proportion to its size: notes that never end, millions of
notes at one instant, a name of 60 MB, thousands of tracks, deltas of 2^28 ticks, storms of tempo
or metre changes. One line per file is printed: name, then what it holds.
"""
import os
import random
import struct
import sys


def vlq(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(out))


def track(events):
    data = b"".join(events) + b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + data


def smf(tracks, fmt=1, division=480):
    return b"MThd" + struct.pack(">IHHH", 6, fmt, len(tracks), division) + b"".join(tracks)


def on(channel, key, velocity=80):
    return bytes([0x90 | channel, key, velocity])


def off(channel, key):
    return bytes([0x80 | channel, key, 0])


def files():
    rng = random.Random(1)
    yield ("hanging_1M.mid", "1,000,000 note-ons never switched off, 16 channels, 0-3 ticks apart",
           smf([track([vlq(rng.randint(0, 3)) + on(rng.randint(0, 15), rng.randint(0, 127), rng.randint(1, 127))
                       for _ in range(1_000_000)])], 0))
    yield ("chord_1M.mid", "1,000,000 note-ons at tick 0, switched off a quarter later",
           smf([track([vlq(0) + on(0, i % 128) for i in range(1_000_000)]
                      + [vlq(480 if k == 0 else 0) + off(0, k) for k in range(128)])], 0))
    yield ("zero_length_1M.mid", "1,000,000 zero-length notes at one instant",
           smf([track([vlq(0) + on(0, i % 128) + vlq(0) + off(0, i % 128) for i in range(1_000_000)]
                      + [vlq(4800) + on(0, 60) + vlq(480) + off(0, 60)])], 0))
    yield ("notes_3M.mid", "3,000,000 notes, sixteenths (over the 2 million note limit)",
           smf([track([vlq(0) + on(0, 60 + i % 12) + vlq(120) + off(0, 60 + i % 12) for i in range(3_000_000)])], 0))
    yield ("name_60MB.mid", "a 60 MB track name (Latin-1) before 40 notes",
           smf([track([vlq(0) + b"\xff\x03" + vlq(60_000_000) + b"\xe9" * 60_000_000]
                      + [vlq(0) + on(0, 60 + i % 12) + vlq(240) + off(0, 60 + i % 12) for i in range(40)])]))
    yield ("tracks_4000.mid", "4,000 tracks of 300 notes",
           smf([track([vlq(0) + on(t % 9, 40 + t % 40 + rng.randint(0, 5)) + vlq(240) + off(t % 9, 40 + t % 40)
                       for _ in range(300)]) for t in range(4000)]))
    yield ("huge_deltas.mid", "200,000 notes 2^28 ticks apart, 1 tick per quarter",
           smf([track([vlq(0x0FFFFFFF) + on(0, 60) + vlq(0x0FFFFFFF) + off(0, 60) for _ in range(200_000)])], 0, 1))
    yield ("tempo_storm.mid", "1,000,000 tempo changes, one a tick, with 100,000 notes",
           smf([track([vlq(1) + b"\xff\x51\x03" + struct.pack(">I", rng.randint(1, 0xFFFFFF))[1:]
                       + (vlq(0) + on(0, 60 + i % 12) + vlq(1) + off(0, 60 + i % 12) if i % 10 == 0 else b"")
                       for i in range(1_000_000)])], 0))
    yield ("metre_storm.mid", "500,000 time signatures of random bytes, one a tick",
           smf([track([vlq(1) + b"\xff\x58\x04" + bytes([rng.randint(0, 255), rng.randint(0, 255), 24, 8])
                       + (vlq(0) + on(0, 60 + i % 12) + vlq(2) + off(0, 60 + i % 12) if i % 5 == 0 else b"")
                       for i in range(500_000)])], 0))
    overlapping = []
    for _ in range(500_000):
        start, length, key = rng.randint(0, 2_000_000), rng.randint(100, 50_000), rng.randint(30, 90)
        overlapping += [(start, on(0, key)), (start + length, off(0, key))]
    overlapping.sort(key=lambda event: event[0])
    events, now = [], 0
    for tick, body in overlapping:
        events.append(vlq(tick - now) + body)
        now = tick
    yield ("one_channel_overlaps.mid", "500,000 long notes overlapping at random on one channel", smf([track(events)], 0))
    yield ("truncated_in_event.mid", "a 20,000-note track cut inside a note-on",
           smf([track([vlq(0) + on(0, 60 + i % 12) + vlq(120) + off(0, 60 + i % 12) for i in range(20_000)])], 0)[:-7])
    yield ("lying_lengths.mid", "chunk lengths of 0xFFFFFFFF on both chunks",
           b"MThd\xff\xff\xff\xff\x00\x01\x00\x01\x01\xe0"
           + b"MTrk\xff\xff\xff\xff" + b"".join(vlq(0) + on(0, 60) + vlq(240) + off(0, 60) for _ in range(100)))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    for name, what, data in files():
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)
        print(f"{name}\t{what}")


if __name__ == "__main__":
    main()
