// Trains the language model: multinomial logistic regression (AdaGrad SGD) over
// hashed character n-gram and word features, restricted per sample to the
// languages of its dominant script, exactly as inference does. Compiled together
// with Plugins/LanguageDetection/Features.swift so the features are identical.
//
//   swiftc -Ounchecked Plugins/LanguageDetection/Features.swift Training/language/main.swift -o /tmp/langtrain
//   nice -n 10 /tmp/langtrain --data /tmp/gleaner-lang --out Plugins/LanguageDetection/Model/language.bin
//
// With --groups "ms id,nb da nn,..." it trains the second stage instead: one model whose
// softmax runs over the languages of one confusable group at a time, trained only on those
// languages' lines (format version 2: the group of each language follows the codes). With
// --base language.bin it then scores the whole two-stage decision on the dev sets.
// Compile it with Plugins/LanguageDetection/{Features,LanguageModel}.swift for that.
import Foundation

setvbuf(stdout, nil, _IOLBF, 0)

struct Options {
    var data = "/tmp/gleaner-lang"
    var out = "language.bin"
    var bits = 17
    var epochs = 3
    var lr: Float = 0.15
    var sentenceCap = 8000
    var words = 10000
    var pairs = 8000
    var spans = 5000
    var seed: UInt64 = 20261123
    var groups = ""
    var base = ""
}

var opt = Options()
var argv = Array(CommandLine.arguments.dropFirst())
while !argv.isEmpty {
    let k = argv.removeFirst()
    let v = argv.isEmpty ? "" : argv.removeFirst()
    switch k {
    case "--data": opt.data = v
    case "--out": opt.out = v
    case "--bits": opt.bits = Int(v) ?? 17
    case "--epochs": opt.epochs = Int(v) ?? 3
    case "--lr": opt.lr = Float(v) ?? 0.15
    case "--words": opt.words = Int(v) ?? opt.words
    case "--pairs": opt.pairs = Int(v) ?? opt.pairs
    case "--spans": opt.spans = Int(v) ?? opt.spans
    case "--sentences": opt.sentenceCap = Int(v) ?? opt.sentenceCap
    case "--groups": opt.groups = v
    case "--base": opt.base = v
    case "--eval-only":
        // Only the two-stage evaluation of an existing --out group model.
        try evaluatePipeline(base: v, groups: opt.out, data: opt.data)
        exit(0)
    default: fatalError("unknown option \(k)")
    }
}

/// SplitMix64: a small, seedable generator so training is reproducible.
struct Rng: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Confusable groups (second stage) as lists of codes; empty for the first stage.
let groupCodes: [[String]] = opt.groups.split(separator: ",").map { $0.split(separator: " ").map(String.init) }
let codes = groupCodes.isEmpty ? LanguageInventory.codes : groupCodes.flatMap { $0 }
for c in codes where !LanguageInventory.codes.contains(c) { fatalError("unknown language \(c) in --groups") }
/// Per language (index into codes): the indices of its group's languages.
let groupMembers: [[Int]] = {
    var out: [[Int]] = []
    var at = 0
    for g in groupCodes {
        let m = Array(at..<(at + g.count))
        for _ in g { out.append(m) }
        at += g.count
    }
    return out
}()
let L = codes.count
let rowStride = (L + 15) / 16 * 16
let fx = FeatureExtractor(bucketBits: opt.bits)
let buckets = 1 << opt.bits
let noSpace: Set<String> = ["zh", "ja", "th"]
let scriptCount = LanguageScript.allCases.count
let candidatesByScript: [[Int]] = LanguageScript.allCases.map { LanguageInventory.candidates(for: $0, codes: codes) }

func readLines(_ path: String) -> [[Unicode.Scalar]] {
    guard let s = try? String(contentsOfFile: path, encoding: .utf8) else { fatalError("cannot read \(path)") }
    return s.split(separator: "\n").map { Array($0.unicodeScalars) }.filter { !$0.isEmpty }
}

/// Token ranges (whitespace-separated) of a line.
func tokens(_ line: [Unicode.Scalar]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start = -1
    for (i, s) in line.enumerated() {
        if s.properties.isWhitespace {
            if start >= 0 { out.append(start..<i); start = -1 }
        } else if start < 0 { start = i }
    }
    if start >= 0 { out.append(start..<line.count) }
    return out
}

struct Sample { var lang: Int32; var line: Int32; var lo: Int32; var hi: Int32 }

