import Foundation

/// Finds a processor's model file without `Bundle.module`, which stops the
/// process when its bundle is missing. Looks, in order, in:
/// 1. `$GLEANER_MODEL_DIR/<file>`;
/// 2. `<folder of the executable>/<bundle>.resources/Model/<file>` and `…/<bundle>.resources/<file>` (SwiftPM's layout);
/// 3. `<executable>/../share/gleaner/models/<file>` (an installed layout), `/usr/local/share/gleaner/models`, `/usr/share/gleaner/models`;
/// 4. `Model/<file>` beside the plugin's source (a checkout, for tests).
public enum ModelFile {
    public struct NotFound: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var searched: [String]
        public var description: String {
            "model file '\(file)' not found; looked in: \(searched.joined(separator: ", ")). Set GLEANER_MODEL_DIR to its folder."
        }
    }

    public static func candidates(_ file: String, bundle: String, sourceFile: String) -> [String] {
        var paths: [String] = []
        if let dir = ProcessInfo.processInfo.environment["GLEANER_MODEL_DIR"], !dir.isEmpty {
            paths.append((dir as NSString).appendingPathComponent(file))
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first.flatMap { _ in executablePath() } ?? "")
        let exeDir = exe.deletingLastPathComponent()
        paths.append(exeDir.appendingPathComponent("\(bundle).resources/Model/\(file)").path)
        paths.append(exeDir.appendingPathComponent("\(bundle).resources/\(file)").path)
        paths.append(exeDir.appendingPathComponent("../share/gleaner/models/\(file)").standardized.path)
        paths.append("/usr/local/share/gleaner/models/\(file)")
        paths.append("/usr/share/gleaner/models/\(file)")
        let source = URL(fileURLWithPath: sourceFile).deletingLastPathComponent()
        paths.append(source.appendingPathComponent("Model/\(file)").path)
        return paths
    }

    /// The first existing candidate path.
    public static func locate(_ file: String, bundle: String, sourceFile: String = #filePath) throws(NotFound) -> String {
        let paths = candidates(file, bundle: bundle, sourceFile: sourceFile)
        if let found = paths.first(where: { FileManager.default.isReadableFile(atPath: $0) }) { return found }
        throw NotFound(file: file, searched: paths)
    }

    /// The running executable, resolved through symbolic links.
    static func executablePath() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath
    }
}
