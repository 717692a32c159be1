import Foundation
import GleanerExtract
import GleanerTestSupport
import Testing
import ZIPFoundation

/// Hostile and broken files: each is refused with its own reason, within its time limit.
@Suite(.serialized) struct HostileInputTests {
    /// A ZIP with entries of `n` zero bytes, made by Python's zipfile (C zlib: a debug build of
    /// ZIPFoundation takes long to deflate hundreds of MiB).
    static func zeros(_ entries: [(String, Int)]) throws -> [UInt8] {
        let list = entries.map { "(\"\($0.0)\", \($0.1))" }.joined(separator: ", ")
        return try python("""
            import zipfile, io, sys
            b = io.BytesIO()
            with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
                for name, n in [\(list)]:
                    with z.open(name, "w", force_zip64=True) as f:
                        for _ in range(n // (1 << 20)):
                            f.write(bytes(1 << 20))
            sys.stdout.buffer.write(b.getvalue())
            """)
    }

    static func python(_ script: String) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }

    static func zip(_ entries: [(String, Data)]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(archive.data ?? Data())
    }

    @Test func zipBombIsRefused() async throws {
        // 64 MiB of zeros compress to about 64 KiB: a ratio near 1000.
        let bomb = try Self.zeros([("word/document.xml", 64 << 20)])
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: ExtractError.self) { try await Fixtures.extraction().extract(bytes: bomb, name: "bomb.docx") }
        do {
            _ = try await Fixtures.extraction().extract(bytes: bomb, name: "bomb.docx")
        } catch {
            #expect(error.code == .zipBomb, "\(error)")
        }
        // Under a lower total limit, even without an extreme ratio.
        var limits = ExtractLimits()
        limits.maxExpandedBytes = 1 << 20
        let big = try Self.zip([("word/document.xml", Data((0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))])
        do {
            _ = try await Fixtures.extraction(limits: limits).extract(bytes: big, name: "big.docx")
            Issue.record("not refused")
        } catch {
            #expect(error.code == .zipBomb, "\(error)")
        }
        #expect(clock.now - started < .seconds(20))
    }

    @Test func truncatedDocxIsMalformed() async throws {
        let bytes = try Fixtures.bytes("fr-45364.docx")
        do {
            _ = try await Fixtures.extraction().extract(bytes: Array(bytes.prefix(bytes.count / 2)), name: "cut.docx")
            Issue.record("not refused")
        } catch {
            #expect(error.code == .malformed, "\(error)")
        }
    }

    @Test func brokenXMLIsMalformed() async throws {
        let bytes = try Self.zip([("word/document.xml", Data("<w:document><w:body><w:p><w:t>unclosed".utf8))])
        do {
            _ = try await Fixtures.extraction().extract(bytes: bytes, name: "broken.docx")
            Issue.record("not refused")
        } catch {
            #expect(error.code == .malformed, "\(error)")
        }
    }

    @Test func truncatedPDFIsMalformed() async throws {
        let bytes = try Fixtures.bytes("fr-45037.pdf")
        do {
            _ = try await Fixtures.extraction().extract(bytes: Array(bytes.prefix(600)), name: "cut.pdf")
            Issue.record("not refused")
        } catch {
            #expect(error.code == .malformed, "\(error)")
        }
    }

    /// A page tree whose kid is its own parent: poppler must neither loop nor hang.
    @Test func pdfWithALoopingPageTreeIsRefused() async throws {
        let pdf = Self.pdf(objects: [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ])
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await Fixtures.extraction().extract(bytes: pdf, name: "loop.pdf")
            Issue.record("not refused")
        } catch {
            // Not extract-timeout: poppler notices the loop rather than following it.
            #expect([ExtractError.Code.malformed, .noTextLayer].contains(error.code), "\(error)")
        }
        #expect(clock.now - started < .seconds(60))
    }

    @Test func encryptedPDF() async throws {
        do {
            _ = try await Fixtures.extraction().extract(path: Fixtures.path("encrypted.pdf"), name: "encrypted.pdf")
            Issue.record("not refused")
        } catch {
            #expect(error.code == .encrypted, "\(error)")
        }
    }

    @Test func pdfWithoutTextLayer() async throws {
        let pdf = Self.pdf(objects: [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
            "<< /Length 26 >>\nstream\n0 0 1 rg 10 10 100 100 re f\nendstream",
        ])
        do {
            _ = try await Fixtures.extraction().extract(bytes: pdf, name: "scan.pdf")
            Issue.record("not refused")
        } catch {
            #expect(error.code == .noTextLayer, "\(error)")
            #expect(error.message.contains("OCR"))
        }
    }

    @Test func pdfPastItsTimeLimitIsStopped() async throws {
        var limits = ExtractLimits()
        limits.timeLimit = .milliseconds(1)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await Fixtures.extraction(limits: limits).extract(path: Fixtures.path("ten-pages.pdf"), name: "ten-pages.pdf")
            Issue.record("not stopped")
        } catch {
            #expect(error.code == .timeout, "\(error)")
        }
        #expect(clock.now - started < .seconds(60))
    }

    @Test func hugeAttachmentIsNotRead() async throws {
        var limits = ExtractLimits()
        limits.maxBytes = 256 << 20
        // 100 MiB of base64 (about 75 MiB of attachment), written by Python.
        let message = try Self.python("""
            import sys
            w = sys.stdout.buffer.write
            w(b"From: a@example.org\\nSubject: Big\\nContent-Type: multipart/mixed; boundary=b\\n\\n--b\\nContent-Type: text/plain\\n\\n")
            w(b"See the attached report.\\n--b\\nContent-Type: application/pdf; name=report.pdf\\n")
            w(b"Content-Disposition: attachment; filename=report.pdf\\nContent-Transfer-Encoding: base64\\n\\n")
            line = b"A" * 76 + b"\\n"
            w(line * ((100 << 20) // 77))
            w(b"--b--\\n")
            """)
        #expect(message.count > 100_000_000)
        let clock = ContinuousClock()
        let started = clock.now
        let docs = try await Fixtures.extraction(limits: limits).extract(bytes: message, name: "big.eml")
        #expect(docs.count == 1)
        #expect(docs[0].text == "See the attached report.")
        #expect(docs[0].warnings.contains { $0.hasPrefix("attachment-too-large") })
        #expect(clock.now - started < .seconds(30))
    }

    @Test func tenThousandPartsAreRefused() async throws {
        var message = "From: a@example.org\nSubject: Many\nContent-Type: multipart/mixed; boundary=b\n\n"
        for i in 0..<10_000 { message += "--b\nContent-Type: text/plain\n\npart \(i)\n" }
        message += "--b--\n"
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await Fixtures.extraction().extract(bytes: Array(message.utf8), name: "many.eml")
            Issue.record("not refused")
        } catch {
            #expect(error.code == .tooManyParts, "\(error)")
        }
        #expect(clock.now - started < .seconds(10))
    }

    /// In the child process: a file that makes the parser need more memory than
    /// extract.memory_limit crashes the child; the caller gets a reason, not a crash.
    @Test(.enabled(if: Fixtures.binary != nil, "needs the built gleaner binary"))
    func aCrashInTheChildIsAReasonNotACrash() async throws {
        var limits = ExtractLimits()
        limits.maxExpandedBytes = 4 << 30
        limits.maxExpansionRatio = 1_000_000
        limits.memoryLimit = 200 << 20
        limits.timeLimit = .seconds(20)
        let bomb = try Self.zeros([("word/document.xml", 300 << 20)])
        do {
            _ = try await Fixtures.extraction(limits: limits, isolated: true).extract(bytes: bomb, name: "oom.docx")
            Issue.record("not refused")
        } catch {
            // Out of memory, the child dies (or, if the runtime wedges, is killed at its time limit).
            #expect([ExtractError.Code.crashed, .timeout].contains(error.code), "\(error)")
        }
    }

    static func pdf(objects: [String]) -> [UInt8] {
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(format: "%010d 00000 n \n", o) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }
}
