internal import CImgSearchHamming

/// The instruction set a Hamming index's scan and probes run on.
///
/// Chosen once, at run time, by CPU feature detection in the C target
/// (`__builtin_cpu_supports` and per-function `target` attributes), so the
/// package builds with no special compiler flags and runs on any x86-64 or
/// ARM machine. Every kernel returns identical results; a lower one can be
/// forced to compare them.
public enum HammingKernel: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Plain C: any CPU. The scan still works on 256 codes at a time.
    case portable = 0
    /// x86-64 with AVX2 and `popcnt`: the bit-sliced scan in 256-bit registers.
    case avx2 = 1
    /// x86-64 with AVX-512 F and VL: the same scan with `vpternlog` full adders.
    case avx512 = 2

    /// The fastest kernel this CPU supports.
    public static let best: HammingKernel = HammingKernel(rawValue: Int(imgsearch_hamming_best_level())) ?? .portable

    /// Every kernel this CPU can run, slowest first.
    public static var available: [HammingKernel] { allCases.filter { $0 <= best } }

    /// The kernel's name, as benchmarks print it.
    public var description: String {
        switch self {
        case .portable: return "portable"
        case .avx2: return "avx2"
        case .avx512: return "avx512"
        }
    }

    /// Slower kernels first: `portable < avx2 < avx512`.
    public static func < (lhs: HammingKernel, rhs: HammingKernel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level the C functions take.
    package var level: Int32 { Int32(rawValue) }
}
