// The tagger's core: tag set, feature extraction, model file, Viterbi decoding.
//
// This file imports only Foundation and is compiled both into the plugin and
// into the trainer (Training/entities/train.swift), so the features the model
// was trained on are, by construction, the features it sees at run time.

import Foundation

/// BILOU tags over the four CoNLL types: 0 is O; 1 + 4·type + part, part 0…3 = B, I, L, U.
enum NERTags {
    static let types = ["PER", "ORG", "LOC", "MISC"]
    static let count = 17
    static let start = 17  // the "previous tag" before a sentence

    @inline(__always) static func tag(type: Int, part: Int) -> Int { 1 + 4 * type + part }
    @inline(__always) static func type(of tag: Int) -> Int { (tag - 1) >> 2 }
    @inline(__always) static func part(of tag: Int) -> Int { (tag - 1) & 3 }

    /// Whether `cur` may follow `prev` (prev may be `start`): BILOU's grammar.
    static func allowed(_ prev: Int, _ cur: Int) -> Bool {
        let prevOpen = prev != start && prev != 0 && (part(of: prev) == 0 || part(of: prev) == 1)
        if prevOpen {
            return cur != 0 && type(of: cur) == type(of: prev) && (part(of: cur) == 1 || part(of: cur) == 2)
        }
        return cur == 0 || part(of: cur) == 0 || part(of: cur) == 3
    }

    static func allowedAtEnd(_ tag: Int) -> Bool { tag == 0 || part(of: tag) >= 2 }

    /// Entity chunks (start, end exclusive, type) of a BILOU tag sequence.
    static func chunks(_ tags: [Int]) -> [(start: Int, end: Int, type: Int)] {
        var out: [(Int, Int, Int)] = []
        var open: (start: Int, type: Int)?
        for (i, t) in tags.enumerated() {
            if t == 0 {
                if let o = open { out.append((o.start, i, o.type)); open = nil }
                continue
            }
            let ty = type(of: t), p = part(of: t)
            if p == 0 || p == 3 || open == nil || open?.type != ty {
                if let o = open { out.append((o.start, i, o.type)) }
                open = (i, ty)
            }
            if p == 2 || p == 3, let o = open { out.append((o.start, i + 1, o.type)); open = nil }
        }
        if let o = open { out.append((o.start, tags.count, o.type)) }
        return out
    }
}

/// 64-bit hashing: FNV-1a over scalars, a SplitMix finaliser to combine.
enum NERHash {
    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) static func add(_ h: UInt64, _ v: UInt32) -> UInt64 { (h ^ UInt64(v)) &* 0x0000_0100_0000_01b3 }
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    @inline(__always) static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 { mix(a ^ (b &* 0x9e37_79b9_7f4a_7c15)) }
    /// Hash of a string's normalised (lowercase) form, for tables built from text.
    static func lower(_ s: String) -> UInt64 {
        var info = NERTokenInfo()
        let scalars = Array(s.unicodeScalars)
        scalars.withUnsafeBufferPointer { NERFeatures.analyse($0, into: &info) }
        return info.lower
    }
}

/// What the features need to know about one token, computed once per token.
struct NERTokenInfo {
    var exact: UInt64 = 0
    var lower: UInt64 = 0
    var shape: UInt64 = 0
    var p1: UInt64 = 0, p2: UInt64 = 0, p3: UInt64 = 0, p4: UInt64 = 0
    var s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0, s4: UInt64 = 0
    var hasLower = false
    var hasLetter = false
    var initialCap = false
    var cluster: UInt64 = 0
    var cluster2: UInt64 = 0
    var gaz: UInt64 = 0
    var history: UInt64 = 0
}

/// An open-addressing table from 64-bit keys to small values, for gazetteers and clusters.
struct NERHashTable: Sendable {
    private(set) var keys: [UInt64]
    private(set) var values: [UInt16]
    private let mask: Int

