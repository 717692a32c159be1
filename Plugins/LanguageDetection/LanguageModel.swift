import Foundation

/// Why a model file could not be used.
public struct LanguageModelError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The trained weights, read with one `Data` read and copied into aligned memory
/// once; immutable afterwards, so sharing it between threads is safe.
///
/// File layout (little-endian), written by Training/language/main.swift:
/// ```
/// "GLLANG01" | u32 version (1, or 2 for a model of confusable groups) | u32 languages | u32 stride
/// u32 bucketBits | f32 temperature
/// u32 probeCount | probeCount × u32 feature ids of "Gleaner språk" (checks the hashing)
/// languages × 4 bytes code | version 2 only: languages × u32 group number
/// stride × f32 bias | buckets × f32 scale | buckets × stride × i8 weight
/// ```
/// A weight is `Float(int8) * scale[bucket]`. A group model may have fewer buckets than the
/// features it is given: a feature id is then read modulo its bucket count (the low bits of
/// the same hash, so the ids need not be computed twice).
final class LanguageModel: @unchecked Sendable {
    let codes: [String]
    let stride: Int
    let bucketBits: Int
    let temperature: Float
    /// Version 2: the confusable group of each language (its softmax runs within the group).
    let groupOf: [Int]
    let bias: [Float]
    let scales: [Float]
    /// buckets × stride int8 weights, 64-byte aligned; never written after init.
    let weights: UnsafeMutableRawPointer
    let extractor: FeatureExtractor

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        var offset = 0
        func u32() throws -> UInt32 {
            guard offset + 4 <= data.count else { throw LanguageModelError("\(url.path): truncated model") }
            let v = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
            offset += 4
            return UInt32(littleEndian: v)
        }
        guard data.count > 8, data.prefix(8).elementsEqual("GLLANG01".utf8) else {
            throw LanguageModelError("\(url.path) is not a Gleaner language model")
        }
        offset = 8
        let version = try u32()
        guard version == 1 || version == 2 else { throw LanguageModelError("\(url.path): unsupported model version") }
        let languages = Int(try u32())
        stride = Int(try u32())
        bucketBits = Int(try u32())
        temperature = Float(bitPattern: try u32())
        guard languages > 0, stride >= languages, stride % 16 == 0, (8...24).contains(bucketBits) else {
            throw LanguageModelError("\(url.path): bad model header")
        }
        extractor = FeatureExtractor(bucketBits: bucketBits)
        let probeCount = Int(try u32())
        var probe: [Int32] = []
        for _ in 0..<probeCount { probe.append(Int32(bitPattern: try u32())) }
        guard Array(extractor.features(of: "Gleaner språk").prefix(probeCount)) == probe else {
            throw LanguageModelError("\(url.path): feature hashing differs from the model's (retrain it)")
        }
        var codes: [String] = []
        for _ in 0..<languages {
            guard offset + 4 <= data.count else { throw LanguageModelError("\(url.path): truncated model") }
            let bytes = data[data.startIndex + offset..<data.startIndex + offset + 4].filter { $0 != 0 }
            codes.append(String(decoding: bytes, as: UTF8.self))
            offset += 4
        }
        self.codes = codes
        var groupOf: [Int] = []
        if version == 2 { for _ in 0..<languages { groupOf.append(Int(try u32())) } }
        self.groupOf = groupOf
        var bias: [Float] = []
        for _ in 0..<stride { bias.append(Float(bitPattern: try u32())) }
        self.bias = bias
        let buckets = 1 << bucketBits
        guard data.count == offset + buckets * 4 + buckets * stride else {
            throw LanguageModelError("\(url.path): model size \(data.count) does not match its header")
        }
        let scaleOffset = offset
        scales = [Float](unsafeUninitializedCapacity: buckets) { buffer, count in
            data.withUnsafeBytes { raw in
                for b in 0..<buckets {
                    buffer[b] = Float(
                        bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: scaleOffset + 4 * b, as: UInt32.self)))
                }
            }
            count = buckets
        }
        let weightOffset = offset + buckets * 4
        weights = UnsafeMutableRawPointer.allocate(byteCount: buckets * stride, alignment: 64)
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress {
                weights.copyMemory(from: base + weightOffset, byteCount: buckets * stride)
            }
        }
    }

    deinit { weights.deallocate() }

    /// Adds the weights of `features` into `logits` (stride floats), SIMD 16 at a time.
    @inline(__always)
    func accumulate(_ features: [Int32], into logits: UnsafeMutablePointer<SIMD16<Float>>) {
        let chunks = stride / 16
        let w = UnsafeRawPointer(weights)
        let mask = Int32((1 << bucketBits) - 1)
        scales.withUnsafeBufferPointer { scales in
            for f in features {
                let bucket = Int(f & mask)
                let scale = scales[bucket]
                if scale == 0 { continue }
                let row = w + bucket * stride
                for k in 0..<chunks {
                    let q = row.load(fromByteOffset: k * 16, as: SIMD16<Int8>.self)
                    logits[k] += SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: q)) * scale
                }
            }
        }
    }
}
