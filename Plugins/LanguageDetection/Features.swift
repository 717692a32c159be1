// Feature extraction shared, byte for byte, by inference and by the trainer
// (Training/language/main.swift is compiled together with this file).
// Pure standard library: no GleanerCore, no Foundation.

/// The writing systems the detector tells apart before any statistics: a script
/// alone decides many languages (Greek, Hebrew, Thai, Hangul, ...).
public enum LanguageScript: UInt8, Sendable, CaseIterable {
    case other = 0, latin, cyrillic, greek, arabic, hebrew, devanagari, bengali, gurmukhi, gujarati,
        tamil, telugu, thai, georgian, armenian, hangul, kana, han

    /// Whether a script has upper and lower case (Latin, Cyrillic, Greek, Armenian, Georgian).
    @inlinable
    public static func isCased(_ v: UInt32) -> Bool {
        switch of(v) {
        case .latin, .cyrillic, .greek, .armenian: return true
        default: return false
        }
    }

    /// The script of one scalar, by Unicode block (fast range tests, no property lookups).
    @inlinable
    public static func of(_ v: UInt32) -> LanguageScript {
        if v < 0x80 { return (v | 0x20) &- 0x61 < 26 ? .latin : .other }
        switch v {
        case 0xC0...0x24F: return v == 0xD7 || v == 0xF7 ? .other : .latin
        case 0x250...0x2AF, 0x1E00...0x1EFF: return .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
        case 0x400...0x52F, 0x1C80...0x1C8F: return .cyrillic
        case 0x530...0x58F: return .armenian
        case 0x590...0x5FF, 0xFB1D...0xFB4F: return .hebrew
        case 0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
        case 0x900...0x97F: return .devanagari
        case 0x980...0x9FF: return .bengali
        case 0xA00...0xA7F: return .gurmukhi
        case 0xA80...0xAFF: return .gujarati
        case 0xB80...0xBFF: return .tamil
        case 0xC00...0xC7F: return .telugu
        case 0xE00...0xE7F: return .thai
        case 0x10A0...0x10FF, 0x1C90...0x1CBF: return .georgian
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7AF: return .hangul
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .kana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: return .han
        default: return .other
        }
    }
}

/// Lower-cased word characters for the Basic Multilingual Plane, computed once:
/// 0 means "not part of a word" (digits, punctuation, spaces, symbols).
@usableFromInline
let wordCharTable: [UInt32] = {
    var table = [UInt32](repeating: 0, count: 0x10000)
    for v in 0..<UInt32(0x10000) {
        guard let s = Unicode.Scalar(v) else { continue }
        table[Int(v)] = FeatureExtractor.foldSlow(s)
    }
    return table
}()

/// Turns text into hashed feature ids: character 1–5-grams of each word padded
/// with a space on both sides, plus the whole word.
///
/// The hash is FNV-1a (32-bit) over Unicode scalar values, one scalar per step:
/// `h = (h ^ scalar) &* 16777619`, starting at 2166136261; whole words start by
/// hashing the marker scalar 1 first. The bucket is `(h ^ (h >> 15)) & (buckets - 1)`.
/// Training and inference both use this file, and `features.py` in Training/language
/// re-implements it as an independent check.
public struct FeatureExtractor: Sendable {
    public static let offsetBasis: UInt32 = 2_166_136_261
    public static let prime: UInt32 = 16_777_619
    public static let maxOrder = 5
    /// Whole-word features only for words up to this many scalars (long runs are
    /// unsegmented CJK/Thai text, where the n-grams carry the signal).
    public static let maxWholeWord = 24

    public let bucketBits: Int
    public var bucketMask: UInt32 { UInt32((1 << bucketBits) - 1) }

    public init(bucketBits: Int) { self.bucketBits = bucketBits }

    /// Lower-case form of a word scalar, or 0 when it is not a word scalar.
    @usableFromInline static func foldSlow(_ s: Unicode.Scalar) -> UInt32 {
        let p = s.properties
        let isMark = p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark
            || p.generalCategory == .enclosingMark
        guard p.isAlphabetic || isMark, p.generalCategory != .letterNumber else { return 0 }
        if p.changesWhenLowercased, let first = p.lowercaseMapping.unicodeScalars.first,
            p.lowercaseMapping.unicodeScalars.count == 1
        {
            return first.value
        }
        return s.value
    }

