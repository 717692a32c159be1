import GleanerCore
import GleanerPipeline
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue #16: plugin log lines' levels and the unit hints, as values.
@Suite("plugin log lines and unit hints")
struct OperationsValueTests {
    @Test("A plugin's stderr line is logged at the level it announces", arguments: [
        ("ERROR: model missing", Logger.Level.error, "model missing"),
        ("WARNING:root:slow document", .warning, "slow document"),
        ("[warn] low memory", .warning, "low memory"),
        ("<3>cannot open the model", .error, "cannot open the model"),
        ("<7>detail", .debug, "detail"),
        ("debug: tokens 12", .debug, "tokens 12"),
        ("INFO - loaded", .info, "loaded"),
        ("CRITICAL: out of memory", .critical, "out of memory"),
        ("errors were found in 3 lines", .info, "errors were found in 3 lines"),
        ("Information follows", .info, "Information follows"),
        ("Traceback (most recent call last):", .error, "Traceback (most recent call last):"),
        ("plain progress line", .info, "plain progress line"),
    ])
    func levels(line: String, level: Logger.Level, message: String) {
        let parsed = PluginLogLine.parse(line)
        #expect(parsed.level == level)
        #expect(parsed.message == message)
    }

    @Test("Unit hints: only under systemd for workers, naming the setting the signal points at")
    func hints() {
        let systemd = ["INVOCATION_ID": "abc"]
        #expect(UnitHints.workerDiedBeforeHandshake(signal: SIGTRAP, code: nil, environment: [:]) == nil)
        #expect(UnitHints.workerDiedBeforeHandshake(signal: SIGTRAP, code: nil, environment: systemd)?.contains("MemoryDenyWriteExecute=yes") == true)
        #expect(UnitHints.workerDiedBeforeHandshake(signal: SIGSEGV, code: nil, environment: systemd)?.contains("jit-plugins.conf") == true)
        #expect(UnitHints.workerDiedBeforeHandshake(signal: SIGSYS, code: nil, environment: systemd)?.contains("SystemCallFilter=") == true)
        #expect(UnitHints.workerDiedBeforeHandshake(signal: SIGKILL, code: nil, environment: systemd)?.contains("plugin-memory.conf") == true)
        #expect(UnitHints.workerDiedBeforeHandshake(signal: nil, code: 0, environment: systemd) == nil)
        #expect(UnitHints.socketRefused(errno: EAFNOSUPPORT, environment: [:])?.contains("metrics-listener.conf") == true)
        #expect(UnitHints.socketRefused(errno: EMFILE, environment: [:]) == nil)
    }
}

/// The options schema of protocol version 2, as values.
@Suite("options schema")
struct OptionsSchemaTests {
    let schema: JSONValue = [
        "type": "object", "additionalProperties": false, "required": ["top"],
        "properties": [
            "top": ["type": "integer", "minimum": 1, "maximum": 50],
            "ratio": ["type": "number", "exclusiveMaximum": 1],
            "language": ["enum": ["en", "fr"]],
            "words": ["type": "array", "items": ["type": "string", "minLength": 2], "maxItems": 2],
            "name": ["type": "string", "pattern": "^[a-z]+$"],
        ],
    ]

    @Test("A valid table gives no problem; an integer is a number")
    func valid() {
        #expect(OptionsSchema.validate(["top": 3, "ratio": 1, "language": "fr"], against: ["type": "object", "properties": ["ratio": ["type": "number"]]]).isEmpty)
        #expect(OptionsSchema.validate(["top": 3, "words": ["ab", "cd"], "name": "abc"], against: schema).isEmpty)
    }

    @Test("Every mistake is returned, each with its path")
    func mistakes() {
        let problems = OptionsSchema.validate(["top": 0, "ratio": 1.5, "language": "de", "words": ["a", "bb", "cc"], "name": "A1", "tpo": 2], against: schema)
        #expect(problems.contains("options.top = 0 is below the minimum 1"), "\(problems)")
        #expect(problems.contains("options.ratio = 1.5 must be less than 1"), "\(problems)")
        #expect(problems.contains(#"options.language is "de"; expected one of "en", "fr""#), "\(problems)")
        #expect(problems.contains("options.words has more than 2 items"), "\(problems)")
        #expect(problems.contains("options.words[0] is shorter than 2 characters"), "\(problems)")
        #expect(problems.contains(#"options.name = "A1" does not match the pattern ^[a-z]+$"#), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("options.tpo is not an option of this plugin (did you mean 'top'?)") }, "\(problems)")
        #expect(problems.count == 7, "\(problems)")
        #expect(OptionsSchema.validate([:], against: schema) == ["options.top is required"])
        #expect(OptionsSchema.validate(["top": "3"], against: schema) == [#"options.top must be integer, not string ("3")"#])
    }
}
