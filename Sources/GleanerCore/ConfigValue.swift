/// A value from a configuration file, with where it was written.
public struct ConfigValue: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case string(String)
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        /// Date and time values are kept as written.
        case datetime(String)
        case array([ConfigValue])
        case table(ConfigTable)
    }

    public var kind: Kind
    public var location: SourceLocation?

    public init(_ kind: Kind, at location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }

    /// The TOML name of the value's type, for error messages.
    public var typeName: String {
        switch kind {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "boolean"
        case .datetime: return "date-time"
        case .array: return "array"
        case .table: return "table"
        }
    }

    public var string: String? { if case .string(let s) = kind { return s } else { return nil } }
    public var integer: Int? { if case .integer(let i) = kind { return i } else { return nil } }
    public var boolean: Bool? { if case .boolean(let b) = kind { return b } else { return nil } }
    public var array: [ConfigValue]? { if case .array(let a) = kind { return a } else { return nil } }
    public var table: ConfigTable? { if case .table(let t) = kind { return t } else { return nil } }
    public var number: Double? {
        switch kind {
        case .integer(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    /// The JSON form, for handing options to external plugins.
    public var jsonValue: JSONValue {
        switch kind {
        case .string(let s), .datetime(let s): return .string(s)
        case .integer(let i): return .int(i)
        case .float(let d): return .double(d)
        case .boolean(let b): return .bool(b)
        case .array(let a): return .array(a.map(\.jsonValue))
        case .table(let t): return .object(t.entries.map { ($0.key, $0.value.jsonValue) })
        }
    }
}

/// A TOML table: keys in the order they were written.
public struct ConfigTable: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: ConfigValue
    }

    public var entries: [Entry] = []
    /// Where the table was opened (`[header]`), if it was.
    public var location: SourceLocation?

    public init(location: SourceLocation? = nil) { self.location = location }

    public var keys: [String] { entries.map(\.key) }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> ConfigValue? {
        get { entries.first(where: { $0.key == key })?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }
}
