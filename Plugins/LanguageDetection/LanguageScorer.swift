import Foundation

/// What a text says about its language, before any decision: the summed weights of its
/// features per token kind (main model and confusable-group model), its letters per script
/// and how many of its tokens start lower-case. Evidence adds up (the models are linear),
/// so a document's evidence is the sum of its sentences'.
public struct LanguageEvidence: Sendable {
    /// `TokenKind.allCases.count` blocks of main-model logits (stride/16 vectors each).
    var main: [SIMD16<Float>]
    /// Likewise for the group model (empty without one).
    var group: [SIMD16<Float>]
    var scripts: [Int]
    var lowerTokens = 0

    init(mainChunks: Int, groupChunks: Int) {
        main = [SIMD16<Float>](repeating: .zero, count: mainChunks * TokenKind.allCases.count)
        group = [SIMD16<Float>](repeating: .zero, count: groupChunks * TokenKind.allCases.count)
        scripts = [Int](repeating: 0, count: LanguageScript.allCases.count)
    }

    mutating func reset() {
        for i in main.indices { main[i] = .zero }
        for i in group.indices { group[i] = .zero }
        for i in scripts.indices { scripts[i] = 0 }
        lowerTokens = 0
    }

    /// Adds another text's evidence (same scorer).
    mutating func add(_ other: LanguageEvidence) {
        for i in main.indices { main[i] += other.main[i] }
        for i in group.indices { group[i] += other.group[i] }
        for i in scripts.indices { scripts[i] += other.scripts[i] }
        lowerTokens += other.lowerTokens
    }

    /// Letters seen, in any script.
    var letters: Int { scripts.reduce(0, +) }

    /// Whether most letters are of a script with upper and lower case.
    var isCased: Bool {
        let cased = [LanguageScript.latin, .cyrillic, .greek, .armenian].reduce(0) { $0 + scripts[Int($1.rawValue)] }
        return 2 * cased > letters
    }
}

/// The two-stage decision shared by the detector and the trainer's evaluation.
///
/// 1. The dominant script picks the candidates; the main model's logits, with each token kind
///    weighted (names count less than function words when the text has lower-case tokens at all),
///    scaled by the main temperature, plus priors, give a softmax over the candidates.
/// 2. When the best language belongs to a confusable group (Malay/Indonesian, the
///    Bosnian/Croatian/Slovene/Slovak/Czech continuum, Bokmål/Danish/Nynorsk, ...), the group's
///    share of the probability is redistributed by the group model, trained only on those
///    languages, mixed with the main model's scores.
final class LanguageScorer: @unchecked Sendable {
    let main: LanguageModel
    let groups: LanguageModel?
    /// Weights of ``TokenKind/initial`` and ``TokenKind/name`` features relative to plain ones
    /// (chosen on the development sets; see docs/models/language.md).
    var initialWeight: Float = 0.6
    var nameWeight: Float = 0.3
    /// Weight of the main model's (tempered) scores inside a group decision.
    var mainInGroup: Float = 0.5
    /// Per main-model language: its group number, or -1.
    let groupOfMain: [Int]
    /// Per main-model language: its column in the group model, or -1.
    let slotOfMain: [Int]
    /// Per group number: the main-model indices of its languages.
    let membersOf: [[Int]]
    let candidatesByScript: [[Int]]
    let mainChunks: Int
    let groupChunks: Int

    init(main: LanguageModel, groups: LanguageModel?) {
        self.main = main
        self.groups = groups
        var groupOfMain = [Int](repeating: -1, count: main.codes.count)
        var slotOfMain = [Int](repeating: -1, count: main.codes.count)
        var membersOf: [[Int]] = []
        if let groups {
            for (slot, code) in groups.codes.enumerated() {
                guard let i = main.codes.firstIndex(of: code), slot < groups.groupOf.count else { continue }
                let g = groups.groupOf[slot]
                while membersOf.count <= g { membersOf.append([]) }
                membersOf[g].append(i)
                groupOfMain[i] = g
                slotOfMain[i] = slot
            }
        }
        self.groupOfMain = groupOfMain
        self.slotOfMain = slotOfMain
        self.membersOf = membersOf
        candidatesByScript = LanguageScript.allCases.map { LanguageInventory.candidates(for: $0, codes: main.codes) }
        mainChunks = main.stride / 16
        groupChunks = (groups?.stride ?? 0) / 16
    }

    func newEvidence() -> LanguageEvidence { LanguageEvidence(mainChunks: mainChunks, groupChunks: groupChunks) }

    /// Scalars extracted at a time (long texts are read piece by piece, cut between words).
    static let pieceLength = 8192

