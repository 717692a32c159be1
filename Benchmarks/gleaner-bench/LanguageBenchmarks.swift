import Foundation
import LanguageDetection

/// Language detection: model load time, sentences per second on one core over a
/// fixed set of held-out sentences (the last 200 lines of each language's file in
/// shared/data/langid/train, which the model never trained on), and memory.
let languageSuite = BenchmarkSuite(name: "language") { report in
    let before = residentMiB()
    let url = try LanguageDetector.defaultModelURL()
    let clock = ContinuousClock()
    let t0 = clock.now
    let detector = try LanguageDetector(contentsOf: url)
    _ = detector.hypotheses(for: "warm up the character tables")
    let first = clock.now - t0
    report.add("language: model resident memory", residentMiB() - before, "MiB", detail: "RSS growth after the first load")
    report.add("language: first load incl. character tables", Double(first.components.attoseconds) * 1e-15
        + Double(first.components.seconds) * 1000, "ms")
    let load = BenchReport.time(minimumSeconds: 0.5) { _ = try? LanguageDetector(contentsOf: url) }
    report.add("language: model load", load * 1000, "ms")

    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/langid/train").standardized
    var sentences: [[Unicode.Scalar]] = []
    for code in detector.supportedLanguages {
        guard let text = try? String(contentsOf: dir.appendingPathComponent("\(code).txt"), encoding: .utf8) else { continue }
        let lines = text.split(separator: "\n")
        sentences += lines.suffix(200).map { Array($0.unicodeScalars) }
    }
    guard !sentences.isEmpty else { throw LanguageModelError("no dev sentences under \(dir.path)") }
    let words = sentences.compactMap { s in s.split(separator: " ").dropFirst().first.map(Array.init) }

    var scratch = LanguageDetector.Scratch()
    let perSentence = BenchReport.time(minimumSeconds: 2) {
        for s in sentences { _ = detector.hypotheses(for: s[...], maximum: 1, scratch: &scratch) }
    }
    report.add("language: sentences/s, one core", Double(sentences.count) / perSentence, "/s",
               detail: "\(sentences.count) sentences, 75 languages")
    let perWord = BenchReport.time(minimumSeconds: 1) {
        for w in words { _ = detector.hypotheses(for: w[...], maximum: 1, scratch: &scratch) }
    }
    report.add("language: single words/s, one core", Double(words.count) / perWord, "/s")
    report.add("language: peak resident memory (process)", BenchReport.peakResidentMiB(), "MiB")
}

/// Current resident memory in MiB (VmRSS).
private func residentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return (line.split(separator: " ").compactMap { Double($0) }.first ?? 0) / 1024
    }
    return 0
}
