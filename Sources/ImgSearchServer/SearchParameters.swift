import Hummingbird
import HummingbirdCore
import ImgSearch

/// The query options of a search request, one to one with `imgsearch query`'s
/// (docs/api.md, "Conventions"); a value that does not parse or is out of
/// range is a 400 naming the parameter.
enum SearchParameters {
    /// The options in `uri`. A search by id (`byID`) leaves the transformed
    /// copies out unless asked for: they need the pixels, which only an
    /// upload has at hand.
    static func options(from uri: URI, byID: Bool) throws -> QueryOptions {
        let parameters = uri.queryParameters
        var options = QueryOptions()
        if byID {
            options.flip = false
            options.rotations = false
            options.trimBars = false
        }
        options.k = try integer("k", in: parameters, range: 1...1000) ?? options.k
        options.radius = try integer("radius", in: parameters, range: 0...64)
        options.flip = try boolean("flip", in: parameters) ?? options.flip
        options.rotations = try boolean("rotations", in: parameters) ?? options.rotations
        options.trimBars = try boolean("trimBars", in: parameters) ?? options.trimBars
        options.rerank = try integer("rerank", in: parameters, range: 0...10_000) ?? options.rerank
        if let weight = parameters.get("colourWeight") {
            guard let value = Float(weight), value.isFinite, (0...1000).contains(value) else {
                throw APIError(.badRequest, "colourWeight must be a number from 0 to 1000, not \"\(weight)\"")
            }
            options.colourWeight = value
        }
        return options
    }

    static func integer(_ name: String, in parameters: Parameters, range: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(.badRequest, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return value
    }

    static func boolean(_ name: String, in parameters: Parameters) throws -> Bool? {
        guard let text = parameters.get(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw APIError(.badRequest, "\(name) must be true or false, not \"\(text)\"")
        }
    }
}
