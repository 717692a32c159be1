import Foundation
import GleanerCore
import GleanerTestSupport
import GleanerText
import Testing

/// Inputs that once took time super-linear in their size (see FuzzCorpus/README.md), through every extractor
/// and the JSON writer. No timing here (figures come from `make bench` and `make fuzz`): the time limit only
/// turns a return of the quadratic paths (minutes on these inputs) into a failure instead of a hang.
@Suite("Fuzz corpus")
struct FuzzCorpusTests {
    static let folder = TestSupport.repository.appendingPathComponent("Tests/GleanerTextTests/FuzzCorpus").path

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0 != "README.md" }.sorted()
    }

    @Test("Each corpus input is extracted as text, Markdown and HTML, and its JSON parses back", .timeLimit(.minutes(1)),
          arguments: inputs)
    func replay(_ name: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + name)))
        // Larger than the files: the same pattern repeated, so a quadratic path would take minutes.
        let input = Array(repeatElement(bytes, count: 4).joined())
        for type in ["a.txt", "a.md", "a.html"] {
            // Refusing an input (all markup, no text) is a fine outcome; hanging or crashing is not.
            guard let extracted = try? Extractor().extract(input, fileName: type) else { continue }
            let value = JSONValue.object([("text", .string(extracted.text))])
            #expect(try JSONValue.parse(bytes: value.serializedBytes()) == value)
            #expect(try JSONValue.parse(bytes: value.prettyPrintedBytes()) == value)
        }
    }

    @Test("The corpus is there")
    func present() {
        #expect(Self.inputs.count >= 8)
    }
}
