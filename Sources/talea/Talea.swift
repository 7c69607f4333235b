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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Talea {
    /// Runs the command line as ArgumentParser does, then makes sure what was printed reached
    /// standard output: a full disk or a closed pipe is an error (exit status 1), not a silent loss.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            // Flushing every stream (stdout itself is not reachable from Swift 6 code) fails when
            // what is still buffered cannot be written, and a failing disk or pipe keeps failing.
            guard fflush(nil) == 0 else {
                throw CLIError("writing standard output failed: \(String(cString: strerror(errno)))")
            }
        } catch {
            exit(withError: error)
        }
    }
}
