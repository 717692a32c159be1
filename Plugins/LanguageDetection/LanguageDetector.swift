import Foundation
import GleanerCore
import GleanerText

/// Which languages may be answered and with what prior weight: the compiled form
/// of NLLanguageRecognizer's `languageConstraints` and `languageHints`, built once
/// and reused for every text.
public struct LanguageFilter: Sendable {
    /// Per model language: allowed or not.
    let allowed: [Bool]
    /// Per model language: log of its prior weight (0 when no hint is given).
    let logPrior: [Float]
    public let isDefault: Bool

    init(allowed: [Bool], logPrior: [Float], isDefault: Bool) {
        self.allowed = allowed
        self.logPrior = logPrior
        self.isDefault = isDefault
    }
}

/// Tells which language a text is written in.
///
/// Shape borrowed from Apple's NLLanguageRecognizer: a dominant language,
/// ranked hypotheses with probabilities, hints (prior weights) and constraints
/// (the allowed languages). Load once (``shared()``) and use from any thread.
///
/// Method: the dominant Unicode script picks the candidate languages (a script
/// alone decides Greek, Hebrew, Thai, Korean, ...); among several candidates a
/// linear model over hashed character 1–5-grams and whole words scores them,
/// and a softmax with a temperature fitted on held-out text gives calibrated
/// probabilities.
public final class LanguageDetector: Sendable {
    let model: LanguageModel
    /// Model indices of the candidates for each script (indexed by `LanguageScript.rawValue`).
    let candidatesByScript: [[Int]]
    let indexOf: [String: Int]

    /// Scalars of text scored at a time (long texts are scored piece by piece).
    static let pieceLength = 8192

    /// The undetermined answer, for text without letters.
    public static let undetermined = "und"

    /// The ISO 639-1 codes this detector can answer, in model order.
    public var supportedLanguages: [String] { model.codes }

    /// Loads a model file.
    public init(contentsOf url: URL) throws {
        let model = try LanguageModel(contentsOf: url)
        self.model = model
        candidatesByScript = LanguageScript.allCases.map { LanguageInventory.candidates(for: $0, codes: model.codes) }
        var indexOf: [String: Int] = [:]
        for (i, code) in model.codes.enumerated() { indexOf[code] = i }
        self.indexOf = indexOf
    }