    init(_ entries: [(UInt64, UInt16)]) {
        var cap = 16
        while cap < entries.count * 2 { cap <<= 1 }
        keys = [UInt64](repeating: 0, count: cap)
        values = [UInt16](repeating: 0, count: cap)
        mask = cap - 1
        for (k, v) in entries { insert(k == 0 ? 1 : k, v) }
    }

    private mutating func insert(_ key: UInt64, _ value: UInt16) {
        var i = Int(truncatingIfNeeded: key) & mask
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        keys[i] = key
        values[i] |= value
    }

    @inline(__always) func get(_ k: UInt64) -> UInt16 {
        let key = k == 0 ? 1 : k
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
            let stored = keys[i]
            if stored == key { return values[i] }
            if stored == 0 { return 0 }
            i = (i + 1) & mask
        }
    }

    var entries: [(UInt64, UInt16)] { zip(keys, values).filter { $0.0 != 0 }.map { ($0.0, $0.1) } }
}

/// Feature extraction: each token gets `count` feature hashes, each mapped to a row of the weight table.
enum NERFeatures {
    static let count = 40
    static let gazKinds = 5  // LOC, MISC, currency, first names, surnames
    static let maxGazLength = 6

    /// Normalises a scalar for the lowercase form: lowercase, digits → 0, curly quotes → straight.
    @inline(__always) static func normalise(_ v: UInt32) -> (UInt32, cls: UInt32) {
        // cls: 1 upper, 2 lower, 3 digit, 0 other (the scalar itself is the shape symbol)
        if v < 128 {
            if v >= 65 && v <= 90 { return (v + 32, 1) }
            if v >= 97 && v <= 122 { return (v, 2) }
            if v >= 48 && v <= 57 { return (48, 3) }
            return (v, 0)
        }
        switch v {
        case 0x2019, 0x2018, 0x201B: return (39, 0)  // ’ ‘ → '
        case 0x201C, 0x201D, 0x201E, 0xAB, 0xBB: return (34, 0)  // “ ” „ « » → "
        case 0x2013, 0x2014: return (45, 0)  // – — → -
        default: break
        }
        guard let s = Unicode.Scalar(v) else { return (v, 0) }
        let p = s.properties
        if p.isUppercase {
            if let l = p.lowercaseMapping.unicodeScalars.first { return (l.value, 1) }
            return (v, 1)
        }
        if p.isLowercase || p.isAlphabetic { return (v, 2) }
        if p.numericType != nil { return (48, 3) }
        return (v, 0)
    }

    /// Computes the per-token parts of the features.
    static func analyse(_ s: UnsafeBufferPointer<Unicode.Scalar>, into info: inout NERTokenInfo) {
        var exact = NERHash.seed, lower = NERHash.seed, shape = NERHash.seed
        var lastCls: UInt32 = 99, lastSym: UInt32 = 0
        var ring: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        var n = 0
        info.hasLower = false
        info.hasLetter = false
        info.initialCap = false
        info.p1 = 0; info.p2 = 0; info.p3 = 0; info.p4 = 0
        for scalar in s {
            let v = scalar.value
            exact = NERHash.add(exact, v)
            let (l, cls) = normalise(v)
            lower = NERHash.add(lower, l)
            if cls == 1 || cls == 2 {
                info.hasLetter = true
                if cls == 2 { info.hasLower = true }
                if n == 0 && cls == 1 { info.initialCap = true }
            }
            let sym: UInt32 = cls == 0 ? l : cls  // shape symbol
            if sym != lastSym || cls != lastCls { shape = NERHash.add(shape, sym &+ (cls << 24)) }
            lastSym = sym
            lastCls = cls
            n += 1
            switch n {
            case 1: info.p1 = lower
            case 2: info.p2 = lower
            case 3: info.p3 = lower
            case 4: info.p4 = lower
            default: break
            }
            ring = (ring.1, ring.2, ring.3, l)
        }
        info.exact = exact
        info.lower = lower
        // Long tokens get a length mark in their shape: "Xx" long vs short names.
        info.shape = NERHash.add(shape, n > 6 ? 1 : 0)
        var sh = NERHash.add(NERHash.seed, 0x5F)
        sh = NERHash.add(sh, ring.3); info.s1 = n >= 1 ? sh : 0
        sh = NERHash.add(NERHash.add(NERHash.add(NERHash.seed, 0x5F), ring.2), ring.3); info.s2 = n >= 2 ? sh : 0
        sh = NERHash.add(NERHash.add(NERHash.add(NERHash.add(NERHash.seed, 0x5F), ring.1), ring.2), ring.3)
        info.s3 = n >= 3 ? sh : 0
        sh = NERHash.add(NERHash.add(NERHash.add(NERHash.add(NERHash.add(NERHash.seed, 0x5F), ring.0), ring.1), ring.2), ring.3)
        info.s4 = n >= 4 ? sh : 0
    }

