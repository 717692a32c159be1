/// A half-open range of Unicode scalar offsets into a document's text.
///
/// Offsets count Unicode scalars (code points), so Python (`text[start:end]`),
/// JavaScript (`Array.from(text).slice(start, end)`) and Swift
/// (`text.unicodeScalars`) users all slice the same characters.
public struct Span: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        precondition(start <= end, "Span start \(start) is after its end \(end)")
        self.start = start
        self.end = end
    }

    public init(_ range: Range<Int>) {
        self.start = range.lowerBound
        self.end = range.upperBound
    }

    public var range: Range<Int> { start..<end }
    public var length: Int { end - start }
    public var isEmpty: Bool { start == end }

    public func contains(_ other: Span) -> Bool { start <= other.start && other.end <= end }
    public func overlaps(_ other: Span) -> Bool { start < other.end && other.start < end }

    public static func < (lhs: Span, rhs: Span) -> Bool {
        lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
    }

    public var description: String { "[\(start), \(end))" }
}
