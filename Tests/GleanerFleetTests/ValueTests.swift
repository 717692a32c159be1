import Foundation
import GleanerConfig
import GleanerCore
import GleanerFleet
import Testing

@Suite struct BackoffTests {
    @Test func scheduleDoublesUpToTheCap() {
        let b = Backoff(initial: .milliseconds(100), maximum: .seconds(2), factor: 2)
        #expect((1...7).map { b.base(attempt: $0) } == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .seconds(2), .seconds(2),
        ])
    }

    @Test func jitterKeepsHalfTheDelay() {
        let b = Backoff(initial: .milliseconds(100), maximum: .seconds(10))
        #expect(b.delay(attempt: 3, jitter: 0) == .milliseconds(200))
        #expect(b.delay(attempt: 3, jitter: 1) == .milliseconds(400))
        #expect(b.delay(attempt: 3, jitter: 0.5) == .milliseconds(300))
        #expect(b.delay(attempt: 50, jitter: 1) == .seconds(10))
        // Out-of-range draws are clamped.
        #expect(b.delay(attempt: 1, jitter: 7) == .milliseconds(100))
    }
}

@Suite struct PostgresURLTests {
    @Test func hostPortDatabase() throws {
        let u = try PostgresURL(parsing: "postgres://gleaner:s3cret@db.example:6543/news?sslmode=require")
        #expect(u.user == "gleaner")
        #expect(u.password == "s3cret")
        #expect(u.host == "db.example")
        #expect(u.port == 6543)
        #expect(u.database == "news")
        #expect(u.sslMode == "require")
        // The password never shows.
        #expect(!u.description.contains("s3cret"))
        #expect(!"\(u)".contains("s3cret"))
    }

    @Test func unixSocketFolder() throws {
        let u = try PostgresURL(parsing: "postgres://postgres@localhost/postgres?host=/tmp/pg%20x&port=5433")
        #expect(u.socketFolder == "/tmp/pg x")
        #expect(u.socketPath == "/tmp/pg x/.s.PGSQL.5433")
        #expect(u.host == nil)
    }

    @Test func refusesOtherSchemesAndParameters() {
        #expect(throws: FleetError.self) { try PostgresURL(parsing: "mysql://x@y/z") }
        #expect(throws: FleetError.self) { try PostgresURL(parsing: "postgres://x@y/z?colour=blue") }
    }

    @Test func passwordFromFileOrEnvironment() throws {
        let file = NSTemporaryDirectory() + "gleaner-pw-\(UUID().uuidString)"
        try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        var u = try PostgresURL(parsing: "postgres://g@h/d")
        try u.resolvePassword(file: file, variable: "")
        #expect(u.password == "from-file")
        try u.resolvePassword(file: "", variable: "GLEANER_TEST_PW", environment: ["GLEANER_TEST_PW": "from-env"])
        #expect(u.password == "from-env")
        #expect(throws: FleetError.self) { try u.resolvePassword(file: "", variable: "UNSET_VAR", environment: [:]) }
        #expect(throws: FleetError.self) { try u.resolvePassword(file: file + ".missing", variable: "") }
    }
}

@Suite struct FleetConfigurationTests {
    func load(_ text: String) throws -> GleanerConfiguration {
        let dir = NSTemporaryDirectory() + "gleaner-fleetconf-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/gleaner.toml"
        try ("inbox = \"\(dir)/in\"\noutbox = \"\(dir)/out\"\nallow_no_processors = true\n" + text).write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigurationLoader.load(path: path)
    }

    @Test func fleetSection() throws {
        let c = try load("""
            [catalogue]
            backend = "postgres"
            url = "postgres://gleaner@db/news"
            password_env = "GLEANER_DB_PASSWORD"
            [fleet]
            enabled = true
            node = "alpha"
            lease = "20s"
            heartbeat = "4s"
            """)
        #expect(c.catalogueBackend == .postgres)
        #expect(c.fleet.enabled)
        #expect(c.fleet.node == "alpha")
        #expect(c.fleet.postgres.url == "postgres://gleaner@db/news")  // from [catalogue]
        #expect(c.fleet.postgres.passwordEnv == "GLEANER_DB_PASSWORD")
        #expect(c.fleet.lease == .seconds(20))
        #expect(c.fleet.heartbeat == .seconds(4))
    }

    @Test func refusesAFleetWithoutDatabaseOrWithALongHeartbeat() {
        #expect(throws: ConfigurationErrors.self) { try load("[fleet]\nenabled = true\n") }
        #expect(throws: ConfigurationErrors.self) {
            try load("[fleet]\nenabled = true\nurl = \"postgres://a@b/c\"\nlease = \"10s\"\nheartbeat = \"6s\"\n")
        }
        #expect(throws: ConfigurationErrors.self) { try load("[catalogue]\nbackend = \"postgres\"\n") }
        #expect(throws: ConfigurationErrors.self) { try load("[fleet]\nurl = \"mysql://a@b/c\"\n") }
    }
}