    /// Marks gazetteer matches (longest match per kind) in `infos[range]`.
    static func markGazetteers(_ infos: inout [NERTokenInfo], gazetteer: NERHashTable) {
        let n = infos.count
        for i in 0..<n { infos[i].gaz = 0 }
        var codes = [UInt64](repeating: 0, count: n)
        for kind in 0..<gazKinds {
            let bit = UInt16(1 << kind)
            var i = 0
            while i < n {
                var h = NERHash.seed
                var best = 0
                var j = i
                while j < n && j - i < maxGazLength {
                    h = NERHash.combine(h, infos[j].lower)
                    if gazetteer.get(h) & bit != 0 { best = j - i + 1 }
                    j += 1
                }
                if best > 0 {
                    for k in i..<(i + best) {
                        let part: UInt64 = best == 1 ? 3 : (k == i ? 0 : (k == i + best - 1 ? 2 : 1))
                        codes[k] = codes[k] &* 31 &+ UInt64(kind * 4) &+ part &+ 1
                    }
                    i += best
                } else {
                    i += 1
                }
            }
        }
        for i in 0..<n { infos[i].gaz = codes[i] }
    }

    /// The hash of a phrase of lowercase token hashes, as `markGazetteers` computes it.
    static func phraseHash(_ lowers: [UInt64]) -> UInt64 {
        var h = NERHash.seed
        for l in lowers { h = NERHash.combine(h, l) }
        return h
    }

