import Foundation

/// PDF through poppler's `pdfinfo` and `pdftotext` (Debian: poppler-utils), run
/// as supervised child processes under the extraction limits. pdftotext's
/// reading-order mode puts columns in order; this extractor then keeps
/// headers and footers repeated across pages out of the running text, joins
/// line-wrapped paragraphs (undoing hyphenation at line ends), and records
/// each page as a span.
public struct PDFExtractor: Extractor {
    public let name = "pdf"
    public let version = "1.0.0"
    public let mediaTypes = [Sniffer.pdf]
    public let extensions = ["pdf"]

    public init() {}

    public func extract(_ input: ExtractionInput) async throws(ExtractError) -> [ExtractedDocument] {
        guard let pdftotext = Supervisor.which("pdftotext"), let pdfinfo = Supervisor.which("pdfinfo") else {
            throw ExtractError(.toolMissing, "reading PDF needs poppler's pdftotext and pdfinfo (Debian package poppler-utils): apt-get install poppler-utils")
        }
        var path = input.path
        var temporary: String?
        if path == nil {
            let p = NSTemporaryDirectory() + "gleaner-pdf-\(UUID().uuidString).pdf"
            guard FileManager.default.createFile(atPath: p, contents: Data(input.bytes)) else {
                throw ExtractError(.malformed, "cannot write a temporary copy of the PDF")
            }
            path = p
            temporary = p
        }
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        let file = path!
        let limit = input.limits.timeLimit, memory = input.limits.memoryLimit
        async let infoRun = Supervisor.run([pdfinfo, "-isodates", "-enc", "UTF-8", file], timeLimit: limit, memoryLimit: memory)
        async let textRun = Supervisor.run([pdftotext, "-enc", "UTF-8", "-eol", "unix", file, "-"], timeLimit: limit, memoryLimit: memory)
        let info: Supervisor.Outcome, text: Supervisor.Outcome
        do {
            info = try await infoRun
            text = try await textRun
        } catch let error as ExtractError {
            throw error
        } catch {
            throw ExtractError(.toolMissing, "\(error)")
        }
        for run in [info, text] {
            if run.timedOut {
                throw ExtractError(.timeout, "reading the PDF took longer than \(limit) (extract.time_limit); pdftotext was stopped")
            }
            if let signal = run.signal {
                throw ExtractError(.crashed, "pdftotext was killed by signal \(signal) (a malformed PDF, or past extract.memory_limit)")
            }
        }
        let problems = info.stderrText + "\n" + text.stderrText
        if problems.contains("Incorrect password") || problems.contains("password") && (info.status ?? 0) != 0 {
            throw ExtractError(.encrypted, "the PDF is encrypted and cannot be opened without its password")
        }
        guard info.status == 0, text.status == 0 else {
            let last = problems.split(separator: "\n").last.map(String.init) ?? "exit status \(text.status ?? -1)"
            throw ExtractError(.malformed, "poppler cannot read this PDF: \(last)")
        }
        let fields = PDFInfo.parse(String(decoding: info.stdout, as: UTF8.self))
        let pageTexts = String(decoding: text.stdout, as: UTF8.self).split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        let pages = Int(fields["Pages"] ?? "") ?? pageTexts.count
        guard pages > 0 else { throw ExtractError(.malformed, "the PDF has no pages (it may be cut short)") }
        let layout = PDFLayout.assemble(pages: Array(pageTexts.prefix(max(pages, 1))))
        guard layout.text.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else {
            throw ExtractError(
                .noTextLayer,
                "the PDF's \(pages) page(s) have no text layer (scanned images?); plug in an OCR extractor for PDFs (kind = \"extractor\", docs/PLUGINS.md)")
        }
        var warnings: [String] = []
        if fields["Encrypted"]?.hasPrefix("yes") == true { warnings.append("encrypted: the PDF is encrypted but opens without a password") }
        if !layout.removed.isEmpty {
            warnings.append("headers/footers kept out of the text: " + layout.removed.prefix(5).map { "\"\($0)\"" }.joined(separator: ", "))
        }
        if problems.contains("Syntax Error") || problems.contains("Syntax Warning") {
            warnings.append("poppler reported errors in the PDF: " + (problems.split(separator: "\n").first.map(String.init) ?? ""))
        }
        return [ExtractedDocument(
            text: layout.text, mediaType: Sniffer.pdf, format: "pdf", extractorName: name, extractorVersion: version,
            normalizations: layout.normalized ? ["nfc"] : [], title: PDFInfo.title(fields["Title"]),
            authors: (fields["Author"].map { [$0] } ?? []).filter { !$0.isEmpty },
            published: fields["CreationDate"].flatMap(DateText.iso8601), outlet: nil, parts: layout.pages, warnings: warnings)]
    }
}

