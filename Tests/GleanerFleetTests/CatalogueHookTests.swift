import Foundation
import GleanerCatalogue
import GleanerFleet
import GleanerTestSupport
import Logging
import Testing

/// `[catalogue] backend = "postgres"` on a single node: the rows follow the result files (repair at start-up).
@Suite(.serialized, .enabled(if: PostgresServer.enabled, "\(PostgresServer.skipMessage)"))
struct CatalogueHookTests {
    @Test func repairAddsMissingAndRemovesStaleResults() async throws {
        let f = try Fixture()
        defer { f.close() }
        try await f.database.migrate(node: "solo")
        let outbox = try TestSupport.temporaryDirectory("gleaner-pgcat")
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        for i in 0..<3 {
            try Data(resultJSON(name: "doc\(i).txt", speaker: "Jane Roe", text: "Jane Roe said we will win, \(i).")).write(
                to: URL(fileURLWithPath: outbox + "/doc\(i).txt.json"))
        }
        let hook = PostgresCatalogueHook(
            database: f.database, node: "solo", folders: OutboxFolders(outbox: outbox, failed: outbox + "/failed"), aliases: AliasTable(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        var r = try await hook.repair()
        #expect(r.added == 3 && r.removed == 0)
        #expect(try f.server.psql("SELECT count(*) FROM document WHERE node = 'solo'") == "3")
        // Across the three documents, one person.
        #expect(try f.server.psql("SELECT count(*) FROM entity") == "1")
        r = try await hook.repair()
        #expect(r.added == 0 && r.removed == 0)
        try FileManager.default.removeItem(atPath: outbox + "/doc1.txt.json")
        r = try await hook.repair()
        #expect(r.added == 0 && r.removed == 1)
        #expect(try f.server.psql("SELECT string_agg(result_path, ',' ORDER BY result_path) FROM document") == "doc0.txt.json,doc2.txt.json")
        // A result written by the daemon goes in as it is committed.
        let json = resultJSON(name: "late.txt", speaker: "Jane Roe", text: "late")
        try Data(json).write(to: URL(fileURLWithPath: outbox + "/late.txt.json"))
        await hook.committed(json: json, jsonPath: outbox + "/late.txt.json", htmlPath: nil)
        #expect(try f.server.psql("SELECT count(*) FROM document") == "3")
    }
}
