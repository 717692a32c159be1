import Foundation
import GleanerText

/// The statistical name tagger (PER, ORG, LOC, MISC): loaded once, shared by
/// every document and thread. Decoding state lives in ``EntityTagger/DocumentSession``,
/// one per document, so the tagger itself is immutable.
public struct EntityTagger: Sendable {
    let model: NERModel

    /// The CoNLL type names the model predicts, in tag order.
    public static let conllTypes = NERTags.types

    /// Loads the model from `path`.
    public init(modelPath path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        model = try NERModel(data: data)
    }

    /// Loads the shipped model (`entities.bin`), found by ``ModelFile``.
    public init() throws {
        try self.init(modelPath: try ModelFile.locate("entities.bin", bundle: "gleaner_EntityTagging", sourceFile: #filePath))
    }

    /// The shipped model, loaded on first use and then shared: loading is the slow part.
    public static func shared() throws -> EntityTagger {
        try sharedTagger.get()
    }

    /// Tags one sentence given as token strings; returns IOB2 tags with CoNLL types ("B-PER", "I-PER", "O").
    public func tag(_ tokens: [String]) -> [String] {
        var session = DocumentSession(tagger: self)
        return session.tag(tokens)
    }

    /// Tags a document given as sentences of token strings, with document-level features.
    public func tagDocument(_ sentences: [[String]]) -> [[String]] {
        var session = DocumentSession(tagger: self)
        return sentences.map { session.tag($0) }
    }

    /// The decoding state for one document: scratch buffers and what earlier sentences were tagged as.
    public struct DocumentSession {
        let tagger: EntityTagger
        var history = NERDocumentHistory()
        var analyser = NERAnalyser()
        var decoder = NERDecoder()
        var buffer: [Unicode.Scalar] = []
        var ranges: [Range<Int>] = []

        public init(tagger: EntityTagger) { self.tagger = tagger }

        /// Starts a new document: forgets the history.
        public mutating func reset() { history.reset() }

        /// Tags one sentence of token strings (IOB2, CoNLL types).
        public mutating func tag(_ tokens: [String]) -> [String] {
            buffer.removeAll(keepingCapacity: true)
            ranges.removeAll(keepingCapacity: true)
            for t in tokens {
                let start = buffer.count
                buffer.append(contentsOf: t.unicodeScalars)
                ranges.append(start..<buffer.count)
            }
            let local = buffer, localRanges = ranges
            let chunks = local.withUnsafeBufferPointer { tagChunks($0, ranges: localRanges) }
            var out = [String](repeating: "O", count: tokens.count)
            for c in chunks {
                let type = NERTags.types[c.type]
                out[c.start] = "B-" + type
                for k in (c.start + 1)..<c.end { out[k] = "I-" + type }
            }
            return out
        }

        /// Tags one sentence whose tokens are `ranges` of `scalars`: entity chunks
        /// (token start, token end exclusive, type index into ``EntityTagger/conllTypes``).
        public mutating func tagChunks(_ scalars: UnsafeBufferPointer<Unicode.Scalar>, ranges: [Range<Int>])
            -> [(start: Int, end: Int, type: Int)]
        {
            if ranges.isEmpty { return [] }
            analyser.analyse(scalars, ranges: ranges, model: tagger.model, history: history)
            let infos = analyser.infos
            let model = tagger.model
            let tags = model.weights.withUnsafeBufferPointer {
                decoder.decode(infos, weights: $0, transitions: model.transitions, endWeights: model.endWeights,
                               rowMask: model.rowMask)
            }
            history.record(infos, tags: tags)
            return NERTags.chunks(tags)
        }
    }
}

private let sharedTagger: Result<EntityTagger, any Error> = Result { try EntityTagger() }