enum PDFInfo {
    static func parse(_ s: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in s.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]).trimmed
            let value = String(line[line.index(after: colon)...]).trimmed
            if out[key] == nil, !value.isEmpty { out[key] = value }
        }
        return out
    }

    /// A document title, unless it is a file name or a word processor's placeholder.
    static func title(_ raw: String?) -> String? {
        guard let t = raw?.trimmed, t.count >= 3 else { return nil }
        let lower = t.lowercased()
        if lower.hasPrefix("microsoft word - ") || lower == "untitled" || lower.hasPrefix("untitled ") { return nil }
        for ext in [".doc", ".docx", ".odt", ".pdf", ".txt", ".rtf", ".indd", ".qxd", ".html", ".htm"] where lower.hasSuffix(ext) { return nil }
        return t
    }
}

/// Pure layout logic on pdftotext's reading-order output (pages split at form feeds).
public enum PDFLayout {
    public struct Result: Sendable {
        public var text: String
        public var pages: [SourcePart]
        /// The header and footer lines found repeated and left out.
        public var removed: [String]
        public var normalized: Bool
    }

    /// Blocks of a page: runs of non-blank lines.
    static func blocks(_ page: String) -> [[String]] {
        var out: [[String]] = []
        var current: [String] = []
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmed
            if t.isEmpty {
                if !current.isEmpty { out.append(current); current = [] }
            } else {
                current.append(t)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A block's shape with its numbers generalised ("Page 3 of 10" → "page # of #").
    static func shape(_ block: [String]) -> String {
        var out = ""
        var inDigits = false
        for c in block.joined(separator: " ").lowercased().unicodeScalars {
            if ("0"..."9").contains(c) {
                if !inDigits { out.unicodeScalars.append("#") }
                inDigits = true
            } else {
                inDigits = false
                if !c.properties.isWhitespace { out.unicodeScalars.append(c) } else if out.last != " " { out.append(" ") }
            }
        }
        return out.trimmed
    }

    public static func assemble(pages rawPages: [String]) -> Result {
        // Headers and footers: a short line at a page's top or bottom (the first or
        // last two) whose shape recurs at the edge of at least half of the pages, and
        // on two at least. pdftotext may put a footer in the block of the page's last
        // lines, so this works on lines, not blocks.
        var lines: [[String]] = rawPages.map { page in
            page.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmed }
        }
        var removed: [String] = []
        if lines.count >= 2 {
            var counts: [String: Int] = [:]
            for page in lines {
                let nonBlank = page.filter { !$0.isEmpty }
                var edge = Set<String>()
                for line in nonBlank.prefix(2) + nonBlank.suffix(2) where line.count <= 120 { edge.insert(shape([line])) }
                for s in edge { counts[s, default: 0] += 1 }
            }
            let nonEmpty = lines.filter { $0.contains { !$0.isEmpty } }.count
            var repeated = Set(counts.filter { $0.value >= 2 && Double($0.value) >= Double(nonEmpty) * 0.5 }.map(\.key))
            // A page number ("Page 3", "- 3 -", "3/10") may sit between two columns in reading order:
            // a short numbered line whose shape is on most pages once is one, wherever it is.
            var numbered: [String: Int] = [:]
            for page in lines {
                var onPage: [String: Int] = [:]
                for line in page where line.count <= 30 {
                    let sh = shape([line])
                    if sh.contains("#") { onPage[sh, default: 0] += 1 }
                }
                for (sh, n) in onPage where n == 1 { numbered[sh, default: 0] += 1 }
            }
            let pageNumbers = Set(numbered.filter { $0.value >= 2 && Double($0.value) >= Double(nonEmpty) * 0.5 }.map(\.key))
            repeated.formUnion(pageNumbers)
            if !repeated.isEmpty {
                for p in lines.indices {
                    var page = lines[p]
                    for fromTop in [true, false] {
                        var taken = 0
                        while taken < 2 {
                            guard let i = fromTop ? page.firstIndex(where: { !$0.isEmpty }) : page.lastIndex(where: { !$0.isEmpty }) else { break }
                            guard page[i].count <= 120, repeated.contains(shape([page[i]])) else { break }
                            removed.append(page[i])
                            page.remove(at: i)
                            taken += 1
                        }
                    }
                    page.removeAll { line in
                        guard line.count <= 30, !line.isEmpty, pageNumbers.contains(shape([line])) else { return false }
                        removed.append(line)
                        return true
                    }
                    lines[p] = page
                }
            }
        }
        let pages = lines.map { blocks($0.joined(separator: "\n")) }
        var seen = Set<String>()
        removed = removed.filter { seen.insert(shape([$0])).inserted }

        var text = ""
        var scalars = 0
        var normalized = false
        var parts: [SourcePart] = []
        func append(_ s: String) {
            var p = s
            if !TextBuilder.isSurelyNFC(p) {
                let composed = p.precomposedStringWithCanonicalMapping
                if !composed.unicodeScalars.elementsEqual(p.unicodeScalars) { normalized = true; p = composed }
            }
            text += p
            scalars += p.unicodeScalars.count
        }
        var lastParagraph = ""
        for (index, blocks) in pages.enumerated() {
            var pageStart: Int?
            let page = blocks.flatMap(paragraphs)
            for (b, block) in page.enumerated() {
                let paragraph = join(block)
                guard !paragraph.isEmpty else { continue }
                if text.isEmpty {
                    pageStart = 0
                } else if continues(lastParagraph, with: paragraph) {
                    if lastParagraph.hasSuffix("-"), endsWithHyphenatedWord(lastParagraph), paragraph.first?.isLowercase == true {
                        text.removeLast()
                        scalars -= 1
                    } else {
                        append(" ")
                    }
                    pageStart = scalars
                } else {
                    append("\n\n")
                    if pageStart == nil { pageStart = scalars }
                }
                if pageStart == nil { pageStart = scalars }
                append(paragraph)
                lastParagraph = paragraph
            }
            let start = pageStart ?? scalars
            parts.append(SourcePart(kind: "page", start: start, end: max(start, scalars), number: index + 1))
        }
        return Result(text: text, pages: parts, removed: removed, normalized: normalized)
    }

    /// A block cut into paragraphs: in a block of several lines (a column of
    /// justified or ragged text), a line that ends a sentence and falls well short
    /// of the block's longest line ends its paragraph.
    static func paragraphs(_ block: [String]) -> [[String]] {
        guard block.count >= 3 else { return [block] }
        let widest = block.map { $0.count }.max() ?? 0
        var out: [[String]] = []
        var current: [String] = []
        for (i, line) in block.enumerated() {
            current.append(line)
            guard i + 1 < block.count, let last = line.last else { continue }
            let ends = ".!?»”\"…".contains(last) || (last == ")" && line.dropLast().last.map { ".!?".contains($0) } == true)
            let next = block[i + 1]
            let opens = next.first.map({ $0.isUppercase || $0.isNumber || "«“\"–—-".contains($0) }) == true
            if opens, (ends && Double(line.count) < Double(widest) * 0.8) || Double(line.count) < Double(widest) * 0.6 {
                out.append(current)
                current = []
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Lines of one block joined into a paragraph; a word hyphenated at a line's end is made whole.
    static func join(_ lines: [String]) -> String {
        var out = ""
        for line in lines {
            if out.isEmpty { out = line; continue }
            if out.hasSuffix("-"), endsWithHyphenatedWord(out), line.first?.isLowercase == true {
                out.removeLast()
                out += line
            } else if out.hasSuffix("\u{00AD}") {
                out.removeLast()
                out += line
            } else {
                out += " " + line
            }
        }
        return out
    }

    /// "infor-" (a letter before the hyphen, not "-" alone or " -").
    static func endsWithHyphenatedWord(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars.suffix(3))
        guard scalars.count >= 3 else { return false }
        return scalars[scalars.count - 2].properties.isAlphabetic && scalars[scalars.count - 3].properties.isAlphabetic
    }

    /// A paragraph cut by a page break: it ends without closing punctuation and the next starts in lower case.
    static func continues(_ previous: String, with next: String) -> Bool {
        guard let last = previous.last, let first = next.first else { return false }
        if ".!?:\"”»)…".contains(last) { return false }
        return first.isLowercase
    }
}