    /// The model file, found by GleanerText's `ModelFile` (`$GLEANER_MODEL_DIR`, the
    /// resource bundle beside the executable, the share folders, `Model/` beside the source).
    public static func defaultModelURL() throws -> URL {
        URL(fileURLWithPath: try ModelFile.locate("language.bin", bundle: "gleaner_LanguageDetection", sourceFile: #filePath))
    }

    private static let loaded: Result<LanguageDetector, LanguageModelError> = {
        let url: URL
        do { url = try defaultModelURL() } catch { return .failure(LanguageModelError("\(error)")) }
        do { return .success(try LanguageDetector(contentsOf: url)) } catch let e as LanguageModelError {
            return .failure(e)
        } catch {
            return .failure(LanguageModelError("\(url.path): \(error)"))
        }
    }()

    /// The process-wide detector, loaded on first use.
    public static func shared() throws -> LanguageDetector { try loaded.get() }

    /// Compiles constraints and hints. Throws for an unknown code (naming it) or a
    /// negative weight.
    public func filter(languages: [String]? = nil, hints: [String: Double] = [:]) throws(LanguageModelError) -> LanguageFilter {
        var allowed = [Bool](repeating: languages == nil, count: model.stride)
        for code in languages ?? [] {
            guard let i = indexOf[code] else { throw LanguageModelError("unknown language code '\(code)'\(suggestion(code))") }
            allowed[i] = true
        }
        var prior = [Float](repeating: 0, count: model.stride)
        for (code, weight) in hints {
            guard let i = indexOf[code] else { throw LanguageModelError("unknown language code '\(code)' in hints\(suggestion(code))") }
            guard weight >= 0, weight.isFinite else {
                throw LanguageModelError("hint weight for '\(code)' must be a non-negative number, not \(weight)")
            }
            if weight == 0 { allowed[i] = false } else { prior[i] = Float(log(weight)) }
        }
        for i in model.codes.count..<model.stride { allowed[i] = false }
        return LanguageFilter(allowed: allowed, logPrior: prior, isDefault: languages == nil && hints.isEmpty)
    }

    private func suggestion(_ code: String) -> String {
        closestMatch(to: code, in: model.codes).map { " (did you mean '\($0)'?)" } ?? " (supported: \(model.codes.joined(separator: " ")))"
    }

    /// The unrestricted filter.
    public var defaultFilter: LanguageFilter {
        LanguageFilter(
            allowed: (0..<model.stride).map { $0 < model.codes.count }, logPrior: [Float](repeating: 0, count: model.stride),
            isDefault: true)
    }

    /// Ranked hypotheses (most probable first, at most `maximum`) for a string.
    public func hypotheses(for text: String, maximum: Int = 3, filter: LanguageFilter? = nil) -> [LanguageHypothesis] {
        hypotheses(for: Array(text.unicodeScalars)[...], maximum: maximum, filter: filter)
    }

    /// The most probable language of a string with its probability (`und`, 0 without letters).
    public func dominantLanguage(for text: String, filter: LanguageFilter? = nil) -> LanguageHypothesis {
        hypotheses(for: text, maximum: 1, filter: filter).first ?? LanguageHypothesis(code: Self.undetermined, probability: 0)
    }

    /// Ranked hypotheses for a run of scalars; `[und: 0]` when it has no letters
    /// or none of the allowed languages is written in its script.
    public func hypotheses(
        for scalars: ArraySlice<Unicode.Scalar>, maximum: Int = 3, filter: LanguageFilter? = nil,
        prior: [Float]? = nil
    ) -> [LanguageHypothesis] {
        var scratch = Scratch(scriptCount: LanguageScript.allCases.count)
        return hypotheses(for: scalars, maximum: maximum, filter: filter, prior: prior, scratch: &scratch)
    }

    /// Reusable buffers, so a caller detecting many texts allocates nothing per text.
    public struct Scratch: Sendable {
        var features: [Int32] = []
        var word: [UInt32] = []
        var scripts: [Int]
        var probabilities: [Float] = []
        var logits: [SIMD16<Float>] = []
        public init(scriptCount: Int = LanguageScript.allCases.count) {
            scripts = [Int](repeating: 0, count: scriptCount)
            features.reserveCapacity(4096)
            word.reserveCapacity(64)
        }
    }

    /// The full probability vector over model languages (zeros outside the
    /// candidates); returns false when the text is undetermined.
    /// `prior` adds log-weights per language (the document's answer, for its parts).
    func probabilities(
        for scalars: ArraySlice<Unicode.Scalar>, filter: LanguageFilter?, prior: [Float]?, scratch: inout Scratch
    ) -> Bool {
        let stride = model.stride
        for i in scratch.scripts.indices { scratch.scripts[i] = 0 }
        let chunks = stride / 16
        if scratch.logits.count != chunks { scratch.logits = [SIMD16<Float>](repeating: .zero, count: chunks) }
        model.bias.withUnsafeBytes { b in
            for k in 0..<chunks { scratch.logits[k] = b.loadUnaligned(fromByteOffset: k * 64, as: SIMD16<Float>.self) }
        }
        // Long texts are read in pieces cut between words, so the feature buffer stays
        // small whatever the text's size; the scores simply add up.
        var start = scalars.startIndex
        while start < scalars.endIndex {
            var end = min(scalars.endIndex, start + Self.pieceLength)
            let limit = min(scalars.endIndex, end + 64)
            while end < limit, FeatureExtractor.fold(scalars[end].value) != 0 { end += 1 }
            scratch.features.removeAll(keepingCapacity: true)
            model.extractor.extract(scalars[start..<end], into: &scratch.features, word: &scratch.word, scripts: &scratch.scripts)
            scratch.logits.withUnsafeMutableBufferPointer { acc in
                if let base = acc.baseAddress { model.accumulate(scratch.features, into: base) }
            }
            start = end
        }
        let script = LanguageInventory.dominantScript(scratch.scripts)
        let all = candidatesByScript[Int(script.rawValue)]
        let candidates = filter.map { f in all.filter { f.allowed[$0] } } ?? all
        if candidates.isEmpty { return false }
        if scratch.probabilities.count != stride { scratch.probabilities = [Float](repeating: 0, count: stride) }
        for i in 0..<stride { scratch.probabilities[i] = 0 }
        if candidates.count == 1 {
            scratch.probabilities[candidates[0]] = 1
            return true
        }
        let temperature = model.temperature
        scratch.logits.withUnsafeBytes { raw in
            let logits = raw.bindMemory(to: Float.self)
            scratch.probabilities.withUnsafeMutableBufferPointer { p in
                var best = -Float.infinity
                for c in candidates {
                    var s = logits[c] / temperature
                    if let filter { s += filter.logPrior[c] }
                    if let prior { s += prior[c] }
                    p[c] = s
                    best = max(best, s)
                }
                var z: Float = 0
                for c in candidates {
                    let e = exp(p[c] - best)
                    p[c] = e
                    z += e
                }
                for c in candidates { p[c] /= z }
            }
        }
        return true
    }

    /// Ranked hypotheses, reusing `scratch`.
    public func hypotheses(
        for scalars: ArraySlice<Unicode.Scalar>, maximum: Int = 3, filter: LanguageFilter? = nil, prior: [Float]? = nil,
        scratch: inout Scratch
    ) -> [LanguageHypothesis] {
        guard probabilities(for: scalars, filter: filter, prior: prior, scratch: &scratch) else {
            return [LanguageHypothesis(code: Self.undetermined, probability: 0)]
        }
        return top(scratch.probabilities, maximum)
    }

    func top(_ p: [Float], _ maximum: Int) -> [LanguageHypothesis] {
        var picked: [(Int, Float)] = []
        for i in 0..<model.codes.count where p[i] > 0 {
            if picked.count < maximum {
                picked.append((i, p[i]))
                picked.sort { $0.1 > $1.1 }
            } else if let last = picked.last, p[i] > last.1 {
                picked[picked.count - 1] = (i, p[i])
                picked.sort { $0.1 > $1.1 }
            }
        }
        return picked.map { LanguageHypothesis(code: model.codes[$0.0], probability: Double($0.1)) }
    }

    /// Log-prior per language from a distribution: mixes it with a uniform one so
    /// a part can still differ from the whole. `strength` in 0...1.
    func logPrior(from hypotheses: [Float], strength: Float) -> [Float] {
        let n = Float(model.codes.count)
        return hypotheses.enumerated().map { i, p in
            i < model.codes.count ? log(strength * p + (1 - strength) / n) : 0
        }
    }
}
