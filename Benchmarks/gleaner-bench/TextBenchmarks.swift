import Foundation
import GleanerCore
import GleanerText

/// Tokenizer and segmenter throughput on the sample interviews, and extraction of HTML.
let textSuite = BenchmarkSuite(name: "text") { report in
    let samples = BenchReport.samples()
    guard !samples.isEmpty else { throw BenchError("no samples in ../shared/samples") }
    // Repeat the samples into one ~1 MB text so the timing is not dominated by set-up.
    var big = ""
    while big.utf8.count < 1 << 20 { for s in samples { big += s + "\n" } }
    let text = DocumentText(big)
    let tokenizer = Tokenizer()
    let count = tokenizer.tokenize(text).count
    let t = BenchReport.time { _ = tokenizer.tokenize(text) }
    report.add("tokenizer: tokens per second (samples ×\(big.utf8.count / 1024) KiB)", Double(count) / t, "tok/s")
    let segmenter = Segmenter()
    let s = BenchReport.time { _ = segmenter.segment(text) }
    report.add("segmenter (paragraphs, tokens, sentences): tokens per second", Double(count) / s, "tok/s")
    let html = "<html><body>" + samples.map { "<p>" + $0.replacingOccurrences(of: "\n", with: "</p><p>") + "</p>" }.joined() + "</body></html>"
    let extractor = Extractor()
    let bytes = Array(html.utf8)
    let e = BenchReport.time { _ = try? extractor.extract(bytes, fileName: "a.html") }
    report.add("HTML extraction: MB per second", Double(bytes.count) / e / 1e6, "MB/s")
    // Its parts: the markup scanner alone, and NFC composition of the extracted text.
    let h = BenchReport.time { _ = HTMLExtractor.extract(html) }
    report.add("  of which the HTML scanner: MB per second", Double(bytes.count) / h / 1e6, "MB/s")
    let plain = HTMLExtractor.extract(html)
    let n = BenchReport.time { _ = plain.precomposedStringWithCanonicalMapping }
    report.add("  NFC composition, only for text with combining marks and the like (not this text): MB per second", Double(plain.utf8.count) / n / 1e6, "MB/s")
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
