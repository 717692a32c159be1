/// One annotation drawn over a range of the text as an inline element.
struct Mark {
    var start: Int
    var end: Int
    /// Breaks ties between marks over the same range: lower ranks are outer.
    var rank: Int
    /// The opening tag of the first piece (it carries the id).
    var open: String
    /// The opening tag of a later piece, after the mark had to be split to keep tags nested.
    var reopen: String
    var close: String
}

/// Markup put between two characters: a speaker badge after a quotation.
struct Insertion {
    var at: Int
    var html: String
}

/// Turns possibly overlapping annotations into properly nested HTML.
///
/// Standoff spans may cross (an entity that straddles the end of a quotation,
/// a passage in another language that starts inside a quote), and HTML cannot.
/// The text is cut at every boundary; at each cut the elements that end there
/// are closed, and any element opened inside them that goes on is closed too
/// and reopened right after, so the output is always a well-formed tree.
enum MarkupBuilder {
    static func render(
        _ scalars: [Unicode.Scalar], range: Range<Int>, marks: [Mark], insertions: [Insertion], into out: inout String
    ) {
        var clipped: [Mark] = []
        clipped.reserveCapacity(marks.count)
        for var mark in marks {
            let start = max(mark.start, range.lowerBound)
            let end = min(mark.end, range.upperBound)
            guard start < end else { continue }
            // A mark continued from an earlier paragraph opens as a continuation piece.
            if start > mark.start { mark.open = mark.reopen }
            mark.start = start
            mark.end = end
            clipped.append(mark)
        }
        clipped.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end > b.end }
            return a.rank < b.rank
        }
        let points = insertions.filter { range.contains($0.at) || $0.at == range.upperBound }

        var cuts = Set<Int>([range.lowerBound, range.upperBound])
        for m in clipped {
            cuts.insert(m.start)
            cuts.insert(m.end)
        }
        for i in points { cuts.insert(i.at) }
        let sortedCuts = cuts.sorted()

        var stack: [Int] = []  // indices into `clipped`, outermost first
        var next = 0
        var nextInsertion = 0
        let sortedInsertions = points.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)

        for (k, p) in sortedCuts.enumerated() {
            // Close what ends here, and whatever was opened inside it.
            if let lowest = stack.firstIndex(where: { clipped[$0].end == p }) {
                var reopen: [Int] = []
                while stack.count > lowest {
                    let top = stack.removeLast()
                    out += clipped[top].close
                    if clipped[top].end != p { reopen.append(top) }
                }
                // Reopen the survivors, longest first, so later cuts split as little as possible.
                reopen.reverse()
                reopen.sort { clipped[$0].end > clipped[$1].end }
                for index in reopen {
                    out += clipped[index].reopen
                    stack.append(index)
                }
            }
            while nextInsertion < sortedInsertions.count && sortedInsertions[nextInsertion].at == p {
                out += sortedInsertions[nextInsertion].html
                nextInsertion += 1
            }
            while next < clipped.count && clipped[next].start == p {
                out += clipped[next].open
                stack.append(next)
                next += 1
            }
            if k + 1 < sortedCuts.count {
                HTMLText.escape(scalars[p..<sortedCuts[k + 1]], into: &out)
            }
        }
        // Every mark ends at or before the range's end, so the stack is empty here.
        for index in stack.reversed() { out += clipped[index].close }
    }
}
