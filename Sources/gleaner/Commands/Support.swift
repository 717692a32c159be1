import ArgumentParser
import Foundation
import GleanerBuiltins
import GleanerConfig
import GleanerCore
import GleanerPipeline

/// Writes to standard error, unbuffered.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Loads the configuration, or prints every mistake and exits 2.
func loadConfiguration(_ path: String?) throws -> GleanerConfiguration {
    do {
        return try ConfigurationLoader.load(path: path)
    } catch {
        for e in error.errors { printError("gleaner: \(e)") }
        throw ExitCode(2)
    }
}

func buildPipeline(_ configuration: GleanerConfiguration) async throws -> Pipeline {
    do {
        return try await PipelineBuilder.build(configuration, registry: BuiltinProcessors.registry)
    } catch {
        for e in error.errors { printError("gleaner: \(e)") }
        throw ExitCode(2)
    }
}


/// Buffered standard output for batch commands: one write per 64 KiB, not per line.
final class OutputBuffer {
    private var buffer: [UInt8] = []
    init() { buffer.reserveCapacity(1 << 16) }
    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }
    func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }
    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(1, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
    deinit { flush() }
}
