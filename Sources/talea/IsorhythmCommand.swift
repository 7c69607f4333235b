import ArgumentParser

// Placeholder until the issue that owns `talea isorhythm` lands; replaced, not extended.
struct IsorhythmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "isorhythm", abstract: "(not built yet)")
    func run() throws { throw ValidationError("talea isorhythm is not built yet") }
}
