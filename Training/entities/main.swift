// Trains the entity tagger: a structured averaged perceptron over BILOU tags,
// with the feature extractor of Plugins/EntityTagging/Core/NERCore.swift.
//
// Build and run (see README.md):
//   swiftc -O -o /tmp/ner-train ../../Plugins/EntityTagging/Core/NERCore.swift main.swift
//   /tmp/ner-train TRAIN DEV OUT.bin [epochs] [rowBits] [gazetteers.tsv] [clusters.tsv] [dev-predictions]
// DEV may name several files separated by commas: the epoch is chosen on all of them together, the
// shipped model's figure is printed for each, and with several files the predictions of file
// `x.txt` go to `<dev-predictions>x.txt`.

import Foundation

struct Sentence {
    var tokens: [String]
    var gold: [Int]  // BILOU
    var goldIOB: [String]
}

typealias Doc = [Sentence]

/// Reads CoNLL-2003 (IOB1 in the last column) into documents of sentences with BILOU tags.
func readCoNLL(_ path: String) -> [Doc] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fatalError("cannot read \(path)") }
    var docs: [Doc] = []
    var doc: Doc = []
    var toks: [String] = [], tags: [String] = []
    func flushSentence() {
        if !toks.isEmpty { doc.append(Sentence(tokens: toks, gold: bilou(tags), goldIOB: tags)) }
        toks = []; tags = []
    }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("-DOCSTART-") {
            flushSentence()
            if !doc.isEmpty { docs.append(doc) }
            doc = []
            continue
        }
        let cols = line.split(separator: " ")
        if cols.isEmpty { flushSentence(); continue }
        toks.append(String(cols[0]))
        tags.append(String(cols[cols.count - 1]))
    }
    flushSentence()
    if !doc.isEmpty { docs.append(doc) }
    return docs
}

/// IOB1 → BILOU.
func bilou(_ iob: [String]) -> [Int] {
    var chunks: [(Int, Int, Int)] = []
    var open: (start: Int, type: Int)?
    for (i, tag) in iob.enumerated() {
        if tag == "O" {
            if let o = open { chunks.append((o.start, i, o.type)); open = nil }
            continue
        }
        let parts = tag.split(separator: "-", maxSplits: 1)
        let type = NERTags.types.firstIndex(of: String(parts[1])) ?? 3
        if parts[0] == "B" || open == nil || open?.type != type {
            if let o = open { chunks.append((o.start, i, o.type)) }
            open = (i, type)
        }
    }
    if let o = open { chunks.append((o.start, iob.count, o.type)) }
    var out = [Int](repeating: 0, count: iob.count)
    for (s, e, t) in chunks {
        if e - s == 1 { out[s] = NERTags.tag(type: t, part: 3); continue }
        out[s] = NERTags.tag(type: t, part: 0)
        for k in (s + 1)..<(e - 1) { out[k] = NERTags.tag(type: t, part: 1) }
        out[e - 1] = NERTags.tag(type: t, part: 2)
    }
    return out
}

func iob2(_ tags: [Int]) -> [String] {
    var out = [String](repeating: "O", count: tags.count)
    for c in NERTags.chunks(tags) {
        out[c.start] = "B-" + NERTags.types[c.type]
        for k in (c.start + 1)..<c.end { out[k] = "I-" + NERTags.types[c.type] }
    }
    return out
}

let args = CommandLine.arguments
guard args.count >= 4 else {
    print("usage: train TRAIN DEV OUT.bin [epochs] [rowBits] [gazetteers.tsv] [clusters.tsv] [dev-predictions]")
    exit(2)
}
let epochs = args.count > 4 ? Int(args[4]) ?? 15 : 15
let rowBits = args.count > 5 ? Int(args[5]) ?? 19 : 19
let gazPath = args.count > 6 ? args[6] : ""
let clusterPath = args.count > 7 ? args[7] : ""
let predPath = args.count > 8 ? args[8] : ""

