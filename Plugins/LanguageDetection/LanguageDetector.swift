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
/// linear model over hashed character 1–5-grams and whole words scores them
/// (capitalised tokens inside a sentence, mostly names, weigh less than the others);
/// a softmax with a temperature fitted on held-out text gives calibrated
/// probabilities; within a group of confusable languages (Malay/Indonesian,
/// Bosnian/Croatian/Slovene/Slovak/Czech, Bokmål/Danish/Nynorsk, ...) a second model
/// trained only on that group redistributes the group's probability (``LanguageScorer``).
public final class LanguageDetector: Sendable {
    let model: LanguageModel
    let scorer: LanguageScorer
    let indexOf: [String: Int]

    /// The undetermined answer, for text without letters.
    public static let undetermined = "und"

    /// The ISO 639-1 codes this detector can answer, in model order.
    public var supportedLanguages: [String] { model.codes }

    /// Loads a model file and, when given, the model of confusable groups.
    public init(contentsOf url: URL, groups: URL? = nil) throws {
        let model = try LanguageModel(contentsOf: url)
        self.model = model
        let groupModel = try groups.map { try LanguageModel(contentsOf: $0) }
        if let groupModel, groupModel.groupOf.isEmpty {
            throw LanguageModelError("\(groups?.path ?? ""): not a model of confusable groups (format version 2)")
        }
        scorer = LanguageScorer(main: model, groups: groupModel)
        var indexOf: [String: Int] = [:]
        for (i, code) in model.codes.enumerated() { indexOf[code] = i }
        self.indexOf = indexOf
    }

    /// The model file, found by GleanerText's `ModelFile` (`$GLEANER_MODEL_DIR`, the
    /// resource bundle beside the executable, the share folders, `Model/` beside the source).
    public static func defaultModelURL() throws -> URL {
        URL(fileURLWithPath: try ModelFile.locate("language.bin", bundle: "gleaner_LanguageDetection", sourceFile: #filePath))
    }

    /// The optional model of confusable groups (`language-groups.bin`, trained by
    /// `Training/language/main.swift --groups`), found like ``defaultModelURL()``; nil when
    /// there is none (the release ships none: see docs/models/language.md).
    public static func defaultGroupModelURL() -> URL? {
        (try? ModelFile.locate("language-groups.bin", bundle: "gleaner_LanguageDetection", sourceFile: #filePath))
            .map { URL(fileURLWithPath: $0) }
    }

    private static let loaded: Result<LanguageDetector, LanguageModelError> = {
        let url: URL
        let groups = defaultGroupModelURL()
        do {
            url = try defaultModelURL()
        } catch { return .failure(LanguageModelError("\(error)")) }
        do { return .success(try LanguageDetector(contentsOf: url, groups: groups)) } catch let e as LanguageModelError {
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
        var scratch = Scratch(self)
        return hypotheses(for: scalars, maximum: maximum, filter: filter, prior: prior, scratch: &scratch)
    }

    /// Reusable buffers, so a caller detecting many texts allocates nothing per text.
    public struct Scratch: Sendable {
        var buffers = FeatureBuffers()
        var evidence: LanguageEvidence
        var probabilities: [Float] = []

        /// Buffers sized for `detector`'s models.
        public init(_ detector: LanguageDetector) {
            evidence = detector.scorer.newEvidence()
            buffers.features[0].reserveCapacity(4096)
            buffers.word.reserveCapacity(64)
        }
    }

    /// The evidence of a run of scalars (see ``LanguageEvidence``), reusing `scratch`.
    func evidence(for scalars: ArraySlice<Unicode.Scalar>, scratch: inout Scratch) -> LanguageEvidence {
        var e = scorer.newEvidence()
        scorer.collect(scalars, into: &e, buffers: &scratch.buffers)
        return e
    }

    /// The full probability vector over model languages (zeros outside the candidates) of
    /// some evidence, into `scratch.probabilities`; false when the text is undetermined.
    /// `prior` adds log-weights per language (the document's answer, for its parts).
    func probabilities(
        of evidence: LanguageEvidence, filter: LanguageFilter?, prior: [Float]?, scratch: inout Scratch
    ) -> Bool {
        let restricted = filter.map { !$0.isDefault } ?? false
        return scorer.probabilities(
            evidence, allowed: restricted ? filter?.allowed : nil, logPrior: restricted ? filter?.logPrior : nil, prior: prior,
            into: &scratch.probabilities)
    }

    /// The full probability vector of a run of scalars, into `scratch.probabilities`.
    func probabilities(
        for scalars: ArraySlice<Unicode.Scalar>, filter: LanguageFilter?, prior: [Float]?, scratch: inout Scratch
    ) -> Bool {
        scratch.evidence.reset()
        scorer.collect(scalars, into: &scratch.evidence, buffers: &scratch.buffers)
        let e = scratch.evidence
        return probabilities(of: e, filter: filter, prior: prior, scratch: &scratch)
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
