import GleanerCore

/// Finds dates, times, amounts of money, percentages and quantities by rules
/// over tokens. Words are compared by a hash of their lowercase form, so no
/// string is made per token.
struct ValueRules: Sendable {
    /// The words of one language the rules look for; English is built in, others come from
    /// `entities-LANG.words` (see ``EntityWords``).
    let lexicon: ValueLexicon

    init(lexicon: ValueLexicon = .english) { self.lexicon = lexicon }

    /// A value found: token range (end exclusive) and type.
    struct Match: Equatable {
        var start: Int
        var end: Int
        var type: EntityType
    }

    private static func h(_ s: String) -> UInt64 { wordHash(Array(s.unicodeScalars)[...]) }
    private static func set(_ words: String) -> Set<UInt64> { Set(words.split(separator: " ").map { h(String($0)) }) }

    static let months = set("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
    static let weekdays = set("monday tuesday wednesday thursday friday saturday sunday")
    static let scales = set("thousand million billion trillion bn mln m k")
    static let currencyWords = set("dollar dollars euro euros pound pounds sterling yen yuan renminbi rouble roubles ruble rubles franc francs rupee rupees peso pesos marks mark dinar dinars lira lire shekel shekels won krona kronor krone kroner zloty zlotys rand usd eur gbp jpy cny rub chf cents cent")
    static let currencySymbols: Set<UInt32> = [0x24, 0x20AC, 0xA3, 0xA5, 0x20BD, 0x20B9]  // $ € £ ¥ ₽ ₹
    static let currencyPrefixes = set("us$ usd eur gbp a$ c$ hk$ s$ rmb")
    static let percentWords = set("percent pct percentage")
    static let units = set("km kilometres kilometers kilometre kilometer miles mile kg kilograms kilogram kilos tonnes tonne tons ton metres meters metre meter cm mm litres liters litre liter barrels barrel acres acre hectares hectare degrees degree feet foot inches inch mph km/h megawatts mw gigawatts gw kwh square sq grams gram lbs ounces ounce bpd")
    static let dateLeads = set("last next this early late mid in since until by of on from")
    static let ampm = set("am pm a.m. p.m. gmt utc")
    static let timeWords = set("noon midnight")
    /// Scale suffixes written onto a number, packed as `describe` packs them: bn, b, m, mn, mln, k, tn, trn.
    static let scaleSuffixes: Set<UInt32> = [0x626E, 0x62, 0x6D, 0x6D6E, 0x6D6C6E, 0x6B, 0x746E, 0x74726E]
    static let hMay = h("may"), hAnd = h("and"), hPer = h("per"), hCent = h("cent")

    /// Lowercase hash of a token's scalars.
    static func wordHash(_ s: ArraySlice<Unicode.Scalar>) -> UInt64 {
        var x: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in s {
            var v = c.value
            if v >= 65 && v <= 90 { v += 32 }
            x = (x ^ UInt64(v)) &* 0x0000_0100_0000_01b3
        }
        return x
    }

    private struct Tok {
        var hash: UInt64
        var isNumber: Bool  // 12, 1,200, 3.5
        var isDayNumber: Bool  // 1…31, with optional st/nd/rd/th
        var isYear: Bool  // 1000…2099
        var isISODate: Bool
        var isTime: Bool  // 10:30
        var isScaled: Bool  // 1bn, 27.5bn, 38.5m, 2tn: a number with a scale suffix
        var first: UInt32
        var capitalised: Bool
        var length: Int
    }

    private static let englishOrdinals: Set<UInt32> = [0x7374, 0x6E64, 0x7264, 0x7468]  // st nd rd th

    private static func describe(_ s: ArraySlice<Unicode.Scalar>, ordinals: Set<UInt32> = englishOrdinals) -> Tok {
        var digits = 0, others = 0, value = 0, colon = 0, dash = 0, slash = 0, letters = 0
        var sepOK = true
        var suffix: UInt32 = 0  // the letters after the digits, packed (up to 4)
        var suffixLength = 0
        for c in s {
            let v = c.value
            if v >= 48 && v <= 57 {
                digits += 1
                if value < 100_000 { value = value * 10 + Int(v - 48) }
                if suffixLength > 0 { sepOK = false }
            } else if v == 44 || v == 46 {
                others += 1
            } else if v == 58 {
                colon += 1
            } else if v == 45 {
                dash += 1
            } else if v == 47 {
                slash += 1
            } else if (v >= 97 && v <= 122) || (v >= 65 && v <= 90) {
                letters += 1
                suffix = (suffix << 8) | (v | 0x20)
                suffixLength += 1
            } else {
                sepOK = false
            }
        }
        let first = s.first?.value ?? 0
        let startsDigit = first >= 48 && first <= 57
        let isNumber = startsDigit && letters == 0 && colon == 0 && dash == 0 && slash == 0 && sepOK
        // st, nd, rd, th
        let ordinal = suffixLength >= 1 && suffixLength <= 3 && ordinals.contains(suffix)
        let isDay = startsDigit && digits <= 2 && others == 0 && colon == 0 && dash == 0 && slash == 0 && sepOK
            && (letters == 0 || ordinal) && value >= 1 && value <= 31
        let isYear = isNumber && digits == 4 && others == 0 && value >= 1000 && value <= 2099
        let iso = startsDigit && letters == 0 && ((dash == 2 && digits == 8) || (slash == 2 && digits >= 6 && digits <= 8))
        let isTime = startsDigit && colon == 1 && letters == 0 && digits >= 3 && digits <= 4 && dash == 0
        let isScaled = startsDigit && sepOK && colon == 0 && dash == 0 && slash == 0 && suffixLength >= 1 && suffixLength <= 3
            && Self.scaleSuffixes.contains(suffix)
        let capitalised = first >= 65 && first <= 90
        return Tok(hash: wordHash(s), isNumber: isNumber, isDayNumber: isDay, isYear: isYear, isISODate: iso,
                   isTime: isTime, isScaled: isScaled, first: first, capitalised: capitalised, length: s.count)
    }

    /// Values in one sentence's tokens (`ranges` into `scalars`).
    func find(_ scalars: [Unicode.Scalar], ranges: [Range<Int>]) -> [Match] {
        if !lexicon.isEnglish { return findLocal(scalars, ranges: ranges) }
        let toks = ranges.map { Self.describe(scalars[$0]) }
        let n = toks.count
        var out: [Match] = []
        var i = 0
        func at(_ k: Int) -> Tok? { k < n ? toks[k] : nil }
        func isMonth(_ t: Tok?) -> Bool { guard let t else { return false }; return t.capitalised && Self.months.contains(t.hash) && t.length >= 3 }
        func isNumberish(_ t: Tok?) -> Bool { t?.isNumber ?? false }
        while i < n {
            let t = toks[i]
            // MONEY: $ 5 million, US$ 5, €5
            if (t.length == 1 && Self.currencySymbols.contains(t.first)) || Self.currencyPrefixes.contains(t.hash) {
                var j = i + 1
                if j < n, toks[j].length == 1, Self.currencySymbols.contains(toks[j].first) { j += 1 }
                if isNumberish(at(j)) {
                    j += 1
                    if let s = at(j), Self.scales.contains(s.hash) { j += 1 }
                    out.append(Match(start: i, end: j, type: .money)); i = j; continue
                }
                // "£1bn", "$27.5bn", "€38.5m".
                if let s = at(j), s.isScaled {
                    out.append(Match(start: i, end: j + 1, type: .money)); i = j + 1; continue
                }
            }
            // "2.5bn euros" is money; "38.5m" alone is an amount of something.
            if t.isScaled {
                if let u = at(i + 1), Self.currencyWords.contains(u.hash) {
                    out.append(Match(start: i, end: i + 2, type: .money)); i += 2; continue
                }
                out.append(Match(start: i, end: i + 1, type: .quantity)); i += 1; continue
            }
            if t.isTime {
                var j = i + 1
                if let a = at(j), Self.ampm.contains(a.hash) { j += 1 }
                out.append(Match(start: i, end: j, type: .time)); i = j; continue
            }
            if t.isISODate { out.append(Match(start: i, end: i + 1, type: .date)); i += 1; continue }
            if t.isNumber {
                var j = i + 1
                if let s = at(j), Self.scales.contains(s.hash), s.length > 1 || s.first == 109 || s.first == 107 { j += 1 }
                if let u = at(j) {
                    if Self.currencyWords.contains(u.hash) { out.append(Match(start: i, end: j + 1, type: .money)); i = j + 1; continue }
                    if u.first == 0x25 && u.length == 1 || Self.percentWords.contains(u.hash) {
                        out.append(Match(start: i, end: j + 1, type: .percent)); i = j + 1; continue
                    }
                    if u.hash == Self.hPer, let c = at(j + 1), c.hash == Self.hCent {
                        out.append(Match(start: i, end: j + 2, type: .percent)); i = j + 2; continue
                    }
                    if Self.units.contains(u.hash) && !(u.length == 1) {
                        out.append(Match(start: i, end: j + 1, type: .quantity)); i = j + 1; continue
                    }
                    if Self.ampm.contains(u.hash) && t.isDayNumber && !isMonth(u) {
                        out.append(Match(start: i, end: j + 1, type: .time)); i = j + 1; continue
                    }
                }
            }
            // DATES. Weekday (,) day month (year) | weekday (,) month day (, year) | day month year | month year.
            var j = i
            var hasCore = false
            if Self.weekdays.contains(t.hash) && t.capitalised {
                j = i + 1
                hasCore = true
                if let c = at(j), c.first == 44, c.length == 1, isMonth(at(j + 1)) || (at(j + 1)?.isDayNumber ?? false) { j += 1 }
            }
            let k = j
            if let d = at(k), d.isDayNumber, isMonth(at(k + 1)) {
                j = k + 2
                hasCore = true
                if let y = at(j), y.isYear { j += 1 }
            } else if isMonth(at(k)) {
                let monthAlone: Bool
                if let d = at(k + 1), d.isDayNumber {
                    j = k + 2
                    // "May 6 and 7"
                    if let a = at(j), a.hash == Self.hAnd, let d2 = at(j + 1), d2.isDayNumber { j += 2 }
                    if let c = at(j), c.first == 44, c.length == 1, let y = at(j + 1), y.isYear { j += 2 } else if let y = at(j), y.isYear { j += 1 }
                    monthAlone = false
                } else if let y = at(k + 1), y.isYear {
                    j = k + 2
                    monthAlone = false
                } else {
                    j = k + 1
                    monthAlone = true
                }
                // A bare month name needs a date-like neighbour ("last March"): "May" is also a verb.
                let lead = k > 0 && Self.dateLeads.contains(toks[k - 1].hash)
                if !monthAlone || lead || hasCore || (Self.months.contains(t.hash) && t.hash != Self.hMay && k > 0) {
                    hasCore = true
                } else {
                    j = k
                }
            }
            if hasCore && j > i {
                out.append(Match(start: i, end: j, type: .date)); i = j; continue
            }
            if t.isYear {
                let next = at(i + 1)
                let unitFollows = next.map { Self.units.contains($0.hash) || Self.currencyWords.contains($0.hash) || Self.scales.contains($0.hash) } ?? false
                if !unitFollows { out.append(Match(start: i, end: i + 1, type: .date)); i += 1; continue }
            }
            if Self.timeWords.contains(t.hash) { out.append(Match(start: i, end: i + 1, type: .time)); i += 1; continue }
            i += 1
        }
        return out
    }

    /// The hash of a word without an elided article or preposition before an apostrophe
    /// ("d'euros" → "euros", "dell'anno" → "anno"); the word's own hash when there is none.
    private static func bareHash(_ s: ArraySlice<Unicode.Scalar>, whole: UInt64) -> UInt64 {
        var k = s.startIndex
        while k < s.endIndex, k - s.startIndex <= 4 {
            if s[k] == "'" || s[k] == "\u{2019}" {
                return k > s.startIndex && k + 1 < s.endIndex ? wordHash(s[(k + 1)...]) : whole
            }
            k += 1
        }
        return whole
    }

    /// The rules for a language other than English, from its word lists: "16 mai 2024", "am 3. März 2024",
    /// "3 de marzo de 2024", "2,5 milliards d'euros", "1.200 Millionen Euro", "12,5 %", "12,5 Prozent",
    /// "3,5 por ciento". A month name alone is a date only after a date word ("en mars", "im Mai").
    private func findLocal(_ scalars: [Unicode.Scalar], ranges: [Range<Int>]) -> [Match] {
        let L = lexicon
        let toks = ranges.map { Self.describe(scalars[$0], ordinals: L.ordinals) }
        let bare = zip(ranges, toks).map { Self.bareHash(scalars[$0.0], whole: $0.1.hash) }
        let n = toks.count
        var out: [Match] = []
        func at(_ k: Int) -> Tok? { k < n ? toks[k] : nil }
        func has(_ set: Set<UInt64>, _ k: Int) -> Bool { k < n && (set.contains(toks[k].hash) || set.contains(bare[k])) }
        func isMonth(_ k: Int) -> Bool { k < n && toks[k].length >= 3 && has(L.months, k) }
        func isDay(_ k: Int) -> Bool { at(k)?.isDayNumber ?? false }
        func isYear(_ k: Int) -> Bool { at(k)?.isYear ?? false }
        func isSymbol(_ k: Int) -> Bool { k < n && toks[k].length == 1 && Self.currencySymbols.contains(toks[k].first) }
        func isPeriod(_ k: Int) -> Bool { k < n && toks[k].length == 1 && toks[k].first == 0x2E }
        /// The end of a percent word or phrase at `k`, or nil.
        func percentEnd(_ k: Int) -> Int? {
            guard let u = at(k) else { return nil }
            if u.length == 1 && u.first == 0x25 { return k + 1 }
            if L.percentWords.contains(u.hash) { return k + 1 }
            if let v = at(k + 1), L.percentPairs.contains(ValueLexicon.pair(u.hash, v.hash)) { return k + 2 }
            return nil
        }
        var i = 0
        while i < n {
            let t = toks[i]
            // MONEY with the currency first: "€ 5", "$5 millions", "USD 3,5 Mrd".
            if isSymbol(i) || Self.currencyPrefixes.contains(t.hash) {
                var j = i + 1
                if isSymbol(j) { j += 1 }
                if at(j)?.isNumber ?? false {
                    j += 1
                    if has(L.scales, j) { j += 1 }
                    out.append(Match(start: i, end: j, type: .money)); i = j; continue
                }
            }
            if t.isTime { out.append(Match(start: i, end: i + 1, type: .time)); i += 1; continue }
            if t.isISODate { out.append(Match(start: i, end: i + 1, type: .date)); i += 1; continue }
            if t.isNumber && !(t.isDayNumber && (isMonth(i + 1) || (L.dayDot && isPeriod(i + 1) && isMonth(i + 2))
                || (has(L.dateLinks, i + 1) && isMonth(i + 2))))
            {
                var j = i + 1
                if has(L.scales, j) { j += 1 }
                // "d'euros" is one token or two ("d'" "euros"); "de dólares" two.
                let m = has(L.moneyLinks, j) && !has(L.currencyWords, j) ? j + 1 : j
                if has(L.currencyWords, m) || isSymbol(m) { out.append(Match(start: i, end: m + 1, type: .money)); i = m + 1; continue }
                if let e = percentEnd(j) { out.append(Match(start: i, end: e, type: .percent)); i = e; continue }
                if let u = at(j), Self.units.contains(u.hash), u.length > 1 {
                    out.append(Match(start: i, end: j + 1, type: .quantity)); i = j + 1; continue
                }
            }
            // DATES: [weekday [,]] day [.] [link] month [[link] year] | month [link] year | date word + month.
            var j = i
            var hasCore = false
            if has(L.weekdays, i) {
                j = i + 1
                hasCore = true
                if let c = at(j), c.first == 44, c.length == 1, isMonth(j + 1) || isDay(j + 1) { j += 1 }
            }
            let k = j
            if isDay(k) {
                var m = k + 1
                if L.dayDot && isPeriod(m) { m += 1 }
                if has(L.dateLinks, m) && isMonth(m + 1) { m += 1 }
                if isMonth(m) {
                    j = m + 1
                    hasCore = true
                    if has(L.dateLinks, j) && isYear(j + 1) { j += 2 } else if isYear(j) { j += 1 }
                }
            } else if isMonth(k) {
                if has(L.dateLinks, k + 1) && isYear(k + 2) {
                    j = k + 3; hasCore = true
                } else if isYear(k + 1) {
                    j = k + 2; hasCore = true
                } else if k > 0 && has(L.dateLeads, k - 1) {
                    j = k + 1; hasCore = true
                }
            }
            if hasCore && j > i { out.append(Match(start: i, end: j, type: .date)); i = j; continue }
            if t.isYear {
                let unitFollows = Self.units.contains(at(i + 1)?.hash ?? 0) || has(L.currencyWords, i + 1) || has(L.scales, i + 1)
                    || isSymbol(i + 1) || percentEnd(i + 1) != nil
                if !unitFollows { out.append(Match(start: i, end: i + 1, type: .date)); i += 1; continue }
            }
            i += 1
        }
        return out
    }
}

/// The words the value rules of one language look for (hashes of lowercase forms).
struct ValueLexicon: Sendable {
    var isEnglish = false
    var months: Set<UInt64> = []
    var weekdays: Set<UInt64> = []
    var scales: Set<UInt64> = []
    var currencyWords: Set<UInt64> = []
    var percentWords: Set<UInt64> = []
    /// Two-word percent phrases ("por ciento"), as ``pair(_:_:)``.
    var percentPairs: Set<UInt64> = []
    var dateLeads: Set<UInt64> = []
    /// Words between day, month and year ("3 de marzo de 2024").
    var dateLinks: Set<UInt64> = []
    /// Words between an amount and its currency ("millones de dólares").
    var moneyLinks: Set<UInt64> = []
    /// Ordinal suffixes written onto a day number ("1er"), packed as the rules pack them.
    var ordinals: Set<UInt32> = []
    /// A day number is written with a period ("am 3. März").
    var dayDot = false

