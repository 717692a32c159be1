import Crypto
import Foundation
import GleanerCore
import GleanerText

/// Reads a file and makes a document of it: bytes, SHA-256, extraction.
public struct DocumentReader: Sendable {
    public var extractor: Extractor

    public init(maxBytes: Int) { self.extractor = Extractor(maxBytes: maxBytes) }

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