var corpus: [[[Unicode.Scalar]]] = []
var corpusTokens: [[[Range<Int>]]] = []
for code in codes {
    let lines = readLines("\(opt.data)/train/\(code).txt")
    corpus.append(lines)
    corpusTokens.append(lines.map(tokens))
}
print("read \(corpus.map(\.count).reduce(0, +)) training lines")

func makeSamples(_ rng: inout Rng) -> [Sample] {
    var out: [Sample] = []
    for l in 0..<L {
        let lines = corpus[l], toks = corpusTokens[l]
        let n = lines.count
        for i in 0..<min(n, opt.sentenceCap) {
            let k = n > opt.sentenceCap ? Int.random(in: 0..<n, using: &rng) : i
            out.append(Sample(lang: Int32(l), line: Int32(k), lo: 0, hi: Int32(lines[k].count)))
        }
        func snippet(_ words: ClosedRange<Int>) -> Sample? {
            let k = Int.random(in: 0..<n, using: &rng)
            let line = lines[k]
            if noSpace.contains(codes[l]) {
                let len = Int.random(in: (words.lowerBound * 2)...(words.upperBound * 3), using: &rng)
                guard line.count > 1 else { return nil }
                let lo = Int.random(in: 0..<max(1, line.count - len), using: &rng)
                return Sample(lang: Int32(l), line: Int32(k), lo: Int32(lo), hi: Int32(min(line.count, lo + len)))
            }
            let t = toks[k]
            guard !t.isEmpty else { return nil }
            let w = min(t.count, Int.random(in: words, using: &rng))
            let first = Int.random(in: 0...(t.count - w), using: &rng)
            return Sample(lang: Int32(l), line: Int32(k), lo: Int32(t[first].lowerBound), hi: Int32(t[first + w - 1].upperBound))
        }
        for _ in 0..<opt.words { if let s = snippet(1...1) { out.append(s) } }
        for _ in 0..<opt.pairs { if let s = snippet(2...2) { out.append(s) } }
        for _ in 0..<opt.spans { if let s = snippet(3...8) { out.append(s) } }
    }
    out.shuffle(using: &rng)
    return out
}

// Parameters: W[bucket * rowStride + lang], AdaGrad accumulators G, bias b.
var W = [Float](repeating: 0, count: buckets * rowStride)
var G = [Float](repeating: 1e-6, count: buckets * rowStride)
var B = [Float](repeating: 0, count: rowStride)
var GB = [Float](repeating: 1e-6, count: rowStride)

var feats: [Int32] = []
var wordBuf: [UInt32] = []
var scripts = [Int](repeating: 0, count: scriptCount)

/// Features and candidate languages of a text.
func analyse(_ text: ArraySlice<Unicode.Scalar>) -> [Int] {
    feats.removeAll(keepingCapacity: true)
    for i in scripts.indices { scripts[i] = 0 }
    fx.extract(text, into: &feats, word: &wordBuf, scripts: &scripts)
    return candidatesByScript[Int(LanguageInventory.dominantScript(scripts).rawValue)]
}

var logits = [Float](repeating: 0, count: rowStride)
var grad = [Float](repeating: 0, count: rowStride)

func scoreFloat(_ cands: [Int]) {
    for c in 0..<rowStride { logits[c] = B[c] }
    W.withUnsafeBufferPointer { w in
        logits.withUnsafeMutableBufferPointer { lg in
            for f in feats {
                let base = Int(f) * rowStride
                for c in 0..<rowStride { lg[c] += w[base + c] }
            }
        }
    }
}

func softmax(_ cands: [Int], temperature: Float = 1) -> [Float] {
    var m = -Float.infinity
    for c in cands { m = max(m, logits[c] / temperature) }
    var p = [Float](repeating: 0, count: rowStride)
    var z: Float = 0
    for c in cands { p[c] = exp(logits[c] / temperature - m); z += p[c] }
    for c in cands { p[c] /= z }
    return p
}

