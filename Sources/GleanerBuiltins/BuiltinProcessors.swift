import EntityTagging
import GleanerCore
import GleanerPipeline
import GleanerText
import LanguageDetection
import QuoteExtraction

/// The one place where the built-in processors are registered.
public enum BuiltinProcessors {
    public static var factories: [any ProcessorFactory] {
        [SegmenterFactory(), LanguageProcessorFactory(), EntityProcessorFactory(), QuoteProcessorFactory()]
    }

    public static var registry: ProcessorRegistry { ProcessorRegistry(factories) }
}
