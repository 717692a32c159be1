import Foundation
import ZIPFoundation

/// A ZIP container read under limits: the sizes its directory declares are
/// checked before anything is expanded, and the bytes actually expanded are
/// counted, so neither a bomb nor a lying directory gets past the limits.
struct SafeZip {
    let archive: Archive
    let limits: ExtractLimits
    private var expanded = 0

    init(_ bytes: [UInt8], limits: ExtractLimits, format: String) throws(ExtractError) {
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw ExtractError(.malformed, "the \(format) file is not a readable ZIP container (cut short or damaged): \(error)")
        }
        self.limits = limits
        var declared: UInt64 = 0
        var count = 0
        for entry in archive {
            count += 1
            declared &+= entry.uncompressedSize
            if entry.uncompressedSize > UInt64(limits.maxExpandedBytes) {
                throw ExtractError(.zipBomb, "the entry \(entry.path) would expand to \(entry.uncompressedSize) bytes, more than extract.max_expanded_bytes (\(limits.maxExpandedBytes))")
            }
            if entry.uncompressedSize > 1 << 20, entry.uncompressedSize / max(entry.compressedSize, 1) > UInt64(limits.maxExpansionRatio) {
                throw ExtractError(.zipBomb, "the entry \(entry.path) expands \(entry.uncompressedSize / max(entry.compressedSize, 1)) times, more than extract.max_expansion_ratio (\(limits.maxExpansionRatio))")
            }
            if count > 100_000 { throw ExtractError(.zipBomb, "the container has more than 100000 entries") }
        }
        if declared > UInt64(limits.maxExpandedBytes) {
            throw ExtractError(.zipBomb, "the container would expand to \(declared) bytes, more than extract.max_expanded_bytes (\(limits.maxExpandedBytes))")
        }
    }

    func has(_ path: String) -> Bool { archive[path] != nil }

    var paths: [String] { archive.map(\.path) }

    /// The expanded bytes of `path`, or nil when there is no such entry.
    mutating func read(_ path: String) throws(ExtractError) -> Data? {
        guard let entry = archive[path] else { return nil }
        var data = Data()
        data.reserveCapacity(Int(min(entry.uncompressedSize, 64 << 20)))
        let budget = limits.maxExpandedBytes - expanded
        let ratioCap = max(Int(entry.compressedSize) * limits.maxExpansionRatio, 1 << 20)
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if data.count > budget || data.count > ratioCap { throw Overrun() }
            }
        } catch is Overrun {
            throw ExtractError(.zipBomb, "the entry \(path) expands past the limits (extract.max_expanded_bytes, extract.max_expansion_ratio)")
        } catch {
            throw ExtractError(.malformed, "the entry \(path) cannot be read (cut short or damaged): \(error)")
        }
        expanded += data.count
        return data
    }

    struct Overrun: Error {}
}
