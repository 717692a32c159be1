import Foundation
import GleanerCore

/// Checks a plugin's `options` against the JSON Schema its handshake announced (protocol version 2). The subset
/// of JSON Schema (2020-12) understood: `type` (one or a list), `properties`, `required`, `additionalProperties`
/// (false or a schema), `enum`, `const`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
/// `minLength`, `maxLength`, `pattern`, `items`, `minItems`, `maxItems`; `description`, `default`, `title` and
/// `examples` are documentation. Every mistake is returned, each with its path. Pure, tested as values.
public enum OptionsSchema {
    public static func validate(_ value: JSONValue, against schema: JSONValue, path: String = "options") -> [String] {
        var problems: [String] = []
        check(value, schema, path, &problems)
        return problems
    }

    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    private static func check(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ problems: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { problems.append("\(path) is not allowed") }
            return
        }
        guard schema.objectValue != nil else { return }
        let actual = typeName(value)
        if let type = schema["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            let matches = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !allowed.isEmpty && !matches {
                problems.append("\(path) must be \(allowed.joined(separator: " or ")), not \(actual) (\(value.serialized()))")
                return
            }
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            problems.append("\(path) is \(value.serialized()); expected one of \(options.map { $0.serialized() }.joined(separator: ", "))")
        }
        if let constant = schema["const"], constant != value {
            problems.append("\(path) must be \(constant.serialized())")
        }
        if let n = number(value) {
            if let min = schema["minimum"].flatMap(number), n < min { problems.append("\(path) = \(value.serialized()) is below the minimum \(schema["minimum"]!.serialized())") }
            if let max = schema["maximum"].flatMap(number), n > max { problems.append("\(path) = \(value.serialized()) is above the maximum \(schema["maximum"]!.serialized())") }
            if let min = schema["exclusiveMinimum"].flatMap(number), n <= min { problems.append("\(path) = \(value.serialized()) must be more than \(schema["exclusiveMinimum"]!.serialized())") }
            if let max = schema["exclusiveMaximum"].flatMap(number), n >= max { problems.append("\(path) = \(value.serialized()) must be less than \(schema["exclusiveMaximum"]!.serialized())") }
        }
        if let s = value.stringValue {
            let length = s.unicodeScalars.count
            if let min = schema["minLength"]?.intValue, length < min { problems.append("\(path) is shorter than \(min) characters") }
            if let max = schema["maxLength"]?.intValue, length > max { problems.append("\(path) is longer than \(max) characters") }
            if let pattern = schema["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern),
                regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil
            {
                problems.append("\(path) = \(value.serialized()) does not match the pattern \(pattern)")
            }
        }
        if let items = value.arrayValue {
            if let min = schema["minItems"]?.intValue, items.count < min { problems.append("\(path) has fewer than \(min) items") }
            if let max = schema["maxItems"]?.intValue, items.count > max { problems.append("\(path) has more than \(max) items") }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() { check(item, itemSchema, "\(path)[\(i)]", &problems) }
            }
        }
        if let members = value.objectValue {
            let properties = schema["properties"]?.objectValue ?? []
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !members.contains(where: { $0.0 == name }) {
                problems.append("\(path).\(name) is required")
            }
            for (key, member) in members {
                if let propertySchema = properties.first(where: { $0.0 == key })?.1 {
                    check(member, propertySchema, "\(path).\(key)", &problems)
                } else if let extra = schema["additionalProperties"] {
                    if case .bool(false) = extra {
                        let known = properties.map(\.0)
                        let suggestion = closestMatch(to: key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                        problems.append("\(path).\(key) is not an option of this plugin\(suggestion); its options: \(known.sorted().joined(separator: ", "))")
                    } else {
                        check(member, extra, "\(path).\(key)", &problems)
                    }
                }
            }
        }
    }
}
