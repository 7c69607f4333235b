import ArgumentParser

// Placeholder until the issue that owns `talea evaluate` lands; replaced, not extended.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "(not built yet)")
    func run() throws { throw ValidationError("talea evaluate is not built yet") }
}
