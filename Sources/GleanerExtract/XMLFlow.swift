import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Text flow of a word-processing XML part (OOXML or ODF) into paragraphs:
/// paragraphs and headings become paragraphs, table cells are separated by a
/// tab and rows put on lines of their own, notes are gathered apart.
final class FlowCollector {
    struct TableState { var rows: [String] = []; var cells: [String] = []; var cell: [String] = [] }
    var paragraphs: [String] = []
    var notes: [String] = []
    private var stack: [String] = []
    private var tables: [TableState] = []
    var noteDepth = 0

    var inParagraph: Bool { !stack.isEmpty }

    func beginParagraph() { stack.append("") }
    func text(_ s: String) {
        if stack.isEmpty { return }
        stack[stack.count - 1] += s
    }
    func endParagraph() {
        guard let p = stack.popLast() else { return }
        let t = TextBuilder.trim(p.unicodeScalars.contains("\u{00A0}") ? String(String.UnicodeScalarView(p.unicodeScalars.map { $0 == "\u{00A0}" ? " " : $0 })) : p)
        if t.isEmpty { return }
        if noteDepth > 0 {
            notes.append(t)
        } else if !tables.isEmpty {
            tables[tables.count - 1].cell.append(t)
        } else if !stack.isEmpty {
            stack[stack.count - 1] += " " + t
        } else {
            paragraphs.append(t)
        }
    }
    func beginTable() { tables.append(TableState()) }
    func endCell() {
        guard !tables.isEmpty else { return }
        tables[tables.count - 1].cells.append(tables[tables.count - 1].cell.joined(separator: " "))
        tables[tables.count - 1].cell = []
    }
    func endRow() {
        guard !tables.isEmpty else { return }
        let cells = tables[tables.count - 1].cells
        if cells.contains(where: { !$0.isEmpty }) { tables[tables.count - 1].rows.append(cells.joined(separator: "\t")) }
        tables[tables.count - 1].cells = []
    }
    func endTable() {
        guard let table = tables.popLast() else { return }
        let block = table.rows.joined(separator: "\n")
        guard !block.isEmpty else { return }
        if !tables.isEmpty {
            tables[tables.count - 1].cell.append(block.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " "))
        } else if noteDepth > 0 {
            notes.append(block)
        } else {
            paragraphs.append(block)
        }
    }
}

/// Runs Foundation's XMLParser (libxml2 underneath) with external entities off.
final class XMLWalk: NSObject, XMLParserDelegate {
    typealias Start = (_ name: String, _ attributes: [String: String]) -> Void
    typealias End = (_ name: String) -> Void
    let onStart: Start
    let onEnd: End
    let onText: (String) -> Void

    var depth = 0

    init(start: @escaping Start, end: @escaping End, text: @escaping (String) -> Void) {
        onStart = start
        onEnd = end
        onText = text
    }

    static func run(_ data: Data, part: String, start: @escaping Start, end: @escaping End, text: @escaping (String) -> Void) throws(ExtractError) {
        let walk = XMLWalk(start: start, end: end, text: text)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = walk
        if !parser.parse() {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw ExtractError(.malformed, "the XML of \(part) is broken at line \(parser.lineNumber): \(reason)")
        }
        if walk.depth != 0 { throw ExtractError(.malformed, "the XML of \(part) is cut short (\(walk.depth) element(s) left open)") }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes: [String: String] = [:]) {
        depth += 1
        onStart(elementName, attributes)
    }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
        onEnd(elementName)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { onText(string) }
}

/// Simple metadata parts (docProps/core.xml, meta.xml, an OPF's metadata): the text of named elements.
enum XMLFields {
    static func read(_ data: Data, part: String, names: Set<String>) throws(ExtractError) -> [String: [String]] {
        var out: [String: [String]] = [:]
        var current: String?
        var buffer = ""
        try XMLWalk.run(data, part: part, start: { name, _ in
            if names.contains(name) { current = name; buffer = "" }
        }, end: { name in
            if name == current {
                let t = buffer.trimmed
                if !t.isEmpty { out[name, default: []].append(t) }
                current = nil
            }
        }, text: { s in if current != nil { buffer += s } })
        return out
    }
}
