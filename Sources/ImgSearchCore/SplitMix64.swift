#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The seeded random generator used for all randomness in training and tests.
///
/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit counter advanced by the
/// golden-ratio increment and passed through a mixing function. It is small,
/// fast, passes BigCrush, and the same seed gives the same sequence on every
/// platform, which `SystemRandomNumberGenerator` does not: the same seed must
/// give the same weights.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The counter; the next output mixes `state + increment`.
    public private(set) var state: UInt64

    package static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.

    public mutating func next() -> UInt64 {
        state = state &+ Self.increment
        return Self.mix(state)
    }

    @inline(__always)
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform float in [0, 1) with 24 random bits.

    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A standard normal float (Box-Muller; both values of a pair are not
    /// kept, which costs a little speed but keeps the generator a plain counter).
    public mutating func nextGaussian() -> Float {
        // 1 - u is in (0, 1], so the logarithm is finite.
        let u1 = 1 - Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// Fills `buffer` with uniform floats in [0, 1).
    ///
    /// Output `i` is `mix(state + (i + 1) * increment)`, exactly what `i + 1`
    /// calls of `next()` would give, but computed without a loop-carried
    /// dependency so the loop pipelines.
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>) {
        let start = state
        for index in buffer.indices {
            let bits = Self.mix(start &+ UInt64(truncatingIfNeeded: index &+ 1) &* Self.increment)
            buffer[index] = Float(bits >> 40) * 0x1p-24
        }
        state = start &+ UInt64(truncatingIfNeeded: buffer.count) &* Self.increment
    }

    /// A generator for an independent stream, derived from this one's next
    /// output, so that parts of a training run (each layer, the noise, the
    /// shuffles) do not shift each other's numbers when one of them changes.
    public mutating func split() -> SplitMix64 {
        SplitMix64(seed: next())
    }
}
