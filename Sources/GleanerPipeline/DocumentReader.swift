import Crypto
import Foundation
import GleanerCore
import GleanerExtract
import GleanerText

/// Reads a file and makes a document of it: bytes, SHA-256, extraction.
public struct DocumentReader: Sendable {
    public var extractor: GleanerText.Extractor

    public init(maxBytes: Int) { self.extractor = GleanerText.Extractor(maxBytes: maxBytes) }

    /// Reads `path`; `name` is how the document is known (the path relative to the inbox).
    public func read(path: String, name: String) throws(DocumentReadError) -> Document {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path: path, limit: extractor.maxBytes)
        } catch {
            throw DocumentReadError(code: error.code, message: error.message)
        }
        return try document(bytes: bytes, name: name)
    }

    public func document(bytes: [UInt8], name: String, receivedAt: Date = Date()) throws(DocumentReadError) -> Document {
        let extracted: ExtractedText
        do {
            extracted = try extractor.extract(bytes, fileName: name)
        } catch {
            throw DocumentReadError(code: error.code.rawValue, message: error.message)
        }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let metadata = DocumentMetadata(
            sourceName: name, bytes: bytes.count, sha256: digest, mediaType: extracted.mediaType,
            encoding: extracted.encoding, normalizations: extracted.normalizations, receivedAt: receivedAt)
        return Document(text: extracted.text, metadata: metadata)
    }
}

/// Why a file could not become a document; `code` is the reason recorded in failed/.
public struct DocumentReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var description: String { message }

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

extension DocumentReader {
    /// Every document one input file gives (an e-mail with attachments or an mbox gives several),
    /// each named `name` + its suffix (`report.eml`, `report.eml#2-attachment-x.pdf`, docs/FORMAT.md).
    /// The extractor is chosen by content first, extension second; container formats are
    /// parsed in a child process under `[extract]` limits.
    public static func documents(path: String, name: String, extraction: Extraction, receivedAt: Date = Date()) async throws(DocumentReadError)
        -> [Document]
    {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path: path, limit: extraction.limits.maxBytes)
        } catch {
            throw DocumentReadError(code: error.code, message: error.message)
        }
        let extracted: [ExtractedDocument]
        do {
            extracted = try await extraction.extract(bytes: bytes, name: name, path: path)
        } catch {
            throw DocumentReadError(code: error.code.rawValue, message: error.message)
        }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return extracted.map { e in
            Document(text: e.text, metadata: metadata(e, name: name + (e.suffix ?? ""), bytes: bytes.count, sha256: digest, receivedAt: receivedAt))
        }
    }

    public static func metadata(_ e: ExtractedDocument, name: String, bytes: Int, sha256: String, receivedAt: Date) -> DocumentMetadata {
        var m = DocumentMetadata(
            sourceName: name, bytes: bytes, sha256: sha256, mediaType: e.mediaType, encoding: e.encoding,
            normalizations: e.normalizations, receivedAt: receivedAt)
        m.title = e.title
        m.authors = e.authors
        m.published = e.published
        m.outlet = e.outlet
        m.format = e.format
        m.extractorName = e.extractorName
        m.extractorVersion = e.extractorVersion
        m.parts = e.parts.map { DocumentMetadata.Part(kind: $0.kind, start: $0.start, end: $0.end, number: $0.number) }
        m.headers = e.headers.map { DocumentMetadata.Header(name: $0.name, value: $0.value) }
        m.warnings = e.warnings
        return m
    }
}
