// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Talea",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "talea", targets: ["talea"]),
        .library(name: "TaleaMIDI", targets: ["TaleaMIDI"]),
        .library(name: "TaleaScore", targets: ["TaleaScore"]),
        .library(name: "TaleaFeatures", targets: ["TaleaFeatures"]),
        .library(name: "TaleaLearning", targets: ["TaleaLearning"]),
        .library(name: "TaleaCorpus", targets: ["TaleaCorpus"]),
        .library(name: "TaleaAudio", targets: ["TaleaAudio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Standard MIDI File bytes <-> events. Knows nothing of notes-as-music.
        .target(name: "TaleaMIDI"),
        // Voices of notes in ticks, quarter notes and seconds, built from MIDI events.
        .target(name: "TaleaScore", dependencies: ["TaleaMIDI"]),
        // Named numbers per voice and per piece; the isorhythm detector.
        .target(name: "TaleaFeatures", dependencies: ["TaleaScore"]),
        // Scaling, classifiers, calibration, metrics, model file. Knows nothing of music.
        .target(name: "TaleaLearning"),
        // System libraries from Debian's libfluidsynth-dev and libsndfile1-dev.
        .systemLibrary(name: "CFluidSynth", pkgConfig: "fluidsynth",
                       providers: [.apt(["libfluidsynth-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        // Offline rendering of a Score through FluidSynth, written with libsndfile.
        .target(name: "TaleaAudio", dependencies: ["TaleaScore", "CFluidSynth", "CSndFile"]),
        // Manifest, splits, training and evaluation pipelines, reports.
        .target(name: "TaleaCorpus",
                dependencies: ["TaleaMIDI", "TaleaScore", "TaleaFeatures", "TaleaLearning", "TaleaAudio"]),
        // The command-line tool: thin, no algorithms.
        .executableTarget(name: "talea", dependencies: [
            "TaleaMIDI", "TaleaScore", "TaleaFeatures", "TaleaLearning", "TaleaCorpus", "TaleaAudio",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Release-mode throughput measurements; see Benchmarks/README.md and docs/benchmarks.md.
        .executableTarget(name: "talea-bench", dependencies: [
            "TaleaMIDI", "TaleaScore", "TaleaFeatures", "TaleaAudio", "TaleaCorpus",
        ], path: "Benchmarks/talea-bench"),
        // Fixtures shared by the test targets (a small corpus written with TaleaMIDI's writer).
        .target(name: "TaleaTestSupport", dependencies: ["TaleaMIDI"]),
        .testTarget(name: "TaleaMIDITests", dependencies: ["TaleaMIDI", "TaleaTestSupport"]),
        .testTarget(name: "TaleaScoreTests", dependencies: ["TaleaScore", "TaleaMIDI", "TaleaTestSupport"]),
        .testTarget(name: "TaleaFeaturesTests", dependencies: ["TaleaFeatures", "TaleaScore", "TaleaMIDI", "TaleaTestSupport"]),
        .testTarget(name: "TaleaLearningTests", dependencies: ["TaleaLearning"]),
        .testTarget(name: "TaleaAudioTests", dependencies: ["TaleaAudio", "TaleaScore", "TaleaMIDI", "TaleaTestSupport"]),
        .testTarget(name: "TaleaCorpusTests", dependencies: ["TaleaCorpus", "TaleaTestSupport", "TaleaFeatures", "TaleaLearning", "TaleaScore", "TaleaMIDI"]),
        .testTarget(name: "TaleaCLITests", dependencies: ["talea", "TaleaTestSupport", "TaleaMIDI", "TaleaScore", "TaleaCorpus"]),
    ]
)
