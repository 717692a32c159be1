import Foundation
import GleanerExtract
import GleanerTestSupport

enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { folder + "/" + name }
    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path(name)))) }

    /// The source text a fixture was made from (title, blank line, paragraphs).
    static func source(_ name: String) throws -> String { try String(contentsOfFile: path("source/" + name), encoding: .utf8) }

    /// The `gleaner` binary for isolated extraction, when it is built.
    static var binary: String? {
        let b = TestSupport.binary
        return FileManager.default.isExecutableFile(atPath: b) ? b : nil
    }

    static func extraction(limits: ExtractLimits = ExtractLimits(), isolated: Bool = false) -> Extraction {
        Extraction(registry: .builtin, limits: limits, childBinary: isolated ? binary : nil)
    }
}

/// Words in order: the share of the source's words that the extracted text has in the same order
/// (longest common subsequence of words / source words), and the reverse share.
enum WordMatch {
    static func words(_ s: String) -> [Substring] {
        s.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    }

    static func lcs(_ a: [Substring], _ b: [Substring]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 1...a.count {
            for j in 1...b.count {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// (recall, precision) of `extracted` against `source`, by words in order.
    static func ratios(source: String, extracted: String) -> (recall: Double, precision: Double) {
        let a = words(source), b = words(extracted)
        let common = Double(lcs(a, b))
        return (common / Double(max(a.count, 1)), common / Double(max(b.count, 1)))
    }
}