var gazEntries: [(UInt64, UInt16)] = []
if !gazPath.isEmpty, let text = try? String(contentsOfFile: gazPath, encoding: .utf8) {
    let kinds = ["LOC": UInt16(1), "MISC": 2, "CUR": 4, "FIRST": 8, "LAST": 16]
    for line in text.split(separator: "\n") {
        let cols = line.split(separator: "\t")
        guard cols.count == 2, let bit = kinds[String(cols[0])] else { continue }
        let lowers = cols[1].split(separator: " ").map { NERHash.lower(String($0)) }
        gazEntries.append((NERFeatures.phraseHash(lowers), bit))
    }
}
var clusterEntries: [(UInt64, UInt16)] = []
if !clusterPath.isEmpty, let text = try? String(contentsOfFile: clusterPath, encoding: .utf8) {
    var seen = Set<UInt64>()
    for line in text.split(separator: "\n") {
        let cols = line.split(separator: "\t")
        guard cols.count == 2, let id = UInt16(cols[1]) else { continue }
        let h = NERHash.lower(String(cols[0]))
        if seen.insert(h).inserted { clusterEntries.append((h, id)) }
    }
}
print("gazetteer entries: \(gazEntries.count), cluster entries: \(clusterEntries.count)")

let train = readCoNLL(args[1])
let devPaths = args[2].split(separator: ",").map(String.init)
let devSets = devPaths.map { readCoNLL($0) }
let dev = Array(devSets.joined())
print("train: \(train.count) docs, dev: \(dev.count) docs")

let T = NERTags.count, F = NERFeatures.count
let rows = 1 << rowBits
var model = NERModel(rowBits: rowBits, weights: [Float](repeating: 0, count: rows * T),
                     transitions: [Float](repeating: 0, count: 18 * T), endWeights: [Float](repeating: 0, count: T),
                     gazetteer: NERHashTable(gazEntries), clusters: NERHashTable(clusterEntries))
var uW = [Double](repeating: 0, count: rows * T)
var uTr = [Double](repeating: 0, count: 18 * T)
var uEnd = [Double](repeating: 0, count: T)
var c: Double = 1

var analyser = NERAnalyser()
var decoder = NERDecoder()

/// Decodes a document with the given weights, returning predicted BILOU tags per sentence.
func tagDoc(_ doc: Doc, weights: [Float], transitions: [Float], endWeights: [Float],
            update: ((Sentence, [NERTokenInfo], [Int]) -> Void)? = nil) -> [[Int]] {
    var history = NERDocumentHistory()
    var out: [[Int]] = []
    for s in doc {
        var buffer: [Unicode.Scalar] = []
        var ranges: [Range<Int>] = []
        for t in s.tokens {
            let start = buffer.count
            buffer.append(contentsOf: t.unicodeScalars)
            ranges.append(start..<buffer.count)
        }
        buffer.withUnsafeBufferPointer { analyser.analyse($0, ranges: ranges, model: model, history: history) }
        let infos = analyser.infos
        let pred = weights.withUnsafeBufferPointer {
            decoder.decode(infos, weights: $0, transitions: transitions, endWeights: endWeights, rowMask: rows - 1)
        }
        update?(s, infos, pred)
        history.record(infos, tags: pred)
        out.append(pred)
    }
    return out
}

func f1(_ docs: [Doc], _ preds: [[[Int]]]) -> (Double, Double, Double) {
    var tp = 0, np = 0, ng = 0
    for (d, doc) in docs.enumerated() {
        for (s, sent) in doc.enumerated() {
            let g = NERTags.chunks(sent.gold).map { "\($0.start),\($0.end),\($0.type)" }
            let p = NERTags.chunks(preds[d][s]).map { "\($0.start),\($0.end),\($0.type)" }
            tp += Set(g).intersection(p).count
            np += p.count; ng += g.count
        }
    }
    let pr = Double(tp) / Double(max(np, 1)), rc = Double(tp) / Double(max(ng, 1))
    return (pr, rc, pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0)
}

var rng = SystemRandomNumberGenerator()
_ = rng
var order = Array(train.indices)
var seedState: UInt64 = 42
func nextRandom() -> UInt64 { seedState = NERHash.mix(seedState); return seedState }
var bestF1 = -1.0
var bestModel = model
var bestPreds: [[[Int]]] = []
var rowsBuf: [Int32] = []

