import ArgumentParser

// Placeholder until the issue that owns `talea inspect` lands; replaced, not extended.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "(not built yet)")
    func run() throws { throw ValidationError("talea inspect is not built yet") }
}