var rng = Rng(state: opt.seed)
let clock = ContinuousClock()
for epoch in 0..<opt.epochs {
    let samples = makeSamples(&rng)
    let t0 = clock.now
    var loss: Double = 0, seen = 0
    let lr = opt.lr
    for s in samples {
        let line = corpus[Int(s.lang)][Int(s.line)]
        var cands = analyse(line[Int(s.lo)..<Int(s.hi)])
        let y = Int(s.lang)
        if !groupCodes.isEmpty { cands = cands.isEmpty ? [] : groupMembers[y] }
        guard cands.count > 1, cands.contains(y), !feats.isEmpty else { continue }
        scoreFloat(cands)
        let p = softmax(cands)
        loss -= Double(log(max(p[y], 1e-12)))
        seen += 1
        for c in 0..<rowStride { grad[c] = 0 }
        for c in cands { grad[c] = p[c] - (c == y ? 1 : 0) }
        W.withUnsafeMutableBufferPointer { w in
            G.withUnsafeMutableBufferPointer { g in
                grad.withUnsafeBufferPointer { gr in
                    for f in feats {
                        let base = Int(f) * rowStride
                        for c in cands {
                            let d = gr[c]
                            g[base + c] += d * d
                            w[base + c] -= lr * d / g[base + c].squareRoot()
                        }
                    }
                }
            }
        }
        for c in cands {
            GB[c] += grad[c] * grad[c]
            B[c] -= lr * grad[c] / GB[c].squareRoot()
        }
    }
    print("epoch \(epoch + 1): \(seen) samples, mean loss \(loss / Double(max(seen, 1))), \(clock.now - t0)")
}

// Quantise: int8 per bucket with a float scale per bucket.
var Q = [Int8](repeating: 0, count: buckets * rowStride)
var scales = [Float](repeating: 0, count: buckets)
for b in 0..<buckets {
    var m: Float = 0
    for c in 0..<L { m = max(m, abs(W[b * rowStride + c])) }
    let scale = m > 0 ? m / 127 : 0
    scales[b] = scale
    for c in 0..<L where scale > 0 {
        Q[b * rowStride + c] = Int8(max(-127, min(127, (W[b * rowStride + c] / scale).rounded())))
    }
    for c in 0..<rowStride { W[b * rowStride + c] = Float(Q[b * rowStride + c]) * scale }  // evaluate as shipped
}

// Dev evaluation (quantised weights) and temperature fit.
let devSets = ["sentences", "pairs", "words"]
var devLogits: [(cands: [Int], logits: [Float], y: Int)] = []
var report = "| set | mean accuracy |\n|---|---|\n"
var perLang: [String: [Double]] = [:]
for set in devSets {
    var accs: [Double] = []
    for (l, code) in codes.enumerated() {
        let lines = readLines("\(opt.data)/dev/\(set)/\(code).txt")
        var right = 0
        for line in lines {
            var cands = analyse(line[...])
            if !groupCodes.isEmpty { cands = cands.isEmpty ? [] : groupMembers[l] }
            var best = -1
            if cands.count == 1 {
                best = cands[0]
            } else if !cands.isEmpty {
                scoreFloat(cands)
                best = cands.max { logits[$0] < logits[$1] } ?? -1
                devLogits.append((cands, logits, l))
            }
            if best == l { right += 1 }
        }
        accs.append(100 * Double(right) / Double(max(lines.count, 1)))
        perLang[code, default: []].append(accs.last ?? 0)
    }
    let mean = accs.reduce(0, +) / Double(accs.count)
    print("dev \(set): mean accuracy \(String(format: "%.2f", mean))%")
    report += "| \(set) | \(String(format: "%.2f", mean))% |\n"
}
var bestT: Float = 1, bestNLL = Double.infinity
for t in stride(from: Float(0.5), through: 4.0, by: 0.05) {
    var nll: Double = 0
    for d in devLogits {
        var m = -Float.infinity
        for c in d.cands { m = max(m, d.logits[c] / t) }
        var z: Float = 0
        for c in d.cands { z += exp(d.logits[c] / t - m) }
        nll -= Double(d.logits[d.y] / t - m - log(z))
    }
    if nll < bestNLL { bestNLL = nll; bestT = t }
}
print("temperature \(bestT), dev NLL \(bestNLL / Double(devLogits.count))")
report += "\n| lang | sentences | pairs | words |\n|---|---|---|---|\n"
for code in codes {
    let a = perLang[code] ?? []
    report += "| \(code) | " + a.map { String(format: "%.1f", $0) }.joined(separator: " | ") + " |\n"
}
try report.write(toFile: opt.out + ".dev.md", atomically: true, encoding: .utf8)

