import ArgumentParser
import Foundation
import TaleaAudio
import TaleaScore

/// `talea render`: a MIDI file to WAV, FLAC or Ogg Vorbis through FluidSynth, voice by voice.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a MIDI file to audio (.wav, .flac, .ogg) with FluidSynth.",
        discussion: """
            Notes are scheduled from Talea's own voices, so --voice plays voices alone and --mute \
            silences them. Output is deterministic: reverb and chorus are off unless asked for. \
            The SoundFont is --soundfont, else $TALEA_SOUNDFONT, else the first of \
            \(SoundFont.defaultSearchPaths.joined(separator: ", ")). \
            A VOICE is an index (0-based, as `talea inspect` lists them) or a name (case-insensitive; \
            if no voice has exactly that name, every voice whose name contains it, so "piano" picks \
            both piano staves).
            """)

    @Argument(help: "The MIDI file.")
    var file: String

    @Option(name: [.short, .customLong("output")], help: "Output file; the extension sets the format (.wav, .flac, .ogg).")
    var output: String

    @Option(name: .customLong("voice"), help: "Play only this voice (repeatable).")
    var voices: [String] = []

    @Option(name: .customLong("mute"), help: "Silence this voice (repeatable).")
    var muted: [String] = []

    @Option(name: .customLong("soundfont"), help: "SoundFont (.sf2) to play with.")
    var soundFont: String?

    @Option(name: .customLong("rate"), help: "Sample rate in Hz (8000...96000).")
    var sampleRate: Int = 44_100

    @Option(name: .customLong("bits"), help: "Bits per sample for .wav and .flac: 16 or 24.")
    var bits: Int = 16

    @Option(name: .customLong("program"), help: "Force a General MIDI program (0-based) on a voice: VOICE=N (repeatable).")
    var programs: [String] = []

    @Option(name: .customLong("vocal-program"),
            help: "Program for sung parts and unnamed single lines (52 choir aahs; 74 recorder keeps lines apart).")
    var vocalProgram: Int = GeneralMIDI.choirAahs

    @Flag(name: .customLong("file-programs"),
          help: "Play each voice with the program its file sets (0 if none), like a MIDI player, not Talea's choice.")
    var filePrograms = false

    @Option(name: .customLong("gain"), help: "FluidSynth master gain (0 < gain <= 10; FluidSynth's own default is 0.2).")
    var gain: Double = 0.5

    @Option(name: .customLong("tail"), help: "Seconds rendered after the last note so that it can die away.")
    var tail: Double = 1.0

    @Option(name: .customLong("start"), help: "Start the render this many seconds into the piece.")
    var start: Double = 0

    @Option(name: .customLong("length"), help: "Render at most this many seconds of music (an excerpt).")
    var length: Double?

    @Flag(name: .customLong("reverb"), help: "Switch FluidSynth's reverb on (output stays deterministic).")
    var reverb = false

    @Flag(name: .customLong("chorus"), help: "Switch FluidSynth's chorus on.")
    var chorus = false

    @Flag(name: [.short, .customLong("quiet")], help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        guard let bitDepth = BitDepth(rawValue: bits) else {
            throw ValidationError("--bits must be 16 or 24, not \(bits)")
        }
        var options = RenderOptions()
        options.sampleRate = sampleRate
        options.bitDepth = bitDepth
        options.soloVoices = voices.map { VoiceSelector($0) }
        options.mutedVoices = muted.map { VoiceSelector($0) }
        options.programOverrides = try programs.map { text in
            guard let override = ProgramOverride(parsing: text) else {
                throw ValidationError("--program expects VOICE=N (e.g. \"Piano 1=6\" or 0=74), not \"\(text)\"")
            }
            return override
        }
        options.vocalProgram = vocalProgram
        options.useFilePrograms = filePrograms
        options.gain = gain
        options.releaseTailSeconds = tail
        options.startSeconds = start
        options.maxSeconds = length
        options.reverb = reverb
        options.chorus = chorus

        let outputURL = URL(fileURLWithPath: output)
        _ = try AudioFormat(fileURL: outputURL)  // an unknown extension fails before any work
        let score = try Score.load(contentsOf: URL(fileURLWithPath: file))
        let renderer = AudioRenderer(soundFont: try SoundFont.locate(explicitPath: soundFont), options: options)

        var bar = RenderProgressBar(enabled: !quiet && isatty(STDERR_FILENO) != 0)
        // Ctrl-C cancels through the progress callback, so that the renderer deletes its
        // temporary file instead of leaving it behind.
        let interrupt = Interrupt()
        signal(SIGINT, SIG_IGN)
        let signalSource = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        signalSource.setEventHandler { interrupt.raise() }
        signalSource.resume()
        defer {
            signalSource.cancel()
            signal(SIGINT, SIG_DFL)
        }
        let summary: RenderSummary
        do {
            summary = try renderer.render(score, to: outputURL) { progress in
                if interrupt.isRaised { throw Interrupt.Raised() }
                bar.show(progress)
            }
            bar.finish()
        } catch is Interrupt.Raised {
            bar.finish()
            printError("interrupted; nothing written")
            throw ExitCode(130)
        } catch {
            bar.finish()
            throw error
        }
        guard !quiet else { return }
        for voice in summary.voices {
            let instrument = voice.instrument
            print("\(voice.voiceIndex) \(voice.name): \(instrument.instrumentName) "
                + "(bank \(instrument.bank), program \(instrument.program), by \(instrument.source.rawValue)), "
                + "channel \(voice.channel), \(voice.noteCount) notes")
        }
        for warning in summary.warnings { printError("warning: \(warning)") }
        let depth = summary.format.hasBitDepth ? "\(bitDepth.rawValue)-bit " : ""
        print(String(format: "wrote %@: %.2f s (%.2f s of music + %.2f s tail), %d Hz, %@%@, peak %.3f, soundfont %@",
                     outputURL.path, summary.durationSeconds, summary.soundingSeconds, summary.tailSeconds,
                     summary.sampleRate, depth, summary.format.displayName, Double(summary.peak),
                     renderer.soundFont.url.lastPathComponent))
    }
}

/// Set from the SIGINT handler, read by the progress callback.
private final class Interrupt: @unchecked Sendable {
    struct Raised: Error {}
    private let lock = NSLock()
    private var raised = false

    func raise() { lock.withLock { raised = true } }
    var isRaised: Bool { lock.withLock { raised } }
}

/// A one-line progress bar on standard error, redrawn in place; only on a terminal.
private struct RenderProgressBar {
    let enabled: Bool
    private var lastPercent = -1
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    mutating func show(_ progress: RenderProgress) {
        guard enabled else { return }
        let percent = Int(progress.fraction * 100)
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30
        let filled = min(width, Int(progress.fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\rrendering [%@] %3d%%  %.1f / %.1f s", bar, percent,
                          progress.secondsWritten, progress.totalSeconds)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    mutating func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}

