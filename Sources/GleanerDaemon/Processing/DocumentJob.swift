import Foundation
import GleanerCore
import GleanerPipeline
import GleanerView

#if canImport(Glibc)
import Glibc
#endif

/// One claimed file made into everything that will be committed for it: the processed document, its
/// serialised JSON and its HTML view. Every step is linear in the input, and the whole job runs on the
/// processing threads inside the document's time limit, so no input can hold up the daemon's own loops.
struct DocumentJob: Sendable {
    let file: RawPath
    let name: String
    let pipeline: Pipeline
    let html: Bool
    let pretty: Bool

    /// One document of the input (most inputs give one; an e-mail with attachments or an mbox several).
    struct Prepared: Sendable {
        var document: Document
        /// The result as a value (the catalogue reads it without parsing `json` again) and as written.
        var value: JSONValue
        var json: [UInt8]
        var html: [UInt8]?
    }

    /// The documents, and the file as it was when reading began (to tell whether a writer changed it since).
    func prepare() async -> Result<([Prepared], FileIdentity), DocumentReadError> {
        guard let before = RawFS.lstat(file) else {
            return .failure(DocumentReadError(code: "vanished", message: "the claimed file is gone"))
        }
        let documents: [Document]
        do {
            documents = try await DocumentReader.documents(path: file.display, name: name, extraction: pipeline.extraction)
        } catch {
            return .failure(error)
        }
        var out: [Prepared] = []
        for document in documents {
            let result = await pipeline.run(document)
            if Task.isCancelled { return .failure(DocumentReadError(code: "timeout", message: "abandoned")) }
            let value = ResultDocument.json(for: result, gleanerVersion: GleanerVersion.current, expectedLayers: pipeline.providedLayers)
            var json = pretty ? value.prettyPrintedBytes() : value.serializedBytes()
            if !pretty { json.append(0x0A) }
            let view = html ? Array(HTMLView.render(result).utf8) : nil
            out.append(Prepared(document: result, value: value, json: json, html: view))
        }
        return .success((out, FileIdentity(before)))
    }
}

/// What tells one version of a file from another without reading it.
struct FileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var mtimeSeconds: Int
    var mtimeNanoseconds: Int

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtimeSeconds = st.st_mtim.tv_sec
        mtimeNanoseconds = st.st_mtim.tv_nsec
    }

    func matches(_ st: stat) -> Bool { self == FileIdentity(st) }
}
