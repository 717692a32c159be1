/// An immutable set of word hashes (`lexHash`: FNV-1a of the lower-cased scalars), for the word lists read once
/// and looked up for every token. Open addressing, the slot found by one multiplication of the hash (Fibonacci
/// hashing), at most half full. Swift's `Set<UInt64>` hashes every key again with SipHash, and that cost about 15%
/// of quote extraction in a profile.
struct WordSet: Sendable {
    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    /// 0 marks an empty slot; the word whose hash is 0 (if any) is `hasZero`.
    private let slots: [UInt64]
    private let shift: UInt64
    private let hasZero: Bool
    let count: Int

    init<S: Sequence>(_ words: S) where S.Element == UInt64 {
        let unique = Set(words)
        var size = 8
        while size < unique.count * 2 { size <<= 1 }
        let shift = UInt64(64 - size.trailingZeroBitCount)
        var slots = [UInt64](repeating: 0, count: size)
        for word in unique where word != 0 {
            var i = Int(truncatingIfNeeded: (word &* Self.multiplier) >> shift)
            while slots[i] != 0 { i = (i + 1) & (size - 1) }
            slots[i] = word
        }
        self.slots = slots
        self.shift = shift
        hasZero = unique.contains(0)
        count = unique.count
    }

    var isEmpty: Bool { count == 0 }

    /// The words, in no order.
    var words: [UInt64] { slots.filter { $0 != 0 } + (hasZero ? [0] : []) }

    func union(_ other: WordSet) -> WordSet { WordSet(words + other.words) }

    func contains(_ word: UInt64) -> Bool {
        if word == 0 { return hasZero }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (word &* Self.multiplier) >> shift)
        while true {
            let slot = slots[i]
            if slot == word { return true }
            if slot == 0 { return false }
            i = (i + 1) & mask
        }
    }
}
