/// The version of the imgsearch library and tool.
public enum ImgSearchVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
