import Foundation
import GleanerCore
import GleanerText

/// One input through every text extractor (plain, Markdown, HTML) and the JSON writer and parser. Stops the
/// process (a finding) when an input is not handled in time linear in its size, when the JSON written for
/// the extracted text does not parse back to the same text, or when anything crashes.
///
/// Built two ways: with `-sanitize=fuzzer -D FUZZING` it is a libFuzzer target (`make fuzz`); otherwise it
/// replays files given on the command line (the corpus of inputs that once found bugs).
enum FuzzOne {
    /// Generous, for instrumented builds: 20 ms plus 20 µs per byte. A quadratic path on the 64 KiB inputs
    /// the fuzzer makes takes seconds, far beyond it.
    static func budget(_ bytes: Int) -> Duration { .milliseconds(20) + .microseconds(20 * bytes) }

    static func run(_ bytes: [UInt8]) {
        let extractor = Extractor(maxBytes: 16 << 20)
        for name in ["input.txt", "input.md", "input.html"] {
            let clock = ContinuousClock()
            let start = clock.now
            if let extracted = try? extractor.extract(bytes, fileName: name) {
                let value = JSONValue.object([("text", .string(extracted.text)), ("name", .string(name))])
                for encoded in [value.serializedBytes(), value.prettyPrintedBytes()] {
                    guard let back = try? JSONValue.parse(bytes: encoded), back == value else {
                        fatalError("the JSON written for \(name) does not parse back to the same value")
                    }
                }
            }
            let took = clock.now - start
            if took > budget(bytes.count) {
                fatalError("\(name): \(bytes.count) bytes took \(took), over the linear budget \(budget(bytes.count))")
            }
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzOne.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's driver, for an executable whose `main` SwiftPM renames to `<module>_main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

@_cdecl("gleaner_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) }
}
#else
@main
struct Replay {
    static func main() throws {
        let paths = CommandLine.arguments.dropFirst()
        for path in paths {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            FuzzOne.run(Array(data))
        }
        print("gleaner-fuzz: \(paths.count) input(s) replayed, all handled in linear time")
    }
}
#endif
