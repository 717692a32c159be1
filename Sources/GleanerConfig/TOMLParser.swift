import GleanerCore

/// A TOML 1.0 parser that keeps the line of every value, so configuration
/// errors can say where they are. (TOMLKit would need a package this machine
/// does not carry, and it does not expose value positions.)
public enum TOML {
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> ConfigTable {
        var parser = TOMLParserState(scalars: Array(text.unicodeScalars), file: file)
        return try parser.parseDocument()
    }
}

private struct TOMLParserState {
    let s: [Unicode.Scalar]
    let file: String
    var i = 0
    var line = 1

    /// Tables defined by a `[header]`, to refuse defining one twice.
    var definedTables: Set<[String]> = []
    /// Arrays of tables (`[[header]]`) and their current element counts.
    var root = ConfigTable()

    init(scalars: [Unicode.Scalar], file: String) {
        self.s = scalars
        self.file = file
        self.root = ConfigTable(location: SourceLocation(file: file, line: 1))
    }

    var location: SourceLocation { SourceLocation(file: file, line: line) }

    func error(_ message: String, hint: String? = nil) -> ConfigurationError {
        ConfigurationError(.syntax, message, at: location, hint: hint)
    }

    var atEnd: Bool { i >= s.count }
    var current: Unicode.Scalar? { i < s.count ? s[i] : nil }

    mutating func advance() {
        if i < s.count, s[i] == "\n" { line += 1 }
        i += 1
    }

    mutating func skipInlineSpace() {
        while let c = current, c == " " || c == "\t" { advance() }
    }

    mutating func skipComment() {
        if current == "#" { while let c = current, c != "\n" { advance() } }
    }

    /// Spaces, newlines and comments (inside arrays and between statements).
    mutating func skipAllSpace() {
        while let c = current {
            if c == " " || c == "\t" || c == "\n" || c == "\r" { advance() } else if c == "#" { skipComment() } else { break }
        }
    }

    mutating func expectEndOfLine() throws(ConfigurationError) {
        skipInlineSpace()
        skipComment()
        if current == "\r" { advance() }
        guard atEnd || current == "\n" else {
            throw error("unexpected '\(current.map(String.init) ?? "")' after a value", hint: "one key = value per line; comments start with #")
        }
    }

    // MARK: Document

    mutating func parseDocument() throws(ConfigurationError) -> ConfigTable {
        var path: [String] = []
        while true {
            skipAllSpace()
            guard let c = current else { break }
            if c == "[" {
                let headerLine = line
                advance()
                let isArray = current == "["
                if isArray { advance() }
                skipInlineSpace()
                let keys = try parseKey()
                skipInlineSpace()
                guard current == "]" else { throw error("expected ']' to close the table header") }
                advance()
                if isArray {
                    guard current == "]" else { throw error("expected ']]' to close the array-of-tables header") }
                    advance()
                }
                try expectEndOfLine()
                let loc = SourceLocation(file: file, line: headerLine)
                if isArray {
                    try appendArrayTable(keys, at: loc)
                } else {
                    guard !definedTables.contains(keys) else {
                        throw ConfigurationError(.syntax, "table [\(keys.joined(separator: "."))] is defined twice", at: loc)
                    }
                    definedTables.insert(keys)
                    try ensureTable(keys, at: loc)
                }
                path = keys
                continue
            }
            let keyLine = line
            let keys = try parseKey()
            skipInlineSpace()
            guard current == "=" else { throw error("expected '=' after the key '\(keys.joined(separator: "."))'") }
            advance()
            skipInlineSpace()
            let value = try parseValue()
            try expectEndOfLine()
            try insert(value, at: path, keys: keys, line: keyLine)
        }
        return root
    }

    // MARK: Keys

    mutating func parseKey() throws(ConfigurationError) -> [String] {
        var keys: [String] = []
        while true {
            skipInlineSpace()
            guard let c = current else { throw error("expected a key") }
            if c == "\"" {
                keys.append(try parseBasicString())
            } else if c == "'" {
                keys.append(try parseLiteralString())
            } else {
                var key = ""
                while let c = current, c.properties.isAlphabetic && c.isASCII || ("0"..."9").contains(c) || c == "_" || c == "-" {
                    key.unicodeScalars.append(c)
                    advance()
                }
                guard !key.isEmpty else { throw error("expected a key, found '\(c)'", hint: "keys are letters, digits, _ and -, or quoted") }
                keys.append(key)
            }
            skipInlineSpace()
            if current == "." { advance(); continue }
            return keys
        }
    }

    // MARK: Tables

