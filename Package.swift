// swift-tools-version: 6.0
// Gleaner: a plugin-based document-processing daemon.
// The data path reads left to right: inotify → watcher → extraction → pipeline → outbox.
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "gleaner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gleaner", targets: ["gleaner"]),
        .library(name: "GleanerCore", targets: ["GleanerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // The catalogue (issue #15): SQLite with FTS5, and the local web app that reads it.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        // The fleet (issue #18): several nodes over one PostgreSQL (queue, leases, shared catalogue).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The C library, seen through a module map and a header-only shim.
        .systemLibrary(name: "CInotifyTools", path: "Sources/CInotifyTools"),

        // The document model and the processor API. No I/O: the only API a plugin author needs.
        .target(name: "GleanerCore", swiftSettings: strict),
        // Bytes → plain text, tokens, sentences, paragraphs.
        .target(name: "GleanerText", dependencies: ["GleanerCore"], resources: [.copy("Segmentation/Model")], swiftSettings: strict),
        // Files as people receive them (PDF, DOCX, ODT, EPUB, e-mail, text) → text + source metadata, under limits.
        .target(name: "GleanerExtract",
                dependencies: ["GleanerCore", "GleanerText", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                swiftSettings: strict),
        // TOML configuration files → validated, typed configuration.
        .target(name: "GleanerConfig", dependencies: ["GleanerCore"], swiftSettings: strict),

        // The built-in processors, one target each.
        .target(name: "LanguageDetection", dependencies: ["GleanerCore", "GleanerText"],
                path: "Plugins/LanguageDetection", resources: [.copy("Model")], swiftSettings: strict),
        .target(name: "EntityTagging", dependencies: ["GleanerCore", "GleanerText"],
                path: "Plugins/EntityTagging", resources: [.copy("Model")], swiftSettings: strict),
        .target(name: "QuoteExtraction", dependencies: ["GleanerCore", "GleanerText"],
                path: "Plugins/QuoteExtraction", resources: [.copy("Model")], swiftSettings: strict),
        // The one place where built-in processors are registered.
        .target(name: "GleanerBuiltins",
                dependencies: ["GleanerCore", "GleanerText", "GleanerPipeline", "LanguageDetection", "EntityTagging", "QuoteExtraction"],
                swiftSettings: strict),

        // Processor registry, ordering, timing and errors, result serialisation.
        .target(name: "GleanerPipeline",
                dependencies: ["GleanerCore", "GleanerText", "GleanerConfig", "GleanerExtract",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        // What people look at: the HTML view of a result, the outbox index.
        .target(name: "GleanerView", dependencies: ["GleanerCore"], swiftSettings: strict),
        // Every result in one SQLite catalogue: documents, entities across documents, quotations, full-text search.
        .target(name: "GleanerCatalogue",
                dependencies: ["GleanerCore", "GleanerConfig", .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "GRDBSQLite", package: "GRDB.swift")],
                swiftSettings: strict),
        // The fleet (issue #18): PostgreSQL as the shared catalogue and the work queue (claims, leases, fencing).
        .target(name: "GleanerFleet",
                dependencies: ["GleanerCore", "GleanerConfig", "GleanerCatalogue",
                               .product(name: "PostgresNIO", package: "postgres-nio"),
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                swiftSettings: strict),
        // `gleaner serve`: the read-only local web app over the catalogue.
        .target(name: "GleanerServe",
                dependencies: ["GleanerCore", "GleanerCatalogue", "GleanerPipeline",
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                swiftSettings: strict),
        // The long-running service: watcher, claims, outbox, failed/, sd_notify, status.
        .target(name: "GleanerDaemon",
                dependencies: ["GleanerCore", "GleanerText", "GleanerConfig", "GleanerPipeline", "GleanerView", "CInotifyTools",
                               "GleanerCatalogue", "GleanerFleet",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                               .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "Prometheus", package: "swift-prometheus")],
                swiftSettings: strict),
        .executableTarget(name: "gleaner",
                          dependencies: ["GleanerCore", "GleanerText", "GleanerConfig", "GleanerPipeline", "GleanerExtract",
                                         "GleanerDaemon", "GleanerBuiltins", "GleanerView", "GleanerCatalogue", "GleanerServe", "GleanerFleet",
                                         "LanguageDetection", "EntityTagging", "QuoteExtraction",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log"),
                                         .product(name: "Metrics", package: "swift-metrics"),
                                         .product(name: "Prometheus", package: "swift-prometheus"),
                                         .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                          swiftSettings: strict),
        .executableTarget(name: "gleaner-bench",
                          dependencies: ["GleanerCore", "GleanerText", "GleanerPipeline", "GleanerBuiltins", "GleanerExtract",
                                         "LanguageDetection", "EntityTagging", "QuoteExtraction", "GleanerCatalogue",
                                         "GleanerFleet", "GleanerTestSupport", .product(name: "Logging", package: "swift-log"),
                                         .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                          path: "Benchmarks/gleaner-bench", swiftSettings: strict),

        // libFuzzer target over the extractors and the JSON writer (`make fuzz`); built normally, it replays a corpus.
        .executableTarget(name: "gleaner-fuzz", dependencies: ["GleanerCore", "GleanerText"],
                          path: "Benchmarks/gleaner-fuzz", swiftSettings: strict),

        // Helpers every test target shares: samples, temporary folders, running the binary.
        .target(name: "GleanerTestSupport", path: "Tests/Support"),
        .testTarget(name: "GleanerCoreTests", dependencies: ["GleanerCore"]),
        .testTarget(name: "GleanerTextTests", dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerText"],
                    exclude: ["FuzzCorpus"]),
        .testTarget(name: "GleanerConfigTests", dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerConfig", "GleanerBuiltins"]),
        .testTarget(name: "GleanerPipelineTests",
                    dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerText", "GleanerConfig", "GleanerPipeline", "GleanerBuiltins"]),
        .testTarget(name: "GleanerDaemonTests",
                    dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerConfig", "GleanerPipeline", "GleanerDaemon", "GleanerBuiltins"]),
        .testTarget(name: "LanguageDetectionTests", dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerText", "LanguageDetection"]),
        .testTarget(name: "EntityTaggingTests", dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerText", "EntityTagging", "LanguageDetection"]),
        .testTarget(name: "QuoteExtractionTests",
                    dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerText", "EntityTagging", "QuoteExtraction", "GleanerBuiltins"]),
        .testTarget(name: "GleanerViewTests",
                    dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerView", "GleanerPipeline", "GleanerBuiltins", "GleanerText"]),
        .testTarget(name: "ExternalPluginTests",
                    dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerConfig", "GleanerPipeline", "GleanerBuiltins",
                                   .product(name: "Logging", package: "swift-log")],
                    exclude: ["Workers"]),
        .testTarget(name: "CLITests", dependencies: ["GleanerTestSupport", "GleanerCore"]),
        .testTarget(name: "GleanerExtractTests",
                    dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerText", "GleanerExtract", "GleanerConfig", "GleanerPipeline",
                                   .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    exclude: ["Fixtures"]),
        .testTarget(name: "GleanerCatalogueTests", dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerCatalogue",
                                                                  .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "GleanerFleetTests",
                    dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerConfig", "GleanerCatalogue", "GleanerFleet",
                                   .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "GleanerServeTests", dependencies: ["GleanerTestSupport", "GleanerCore", "GleanerCatalogue"]),
    ]
)