    /// Writes `count` row indices per token into `rows` (n × count).
    static func extract(_ infos: [NERTokenInfo], rowMask: Int, into rows: inout [Int32]) {
        let n = infos.count
        let need = n * count
        if rows.count < need { rows = [Int32](repeating: 0, count: need) }
        var letters = 0, lowers = 0
        for t in infos where t.hasLetter {
            letters += 1
            if t.hasLower { lowers += 1 }
        }
        let allCaps: UInt64 = (letters >= 2 && lowers == 0) ? 1 : 0
        let pad = NERTokenInfo(exact: 11, lower: 11, shape: 11, cluster: 11, cluster2: 11, gaz: 11)
        let pad2 = NERTokenInfo(exact: 13, lower: 13, shape: 13, cluster: 13, cluster2: 13, gaz: 13)
        rows.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                let t = infos[i]
                let pm2 = i >= 2 ? infos[i - 2] : pad
                let pm1 = i >= 1 ? infos[i - 1] : pad
                let pp1 = i + 1 < n ? infos[i + 1] : pad2
                let pp2 = i + 2 < n ? infos[i + 2] : pad2
                let first: UInt64 = i == 0 ? 1 : 0
                var k = i * count
                @inline(__always) func put(_ template: UInt64, _ value: UInt64) {
                    out[k] = Int32(truncatingIfNeeded: Int(truncatingIfNeeded: NERHash.combine(template &* 0x1000_0000_01b3, value)) & rowMask)
                    k += 1
                }
                put(1, 0)
                put(2, t.exact)
                put(3, pm2.lower)
                put(4, pm1.lower)
                put(5, t.lower)
                put(6, pp1.lower)
                put(7, pp2.lower)
                put(8, pm1.shape)
                put(9, t.shape)
                put(10, pp1.shape)
                put(11, NERHash.combine(pm1.shape, t.shape))
                put(12, NERHash.combine(t.shape, pp1.shape))
                put(13, t.p1)
                put(14, t.p2)
                put(15, t.p3)
                put(16, t.p4)
                put(17, t.s1)
                put(18, t.s2)
                put(19, t.s3)
                put(20, t.s4)
                put(21, NERHash.combine(allCaps, t.shape))
                put(22, NERHash.combine(allCaps, t.lower))
                put(23, NERHash.combine(first, t.shape))
                put(24, pm1.gaz)
                put(25, t.gaz)
                put(26, pp1.gaz)
                put(27, pm1.cluster)
                put(28, t.cluster)
                put(29, pp1.cluster)
                put(30, t.cluster2)
                put(31, t.history)
                put(32, NERHash.combine(pm1.lower, t.lower))
                put(33, NERHash.combine(t.lower, pp1.lower))
                put(34, NERHash.combine(t.history, t.shape))
                put(35, NERHash.combine(first, t.lower))
                put(36, NERHash.combine(t.gaz, t.shape))
                put(37, NERHash.combine(pm1.shape, NERHash.combine(t.shape, pp1.shape)))
                put(38, NERHash.combine(allCaps, t.cluster))
                put(39, pm1.history)
                put(40, pp1.history)
            }
        }
    }
}

/// How earlier sentences of the same document tagged each word (by its lowercase form):
/// the document-level consistency feature.
struct NERDocumentHistory {
    private var counts: [UInt64: UInt32] = [:]  // 4 × 8-bit counters, one per type

    mutating func reset() { counts.removeAll(keepingCapacity: true) }

    /// The feature value for a word: its most frequent earlier type + 1, or 0.
    @inline(__always) func value(_ lower: UInt64, hasLetter: Bool) -> UInt64 {
        guard hasLetter, let c = counts[lower] else { return 0 }
        var best = 0, bestCount: UInt32 = 0
        for t in 0..<4 {
            let v = (c >> (8 * UInt32(t))) & 0xFF
            if v > bestCount { best = t; bestCount = v }
        }
        return UInt64(best + 1)
    }

    mutating func record(_ infos: [NERTokenInfo], tags: [Int]) {
        for (i, tag) in tags.enumerated() where tag != 0 && infos[i].hasLetter && infos[i].initialCap {
            let shift = 8 * UInt32(NERTags.type(of: tag))
            var c = counts[infos[i].lower] ?? 0
            if (c >> shift) & 0xFF < 255 { c += 1 << shift }
            counts[infos[i].lower] = c
        }
    }
}

/// The trained model: a hashed weight table (rows × 17 tags), transitions, gazetteer and cluster tables.
struct NERModel: Sendable {
    var rowBits: Int
    var weights: [Float]  // rows × NERTags.count
    var transitions: [Float]  // 18 × 17 (previous incl. start × current)
    var endWeights: [Float]  // 17
    var gazetteer: NERHashTable
    var clusters: NERHashTable  // exact-word hash → cluster id (1-based)

    var rowMask: Int { (1 << rowBits) - 1 }

    static let magic: UInt32 = 0x4E45_5231  // "NER1"

