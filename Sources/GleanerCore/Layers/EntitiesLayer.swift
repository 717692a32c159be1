/// The type of a named entity or of a value found by rules.
public struct EntityType: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let person: EntityType = "PERSON"
    public static let organization: EntityType = "ORGANIZATION"
    public static let location: EntityType = "LOCATION"
    public static let misc: EntityType = "MISC"
    public static let date: EntityType = "DATE"
    public static let time: EntityType = "TIME"
    public static let money: EntityType = "MONEY"
    public static let percent: EntityType = "PERCENT"
    public static let quantity: EntityType = "QUANTITY"
}

/// One mention of an entity in the text.
public struct EntityMention: Sendable, Hashable {
    public var span: Span
    public var type: EntityType
    /// The id of the entity this mention belongs to (`E1`, `E2`, …), stable within the document.
    public var entityID: String
    /// The entity's canonical name: its longest full form ("Putin" → "Vladimir Putin").
    public var canonical: String

    public init(span: Span, type: EntityType, entityID: String, canonical: String) {
        self.span = span
        self.type = type
        self.entityID = entityID
        self.canonical = canonical
    }
}

/// The `entities` layer: mentions in text order, each tied to its entity.
public struct EntitiesLayer: Layer {
    public static let name = LayerName.entities
    public var mentions: [EntityMention]

    public init(_ mentions: [EntityMention]) { self.mentions = mentions }

    public var spans: [Span] { mentions.map(\.span) }

    /// Mentions grouped by entity id, in order of first mention.
    public var entities: [(id: String, canonical: String, type: EntityType, mentions: [EntityMention])] {
        var order: [String] = []
        var groups: [String: [EntityMention]] = [:]
        for m in mentions {
            if groups[m.entityID] == nil { order.append(m.entityID) }
            groups[m.entityID, default: []].append(m)
        }
        return order.compactMap { id in
            guard let ms = groups[id], let first = ms.first else { return nil }
            return (id, first.canonical, first.type, ms)
        }
    }

    /// The mention covering `span` exactly or containing it, if any.
    public func mention(covering span: Span) -> EntityMention? {
        mentions.first { $0.span.contains(span) }
    }

    public func jsonValue(in text: DocumentText) -> JSONValue {
        .array(mentions.map {
            [
                "start": .int($0.span.start), "end": .int($0.span.end), "text": .string(text[$0.span]),
                "type": .string($0.type.rawValue), "canonical": .string($0.canonical), "id": .string($0.entityID),
            ]
        })
    }
}
