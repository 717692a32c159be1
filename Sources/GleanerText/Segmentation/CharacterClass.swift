/// The classes of characters the tokenizer tells apart.
@usableFromInline
enum CharacterClass: UInt8, Sendable {
    case space, newline, letter, digit, mark, apostrophe, quote, hyphen, period, terminal, punctuation, symbol, emoji,
        ideograph, joiner
}

extension CharacterClass {
    /// ASCII, looked up in a table: most news text is mostly ASCII.
    private static let ascii: [CharacterClass] = (0..<128).map { v in
        let c = Character(Unicode.Scalar(UInt8(v)))
        switch c {
        case " ", "\t", "\u{0B}", "\u{0C}": return .space
        case "\n", "\r": return .newline
        case "a"..."z", "A"..."Z": return .letter
        case "0"..."9": return .digit
        case "'": return .apostrophe
        case "\"", "`": return .quote
        case "-": return .hyphen
        case ".": return .period
        case "!", "?": return .terminal
        case ",", ";", ":", "(", ")", "[", "]", "{", "}", "/", "\\": return .punctuation
        case "$", "%", "&", "@", "#", "+", "=", "<", ">", "^", "|", "~", "*", "_": return .symbol
        default: return v < 32 || v == 127 ? .space : .symbol
        }
    }

    /// Quotation marks of every script, apart from the apostrophes.
    static func isQuoteMark(_ v: UInt32) -> Bool {
        switch v {
        case 0x22, 0x60, 0xAB, 0xBB, 0x2018, 0x201A, 0x201B, 0x201C, 0x201D, 0x201E, 0x201F, 0x2039, 0x203A,
            0x300C, 0x300D, 0x300E, 0x300F, 0x301D, 0x301E, 0x301F, 0xFF02, 0xFF07, 0x275B, 0x275C, 0x275D, 0x275E,
            0x2E42:
            return true
        default: return false
        }
    }

    @usableFromInline
    static func of(_ c: Unicode.Scalar) -> CharacterClass {
        let v = c.value
        if v < 128 { return ascii[Int(v)] }
        switch v {
        case 0x2019, 0x02BC: return .apostrophe  // ’ and the modifier letter apostrophe
        case 0x2010, 0x2011: return .hyphen
        case 0x2026, 0x3002, 0xFF01, 0xFF1F, 0x0964, 0x0965, 0x061F, 0x06D4, 0x0589, 0x1362, 0x037E: return .terminal
        case 0x200D, 0xFE0F, 0xFE0E: return .joiner
        case 0x0085, 0x2028, 0x2029: return .newline
        default: break
        }
        if isQuoteMark(v) { return .quote }
        let p = c.properties
        if p.isWhitespace { return .space }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter:
            return .letter
        case .otherLetter:
            return isIdeograph(v) ? .ideograph : .letter
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .decimalNumber, .letterNumber, .otherNumber: return .digit
        case .dashPunctuation, .openPunctuation, .closePunctuation, .connectorPunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return .punctuation
        case .format: return .joiner
        case .otherSymbol where p.isEmojiPresentation || (p.isEmoji && v > 0x2100): return .emoji
        default:
            if v >= 0x1F3FB && v <= 0x1F3FF { return .joiner }  // skin-tone modifiers
            return p.isEmojiPresentation ? .emoji : .symbol
        }
    }

    /// Han ideographs and kana are written without spaces: each Han character is a token.
    static func isIdeograph(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2FA1F).contains(v)
            || (0xF900...0xFAFF).contains(v)
    }

    @inlinable var isWordPart: Bool { self == .letter || self == .digit || self == .mark }
}