    /// Serialises with 16-bit quantised weights.
    func data() -> Data {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func f32(_ v: Float) { u32(v.bitPattern) }
        u32(Self.magic)
        u32(UInt32(rowBits))
        let maxAbs = weights.reduce(Float(0)) { max($0, abs($1)) }
        let scale = maxAbs > 0 ? maxAbs / 32767 : 1
        f32(scale)
        for w in transitions { f32(w) }
        for w in endWeights { f32(w) }
        let g = gazetteer.entries, c = clusters.entries
        u32(UInt32(g.count))
        for (k, v) in g { u64(k); u32(UInt32(v)) }
        u32(UInt32(c.count))
        for (k, v) in c { u64(k); u32(UInt32(v)) }
        var q = [Int16](repeating: 0, count: weights.count)
        for (i, w) in weights.enumerated() { q[i] = Int16(max(-32767, min(32767, (w / scale).rounded()))) }
        q.withUnsafeBytes { d.append(contentsOf: $0) }
        return d
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    init(rowBits: Int, weights: [Float], transitions: [Float], endWeights: [Float],
         gazetteer: NERHashTable, clusters: NERHashTable) {
        self.rowBits = rowBits
        self.weights = weights
        self.transitions = transitions
        self.endWeights = endWeights
        self.gazetteer = gazetteer
        self.clusters = clusters
    }

    init(data: Data) throws {
        var offset = 0
        func need(_ n: Int) throws {
            if offset + n > data.count { throw FormatError(description: "entity model file is truncated") }
        }
        func u32() throws -> UInt32 {
            try need(4)
            var v: UInt32 = 0
            _ = withUnsafeMutableBytes(of: &v) { data.copyBytes(to: $0, from: (data.startIndex + offset)..<(data.startIndex + offset + 4)) }
            offset += 4
            return UInt32(littleEndian: v)
        }
        func u64() throws -> UInt64 {
            try need(8)
            var v: UInt64 = 0
            _ = withUnsafeMutableBytes(of: &v) { data.copyBytes(to: $0, from: (data.startIndex + offset)..<(data.startIndex + offset + 8)) }
            offset += 8
            return UInt64(littleEndian: v)
        }
        guard try u32() == Self.magic else { throw FormatError(description: "not a Gleaner entity model (bad magic)") }
        rowBits = Int(try u32())
        guard (8...24).contains(rowBits) else { throw FormatError(description: "entity model: bad table size") }
        let scale = Float(bitPattern: try u32())
        transitions = try (0..<(18 * 17)).map { _ in Float(bitPattern: try u32()) }
        endWeights = try (0..<17).map { _ in Float(bitPattern: try u32()) }
        let gn = Int(try u32())
        var g: [(UInt64, UInt16)] = []
        g.reserveCapacity(gn)
        for _ in 0..<gn { g.append((try u64(), UInt16(truncatingIfNeeded: try u32()))) }
        let cn = Int(try u32())
        var c: [(UInt64, UInt16)] = []
        c.reserveCapacity(cn)
        for _ in 0..<cn { c.append((try u64(), UInt16(truncatingIfNeeded: try u32()))) }
        gazetteer = NERHashTable(g)
        clusters = NERHashTable(c)
        let total = (1 << rowBits) * NERTags.count
        try need(total * 2)
        var w = [Float](repeating: 0, count: total)
        let start = data.startIndex + offset
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress!.advanced(by: start - data.startIndex)
            w.withUnsafeMutableBufferPointer { out in
                for i in 0..<total {
                    var v: Int16 = 0
                    memcpy(&v, base.advanced(by: 2 * i), 2)
                    out[i] = Float(Int16(littleEndian: v)) * scale
                }
            }
        }
        weights = w
    }
}

/// Scores and decodes one sentence.
struct NERDecoder {
    var scores: [Float] = []
    var back: [Int32] = []
    var rows: [Int32] = []
    var delta = [Float](repeating: 0, count: NERTags.count)
    var next = [Float](repeating: 0, count: NERTags.count)