    static let english = ValueLexicon(isEnglish: true)

    static func pair(_ a: UInt64, _ b: UInt64) -> UInt64 { (a &* 0x100_0000_01b3) ^ b }

    /// From a word-list file's lists (``EntityWords``).
    init(words: EntityWords) {
        func set(_ kind: String) -> Set<UInt64> {
            Set(words.entries(kind).filter { !$0.contains(" ") }.map { ValueRules.wordHash(Array($0.unicodeScalars)[...]) })
        }
        months = set("month")
        weekdays = set("weekday")
        scales = set("scale")
        currencyWords = set("currency")
        percentWords = set("percent")
        for phrase in words.entries("percent") where phrase.contains(" ") {
            let w = phrase.split(separator: " ").map { ValueRules.wordHash(Array($0.unicodeScalars)[...]) }
            if w.count == 2 { percentPairs.insert(Self.pair(w[0], w[1])) }
        }
        dateLeads = set("date_lead")
        dateLinks = set("date_link")
        moneyLinks = set("money_link")
        for o in words.entries("ordinal") where o.unicodeScalars.allSatisfy({ $0.value < 128 }) && (1...3).contains(o.count) {
            ordinals.insert(o.unicodeScalars.reduce(UInt32(0)) { ($0 << 8) | ($1.value | 0x20) })
        }
        dayDot = words.entries("flag").contains("day dot")
    }

    init(isEnglish: Bool) { self.isEnglish = isEnglish }
}
