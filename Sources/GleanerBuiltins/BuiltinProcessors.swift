import GleanerCore
import GleanerPipeline
import GleanerText

/// The one place where the built-in processors are registered.
public enum BuiltinProcessors {
    public static var factories: [any ProcessorFactory] {
        [SegmenterFactory(), PendingLanguageFactory(), PendingEntityFactory(), PendingQuoteFactory()]
    }

    public static var registry: ProcessorRegistry { ProcessorRegistry(factories) }
}
