import ArgumentParser

// Placeholder until the issue that owns `talea batch` lands; replaced, not extended.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch", abstract: "(not built yet)")
    func run() throws { throw ValidationError("talea batch is not built yet") }
}
