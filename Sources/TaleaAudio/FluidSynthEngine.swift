import CFluidSynth
import Foundation

/// FluidSynth's log handlers are process-wide; Talea reports failures as typed errors instead,
/// so the error, warning and information messages are switched off once (panics still print).
private let fluidSynthLogSilenced: Bool = {
    for level in [FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG] {
        _ = fluid_set_log_function(Int32(level.rawValue), nil, nil)
    }
    return true
}()

/// Makes sure FluidSynth's own messages are off before it is used.
func silenceFluidSynthLog() {
    _ = fluidSynthLogSilenced
}

/// One FluidSynth synthesiser with one SoundFont loaded, driven by hand: no audio driver, no
/// MIDI player, no sequencer. Not shared between threads (its thread-safe API is switched off).
final class FluidSynthEngine {
    private let settings: OpaquePointer
    private let synth: OpaquePointer
    private let soundFontID: Int32

    /// Starts a synthesiser with `channels` MIDI channels, reverb and chorus as asked, one
    /// rendering thread, and the SoundFont loaded.
    init(soundFont: SoundFont, sampleRate: Int, channels: Int, gain: Double, reverb: Bool, chorus: Bool) throws {
        silenceFluidSynthLog()
        guard let settings = new_fluid_settings() else {
            throw AudioRenderError.synthesizerFailed(reason: "cannot create settings")
        }
        // Every setting below is checked: a refused one would silently change the output.
        let numbers: [(String, Double)] = [("synth.sample-rate", Double(sampleRate)), ("synth.gain", gain)]
        let integers: [(String, Int32)] = [
            ("synth.midi-channels", Int32(channels)),
            ("synth.audio-channels", 1),
            ("synth.audio-groups", 1),
            ("synth.polyphony", 1024),
            ("synth.cpu-cores", 1),
            ("synth.threadsafe-api", 0),
            ("synth.reverb.active", reverb ? 1 : 0),
            ("synth.chorus.active", chorus ? 1 : 0),
            ("synth.lock-memory", 0),
            ("synth.dynamic-sample-loading", 0),
        ]
        for (name, value) in numbers where fluid_settings_setnum(settings, name, value) != FLUID_OK {
            delete_fluid_settings(settings)
            throw AudioRenderError.synthesizerFailed(reason: "setting \(name) = \(value) was refused")
        }
        for (name, value) in integers where fluid_settings_setint(settings, name, value) != FLUID_OK {
            delete_fluid_settings(settings)
            throw AudioRenderError.synthesizerFailed(reason: "setting \(name) = \(value) was refused")
        }
        guard let synth = new_fluid_synth(settings) else {
            delete_fluid_settings(settings)
            throw AudioRenderError.synthesizerFailed(reason: "cannot create the synthesiser")
        }
        let id = fluid_synth_sfload(synth, soundFont.url.path, 1)
        guard id != FLUID_FAILED else {
            delete_fluid_synth(synth)
            delete_fluid_settings(settings)
            throw AudioRenderError.invalidSoundFont(path: soundFont.url.path, reason: "FluidSynth could not load it")
        }
        self.settings = settings
        self.synth = synth
        self.soundFontID = id
    }

    deinit {
        delete_fluid_synth(synth)
        delete_fluid_settings(settings)
    }

    /// True when the loaded SoundFont has a preset at `bank`/`program`.
    func hasPreset(bank: Int, program: Int) -> Bool {
        guard let font = fluid_synth_get_sfont_by_id(synth, soundFontID) else { return false }
        return fluid_sfont_get_preset(font, Int32(bank), Int32(program)) != nil
    }

    /// Sets a channel's type (melodic or percussion) and instrument. Returns what was really
    /// selected: the preset asked for, else program 0 of that bank, else nil (the channel stays silent).
    func assign(channel: Int, bank: Int, program: Int) -> (bank: Int, program: Int)? {
        let type = bank == GeneralMIDI.percussionBank ? CHANNEL_TYPE_DRUM : CHANNEL_TYPE_MELODIC
        _ = fluid_synth_set_channel_type(synth, Int32(channel), Int32(type.rawValue))
        for (candidateBank, candidateProgram) in [(bank, program), (bank, 0)]
        where hasPreset(bank: candidateBank, program: candidateProgram) {
            if fluid_synth_program_select(synth, Int32(channel), soundFontID,
                                          Int32(candidateBank), Int32(candidateProgram)) == FLUID_OK {
                return (candidateBank, candidateProgram)
            }
        }
        _ = fluid_synth_unset_program(synth, Int32(channel))
        return nil
    }

    /// Strikes a key.
    func noteOn(channel: Int, key: Int, velocity: Int) {
        _ = fluid_synth_noteon(synth, Int32(channel), Int32(key), Int32(velocity))
    }

    /// Releases a key.
    func noteOff(channel: Int, key: Int) {
        _ = fluid_synth_noteoff(synth, Int32(channel), Int32(key))
    }

    /// Synthesises `frames` stereo frames as interleaved floats (left, right, …) into `buffer`,
    /// which must hold `2 * frames` values.
    func render(frames: Int, into buffer: UnsafeMutablePointer<Float>) throws {
        let raw = UnsafeMutableRawPointer(buffer)
        guard fluid_synth_write_float(synth, Int32(frames), raw, 0, 2, raw, 1, 2) == FLUID_OK else {
            throw AudioRenderError.synthesizerFailed(reason: "fluid_synth_write_float failed")
        }
    }

    /// Voices still sounding (released notes count until their envelope ends).
    var activeVoiceCount: Int { Int(fluid_synth_get_active_voice_count(synth)) }
}
