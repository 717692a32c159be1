import Foundation

/// Shared by the test targets: the sample documents, temporary folders, and
/// running the real `gleaner` binary.
public enum TestSupport {
    /// The checkout's root (this file is Tests/Support/TestSupport.swift).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the checkout.
    public static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")

    public static func sample(_ prefix: String) throws -> String {
        let dir = shared.appendingPathComponent("samples")
        let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(prefix) }
        guard let name else { throw TestFailure("no sample \(prefix)* in \(dir.path)") }
        return try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    public static func samplePath(_ prefix: String) throws -> String {
        let dir = shared.appendingPathComponent("samples")
        guard let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).first(where: { $0.hasPrefix(prefix) }) else {
            throw TestFailure("no sample \(prefix)*")
        }
        return dir.appendingPathComponent(name).path
    }

    /// A fresh folder under the system temporary folder, removed by `remove()`.
    public static func temporaryDirectory(_ label: String = "gleaner") throws -> String {
        let path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The built `gleaner` binary: `$GLEANER_BINARY`, else the debug build.
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["GLEANER_BINARY"], !path.isEmpty { return path }
        return repository.appendingPathComponent(".build/debug/gleaner").path
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs a program to completion, feeding `input` to its standard input.
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil, cwd: String? = nil,
                           environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        // Read both pipes concurrently so neither fills up.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try? inp.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Waits until `condition` holds, polling, for at most `timeout` seconds.
    public static func eventually(timeout: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
