/// The text of `Config/gleaner.toml`, embedded so `gleaner run` works with no file.
/// A test checks the two stay identical.
public enum EmbeddedDefault {
    public static let text = #"""
# Gleaner's configuration: the default the binary embeds.
# Every key is documented in docs/CONFIGURATION.md. Relative paths are taken
# relative to the working directory of the gleaner process.

inbox = "./var/inbox"
outbox = "./var/outbox"

[daemon]
# Documents in flight at once; 0 means one per core.
workers = 0
# A file is ready this long after its last write (IN_CLOSE_WRITE / IN_MOVED_TO).
settle = "50ms"
# A document that takes longer than this is failed with a timeout.
document_timeout = "120s"
# What happens to an input once its result is written: "archive" or "delete".
after_success = "archive"
# Names writers use while writing; ignored until renamed.
ignore = [".*", "*.part", "*.tmp", "*.crdownload", "*~", "*.swp"]

[input]
# Larger files go to failed/ with reason "too-large".
max_bytes = "16MiB"

[output]
# An HTML view beside each JSON result.
html = true

[processors.language]
enabled = true

[processors.entities]
enabled = true

[processors.quotes]
enabled = true

"""#
}
