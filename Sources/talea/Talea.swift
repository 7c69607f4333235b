import ArgumentParser

/// The `talea` command: classify symbolic music as isorhythmic motet, Bach chorale or lied.
@main
struct Talea: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "talea",
        abstract: "Classify MIDI files as isorhythmic motet, Bach chorale or lied, and explain why.",
        version: "0.1.0",
        subcommands: [
            ClassifyCommand.self, BatchCommand.self, InspectCommand.self, FeaturesCommand.self,
            IsorhythmCommand.self, TrainCommand.self, EvaluateCommand.self, RenderCommand.self,
        ]
    )
}
