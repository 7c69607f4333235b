import ArgumentParser

// Placeholder until the issue that owns `talea render` lands; replaced, not extended.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "(not built yet)")
    func run() throws { throw ValidationError("talea render is not built yet") }
}