    /// Walks `keys` from the root, creating tables; in an array of tables, its last element.
    mutating func withTable<R>(_ keys: [String], at loc: SourceLocation, _ body: (inout ConfigTable) throws(ConfigurationError) -> R)
        throws(ConfigurationError) -> R
    {
        func walk(_ table: inout ConfigTable, _ rest: ArraySlice<String>) throws(ConfigurationError) -> R {
            guard let key = rest.first else { return try body(&table) }
            var child = table[key] ?? ConfigValue(.table(ConfigTable(location: loc)), at: loc)
            switch child.kind {
            case .table(var t):
                let r = try walk(&t, rest.dropFirst())
                child.kind = .table(t)
                table[key] = child
                return r
            case .array(var items) where items.last?.table != nil:
                guard var last = items.last?.table else { throw ConfigurationError(.syntax, "'\(key)' is not a table", at: loc) }
                let r = try walk(&last, rest.dropFirst())
                items[items.count - 1].kind = .table(last)
                child.kind = .array(items)
                table[key] = child
                return r
            default:
                throw ConfigurationError(
                    .syntax, "'\(key)' is already a \(child.typeName) (line \(child.location?.line ?? 0)), not a table", at: loc)
            }
        }
        return try walk(&root, keys[...])
    }

    mutating func ensureTable(_ keys: [String], at loc: SourceLocation) throws(ConfigurationError) {
        try withTable(keys, at: loc) { (_: inout ConfigTable) throws(ConfigurationError) in }
    }

    mutating func appendArrayTable(_ keys: [String], at loc: SourceLocation) throws(ConfigurationError) {
        guard let last = keys.last else { return }
        try withTable(Array(keys.dropLast()), at: loc) { (table: inout ConfigTable) throws(ConfigurationError) in
            let element = ConfigValue(.table(ConfigTable(location: loc)), at: loc)
            if let existing = table[last] {
                guard case .array(var items) = existing.kind else {
                    throw ConfigurationError(.syntax, "'\(last)' is already a \(existing.typeName), not an array of tables", at: loc)
                }
                items.append(element)
                table[last] = ConfigValue(.array(items), at: existing.location)
            } else {
                table[last] = ConfigValue(.array([element]), at: loc)
            }
        }
    }

    mutating func insert(_ value: ConfigValue, at path: [String], keys: [String], line: Int) throws(ConfigurationError) {
        let loc = SourceLocation(file: file, line: line)
        guard let last = keys.last else { return }
        try withTable(path + keys.dropLast(), at: loc) { (table: inout ConfigTable) throws(ConfigurationError) in
            if let existing = table[last] {
                throw ConfigurationError(
                    .syntax, "key '\(keys.joined(separator: "."))' is set twice (first on line \(existing.location?.line ?? 0))", at: loc)
            }
            table[last] = value
        }
    }

    // MARK: Values

    mutating func parseValue() throws(ConfigurationError) -> ConfigValue {
        let loc = location
        guard let c = current else { throw error("expected a value") }
        switch c {
        case "\"":
            if matches("\"\"\"") { return ConfigValue(.string(try parseMultilineBasicString()), at: loc) }
            return ConfigValue(.string(try parseBasicString()), at: loc)
        case "'":
            if matches("'''") { return ConfigValue(.string(try parseMultilineLiteralString()), at: loc) }
            return ConfigValue(.string(try parseLiteralString()), at: loc)
        case "[": return try parseArray()
        case "{": return try parseInlineTable()
        case "t":
            if matches("true") { i += 4; return ConfigValue(.boolean(true), at: loc) }
        case "f":
            if matches("false") { i += 5; return ConfigValue(.boolean(false), at: loc) }
        default: break
        }
        return try parseNumberOrDate()
    }

