/// Gleaner's version, reported by `gleaner --version` and in every result.
public enum GleanerVersion {
    public static let current = "0.1.0"
}