    /// Best BILOU tag sequence for `infos` under `weights`.
    mutating func decode(_ infos: [NERTokenInfo], weights: UnsafeBufferPointer<Float>, transitions: [Float],
                         endWeights: [Float], rowMask: Int) -> [Int] {
        let n = infos.count
        if n == 0 { return [] }
        let T = NERTags.count, F = NERFeatures.count
        NERFeatures.extract(infos, rowMask: rowMask, into: &rows)
        if scores.count < n * T { scores = [Float](repeating: 0, count: n * T) }
        if back.count < n * T { back = [Int32](repeating: 0, count: n * T) }
        rows.withUnsafeBufferPointer { r in
            scores.withUnsafeMutableBufferPointer { sc in
                for i in 0..<n {
                    let o = i * T
                    for t in 0..<T { sc[o + t] = 0 }
                    for f in 0..<F {
                        let base = Int(r[i * F + f]) * T
                        for t in 0..<T { sc[o + t] += weights[base + t] }
                    }
                }
            }
        }
        let neg = -Float.greatestFiniteMagnitude
        for t in 0..<T {
            delta[t] = NERTags.allowed(NERTags.start, t) ? scores[t] + transitions[NERTags.start * T + t] : neg
        }
        if n > 1 {
            let preds = Self.predecessors
            transitions.withUnsafeBufferPointer { tr in
                scores.withUnsafeBufferPointer { sc in
                    back.withUnsafeMutableBufferPointer { bk in
                        delta.withUnsafeMutableBufferPointer { dl in
                            next.withUnsafeMutableBufferPointer { nx in
                                var cur = dl, nxt = nx
                                for i in 1..<n {
                                    for t in 0..<T {
                                        var best = neg, arg = 0
                                        for p in preds[t] {
                                            let v = cur[p] + tr[p * T + t]
                                            if v > best { best = v; arg = p }
                                        }
                                        nxt[t] = best > neg ? best + sc[i * T + t] : neg
                                        bk[i * T + t] = Int32(truncatingIfNeeded: arg)
                                    }
                                    swap(&cur, &nxt)
                                }
                                if (n - 1) & 1 == 1 {
                                    for t in 0..<T { dl[t] = nx[t] }
                                }
                            }
                        }
                    }
                }
            }
        }
        var best = neg, arg = 0
        for t in 0..<T where NERTags.allowedAtEnd(t) && delta[t] > neg {
            let v = delta[t] + endWeights[t]
            if v > best { best = v; arg = t }
        }
        var tags = [Int](repeating: 0, count: n)
        tags[n - 1] = arg
        var i = n - 1
        while i > 0 {
            tags[i - 1] = Int(back[i * T + tags[i]])
            i -= 1
        }
        return tags
    }

    /// For each tag, the tags that may precede it (BILOU): Viterbi looks only at these.
    static let predecessors: [[Int]] = (0..<17).map { t in (0..<17).filter { NERTags.allowed($0, t) } }

    static let allowedTable: [Bool] = {
        var a = [Bool](repeating: false, count: 17 * 17)
        for p in 0..<17 { for t in 0..<17 { a[p * 17 + t] = NERTags.allowed(p, t) } }
        return a
    }()
}

/// Turns token texts (as scalar ranges of one buffer) into token infos with gazetteer,
/// cluster and history parts filled in.
struct NERAnalyser {
    var infos: [NERTokenInfo] = []

    mutating func analyse(_ buffer: UnsafeBufferPointer<Unicode.Scalar>, ranges: [Range<Int>], model: NERModel,
                          history: NERDocumentHistory) {
        infos.removeAll(keepingCapacity: true)
        for r in ranges {
            var info = NERTokenInfo()
            NERFeatures.analyse(UnsafeBufferPointer(rebasing: buffer[r]), into: &info)
            let c = model.clusters.get(info.lower)
            info.cluster = UInt64(c)
            info.cluster2 = UInt64(c >> 4) | 0x10000
            info.history = history.value(info.lower, hasLetter: info.hasLetter)
            infos.append(info)
        }
        NERFeatures.markGazetteers(&infos, gazetteer: model.gazetteer)
    }
}
