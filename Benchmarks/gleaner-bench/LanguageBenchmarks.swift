import Foundation
import GleanerCore
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

    var scratch = LanguageDetector.Scratch(detector)
    let perSentence = BenchReport.time(minimumSeconds: 2) {
        for s in sentences { _ = detector.hypotheses(for: s[...], maximum: 1, scratch: &scratch) }
    }
    report.add("language: sentences/s, one core", Double(sentences.count) / perSentence, "/s",
               detail: "\(sentences.count) sentences, 75 languages")
    let perWord = BenchReport.time(minimumSeconds: 1) {
        for w in words { _ = detector.hypotheses(for: w[...], maximum: 1, scratch: &scratch) }
    }
    report.add("language: single words/s, one core", Double(words.count) / perWord, "/s")

    // The processor on documents (document language and segments): the two press samples.
    let samples = dir.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("samples")
    let docs = ((try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []).sorted()
        .filter { $0.hasSuffix(".txt") }
        .compactMap { try? String(contentsOf: samples.appendingPathComponent($0), encoding: .utf8) }
        .map { Array($0.unicodeScalars) }
    if !docs.isEmpty {
        let processor = try await LanguageProcessorFactory().makeProcessor(options: ProcessorOptions(processor: "language"))
        guard let language = processor as? LanguageProcessor else { throw LanguageModelError("not a LanguageProcessor") }
        let scalarsTotal = docs.reduce(0) { $0 + $1.count }
        let perDoc = BenchReport.time(minimumSeconds: 2) { for d in docs { _ = language.analyse(d) } }
        report.add("language: processor on the samples (document + segments), per document", perDoc * 1000 / Double(docs.count),
                   "ms", detail: "\(docs.count) documents, \(scalarsTotal) scalars; each sentence read once")
        // What the processor did before reading each sentence once: the whole text, then every
        // paragraph and every sentence scored again from its text.
        let again = BenchReport.time(minimumSeconds: 2) {
            for d in docs {
                _ = detector.hypotheses(for: d[...], maximum: 3, scratch: &scratch)
                for p in language.paragraphSpans(d) {
                    _ = detector.hypotheses(for: d[p.start..<p.end], maximum: 1, scratch: &scratch)
                    for s in language.sentenceSpans(d, in: p) {
                        _ = detector.hypotheses(for: d[s.start..<s.end], maximum: 1, scratch: &scratch)
                    }
                }
            }
        }
        report.add("language: same documents scored text, paragraphs and sentences apart (former method)",
                   again * 1000 / Double(docs.count), "ms")
    }
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
