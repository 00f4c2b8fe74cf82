/// What a model's encoder reports as the real-valued code.
///
/// Fine-tuning with noise on the code units' inputs (semantic hashing) drives
/// logistic code units into saturation: their activations end up within a
/// hair of 0 or 1 and tell nearly nothing beyond the bit. Their inputs (the
/// logits) still say how far each unit is from its threshold: as the real
/// code, they rank better and find a recompressed copy's original far more
/// often than the activations (docs/quality.md, "History").
/// The hash is the same either way: the logistic is monotone, so a
/// threshold on the activation is a threshold on the logit.
public enum CodeOutput: UInt8, Sendable, Codable {
    /// The code layer's activations (values in (0, 1) for logistic units).
    case activations = 0
    /// The code layer's inputs to its logistic, before the squashing.
    case preActivations = 1
}
