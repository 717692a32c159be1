/// Errors of the fleet and of the PostgreSQL catalogue: one struct with an extensible code, used for logs,
/// `gleaner status`, metrics and failure reasons alike.
public struct FleetError: Error, CustomStringConvertible, Sendable {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        /// The database cannot be reached or answered with an error (retried with back-off).
        public static let unreachable = Code(rawValue: "fleet-database-unreachable")
        /// A statement failed.
        public static let database = Code(rawValue: "fleet-database")
        /// `[fleet]` or `[catalogue]` settings that cannot work (bad URL, unreadable password file).
        public static let configuration = Code(rawValue: "fleet-configuration")
        /// The schema in the database is newer than this binary knows.
        public static let schema = Code(rawValue: "fleet-schema")
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code.rawValue): \(message)" }
}
