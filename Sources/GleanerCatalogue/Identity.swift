import Foundation

/// Identity across documents: when two names in different documents are one catalogue entity.
///
/// Merge only on evidence:
/// - the same full name (compared case-, diacritic- and punctuation-insensitively: "José Martí" = "Jose Marti");
/// - a person's name with middle initials and the same name without them ("Donald J. Trump" = "Donald Trump"),
///   only when that is unambiguous (never "George W. Bush" with "George H. W. Bush", and a bare "George Bush"
///   joins neither when both exist);
/// - an alias line of the user's alias file, or of alias data such as the entity tagger's gazetteer
///   ("Poutine" → "Vladimir Putin").
///
/// A person named by one word only ("Trump", "Mr. Trump" left unresolved in its document) is never merged across
/// documents by itself: it stays an entity of its own document, unless an alias line names it. Inside a document,
/// the entity tagger's cluster (`canonical`, `id`) already says who "Mr. Trump" is; the catalogue uses that.
public enum Identity {
    /// The catalogue's entity types; dates, amounts and the like are not entities of the catalogue.
    public static let types: Set<String> = ["PERSON", "ORGANIZATION", "LOCATION", "MISC"]
}

/// A name as compared: lower-case, without diacritics or punctuation, in words.
public struct NameForm: Sendable, Hashable {
    public let words: [String]

    public init(_ name: String) {
        var words: [String] = []
        var current = ""
        // Compatibility decomposition, then drop combining marks: "é" → "e", "ﬁ" → "fi".
        let folded = name.decomposedStringWithCompatibilityMapping.lowercased()
        for scalar in folded.unicodeScalars {
            let props = scalar.properties
            if props.generalCategory == .nonspacingMark || props.generalCategory == .enclosingMark { continue }
            if props.isAlphabetic || props.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if scalar == "'" || scalar == "’" || scalar == "." {
                // "O'Brien" = "OBrien"; "J." = "J": neither splits a word.
                continue
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        self.words = words
    }

    /// The whole name compared: `"donald j trump"`.
    public var key: String { words.joined(separator: " ") }

    /// Middle words of one letter: the initials between the first and the last word.
    public var initials: String {
        guard words.count > 2 else { return "" }
        return words[1..<(words.count - 1)].filter { $0.unicodeScalars.count == 1 }.joined(separator: " ")
    }

    /// The name without its middle initials: `"donald trump"`.
    public var base: String {
        guard words.count > 2 else { return key }
        var kept = [words[0]]
        kept += words[1..<(words.count - 1)].filter { $0.unicodeScalars.count > 1 }
        kept.append(words[words.count - 1])
        return kept.joined(separator: " ")
    }

    /// Words of more than one letter: a person's name is full with at least two.
    public var fullWords: Int { words.filter { $0.unicodeScalars.count > 1 }.count }
}

/// The user's alias file, and alias data: `alias<TAB>canonical[<TAB>TYPE]` merges, `split<TAB>name` keeps a
/// name apart (it then joins only the same name exactly, never by initials or through a one-word alias).
/// Lines starting with `#` and blank lines are ignored.
public struct AliasTable: Sendable, Hashable {
    /// Alias key → (canonical name, type or nil for any type).
    public private(set) var aliases: [String: (name: String, type: String?)] = [:]
    public private(set) var splits: Set<String> = []
    /// Problems found while reading, with line numbers.
    public private(set) var problems: [String] = []

    public init() {}

    public static func == (a: AliasTable, b: AliasTable) -> Bool {
        a.splits == b.splits && a.aliases.mapValues { "\($0.name)\t\($0.type ?? "")" } == b.aliases.mapValues { "\($0.name)\t\($0.type ?? "")" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(splits)
        hasher.combine(aliases.keys.sorted())
    }

    public init(parsing text: String, source: String = "aliases") {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.count >= 2, fields[0].lowercased() == "split" {
                let key = NameForm(fields[1]).key
                if key.isEmpty { problems.append("\(source):\(number + 1): an empty name to split") } else { splits.insert(key) }
                continue
            }
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                problems.append("\(source):\(number + 1): expected alias<TAB>canonical name[<TAB>TYPE] or split<TAB>name")
                continue
            }
            let type = fields.count >= 3 && !fields[2].isEmpty ? fields[2].uppercased() : nil
            let key = NameForm(fields[0]).key
            guard !key.isEmpty, !NameForm(fields[1]).key.isEmpty else {
                problems.append("\(source):\(number + 1): a name without letters")
                continue
            }
            aliases[key] = (fields[1], type)
        }
    }

    /// Later tables win: the user's file after alias data.
    public mutating func add(_ other: AliasTable) {
        for (k, v) in other.aliases { aliases[k] = v }
        splits.formUnion(other.splits)
        problems += other.problems
    }

    public func alias(for name: String, type: String) -> String? {
        guard let hit = aliases[NameForm(name).key], hit.type == nil || hit.type == type else { return nil }
        return hit.name
    }

    public func isSplit(_ name: String) -> Bool { splits.contains(NameForm(name).key) }
}

/// A catalogue entity as the resolver sees it.
public struct EntityCandidate: Sendable, Hashable {
    public var id: Int64
    /// The distinct middle initials among its names ("" for a name without).
    public var initials: Set<String>
    public init(id: Int64, initials: Set<String>) {
        self.id = id
        self.initials = initials
    }
}

/// Where the resolver looks up existing entities (the catalogue's tables, or a dictionary in tests).
public protocol IdentityIndex {
    /// Entities of this type with a name of exactly this key.
    func entities(type: String, key: String) throws -> [EntityCandidate]
    /// Person entities with a name of this base (the name without middle initials), except local ones.
    func entities(type: String, base: String) throws -> [EntityCandidate]
}

/// What a name resolves to.
public enum IdentityResolution: Sendable, Hashable {
    case existing(Int64)
    /// A new entity: its display name, the key it is found by, its base, and the document it is local to (nil: global).
    case new(name: String, key: String, base: String, initials: String, local: String?)
}

/// Name (+ type, + document) → catalogue entity. Pure: what it reads comes from `IdentityIndex`.
public struct IdentityResolver: Sendable {
    public var aliases: AliasTable

