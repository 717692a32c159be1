// A strict little HTML reader for the tests: it accepts only what a careful
// generator writes (quoted attributes, balanced tags, escaped text), so any
// slip in escaping or nesting makes it throw.

struct HTMLParseError: Error, CustomStringConvertible {
    var description: String
}

final class Element {
    let name: String
    let attributes: [(String, String)]
    var children: [Node] = []
    weak var parent: Element?

    init(name: String, attributes: [(String, String)]) {
        self.name = name
        self.attributes = attributes
    }

    func attr(_ key: String) -> String? { attributes.first { $0.0 == key }?.1 }
    var classes: [String] { (attr("class") ?? "").split(separator: " ").map(String.init) }
    func hasClass(_ c: String) -> Bool { classes.contains(c) }

    /// Every element below this one, in document order.
    var descendants: [Element] {
        var out: [Element] = []
        for child in children {
            if case .element(let e) = child {
                out.append(e)
                out.append(contentsOf: e.descendants)
            }
        }
        return out
    }

    func all(_ predicate: (Element) -> Bool) -> [Element] { descendants.filter(predicate) }
    func first(id: String) -> Element? { descendants.first { $0.attr("id") == id } }

    /// The text, leaving out elements that the view inserts (badges, labels, language tags).
    func text(skipping skip: Set<String> = []) -> String {
        var out = ""
        for child in children {
            switch child {
            case .text(let t): out += t
            case .element(let e):
                if e.classes.contains(where: skip.contains) { continue }
                out += e.text(skipping: skip)
            }
        }
        return out
    }
}

enum Node {
    case text(String)
    case element(Element)
}

enum HTMLTree {
    static let void: Set<String> = ["meta", "br", "hr", "img", "input", "link", "wbr"]
    static let raw: Set<String> = ["style"]

    /// Parses `html` and returns the root `html` element.
    static func parse(_ html: String) throws -> Element {
        let s = Array(html.unicodeScalars)
        var i = 0
        let document = Element(name: "#document", attributes: [])
        var stack: [Element] = [document]
        var text = ""

        func flush() {
            if !text.isEmpty, let top = stack.last { top.children.append(.text(text)) }
            text = ""
        }
        func readName() -> String {
            var name = ""
            while i < s.count, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) || s[i] == "-" {
                name.unicodeScalars.append(s[i])
                i += 1
            }
            return name.lowercased()
        }
        func decode(_ raw: String) throws -> String {
            var out = ""
            var k = raw.startIndex
            while k < raw.endIndex {
                if raw[k] == "&" {
                    guard let semi = raw[k...].firstIndex(of: ";") else { throw HTMLParseError(description: "bare & in \(raw)") }
                    let entity = String(raw[raw.index(after: k)..<semi])
                    switch entity {
                    case "amp": out += "&"
                    case "lt": out += "<"
                    case "gt": out += ">"
                    case "quot": out += "\""
                    case "#39": out += "'"
                    default: throw HTMLParseError(description: "unknown entity &\(entity);")
                    }
                    k = raw.index(after: semi)
                } else {
                    out.append(raw[k])
                    k = raw.index(after: k)
                }
            }
            return out
        }

        while i < s.count {
            let c = s[i]
            if c == "<" {
                flush()
                guard i + 1 < s.count else { throw HTMLParseError(description: "dangling <") }
                if s[i + 1] == "!" {
                    while i < s.count && s[i] != ">" { i += 1 }
                    i += 1
                    continue
                }
                if s[i + 1] == "/" {
                    i += 2
                    let name = readName()
                    guard i < s.count, s[i] == ">" else { throw HTMLParseError(description: "bad end tag </\(name)") }
                    i += 1
                    guard let top = stack.last, top.name == name, stack.count > 1 else {
                        throw HTMLParseError(description: "</\(name)> closes <\(stack.last?.name ?? "?")>")
                    }
                    stack.removeLast()
                    continue
                }
                i += 1
                let name = readName()
                guard !name.isEmpty else { throw HTMLParseError(description: "raw < in text at \(i)") }
                var attributes: [(String, String)] = []
                while true {
                    while i < s.count && s[i] == " " { i += 1 }
                    guard i < s.count else { throw HTMLParseError(description: "unterminated <\(name)") }
                    if s[i] == ">" { i += 1; break }
                    var key = ""
                    while i < s.count, s[i] != "=", s[i] != " ", s[i] != ">" {
                        key.unicodeScalars.append(s[i])
                        i += 1
                    }
                    guard key.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "-" }), !key.isEmpty else {
                        throw HTMLParseError(description: "bad attribute name '\(key)' in <\(name)>")
                    }
                    guard i + 1 < s.count, s[i] == "=", s[i + 1] == "\"" else {
                        throw HTMLParseError(description: "attribute \(key) of <\(name)> is not double-quoted")
                    }
                    i += 2
                    var value = ""
                    while i < s.count, s[i] != "\"" {
                        if s[i] == "<" || s[i] == ">" { throw HTMLParseError(description: "raw < or > in attribute \(key)") }
                        value.unicodeScalars.append(s[i])
                        i += 1
                    }
                    i += 1
                    if attributes.contains(where: { $0.0 == key }) { throw HTMLParseError(description: "duplicate attribute \(key)") }
                    attributes.append((key, try decode(value)))
                }
                let element = Element(name: name, attributes: attributes)
                element.parent = stack.last
                stack.last?.children.append(.element(element))
                if raw.contains(name) {
                    let end = Array("</\(name)>".unicodeScalars)
                    var j = i
                    while j + end.count <= s.count && Array(s[j..<j + end.count]) != end { j += 1 }
                    guard j + end.count <= s.count else { throw HTMLParseError(description: "unterminated <\(name)>") }
                    var body = ""
                    body.unicodeScalars.append(contentsOf: s[i..<j])
                    element.children.append(.text(body))
                    i = j + end.count
                } else if !void.contains(name) {
                    stack.append(element)
                }
                continue
            }
            if c == ">" { throw HTMLParseError(description: "raw > in text at \(i)") }
            // Collect text up to the next tag, then decode it.
            var chunk = ""
            while i < s.count && s[i] != "<" {
                if s[i] == ">" { throw HTMLParseError(description: "raw > in text at \(i)") }
                chunk.unicodeScalars.append(s[i])
                i += 1
            }
            text += try decode(chunk)
        }
        flush()
        guard stack.count == 1 else { throw HTMLParseError(description: "unclosed <\(stack.last?.name ?? "?")>") }
        guard let html = document.descendants.first(where: { $0.name == "html" }) else {
            throw HTMLParseError(description: "no <html>")
        }
        return html
    }
}
