import Foundation
import GleanerCore

/// `gleaner quotes --jsonl`: JSON lines `{"doc_id", "text"}` in, `{"doc_id", "quotes": […]}` out, one per line,
/// streaming. The processors in `upstream` (segmenter, entity tagger) run first, in order.
public enum QuotesCommand {
    /// Reads standard input to its end and writes one result line per input line.
    public static func runJSONL(upstream: [any Processor], settings: QuoteSettings = QuoteSettings()) async throws {
        let processor = QuoteProcessor(settings: settings)
        while let line = readLine(strippingNewline: true) {
            guard let out = try await processLine(line, upstream: upstream, processor: processor) else { continue }
            // One write per line: the reader sees each result as soon as it is made.
            FileHandle.standardOutput.write(Data((out + "\n").utf8))
        }
    }

    /// One input line to one output line (nil for a blank line). A line that is not valid JSON
    /// or lacks "text" gives `{"doc_id", "error"}` instead of stopping the stream.
    public static func processLine(_ line: String, upstream: [any Processor], processor: QuoteProcessor) async throws -> String? {
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
        for p in upstream {
            do { try await p.process(&document) } catch {
                // An upstream failure leaves its layer out; quotes still come, with fewer names.
            }
        }
        try await processor.process(&document)
        let quotes = document[QuotesLayer.self]?.jsonValue(in: document.text) ?? .array([])
        return JSONValue.object([("doc_id", docID), ("quotes", quotes)]).serialized()
    }
}