    public init(aliases: AliasTable = AliasTable()) { self.aliases = aliases }

    /// The key of an entity local to one document.
    public static func localKey(_ form: NameForm, document: String) -> String { "@" + document + "\u{1F}" + form.key }

    public func resolve(name rawName: String, type: String, document: String, in index: some IdentityIndex) throws -> IdentityResolution {
        var name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        var aliased = false
        if let target = aliases.alias(for: name, type: type) {
            name = target
            aliased = true
        }
        let form = NameForm(name)
        // A one-word person name stays in its document, unless an alias line vouches for it.
        if type == "PERSON", form.fullWords < 2, !aliased {
            let key = Self.localKey(form, document: document)
            if let hit = try index.entities(type: type, key: key).first { return .existing(hit.id) }
            return .new(name: name, key: key, base: key, initials: "", local: document)
        }
        if let hit = try index.entities(type: type, key: form.key).min(by: { $0.id < $1.id }) { return .existing(hit.id) }
        if type == "PERSON", !aliases.isSplit(name) {
            let mine = form.initials
            let candidates = try index.entities(type: type, base: form.base)
            // Compatible: every initialled name of the candidate has the same initials as this one.
            let compatible = candidates.filter { c in
                let set = c.initials.subtracting([""])
                return mine.isEmpty ? set.count <= 1 : set.isSubset(of: [mine])
            }
            // Unambiguous only: one candidate with this base, and (for a bare name) no rival initials.
            if compatible.count == 1, candidates.count == 1 { return .existing(compatible[0].id) }
        }
        return .new(name: name, key: form.key, base: form.base, initials: form.initials, local: nil)
    }
}

/// An in-memory `IdentityIndex`, for tests and for checking identity without a database.
public struct MemoryIdentityIndex: IdentityIndex, Sendable {
    public struct Entry: Sendable, Hashable {
        public var id: Int64
        public var type: String
        public var name: String
        public var keys: Set<String>
        public var bases: Set<String>
        public var initials: Set<String>
        public var local: Bool
    }
    public private(set) var entries: [Entry] = []

    public init() {}

    public func entities(type: String, key: String) -> [EntityCandidate] {
        entries.filter { $0.type == type && $0.keys.contains(key) }.map { EntityCandidate(id: $0.id, initials: $0.initials) }
    }

    public func entities(type: String, base: String) -> [EntityCandidate] {
        entries.filter { $0.type == type && !$0.local && $0.bases.contains(base) }.map { EntityCandidate(id: $0.id, initials: $0.initials) }
    }

    /// Resolves and records: the entity id the name belongs to.
    @discardableResult
    public mutating func add(name: String, type: String, document: String, resolver: IdentityResolver) throws -> Int64 {
        switch try resolver.resolve(name: name, type: type, document: document, in: self) {
        case .existing(let id):
            if let i = entries.firstIndex(where: { $0.id == id }) {
                let form = NameForm(name)
                if !entries[i].local {
                    entries[i].keys.insert(form.key)
                    entries[i].bases.insert(form.base)
                    entries[i].initials.insert(form.initials)
                }
            }
            return id
        case .new(let display, let key, let base, let initials, let local):
            let id = Int64(entries.count + 1)
            entries.append(Entry(id: id, type: type, name: display, keys: [key], bases: [base], initials: [initials], local: local != nil))
            return id
        }
    }
}
