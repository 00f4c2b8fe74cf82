import Foundation
import ImgSearchImaging

/// A self-contained HTML page showing query images beside their matches,
/// so a person can judge the results by eye.
///
/// Each picture is embedded as a PNG data URL of its area-averaged
/// thumbnail (the page has no outside references, so it can be mailed or
/// archived). A file that can no longer be decoded shows its error instead.
public enum HTMLReport {
    /// The page for `results`, with thumbnails of `side` pixels.
    public static func render(_ results: [QueryResult], thumbnailSide side: Int = 128) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>imgsearch results</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5em; background: #fafafa; color: #222; }
            section { margin-bottom: 2em; }
            .row { display: flex; flex-wrap: wrap; gap: 12px; }
            figure { margin: 0; width: \(side)px; font-size: 12px; }
            figure img, figure .missing { width: \(side)px; height: \(side)px; image-rendering: pixelated; border: 1px solid #ccc; display: block; }
            figure.query img { border: 2px solid #1565c0; }
            figcaption { overflow-wrap: anywhere; margin-top: 4px; }
            .missing { background: #eee; color: #a00; overflow: hidden; }
            </style></head><body>
            <h1>imgsearch results</h1>

            """
        for result in results {
            html += "<section>\n<h2>\(escape(result.query))</h2>\n<div class=\"row\">\n"
            html += figure(path: result.query, caption: "query", side: side, isQuery: true)
            for match in result.matches {
                let caption = "#\(match.rank) · Hamming \(match.hamming) · distance \(String(format: "%.3f", match.distance))"
                html += figure(path: match.path, caption: caption, side: side, isQuery: false)
            }
            html += "</div>\n</section>\n"
        }
        return html + "</body></html>\n"
    }

    private static func figure(path: String, caption: String, side: Int, isQuery: Bool) -> String {
        let picture: String
        do {
            let thumbnail = try ImageDecoder.thumbnail(contentsOf: path, side: side)
            let png = try PNGEncoder.encode(thumbnail.rgbImage)
            picture = "<img alt=\"\(escape(path))\" src=\"data:image/png;base64,\(Data(png).base64EncodedString())\">"
        } catch {
            picture = "<div class=\"missing\">\(escape(String(describing: error)))</div>"
        }
        let name = (path as NSString).lastPathComponent
        return "<figure\(isQuery ? " class=\"query\"" : "") title=\"\(escape(path))\">\(picture)"
            + "<figcaption>\(escape(caption))<br>\(escape(name))</figcaption></figure>\n"
    }

    /// Text made safe for HTML element content and quoted attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
