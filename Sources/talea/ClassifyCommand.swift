import ArgumentParser

// Placeholder until the issue that owns `talea classify` lands; replaced, not extended.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "(not built yet)")
    func run() throws { throw ValidationError("talea classify is not built yet") }
}
