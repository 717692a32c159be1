import GleanerCore

/// Reads interviews: paragraphs opening with "Name:" set who speaks, and the
/// unlabeled paragraphs after them alternate between questions (ending with "?")
/// of the interviewer and answers of the interviewee.
struct InterviewReader {
    struct Label {
        var paragraph: Int
        /// The name as written ("Ada Lindqvist", "Le Monde").
        var name: Span
        var nameTokens: Range<Int>
        /// The colon.
        var colon: Span
        /// Content after the colon.
        var content: Span
    }

    struct Turn {
        var paragraph: Int
        var content: Span
        var isQuestion: Bool
        /// The label that names the speaker, if known.
        var label: Label?
        var labeled: Bool
    }

    let ex: Extractor
    var lx: Lex { ex.lx }

    func label(of p: Int, firstToken k0: Int) -> Label? {
        let tokens = ex.tokens
        // A transcript reprinted as a quotation opens each turn with a mark: "\"PENCE: Well, …".
        let k = tokens[k0].kind == .mark && k0 + 1 < tokens.count && tokens[k0 + 1].paragraph == p ? k0 + 1 : k0
        // "Pence: Gennifer Flowers Won’t Be at Debate": a headline naming its subject, not a turn.
        if ex.isHeadline(p) { return nil }
        var i = k
        var comma = -1
        while i < tokens.count, tokens[i].paragraph == p, i - k < 16 {
            let t = tokens[i]
            if t.kind == .mark { return nil }
            if t.kind == .punct {
                let c = ex.s[t.start].value
                if c == 0x3A { break }
                if c == 0x2C { if comma < 0 { comma = i }; i += 1; continue }
                if c == 0x2D || c == 0x2019 || c == 0x27 || c == 0x2E || c == 0x28 || c == 0x29 { i += 1; continue }
                return nil
            }
            if comma < 0, t.kind == .word, !t.isCapitalized, ex.cue(i) != nil { return nil }
            i += 1
        }
        guard i < tokens.count, tokens[i].paragraph == p, ex.isPunct(i, 0x3A), i > k else { return nil }
        let colon = i
        let nameEnd = comma >= 0 ? comma : colon
        guard nameEnd > k, nameEnd - k <= 5 else { return nil }
        // "Certainly, the relationship is maintained by …:" is a sentence, not a label.
        if comma >= 0 {
            for j in comma..<colon where lx.interviewVerbs.contains(tokens[j].hash) { return nil }
            if nameEnd - k == 1, tokens[k].end - tokens[k].start > 3, ex.s[tokens[k].end - 1] == "y", ex.s[tokens[k].end - 2] == "l" { return nil }
        }
        if lx.labelStops.contains(tokens[k].hash) { return nil }
        // A name: capitalized words (particles allowed), or a single word ("Mediapart").
        if nameEnd - k > 1 {
            var caps = 0
            for j in k..<nameEnd where tokens[j].isCapitalized { caps += 1 }
            if caps * 2 < nameEnd - k || !tokens[k].isCapitalized { return nil }
        } else if tokens[k].kind != .word {
            return nil
        }
        // "About 10:03 p.m." is a time, not a label.
        if colon + 1 < tokens.count, tokens[colon + 1].start == tokens[colon].end, tokens[colon + 1].kind == .number { return nil }
        // "Win, place or get out of the way:": a one-word name with an apposition must look like a name.
        if comma >= 0, nameEnd - k == 1, !tokens[k].isCapitalized || (comma + 1 < colon && tokens[comma + 1].isCapitalized == false
            && lx.determiners.contains(tokens[comma + 1].hash) == false && lx.expertNouns.contains(tokens[comma + 1].hash) == false
            && lx.leaderNouns.contains(tokens[comma + 1].hash) == false)
        { return nil }
        // Something must follow, and not a quotation mark (that is a colon introduction).
        let next = colon + 1
        guard next < tokens.count, tokens[next].paragraph == p, tokens[next].kind != .mark else { return nil }
        guard let content = MarkReader.trimmed(ex.s, tokens[colon].end, ex.paragraphs[p].end), !content.isEmpty else { return nil }
        return Label(paragraph: p, name: ex.span(k..<nameEnd), nameTokens: k..<nameEnd,
                     colon: Span(start: tokens[colon].start, end: tokens[colon].end), content: content)
    }

