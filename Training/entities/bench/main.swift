import Foundation
// Wall-clock figures suffer when the machine is shared; the CPU time of this thread (CLOCK_THREAD_CPUTIME_ID)
// is printed beside them: tokens per CPU-second is the speed of one free core.
func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
let c0 = cpuNow()
let t0 = Date()
let data = try Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[1]), options: .alwaysMapped)
let model = try NERModel(data: data)
print("load ms", Date().timeIntervalSince(t0) * 1000, "cpu ms", (cpuNow() - c0) * 1000)
let text = try String(contentsOfFile: CommandLine.arguments[2], encoding: .utf8)
var docs: [[[String]]] = [[]]; var sent: [String] = []
for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
    if line.hasPrefix("-DOCSTART-") { if !sent.isEmpty { docs[docs.count-1].append(sent); sent = [] }; docs.append([]) }
    else if let t = line.split(separator: " ").first { sent.append(String(t)) }
    else if !sent.isEmpty { docs[docs.count-1].append(sent); sent = [] }
}
// Pre-build buffers so we time the tagger, not string handling.
var prepared: [[([Unicode.Scalar], [Range<Int>])]] = docs.map { $0.map { s in
    var b: [Unicode.Scalar] = []; var r: [Range<Int>] = []
    for t in s { let st = b.count; b.append(contentsOf: t.unicodeScalars); r.append(st..<b.count) }
    return (b, r) } }
let ntok = docs.joined().reduce(0) { $0 + $1.count }
var analyser = NERAnalyser(); var decoder = NERDecoder()
var best = 1e9, bestCPU = 1e9
for _ in 0..<5 {
    let t1 = Date(); let c1 = cpuNow(); var n = 0
    for d in prepared {
        var h = NERDocumentHistory()
        for (b, r) in d {
            b.withUnsafeBufferPointer { analyser.analyse($0, ranges: r, model: model, history: h) }
            let infos = analyser.infos
            let tags = model.weights.withUnsafeBufferPointer { decoder.decode(infos, weights: $0, transitions: model.transitions, endWeights: model.endWeights, rowMask: model.rowMask) }
            h.record(infos, tags: tags); n += tags.count
        }
    }
    best = min(best, Date().timeIntervalSince(t1))
    bestCPU = min(bestCPU, cpuNow() - c1)
}
print("tokens", ntok, "tokens/s", Double(ntok) / best, "tokens/cpu-s", Double(ntok) / bestCPU)
var bestA = 1e9, bestX = 1e9
var rows: [Int32] = []
for _ in 0..<5 {
    let t1 = Date()
    for d in prepared { let h = NERDocumentHistory(); for (b, r) in d { b.withUnsafeBufferPointer { analyser.analyse($0, ranges: r, model: model, history: h) } } }
    bestA = min(bestA, Date().timeIntervalSince(t1))
    let t2 = Date()
    for d in prepared { let h = NERDocumentHistory(); for (b, r) in d { b.withUnsafeBufferPointer { analyser.analyse($0, ranges: r, model: model, history: h) }; NERFeatures.extract(analyser.infos, rowMask: model.rowMask, into: &rows) } }
    bestX = min(bestX, Date().timeIntervalSince(t2))
}
print("analyse tok/s", Double(ntok)/bestA, "analyse+extract tok/s", Double(ntok)/bestX)
