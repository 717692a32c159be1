/// The name of a layer of annotations: what processors require and provide.
public struct LayerName: RawRepresentable, Hashable, Sendable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: LayerName, rhs: LayerName) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let tokens: LayerName = "tokens"
    public static let sentences: LayerName = "sentences"
    public static let paragraphs: LayerName = "paragraphs"
    public static let language: LayerName = "language"
    public static let entities: LayerName = "entities"
    public static let quotes: LayerName = "quotes"
}

/// A typed layer of standoff annotations.
///
/// The built-in layers are defined here, in the shared document model, so a
/// processor reads another's output through these types and never through
/// the other processor's internals.
public protocol Layer: Sendable {
    static var name: LayerName { get }
    /// Whether the layer is written into the result document (tokens are not).
    static var isPublished: Bool { get }
    /// The layer's form in the `gleaner.document/1` JSON.
    func jsonValue(in text: DocumentText) -> JSONValue
    /// Every span the layer points at, so the pipeline can check them.
    var spans: [Span] { get }
}

extension Layer {
    public static var isPublished: Bool { true }
}
