/// Runs `body` with a buffer for a C decoder's error message and returns its
/// result together with the message (empty when nothing was written).
///
/// 256 bytes hold every message libjpeg (JMSG_LENGTH_MAX is 200) and libpng
/// 1.6 write; a longer one would be cut, never overrun, because the C side
/// is given the capacity.
func withCMessageBuffer<Result>(
    _ body: (_ message: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Result
) -> (result: Result, message: String) {
    var buffer = [CChar](repeating: 0, count: 256)
    let result = buffer.withUnsafeMutableBufferPointer { storage in
        // A non-empty array always has a base address.
        body(storage.baseAddress.unsafelyUnwrapped, storage.count)
    }
    // CChar is signed on x86 and unsigned on ARM Linux; truncation is exact on both.
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(truncatingIfNeeded: $0) }
    return (result, String(decoding: bytes, as: UTF8.self))
}