    /// "(CROSSTALK.)", "[Applause]": a transcript's note, nobody's words.
    func isStageDirection(_ p: Int, first: Int, last: Int) -> Bool {
        var a = first, b = last
        while a < b, ex.tokens[a].kind == .mark { a += 1 }
        while b > a, ex.tokens[b].kind == .mark || ex.isPunct(b, 0x2E) { b -= 1 }
        return (ex.isPunct(a, 0x28) && ex.isPunct(b, 0x29)) || (ex.isPunct(a, 0x5B) && ex.isPunct(b, 0x5D))
    }

    func isQuestion(_ p: Int, lastToken: Int) -> Bool {
        var i = lastToken
        while i >= 0, ex.tokens[i].paragraph == p, ex.tokens[i].kind == .mark || ex.isPunct(i, 0x29) { i -= 1 }
        return i >= 0 && ex.tokens[i].paragraph == p && ex.isPunct(i, 0x3F)
    }

    func read() -> [Turn] {
        let tokens = ex.tokens
        guard !tokens.isEmpty else { return [] }
        // First and last token of each paragraph.
        var first = [Int](repeating: -1, count: ex.paragraphs.count)
        var last = [Int](repeating: -1, count: ex.paragraphs.count)
        for (i, t) in tokens.enumerated() {
            if first[t.paragraph] < 0 { first[t.paragraph] = i }
            last[t.paragraph] = i
        }
        var labels: [Int: Label] = [:]
        for p in ex.paragraphs.indices where first[p] >= 0 {
            if let l = label(of: p, firstToken: first[p]) { labels[p] = l }
        }
        guard let start = labels.keys.min() else { return [] }
        var questions = 0
        for p in start..<ex.paragraphs.count where last[p] >= 0 && isQuestion(p, lastToken: last[p]) { questions += 1 }
        let distinctLabels = Set(labels.values.map { ex.s[$0.name.start..<$0.name.end].map(\.value) }).count
        // An interview needs a labeled question and a labeled answer, or one label and questions after it.
        let labeledQuestion = labels.keys.contains { isQuestion($0, lastToken: last[$0]) }
        let labeledAnswer = labels.keys.contains { !isQuestion($0, lastToken: last[$0]) }
        // A list of "Name: headline" items (one per candidate) is no interview: at most three voices.
        guard questions >= 1, distinctLabels <= 3,
              (distinctLabels >= 2 && labeledQuestion && labeledAnswer) || (labels.count == 1 && questions >= 2) else { return [] }

        var turns: [Turn] = []
        var interviewer: Label?
        var interviewee: Label?
        // The labels' roles: a labeled question is the interviewer's.
        for p in labels.keys.sorted() {
            guard let l = labels[p] else { continue }
            if isQuestion(p, lastToken: last[p]) { if interviewer == nil { interviewer = l } }
            else if interviewee == nil { interviewee = l }
        }
        var currentInterviewer = interviewer
        var currentInterviewee = interviewee
        for p in start..<ex.paragraphs.count where first[p] >= 0 {
            let q = isQuestion(p, lastToken: last[p])
            if let l = labels[p] {
                if q { currentInterviewer = l } else { currentInterviewee = l }
                turns.append(Turn(paragraph: p, content: l.content, isQuestion: q, label: l, labeled: true))
                continue
            }
            // A paragraph with no letter ("–", ".") or a link line (">> …") is no turn.
            let para = ex.paragraphs[p]
            var letters = 0
            for i in para.start..<para.end where Scalars.isLetter(ex.s[i]) { letters += 1; if letters > 2 { break } }
            if letters <= 2 || ex.s[para.start].value == 0x3E || isStageDirection(p, first: first[p], last: last[p]) { continue }
            turns.append(Turn(paragraph: p, content: para, isQuestion: q, label: q ? currentInterviewer : currentInterviewee, labeled: false))
        }
        return turns
    }
}