// Write the model (little-endian; see LanguageModel.swift for the layout).
var data = Data()
func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
func f32(_ v: Float) { u32(v.bitPattern) }
data.append(contentsOf: Array("GLLANG01".utf8))
u32(groupCodes.isEmpty ? 1 : 2); u32(UInt32(L)); u32(UInt32(rowStride)); u32(UInt32(opt.bits)); f32(bestT)
let probe = fx.features(of: "Gleaner språk")
u32(8)
for i in 0..<8 { u32(UInt32(bitPattern: probe[i])) }
for code in codes { var b = Array(code.utf8); while b.count < 4 { b.append(0) }; data.append(contentsOf: b) }
if !groupCodes.isEmpty {
    var g = 0
    for (k, group) in groupCodes.enumerated() { for _ in group { u32(UInt32(k)); g += 1 } }
}
for c in 0..<rowStride { f32(B[c]) }
for b in 0..<buckets { f32(scales[b]) }
Q.withUnsafeBytes { data.append(contentsOf: $0) }
try data.write(to: URL(fileURLWithPath: opt.out))
print("wrote \(opt.out): \(data.count) bytes")
if !groupCodes.isEmpty && !opt.base.isEmpty { try evaluatePipeline(base: opt.base, groups: opt.out, data: opt.data) }

/// Scores the two-stage decision (Plugins/LanguageDetection/LanguageScorer.swift, the code the
/// detector runs) on every dev set and the headlines, for a few settings of its weights.
func evaluatePipeline(base: String, groups: String, data: String) throws {
    let mainModel = try LanguageModel(contentsOf: URL(fileURLWithPath: base))
    let groupModel = try LanguageModel(contentsOf: URL(fileURLWithPath: groups))
    var sets: [(String, [(Int, [Unicode.Scalar])])] = []
    for set in ["sentences", "pairs", "words"] {
        var items: [(Int, [Unicode.Scalar])] = []
        for (l, code) in mainModel.codes.enumerated() {
            for line in readLines("\(data)/dev/\(set)/\(code).txt") { items.append((l, line)) }
        }
        sets.append((set, items))
    }
    if let en = mainModel.codes.firstIndex(of: "en"), FileManager.default.fileExists(atPath: "\(data)/dev-headlines/en.txt") {
        sets.append(("headlines", readLines("\(data)/dev-headlines/en.txt").map { (en, $0) }))
    }
    func run(_ scorer: LanguageScorer, _ label: String) {
        var line = label
        var buffers = FeatureBuffers()
        var e = scorer.newEvidence()
        var p: [Float] = []
        for (name, items) in sets {
            var right = [Int](repeating: 0, count: mainModel.codes.count)
            var total = [Int](repeating: 0, count: mainModel.codes.count)
            for (l, text) in items {
                e.reset()
                scorer.collect(text[...], into: &e, buffers: &buffers)
                total[l] += 1
                guard scorer.probabilities(e, allowed: nil, logPrior: nil, prior: nil, into: &p) else { continue }
                var best = 0
                for c in 0..<mainModel.codes.count where p[c] > p[best] { best = c }
                if best == l { right[l] += 1 }
            }
            var mean: Float = 0, langs: Float = 0
            for l in 0..<mainModel.codes.count where total[l] > 0 { mean += Float(right[l]) / Float(total[l]); langs += 1 }
            line += String(format: " %@ %.2f", name, 100 * mean / langs)
            if ProcessInfo.processInfo.environment["PER_LANG"] != nil {  // the groups' languages, one by one
                for l in 0..<mainModel.codes.count where groupModel.codes.contains(mainModel.codes[l]) && total[l] > 0 {
                    line += String(format: " %@:%.1f", mainModel.codes[l], 100 * Float(right[l]) / Float(total[l]))
                }
                line += "\n"
            }
        }
        print(line)
    }
    let plain = LanguageScorer(main: mainModel, groups: nil)
    plain.nameWeight = 1; plain.initialWeight = 1
    run(plain, "stage 1 only, all tokens alike:")
    for (wi, wn) in [(Float(1), Float(0.5)), (0.6, 0.3), (0.8, 0.3), (0.5, 0.1)] {
        let s = LanguageScorer(main: mainModel, groups: nil)
        s.initialWeight = wi; s.nameWeight = wn
        run(s, "stage 1, initial \(wi) name \(wn):")
    }
    for lambda in [Float(0), 0.5, 1] {
        let s = LanguageScorer(main: mainModel, groups: groupModel)
        s.mainInGroup = lambda
        run(s, "two stages, main weight \(lambda), initial \(s.initialWeight) name \(s.nameWeight):")
    }
}
