import ArgumentParser

// Placeholder until the issue that owns `talea features` lands; replaced, not extended.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "features", abstract: "(not built yet)")
    func run() throws { throw ValidationError("talea features is not built yet") }
}