    /// Adds the evidence of `scalars` to `evidence`; `buffers` is scratch space.
    func collect(_ scalars: ArraySlice<Unicode.Scalar>, into evidence: inout LanguageEvidence, buffers: inout FeatureBuffers) {
        buffers.clear(all: true)
        var start = scalars.startIndex
        while start < scalars.endIndex {
            var end = min(scalars.endIndex, start + Self.pieceLength)
            let limit = min(scalars.endIndex, end + 64)
            while end < limit, FeatureExtractor.fold(scalars[end].value) != 0 { end += 1 }
            buffers.clear(all: false)
            main.extractor.extract(scalars[start..<end], into: &buffers)
            evidence.main.withUnsafeMutableBufferPointer { acc in
                guard let base = acc.baseAddress else { return }
                for k in 0..<TokenKind.allCases.count { main.accumulate(buffers.features[k], into: base + k * mainChunks) }
            }
            if let groups {
                evidence.group.withUnsafeMutableBufferPointer { acc in
                    guard let base = acc.baseAddress else { return }
                    for k in 0..<TokenKind.allCases.count { groups.accumulate(buffers.features[k], into: base + k * groupChunks) }
                }
            }
            start = end
        }
        for i in evidence.scripts.indices { evidence.scripts[i] += buffers.scripts[i] }
        evidence.lowerTokens += buffers.lowerTokens
    }

    /// The weight of each token kind for this evidence: names weigh less only when the text
    /// has lower-case tokens to go by (a headline in capitals keeps all its words).
    func kindWeights(_ e: LanguageEvidence) -> (Float, Float, Float) {
        e.lowerTokens > 0 ? (1, initialWeight, nameWeight) : (1, 1, 1)
    }

    /// Fills `p` (main stride) with the probability of each language (0 outside the
    /// candidates); false when no allowed language is written in the text's script.
    /// `allowed` restricts the languages, `logPrior` and `prior` add log-weights.
    func probabilities(
        _ e: LanguageEvidence, allowed: [Bool]?, logPrior: [Float]?, prior: [Float]?, into p: inout [Float]
    ) -> Bool {
        let stride = main.stride
        if p.count != stride { p = [Float](repeating: 0, count: stride) }
        for i in 0..<stride { p[i] = 0 }
        let script = LanguageInventory.dominantScript(e.scripts)
        var candidates = candidatesByScript[Int(script.rawValue)]
        if let allowed { candidates = candidates.filter { allowed[$0] } }
        if candidates.isEmpty { return false }
        if candidates.count == 1 {
            p[candidates[0]] = 1
            return true
        }
        let (w0, w1, w2) = kindWeights(e)
        let t = main.temperature
        // Scores and priors on the stack: nothing is allocated per text.
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * stride) { tmp in
            let score = tmp.baseAddress!
            let priors = score + stride
            let q = priors + stride
            e.main.withUnsafeBytes { raw in
                let m = raw.bindMemory(to: Float.self)
                for c in candidates {
                    var s: Float = 0
                    if let logPrior { s += logPrior[c] }
                    if let prior { s += prior[c] }
                    priors[c] = s
                    score[c] = (main.bias[c] + w0 * m[c] + w1 * m[stride + c] + w2 * m[2 * stride + c]) / t + s
                }
            }
            p.withUnsafeMutableBufferPointer { softmax(candidates, score, into: $0.baseAddress!) }
            guard let groups else { return true }
            var top = candidates[0]
            for c in candidates where p[c] > p[top] { top = c }
            let g = groupOfMain[top]
            guard g >= 0 else { return true }
            let members = membersOf[g].filter { candidates.contains($0) }
            guard members.count > 1 else { return true }
            var mass: Float = 0
            for c in members { mass += p[c] }
            let gs = groups.stride
            let tg = groups.temperature
            e.group.withUnsafeBytes { raw in
                let m = raw.bindMemory(to: Float.self)
                for c in members {
                    let k = slotOfMain[c]
                    // The group model, the main model's own view (weighed), and the priors.
                    score[c] = (groups.bias[k] + w0 * m[k] + w1 * m[gs + k] + w2 * m[2 * gs + k]) / tg
                        + mainInGroup * (score[c] - priors[c]) + priors[c]
                }
            }
            softmax(members, score, into: q)
            for c in members { p[c] = mass * q[c] }
            return true
        }
    }

    private func softmax(_ candidates: [Int], _ score: UnsafeMutablePointer<Float>, into p: UnsafeMutablePointer<Float>) {
        var best = -Float.infinity
        for c in candidates { best = max(best, score[c]) }
        var z: Float = 0
        for c in candidates {
            let e = exp(score[c] - best)
            p[c] = e
            z += e
        }
        for c in candidates { p[c] /= z }
    }
}
