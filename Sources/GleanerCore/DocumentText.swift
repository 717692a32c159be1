/// A document's plain text, indexed by Unicode scalar offsets.
///
/// The scalars are materialised once so that every processor can slice and
/// scan in O(1) per offset instead of walking a `String` index.
public struct DocumentText: Sendable, Hashable, CustomStringConvertible {
    public let string: String
    public let scalars: [Unicode.Scalar]

    public init(_ string: String) {
        self.string = string
        self.scalars = Array(string.unicodeScalars)
    }

    /// Number of Unicode scalars: the upper bound of every valid offset.
    public var count: Int { scalars.count }
    public var isEmpty: Bool { scalars.isEmpty }

    /// Whether `span` lies inside the text.
    public func isValid(_ span: Span) -> Bool { span.start >= 0 && span.end <= scalars.count }

    /// The text of `span`. Out-of-range parts are clamped away.
    public subscript(span: Span) -> String {
        let lower = max(0, min(span.start, scalars.count))
        let upper = max(lower, min(span.end, scalars.count))
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lower..<upper])
        return String(view)
    }

    public subscript(range: Range<Int>) -> String { self[Span(range)] }

    public var description: String { string }
}
