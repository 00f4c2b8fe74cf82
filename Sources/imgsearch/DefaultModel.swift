import Foundation

/// Where the shipped default model is found.
enum DefaultModel {
    /// The file name of the default model inside the `index` folder.
    static let fileName = "default-model.isae"

    /// `$IMGSEARCH_MODEL` when set, whether or not the file is there (a
    /// model asked for by name is never silently replaced by another);
    /// otherwise the first that exists of `index/default-model.isae` in the
    /// working folder and the `index` folder of the checkout the running
    /// executable was built in (`<checkout>/.build/<triple>/<configuration>/imgsearch`).
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["IMGSEARCH_MODEL"], !explicit.isEmpty { return explicit }
        var candidates: [String] = []
        candidates.append("index/" + fileName)
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let checkout = executable.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(checkout.appendingPathComponent("index/" + fileName).path)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