for epoch in 1...epochs {
    // Deterministic shuffle of documents.
    for i in stride(from: order.count - 1, to: 0, by: -1) {
        let j = Int(nextRandom() % UInt64(i + 1))
        order.swapAt(i, j)
    }
    var mistakes = 0
    let t0 = Date()
    for di in order {
        var history = NERDocumentHistory()
        for s in train[di] {
            var buffer: [Unicode.Scalar] = []
            var ranges: [Range<Int>] = []
            for t in s.tokens {
                let start = buffer.count
                buffer.append(contentsOf: t.unicodeScalars)
                ranges.append(start..<buffer.count)
            }
            buffer.withUnsafeBufferPointer { analyser.analyse($0, ranges: ranges, model: model, history: history) }
            let infos = analyser.infos
            let pred = model.weights.withUnsafeBufferPointer {
                decoder.decode(infos, weights: $0, transitions: model.transitions, endWeights: model.endWeights,
                               rowMask: rows - 1)
            }
            history.record(infos, tags: pred)
            c += 1
            if pred == s.gold { continue }
            mistakes += 1
            NERFeatures.extract(infos, rowMask: rows - 1, into: &rowsBuf)
            for i in 0..<s.gold.count {
                let g = s.gold[i], p = pred[i]
                let gp = i == 0 ? NERTags.start : s.gold[i - 1]
                let pp = i == 0 ? NERTags.start : pred[i - 1]
                if g != p {
                    for f in 0..<F {
                        let base = Int(rowsBuf[i * F + f]) * T
                        model.weights[base + g] += 1; uW[base + g] += c
                        model.weights[base + p] -= 1; uW[base + p] -= c
                    }
                }
                if g != p || gp != pp {
                    model.transitions[gp * T + g] += 1; uTr[gp * T + g] += c
                    model.transitions[pp * T + p] -= 1; uTr[pp * T + p] -= c
                }
            }
            let gl = s.gold[s.gold.count - 1], pl = pred[pred.count - 1]
            if gl != pl {
                model.endWeights[gl] += 1; uEnd[gl] += c
                model.endWeights[pl] -= 1; uEnd[pl] -= c
            }
        }
    }
    // Averaged weights: w − u / c.
    var avg = model
    for i in 0..<avg.weights.count { avg.weights[i] = Float(Double(model.weights[i]) - uW[i] / c) }
    for i in 0..<avg.transitions.count { avg.transitions[i] = Float(Double(model.transitions[i]) - uTr[i] / c) }
    for i in 0..<T { avg.endWeights[i] = Float(Double(model.endWeights[i]) - uEnd[i] / c) }
    let preds = dev.map { tagDoc($0, weights: avg.weights, transitions: avg.transitions, endWeights: avg.endWeights) }
    let (p, r, f) = f1(dev, preds)
    print(String(format: "epoch %2d  mistakes %5d  dev P %.2f R %.2f F1 %.2f  (%.1fs)", epoch, mistakes, p * 100, r * 100,
                 f * 100, Date().timeIntervalSince(t0)))
    fflush(stdout)
    if f > bestF1 { bestF1 = f; bestModel = avg; bestPreds = preds }
}

// Round-trip through the quantised file so the reported figure is the shipped model's.
let data = bestModel.data()
try data.write(to: URL(fileURLWithPath: args[3]))
let shipped = try NERModel(data: data)
model = shipped
for (k, devSet) in devSets.enumerated() {
    let preds = devSet.map { tagDoc($0, weights: shipped.weights, transitions: shipped.transitions, endWeights: shipped.endWeights) }
    let (p, r, f) = f1(devSet, preds)
    print("shipped model: \(data.count) bytes, dev \(devPaths[k]) " + String(format: "P %.2f R %.2f F1 %.2f", p * 100, r * 100, f * 100))
    if !predPath.isEmpty {
        var out = ""
        for (d, doc) in devSet.enumerated() {
            out += "-DOCSTART- O O\n\n"
            for (s, sent) in doc.enumerated() {
                let tags = iob2(preds[d][s])
                for i in 0..<sent.tokens.count { out += "\(sent.tokens[i]) \(sent.goldIOB[i]) \(tags[i])\n" }
                out += "\n"
            }
        }
        let path = devSets.count == 1 ? predPath : predPath + (devPaths[k] as NSString).lastPathComponent
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
_ = bestPreds