    /// Lower-case form of a word scalar, or 0 when it is not part of a word.
    @inlinable
    public static func fold(_ v: UInt32) -> UInt32 {
        if v < 0x10000 { return wordCharTable[Int(v)] }
        guard let s = Unicode.Scalar(v) else { return 0 }
        return foldSlow(s)
    }

    @inlinable
    static func step(_ h: UInt32, _ v: UInt32) -> UInt32 { (h ^ v) &* prime }

    @inlinable
    func bucket(_ h: UInt32) -> Int32 { Int32(bitPattern: (h ^ (h >> 15)) & bucketMask) }

    /// Appends the features of `text` to `out` and returns the letter counts per script
    /// (indexed by `LanguageScript.rawValue`) so the caller can pick candidate languages.
    /// `word` is scratch space, reused to avoid allocation. All words count alike (the trainer's view).
    @inlinable
    public func extract(
        _ text: some Collection<Unicode.Scalar>, into out: inout [Int32], word: inout [UInt32],
        scripts: inout [Int]
    ) {
        var buffers = FeatureBuffers(features: out, word: word, scripts: scripts)
        buffers.keepKinds = false
        out = []
        word = []
        extract(text, into: &buffers)
        out = buffers.features[0]
        word = buffers.word
        scripts = buffers.scripts
    }

    /// Appends the features of `text` to `buffers`, sorted by the kind of token they come from
    /// (``TokenKind``: a token is a run of non-space scalars; its first letter decides), counts
    /// letters per script and the tokens that start with a lower-case letter.
    ///
    /// Proper names are capitalised in most cased languages and are the same across languages,
    /// so their features are evidence of little worth; a caller weighs the kinds differently.
    /// A token starts a sentence at the start of the text or after `. ! ? … 。！？` or a line break.
    @inlinable
    public func extract(_ text: some Collection<Unicode.Scalar>, into b: inout FeatureBuffers) {
        b.word.removeAll(keepingCapacity: true)
        b.word.append(0x20)
        var inToken = false
        var sentenceStart = b.sentenceStart
        var kind = TokenKind.plain
        for s in text {
            let v = s.value
            let f = Self.fold(v)
            if f != 0 {
                if !inToken {
                    inToken = true
                    if f == v {
                        kind = .plain
                        // A caseless letter (Han, Arabic, Devanagari...) says nothing about names.
                        if LanguageScript.isCased(f) { b.lowerTokens &+= 1 }
                    } else {
                        kind = sentenceStart ? .initial : .name
                    }
                    sentenceStart = false
                }
                b.word.append(f)
                let sc = LanguageScript.of(f)
                if sc != .other { b.scripts[Int(sc.rawValue)] &+= 1 }
                continue
            }
            if b.word.count > 1 {
                emitWord(&b.word, into: &b.features[b.keepKinds ? Int(kind.rawValue) : 0])
                b.word.removeAll(keepingCapacity: true)
                b.word.append(0x20)
            }
            if v == 0x20 || v == 0x0A || v == 0x09 || v == 0x0D || (v > 0x7F && s.properties.isWhitespace) {
                inToken = false
                if v == 0x0A { sentenceStart = true }
            } else if v == 0x2E || v == 0x21 || v == 0x3F || v == 0x2026 || v == 0x3002 || v == 0xFF01 || v == 0xFF1F {
                sentenceStart = true
            }
        }
        if b.word.count > 1 { emitWord(&b.word, into: &b.features[b.keepKinds ? Int(kind.rawValue) : 0]) }
        b.sentenceStart = sentenceStart
    }

    /// `word` holds a leading space then the word's scalars; adds the trailing space.
    @inlinable
    func emitWord(_ word: inout [UInt32], into out: inout [Int32]) {
        let letters = word.count - 1
        word.append(0x20)
        word.withUnsafeBufferPointer { w in
            let n = w.count
            // n-grams starting at each position; a lone boundary space is not a feature.
            for i in 0..<n {
                var h = Self.offsetBasis
                let end = min(n, i + Self.maxOrder)
                for j in i..<end {
                    h = Self.step(h, w[j])
                    if j == i && (i == 0 || i == n - 1) { continue }
                    out.append(bucket(h))
                }
            }
            if letters <= Self.maxWholeWord {
                var h = Self.step(Self.offsetBasis, 1)
                for j in 1..<(n - 1) { h = Self.step(h, w[j]) }
                out.append(bucket(h))
            }
        }
    }

