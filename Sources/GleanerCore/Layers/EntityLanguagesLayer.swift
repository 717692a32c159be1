extension LayerName {
    /// Which languages the entities layer covers: written by the `entities` processor beside `entities`.
    public static let entityLanguages: LayerName = "entity_languages"
}

/// The `entity_languages` layer: the languages whose text the entity processor tagged with a model of
/// that language, those it left untagged because it has no model for them (never another language's
/// model), and the language it assumed when the document had no language layer.
public struct EntityLanguagesLayer: Layer {
    public static let name = LayerName.entityLanguages
    /// ISO 639-1 codes tagged with their own model, sorted.
    public var covered: [String]
    /// Codes of text that got no entities because there is no model for its language, sorted.
    public var notCovered: [String]
    /// The language assumed for the whole text when no language layer was there (`en`), else nil.
    public var assumed: String?

    public init(covered: [String], notCovered: [String], assumed: String? = nil) {
        self.covered = covered
        self.notCovered = notCovered
        self.assumed = assumed
    }

    public var spans: [Span] { [] }

    public func jsonValue(in text: DocumentText) -> JSONValue {
        [
            "covered": .array(covered.map { .string($0) }),
            "not_covered": .array(notCovered.map { .string($0) }),
            "assumed": assumed.map { .string($0) } ?? .null,
        ]
    }
}
