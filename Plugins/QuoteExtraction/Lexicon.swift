/// Language-independent parts of the quote processor's vocabulary: the cue type and a few hashes
/// used as structure (the word lists themselves are per language: `Lex`).
enum Lexicon {
    /// How a reporting word behaves.
    struct Cue: Sendable {
        /// A weak cue ("call", "describe") only attributes with an explicit subject before it.
        var weak: Bool = false
        /// An auxiliary ("a" in "a-t-il déclaré") that needs a participle after it.
        var auxiliary: Bool = false
    }

    static let according: UInt64 = lexHash("according")
    static let to: UInt64 = lexHash("to")
    static let selon: UInt64 = lexHash("selon")
    static let forWord: UInt64 = lexHash("for")
    static let pour: UInt64 = lexHash("pour")
    static let of: UInt64 = lexHash("of")
    static let de: UInt64 = lexHash("de")
    static let the: UInt64 = lexHash("the")
    static let who: UInt64 = lexHash("who")
    static let it: UInt64 = lexHash("it")
    static let that: UInt64 = lexHash("that")
    static let que: UInt64 = lexHash("que")
    static let so: UInt64 = lexHash("so")

}