    /// Convenience for tests and tools: the feature ids of a string.
    public func features(of text: String) -> [Int32] {
        var out: [Int32] = []
        var word: [UInt32] = []
        var scripts = [Int](repeating: 0, count: LanguageScript.allCases.count)
        extract(text.unicodeScalars, into: &out, word: &word, scripts: &scripts)
        return out
    }
}

/// The kind of token a feature comes from.
public enum TokenKind: UInt8, Sendable, CaseIterable {
    /// Starts with a lower-case or caseless letter: function words, most content words.
    case plain = 0
    /// Capitalised at the start of a sentence: a name or an ordinary word.
    case initial = 1
    /// Capitalised inside a sentence: mostly proper names (and German nouns).
    case name = 2
}

/// Reusable output of ``FeatureExtractor/extract(_:into:)``.
public struct FeatureBuffers: Sendable {
    /// Feature ids per ``TokenKind`` (indexed by its raw value).
    public var features: [[Int32]]
    /// Letters per script, indexed by `LanguageScript.rawValue`.
    public var scripts: [Int]
    /// Tokens whose first letter is lower-case in a cased script.
    public var lowerTokens = 0
    /// Whether the next token starts a sentence (carried from one piece of a text to the next).
    public var sentenceStart = true
    /// False puts every feature in `features[0]`, in text order.
    public var keepKinds = true
    public var word: [UInt32]

    public init(features: [Int32] = [], word: [UInt32] = [], scripts: [Int] = []) {
        self.features = [features, [], []]
        self.word = word
        self.scripts = scripts.isEmpty ? [Int](repeating: 0, count: LanguageScript.allCases.count) : scripts
    }

    /// Empties the features (keeping capacity); script counts and token counts too when `all`.
    public mutating func clear(all: Bool) {
        for k in features.indices { features[k].removeAll(keepingCapacity: true) }
        if all {
            for i in scripts.indices { scripts[i] = 0 }
            lowerTokens = 0
            sentenceStart = true
        }
    }
}

/// The languages the model knows and the script each is written in.
public enum LanguageInventory {
    /// The 75 supported ISO 639-1 codes, in model order.
    public static let codes: [String] = [
        "af", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu",
        "fa", "fi", "fr", "ga", "gu", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kk", "ko", "la",
        "lg", "lt", "lv", "mi", "mk", "mn", "mr", "ms", "nb", "nl", "nn", "pa", "pl", "pt", "ro", "ru", "sk", "sl",
        "sn", "so", "sq", "sr", "st", "sv", "sw", "ta", "te", "th", "tl", "tn", "tr", "ts", "uk", "ur", "vi", "xh",
        "yo", "zh", "zu",
    ]

    /// The script each non-Latin language is written in (everything else is Latin).
    public static let scriptOf: [String: LanguageScript] = [
        "ar": .arabic, "fa": .arabic, "ur": .arabic,
        "be": .cyrillic, "bg": .cyrillic, "kk": .cyrillic, "mk": .cyrillic, "mn": .cyrillic, "ru": .cyrillic,
        "sr": .cyrillic, "uk": .cyrillic,
        "el": .greek, "he": .hebrew, "hi": .devanagari, "mr": .devanagari, "bn": .bengali, "pa": .gurmukhi,
        "gu": .gujarati, "ta": .tamil, "te": .telugu, "th": .thai, "ka": .georgian, "hy": .armenian,
        "ko": .hangul, "ja": .kana, "zh": .han,
    ]

    /// The dominant script of a text from its letter counts: Han and kana count
    /// together (Japanese mixes them); any kana makes the text Japanese.
    @inlinable
    public static func dominantScript(_ counts: [Int]) -> LanguageScript {
        var best = LanguageScript.other
        var bestCount = 0
        let kana = counts[Int(LanguageScript.kana.rawValue)]
        let han = counts[Int(LanguageScript.han.rawValue)]
        for script in LanguageScript.allCases where script != .other && script != .kana && script != .han {
            let c = counts[Int(script.rawValue)]
            if c > bestCount { best = script; bestCount = c }
        }
        if kana + han > bestCount { return kana > 0 ? .kana : .han }
        return best
    }

    /// Candidate languages (model indices) for a dominant script.
    public static func candidates(for script: LanguageScript, codes: [String]) -> [Int] {
        codes.indices.filter { i in
            let s = scriptOf[codes[i]] ?? .latin
            switch script {
            case .other: return false
            case .han: return codes[i] == "zh" || codes[i] == "ja"
            default: return s == script
            }
        }
    }
}
