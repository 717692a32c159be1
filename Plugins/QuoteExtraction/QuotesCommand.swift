import Foundation
import GleanerCore

/// `gleaner quotes --jsonl`: JSON lines `{"doc_id", "text"}` in, `{"doc_id", "quotes": […]}` out, one per line,
/// streaming. The processors in `upstream` (segmenter, entity tagger) run first, in order.
public enum QuotesCommand {
    /// Reads standard input to its end and writes one result line per input line.
    /// With `language`, every document is read in that language (no detection). Reported speech without
    /// marks (kind `indirect`) is output only when `settings.indirect` is set (`--indirect`); by default the
    /// batch form keeps to marked quotations, as PolNeAR's direct-quotation scorer expects.
    public static func runJSONL(upstream: [any Processor], settings: QuoteSettings = QuoteSettings(), language: String? = nil) async throws {
        let processor = QuoteProcessor(settings: settings)
        while let line = readLine(strippingNewline: true) {
            guard let out = try await processLine(line, upstream: upstream, processor: processor, language: language) else { continue }
            // One write per line: the reader sees each result as soon as it is made.
            FileHandle.standardOutput.write(Data((out + "\n").utf8))
        }
    }

    /// One input line to one output line (nil for a blank line). A line that is not valid JSON
    /// or lacks "text" gives `{"doc_id", "error"}` instead of stopping the stream.
    public static func processLine(_ line: String, upstream: [any Processor], processor: QuoteProcessor, language: String? = nil) async throws -> String? {
        if line.allSatisfy({ $0.isWhitespace }) { return nil }
        let json: JSONValue
        do { json = try JSONValue.parse(line) } catch {
            return JSONValue.object([("doc_id", .null), ("error", .string("\(error)"))]).serialized()
        }
        let docID = json["doc_id"] ?? .null
        guard let text = json["text"]?.stringValue else {
            return JSONValue.object([("doc_id", docID), ("error", "missing \"text\"")]).serialized()
        }
        var document = Document(text: text, name: docID.stringValue ?? "-")
        if let language { document.add(LanguageLayer(code: language, confidence: 1, alternatives: [LanguageHypothesis(code: language, probability: 1)])) }
        for p in upstream {
            do { try await p.process(&document) } catch {
                // An upstream failure leaves its layer out; quotes still come, with fewer names.
            }
        }
        try await processor.process(&document)
        // Quoted terms (scare quotes, titles) are not quotations: the batch form leaves them out.
        let quotes = (document[QuotesLayer.self]?.quotes ?? []).filter { $0.kind != .term }.map { batchForm($0, document.text) }
        var fields: [(String, JSONValue)] = [("doc_id", docID), ("quotes", .array(quotes))]
        // Languages found in the document that have no word lists: their quotations come without speakers.
        if let notCovered = document[QuoteLanguagesLayer.self]?.notCovered, !notCovered.isEmpty {
            fields.append(("not_covered", .array(notCovered.map { .string($0) })))
        }
        return JSONValue.object(fields).serialized()
    }

    /// The batch form follows PolNeAR's JSON lines, which `shared/eval/quotes_score.py` reads:
    /// `speaker` is the mention as written at the cue (a string), with `speaker_start`/`speaker_end`;
    /// the resolved `name` and `entity` and the `cue` sit beside it. (The result document keeps
    /// `speaker` as an object: docs/FORMAT.md.)
    static func batchForm(_ q: Quote, _ text: DocumentText) -> JSONValue {
        .object([
            ("start", .int(q.span.start)), ("end", .int(q.span.end)), ("text", .string(text[q.span])),
            ("kind", .string(q.kind.rawValue)),
            ("speaker", q.speaker.map { .string(text[$0.span]) } ?? .null),
            ("speaker_start", q.speaker.map { .int($0.span.start) } ?? .null),
            ("speaker_end", q.speaker.map { .int($0.span.end) } ?? .null),
            ("name", .optional(q.speaker?.name)), ("entity", .optional(q.speaker?.entityID)),
            ("resolved", q.speaker.map { .bool($0.resolved) } ?? .null),
            ("cue", q.cue.map { .string(text[$0]) } ?? .null),
            ("cue_start", q.cue.map { .int($0.start) } ?? .null), ("cue_end", q.cue.map { .int($0.end) } ?? .null),
        ])
    }
}
