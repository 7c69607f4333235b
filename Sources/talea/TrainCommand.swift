import ArgumentParser

// Placeholder until the issue that owns `talea train` lands; replaced, not extended.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "(not built yet)")
    func run() throws { throw ValidationError("talea train is not built yet") }
}
