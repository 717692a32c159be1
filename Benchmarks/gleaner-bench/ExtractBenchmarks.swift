import Foundation
import GleanerExtract
import ZIPFoundation

/// Extraction of the formats people receive, on the test corpus (Tests/GleanerExtractTests/Fixtures):
/// an 11-page text PDF through poppler, and DOCX, ODT and e-mail made large by repeating
/// their body, parsed in this process and, as the daemon does, in a child process.
let extractSuite = BenchmarkSuite(name: "extract") { report in
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let fixtures = root.appendingPathComponent("Tests/GleanerExtractTests/Fixtures").path
    let release = root.appendingPathComponent(".build/release/gleaner").path
    let inside = Extraction(registry: .builtin, limits: ExtractLimits(maxBytes: 256 << 20), childBinary: nil)
    let child = Extraction(
        registry: .builtin, limits: ExtractLimits(maxBytes: 256 << 20),
        childBinary: FileManager.default.isExecutableFile(atPath: release) ? release : nil)

    func best(_ runs: Int = 10, _ body: () async throws -> Void) async rethrows -> Double {
        try await body()
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<runs {
            let t0 = clock.now
            try await body()
            let d = clock.now - t0
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        return best
    }

    let pdf = fixtures + "/ten-pages.pdf"
    let pdfDocs = try await inside.extract(path: pdf, name: "ten-pages.pdf")
    let pages = pdfDocs.first?.parts.count ?? 0
    let tPDF = try await best(20) { _ = try await inside.extract(path: pdf, name: "ten-pages.pdf") }
    report.add("PDF, \(pages) pages of text (pdfinfo + pdftotext + layout): ms", tPDF * 1000, "ms", detail: "target ≤ 100 ms for 10 pages")

    // Real prose that deflate cannot fold onto itself (a repeat of one short body would compress
    // 100-fold and make "file MB/s" meaningless): the articles in ../shared/data/quotes, one per paragraph.
    var prose: [String] = []
    for folder in ["fr/wikinews", "es/texts"] {
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared/data/quotes/" + folder).path
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() where file.hasSuffix(".txt") {
            let text = (try? String(contentsOfFile: dir + "/" + file, encoding: .utf8)) ?? ""
            prose += text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        }
    }
    guard prose.count > 100 else { throw BenchError("no articles in ../shared/data/quotes/{fr/wikinews,es/texts}") }
    for (name, part) in [("fr-45364.docx", "word/document.xml"), ("fr-45364.odt", "content.xml")] {
        let big = try enlarge(fixtures + "/" + name, part: part, to: 8 << 20, prose: prose)
        let xml = big.xmlBytes
        let t = try await best(5) { _ = try await inside.extract(bytes: big.file, name: name) }
        report.add("\(name.split(separator: ".").last!.uppercased()) in process: file MB per second (\(big.file.count / 1024) KiB file)", Double(big.file.count) / t / 1e6, "MB/s", detail: String(format: "%.0f MB/s of XML", Double(xml) / t / 1e6))
        if child.childBinary != nil {
            let c = try await best(5) { _ = try await child.extract(bytes: big.file, name: name) }
            report.add("  the same in a child process (the daemon's way): file MB per second", Double(big.file.count) / c / 1e6, "MB/s", detail: String(format: "%.0f MB/s of XML", Double(xml) / c / 1e6))
        }
    }

    // E-mail: the fixture's text part (quoted-printable) and HTML part repeated to about 8 MB.
    let eml = try String(contentsOfFile: fixtures + "/fr-45037.eml", encoding: .utf8)
    if let start = eml.range(of: "Content-Transfer-Encoding: quoted-printable\n\n") ?? eml.range(of: "Content-Transfer-Encoding: quoted-printable\r\n\r\n") {
        let head = String(eml[..<start.upperBound])
        let rest = eml[start.upperBound...]
        let body = rest.components(separatedBy: "\n--").first ?? ""
        var big = head
        while big.utf8.count < 8 << 20 { big += body + "=\n\n" }
        big += "\n" + (rest.components(separatedBy: "\n--").dropFirst().map { "--" + $0 }.joined(separator: "\n"))
        let bytes = Array(big.utf8)
        let t = try await best(5) { _ = try await inside.extract(bytes: bytes, name: "big.eml") }
        report.add("EML in process: MB per second (\(bytes.count / 1024) KiB, quoted-printable, PDF attached)", Double(bytes.count) / t / 1e6, "MB/s")
        if child.childBinary != nil {
            let c = try await best(5) { _ = try await child.extract(bytes: bytes, name: "big.eml") }
            report.add("  the same in a child process: MB per second", Double(bytes.count) / c / 1e6, "MB/s")
        }
    }
    if child.childBinary != nil {
        let small = try Array(Data(contentsOf: URL(fileURLWithPath: fixtures + "/fr-45364.docx")))
        let c = try await best(20) { _ = try await child.extract(bytes: small, name: "fr-45364.docx") }
        report.add("one small DOCX (\(small.count / 1024) KiB) in a child process: ms, start-up included", c * 1000, "ms")
    }
}

/// The fixture with its body repeated until the main XML part is about `size` bytes.
func enlarge(_ path: String, part: String, to size: Int, prose: [String]) throws -> (file: [UInt8], xmlBytes: Int) {
    let source = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    let target = try Archive(data: Data(), accessMode: .create)
    var xmlBytes = 0
    for entry in source {
        var data = Data()
        _ = try source.extract(entry) { data.append($0) }
        if entry.path == part {
            var xml = String(decoding: data, as: UTF8.self)
            let odt = part == "content.xml"
            let (open, close) = odt ? ("<office:text>", "</office:text>") : ("<w:body>", "<w:sectPr")
            // The fixture's second paragraph is the template: its markup, with other prose in it.
            let paragraph = odt ? "<text:p text:style-name=\"Text_20_body\">" : "<w:p>"
            let paragraphEnd = odt ? "</text:p>" : "</w:p>"
            if let a = xml.range(of: open), let b = xml.range(of: close, range: a.upperBound..<xml.endIndex),
                let p0 = xml.range(of: paragraph, range: a.upperBound..<b.lowerBound),
                let p1 = xml.range(of: paragraph, range: p0.upperBound..<b.lowerBound),
                let e1 = xml.range(of: paragraphEnd, range: p1.upperBound..<b.lowerBound)
            {
                let template = String(xml[p1.lowerBound..<e1.upperBound])
                let sample = try templateText(template)
                var repeated = ""
                var i = 0
                while repeated.utf8.count < size {
                    let text = prose[i % prose.count].replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    repeated += template.replacingOccurrences(of: sample, with: text)
                    i += 1
                }
                xml.replaceSubrange(a.upperBound..<b.lowerBound, with: repeated)
            }
            data = Data(xml.utf8)
            xmlBytes = data.count
        }
        let bytes = data
        try target.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(bytes.count),
                            compressionMethod: entry.path == "mimetype" ? .none : .deflate) { position, chunk in
            bytes.subdata(in: Int(position)..<Int(position) + chunk)
        }
    }
    return (Array(target.data ?? Data()), xmlBytes)
}

/// The text of a template paragraph as it is written in its XML (the longest run between tags).
func templateText(_ template: String) throws -> String {
    var best = ""
    for piece in template.split(separator: "<") {
        guard let gt = piece.firstIndex(of: ">") else { continue }
        let text = piece[piece.index(after: gt)...]
        if text.count > best.count { best = String(text) }
    }
    guard !best.isEmpty else { throw BenchError("no text in the template paragraph") }
    return best
}
