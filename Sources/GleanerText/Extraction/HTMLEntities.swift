/// Named character references that appear in news pages. Numeric references
/// (`&#8220;`, `&#x201C;`) cover everything else.
enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "ldquo": "\u{201C}", "rdquo": "\u{201D}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
        "sbquo": "\u{201A}", "bdquo": "\u{201E}", "laquo": "\u{00AB}", "raquo": "\u{00BB}",
        "lsaquo": "\u{2039}", "rsaquo": "\u{203A}", "hellip": "\u{2026}", "mdash": "\u{2014}", "ndash": "\u{2013}",
        "bull": "\u{2022}", "middot": "\u{00B7}", "shy": "\u{00AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
        "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}", "copy": "\u{00A9}", "reg": "\u{00AE}",
        "trade": "\u{2122}", "deg": "\u{00B0}", "plusmn": "\u{00B1}", "times": "\u{00D7}", "divide": "\u{00F7}",
        "frac12": "\u{00BD}", "frac14": "\u{00BC}", "frac34": "\u{00BE}", "sup2": "\u{00B2}", "sup3": "\u{00B3}",
        "euro": "\u{20AC}", "pound": "\u{00A3}", "yen": "\u{00A5}", "cent": "\u{00A2}", "sect": "\u{00A7}",
        "para": "\u{00B6}", "dagger": "\u{2020}", "Dagger": "\u{2021}", "permil": "\u{2030}", "prime": "\u{2032}",
        "Prime": "\u{2033}", "iexcl": "\u{00A1}", "iquest": "\u{00BF}", "ordf": "\u{00AA}", "ordm": "\u{00BA}",
        "micro": "\u{00B5}", "larr": "\u{2190}", "rarr": "\u{2192}", "uarr": "\u{2191}", "darr": "\u{2193}",
        "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Atilde": "Ã", "Auml": "Ä", "Aring": "Å", "AElig": "Æ",
        "Ccedil": "Ç", "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Euml": "Ë", "Igrave": "Ì", "Iacute": "Í",
        "Icirc": "Î", "Iuml": "Ï", "ETH": "Ð", "Ntilde": "Ñ", "Ograve": "Ò", "Oacute": "Ó", "Ocirc": "Ô",
        "Otilde": "Õ", "Ouml": "Ö", "Oslash": "Ø", "Ugrave": "Ù", "Uacute": "Ú", "Ucirc": "Û", "Uuml": "Ü",
        "Yacute": "Ý", "THORN": "Þ", "szlig": "ß", "agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã",
        "auml": "ä", "aring": "å", "aelig": "æ", "ccedil": "ç", "egrave": "è", "eacute": "é", "ecirc": "ê",
        "euml": "ë", "igrave": "ì", "iacute": "í", "icirc": "î", "iuml": "ï", "eth": "ð", "ntilde": "ñ",
        "ograve": "ò", "oacute": "ó", "ocirc": "ô", "otilde": "õ", "ouml": "ö", "oslash": "ø", "ugrave": "ù",
        "uacute": "ú", "ucirc": "û", "uuml": "ü", "yacute": "ý", "thorn": "þ", "yuml": "ÿ", "OElig": "Œ",
        "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ", "Zcaron": "Ž", "zcaron": "ž", "fnof": "ƒ",
        "circ": "ˆ", "tilde": "˜", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "pi": "π", "mu": "μ",
        "Omega": "Ω", "omega": "ω", "sigma": "σ", "lambda": "λ",
    ]

    /// Decodes one reference body (between `&` and `;`), or nil if unknown.
    static func decode(_ body: Substring) -> String? {
        if body.hasPrefix("#x") || body.hasPrefix("#X") {
            return UInt32(body.dropFirst(2), radix: 16).flatMap(scalarString)
        }
        if body.hasPrefix("#") {
            return UInt32(body.dropFirst(), radix: 10).flatMap(scalarString)
        }
        return named[String(body)]
    }

    private static func scalarString(_ v: UInt32) -> String? {
        // The HTML standard maps these C1 references to Windows-1252 characters.
        if (0x80...0x9F).contains(v), let mapped = TextDecoder.cp1252High[Int(v - 0x80)] {
            return Unicode.Scalar(mapped).map { String(Character($0)) }
        }
        guard v != 0, let s = Unicode.Scalar(v) else { return "\u{FFFD}" }
        return String(Character(s))
    }
}

extension String {
    /// Replaces character references (`&amp;`, `&#233;`, `&#x201C;`) by their characters.
    func decodingHTMLEntities() -> String {
        guard contains("&") else { return self }
        var out = ""
        out.reserveCapacity(utf8.count)
        var i = startIndex
        while i < endIndex {
            let c = self[i]
            if c == "&", let semicolon = self[i...].prefix(34).firstIndex(of: ";"),
                let decoded = HTMLEntities.decode(self[index(after: i)..<semicolon])
            {
                out += decoded
                i = index(after: semicolon)
            } else {
                out.append(c)
                i = index(after: i)
            }
        }
        return out
    }
}
