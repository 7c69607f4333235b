import ArgumentParser
import Foundation
import TaleaFeatures
import TaleaScore

/// `talea isorhythm FILE [--voice …]`: talea and color of every voice, in words.
struct IsorhythmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isorhythm",
        abstract: "Detect talea (rhythmic period) and color (pitch period) in each voice.")

    @Argument(help: "The MIDI file.")
    var file: String

    @Option(name: .long, help: "Only this voice: its name or 0-based index.")
    var voice: String?

    func run() throws {
        let score = try CommandVoices.load(file, voice: voice)
        let voices = score.voices.filter { !$0.isDrum && !$0.notes.isEmpty }
        if voices.isEmpty {
            print("no voice with notes")
            return
        }
        for voice in voices {
            print(IsorhythmDetector.analyze(voice).summary)
        }
    }
}