    func matches(_ literal: String) -> Bool {
        var k = i
        for c in literal.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    mutating func parseBasicString() throws(ConfigurationError) -> String {
        advance()
        var out = ""
        while true {
            guard let c = current, c != "\n" else { throw error("unterminated string", hint: "close it with \" on the same line") }
            advance()
            if c == "\"" { return out }
            if c == "\\" { out.unicodeScalars.append(try parseEscape()) } else { out.unicodeScalars.append(c) }
        }
    }

    mutating func parseEscape() throws(ConfigurationError) -> Unicode.Scalar {
        guard let e = current else { throw error("unterminated escape") }
        advance()
        switch e {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "e": return "\u{1B}"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let count = e == "u" ? 4 : 8
            var hex = ""
            for _ in 0..<count {
                guard let h = current, h.properties.isASCIIHexDigit else { throw error("invalid \\\(e) escape") }
                hex.unicodeScalars.append(h)
                advance()
            }
            guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else { throw error("invalid code point \\\(e)\(hex)") }
            return scalar
        default:
            throw error("invalid escape '\\\(e)'", hint: "use \\\\ for a backslash, or a 'literal string'")
        }
    }

    mutating func parseLiteralString() throws(ConfigurationError) -> String {
        advance()
        var out = ""
        while true {
            guard let c = current, c != "\n" else { throw error("unterminated literal string") }
            advance()
            if c == "'" { return out }
            out.unicodeScalars.append(c)
        }
    }

    mutating func parseMultilineBasicString() throws(ConfigurationError) -> String {
        i += 3
        if current == "\n" { advance() } else if current == "\r" && i + 1 < s.count && s[i + 1] == "\n" { advance(); advance() }
        var out = ""
        while true {
            guard let c = current else { throw error("unterminated multi-line string") }
            if matches("\"\"\"") && !matches("\"\"\"\"") { i += 3; return out }
            advance()
            if c == "\\" {
                // A line-ending backslash trims the following white space.
                var k = i
                while k < s.count, s[k] == " " || s[k] == "\t" || s[k] == "\r" { k += 1 }
                if k < s.count, s[k] == "\n" {
                    while let w = current, w == " " || w == "\t" || w == "\n" || w == "\r" { advance() }
                    continue
                }
                out.unicodeScalars.append(try parseEscape())
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }

    mutating func parseMultilineLiteralString() throws(ConfigurationError) -> String {
        i += 3
        if current == "\n" { advance() }
        var out = ""
        while true {
            guard let c = current else { throw error("unterminated multi-line literal string") }
            if matches("'''") && !matches("''''") { i += 3; return out }
            advance()
            out.unicodeScalars.append(c)
        }
    }

    mutating func parseArray() throws(ConfigurationError) -> ConfigValue {
        let loc = location
        advance()
        var items: [ConfigValue] = []
        while true {
            skipAllSpace()
            guard let c = current else { throw ConfigurationError(.syntax, "unterminated array", at: loc, hint: "close it with ]") }
            if c == "]" { advance(); return ConfigValue(.array(items), at: loc) }
            items.append(try parseValue())
            skipAllSpace()
            if atEnd { throw ConfigurationError(.syntax, "unterminated array", at: loc, hint: "close it with ]") }
            if current == "," { advance(); continue }
            if current == "]" { advance(); return ConfigValue(.array(items), at: loc) }
            throw error("expected ',' or ']' in the array")
        }
    }

    mutating func parseInlineTable() throws(ConfigurationError) -> ConfigValue {
        let loc = location
        advance()
        var table = ConfigTable(location: loc)
        skipInlineSpace()
        if current == "}" { advance(); return ConfigValue(.table(table), at: loc) }
        while true {
            skipInlineSpace()
            let keys = try parseKey()
            skipInlineSpace()
            guard current == "=" else { throw error("expected '=' in the inline table") }
            advance()
            skipInlineSpace()
            let value = try parseValue()
            try setNested(&table, keys[...], value, loc)
            skipInlineSpace()
            if current == "," { advance(); continue }
            if current == "}" { advance(); return ConfigValue(.table(table), at: loc) }
            throw error("expected ',' or '}' in the inline table", hint: "inline tables stay on one line")
        }
    }

    func setNested(_ table: inout ConfigTable, _ keys: ArraySlice<String>, _ value: ConfigValue, _ loc: SourceLocation)
        throws(ConfigurationError)
    {
        guard let key = keys.first else { return }
        if keys.count == 1 {
            guard table[key] == nil else { throw ConfigurationError(.syntax, "key '\(key)' is set twice", at: loc) }
            table[key] = value
            return
        }
        var child = table[key]?.table ?? ConfigTable(location: loc)
        try setNested(&child, keys.dropFirst(), value, loc)
        table[key] = ConfigValue(.table(child), at: loc)
    }

    mutating func parseNumberOrDate() throws(ConfigurationError) -> ConfigValue {
        let loc = location
        var word = ""
        while let c = current, !(c == "," || c == "]" || c == "}" || c == "\n" || c == "#" || c == "\r" || c == "\t") {
            // A space belongs to a date-time only between date and time.
            if c == " " {
                let isDateTime = word.count == 10 && word.filter({ $0 == "-" }).count == 2 && i + 1 < s.count && ("0"..."9").contains(s[i + 1])
                if !isDateTime { break }
            }
            word.unicodeScalars.append(c)
            advance()
        }
        guard !word.isEmpty else { throw error("expected a value") }
        let clean = word.replacingUnderscores()
        if let v = parseInteger(clean) { return ConfigValue(.integer(v), at: loc) }
        switch clean {
        case "inf", "+inf": return ConfigValue(.float(.infinity), at: loc)
        case "-inf": return ConfigValue(.float(-.infinity), at: loc)
        case "nan", "+nan", "-nan": return ConfigValue(.float(.nan), at: loc)
        default: break
        }
        if clean.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let d = Double(clean), !clean.hasPrefix(".") {
            return ConfigValue(.float(d), at: loc)
        }
        if word.first?.isNumber == true && (word.contains("-") || word.contains(":")) {
            return ConfigValue(.datetime(word), at: loc)
        }
        throw ConfigurationError(
            .syntax, "'\(word)' is not a TOML value", at: loc,
            hint: "strings need quotes: \"\(word)\"")
    }

    func parseInteger(_ t: String) -> Int? {
        if t.hasPrefix("0x") { return Int(t.dropFirst(2), radix: 16) }
        if t.hasPrefix("0o") { return Int(t.dropFirst(2), radix: 8) }
        if t.hasPrefix("0b") { return Int(t.dropFirst(2), radix: 2) }
        let digits = t.hasPrefix("+") || t.hasPrefix("-") ? t.dropFirst() : Substring(t)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if digits.count > 1 && digits.hasPrefix("0") { return nil }
        return Int(t)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
