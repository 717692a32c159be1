import Testing

@testable import QuoteExtraction

@Suite struct WordSetTests {
    /// Membership is exactly `Set`'s: for the word lists' own hashes, for values that share slots, and for 0.
    @Test func membershipIsExactlySets() {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<500).map { _ in UInt64.random(in: 1...UInt64.max, using: &generator) }
            + ["said", "told", "according", "dit", "déclaré", "sagte"].map(lexHash)
            + (1...63).map { UInt64($0) << 58 }  // the same low bits: a clustered probe sequence
        let set = WordSet(words)
        let reference = Set(words)
        #expect(set.count == reference.count)
        for w in words { #expect(set.contains(w)) }
        let others = (0..<2_000).map { _ in UInt64.random(in: 1...UInt64.max, using: &generator) } + (1...63).map { UInt64($0) << 58 | 1 }
        for w in others { #expect(set.contains(w) == reference.contains(w)) }
        #expect(!set.contains(0))
        #expect(WordSet([0, 5]).contains(0) && WordSet([0, 5]).contains(5) && !WordSet([5]).contains(0))
        #expect(WordSet([UInt64]()).isEmpty && !WordSet([UInt64]()).contains(1))
        let joined = set.union(WordSet([7, 0]))
        #expect(joined.count == reference.count + 2 && joined.contains(7) && joined.contains(0) && joined.contains(words[0]))
    }
}
