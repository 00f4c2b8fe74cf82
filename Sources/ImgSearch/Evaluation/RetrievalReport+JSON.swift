import Foundation
import ImgSearchLinearAlgebra

extension RetrievalReport {
    /// The report as one JSON object, keys in a fixed order, the shape
    /// `imgsearch eval --json` prints:
    ///
    /// ```
    /// {"bits":30,"database":N,"queries":M,"metric":"mAP@1000",
    ///  "mAP":{"semantic-hash":x,"real-code":x,"LSH":x,"PCAH":x,"ITQ":x,"PCA":x},
    ///  "precision@1":{...},"precision@10":{...},"precision@100":{...},"nisterSteweniusScore":{...},
    ///  "precisionWithinRadius2":{binary methods},"queriesWithResultsWithinRadius2":{binary methods},
    ///  "bits.onesShare":{binary methods: {"min":x,"max":x}},"bits.largestCorrelation":{...},
    ///  "nearDuplicates":{"jpeg-q50":{"rankOne":x,"topTen":x,"rankOneByRealCode":x,"rankOneAfterRerank":x,"rerankDepth":n,"count":n},...},
    ///  "editedCopies":{"photos":n,"rows":[{"edit":"crop-90","count":n,"recall@1":{method: x,...},"recall@10":{...}},...,
    ///                  {"edit":"all edits",...}]},
    ///  "precisionRecall":{method: [{"cutoff":1,"precision":x,"recall":x},...]},
    ///  "itqQuantizationLoss":[...],"model":"...","seed":1,"leaveOneOut":false,"notes":[...]}
    /// ```
    ///
    /// Written by hand rather than through `JSONEncoder`, whose key order is
    /// not the issue's.
    public var json: String {
        var fields: [String] = [
            "\"bits\":\(bits)", "\"database\":\(databaseCount)", "\"queries\":\(queryCount)",
            "\"metric\":\"mAP@\(depth)\"",
        ]
        func object(_ name: String, _ methods: [MethodEvaluation], _ value: (MethodEvaluation) -> String?) {
            let members = methods.compactMap { method in value(method).map { "\(Self.quoted(method.name)):\($0)" } }
            fields.append("\(Self.quoted(name)):{\(members.joined(separator: ","))}")
        }
        object("mAP", methods) { Self.number($0.scores.meanAveragePrecision) }
        object("precision@1", methods) { Self.number($0.scores.precisionAt1) }
        object("precision@10", methods) { Self.number($0.scores.precisionAt10) }
        object("precision@100", methods) { Self.number($0.scores.precisionAt100) }
        object("nisterSteweniusScore", methods) { Self.number($0.scores.nisterSteweniusScore) }
        object("precisionWithinRadius2", methods) { $0.scores.precisionWithinRadius2.map(Self.number) }
        object("queriesWithResultsWithinRadius2", methods) { $0.scores.queriesWithResultsWithinRadius2.map(Self.number) }
        object("bits.onesShare", methods) { method in
            method.bitStatistics.map {
                "{\"min\":\(Self.number($0.onesShare.min() ?? 0)),\"max\":\(Self.number($0.onesShare.max() ?? 0))}"
            }
        }
        object("bits.largestCorrelation", methods) { $0.bitStatistics.map { Self.number($0.largestCorrelation) } }
        let duplicates = nearDuplicates.map {
            "\(Self.quoted($0.distortion)):{\"rankOne\":\(Self.number($0.rankOne)),\"topTen\":\(Self.number($0.topTen)),"
                + "\"rankOneByRealCode\":\(Self.number($0.rankOneByRealCode)),"
                + "\"rankOneAfterRerank\":\(Self.number($0.rankOneAfterRerank)),\"rerankDepth\":\($0.rerankDepth),\"count\":\($0.count)}"
        }
        fields.append("\"nearDuplicates\":{\(duplicates.joined(separator: ","))}")
        if !editedCopies.isEmpty {
            let rows = editedCopies.map { row in
                func recall(_ value: (EditRecall) -> Double) -> String {
                    "{" + row.recall.map { "\(Self.quoted($0.method)):\(Self.number(value($0)))" }.joined(separator: ",") + "}"
                }
                return "{\"edit\":\(Self.quoted(row.edit)),\"count\":\(row.count),"
                    + "\"recall@1\":\(recall(\.atOne)),\"recall@10\":\(recall(\.atTen))}"
            }
            fields.append("\"editedCopies\":{\"photos\":\(editedPhotoCount),\"rows\":[\(rows.joined(separator: ","))]}")
        }
        object("precisionRecall", methods) { method in
            let points = method.scores.precisionRecall.map {
                "{\"cutoff\":\($0.cutoff),\"precision\":\(Self.number($0.precision)),\"recall\":\(Self.number($0.recall))}"
            }
            return "[\(points.joined(separator: ","))]"
        }
        fields.append("\"itqQuantizationLoss\":[\(quantizationLoss.map(Self.number).joined(separator: ","))]")
        fields.append("\"model\":\(Self.quoted(model))")
        fields.append("\"seed\":\(seed)")
        fields.append("\"leaveOneOut\":\(leaveOneOut)")
        fields.append("\"notes\":[\(notes.map(Self.quoted).joined(separator: ","))]")
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A finite number with 6 significant digits, or null.
    static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.6g", value) : "null"
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// The table `imgsearch eval` prints: one row per method.
    public var table: String {
        // At least 30 wide, wider for a long name ("semantic-hash+flip+turns/rerank-300").
        let width = max(30, methods.map(\.name.count).max() ?? 0)
        var lines = [
            "database \(databaseCount) images, "
                + (leaveOneOut ? "each a query with itself left out" : "\(queryCount) queries")
                + ", \(bits) bits, model \(model)",
            "method".padding(toLength: width + 2, withPad: " ", startingAt: 0)
                + "mAP@\(depth)  P@1    P@10   P@100  N-S    P(r<=2)  answered(r<=2)  ones(min-max)  max corr",
        ]
        for method in methods {
            let scores = method.scores
            var line = method.name.padding(toLength: width, withPad: " ", startingAt: 0)
            line += String(format: "  %7.4f  %5.3f  %5.3f  %5.3f  %5.3f", scores.meanAveragePrecision,
                           scores.precisionAt1, scores.precisionAt10, scores.precisionAt100, scores.nisterSteweniusScore)
            if let precision = scores.precisionWithinRadius2, let answered = scores.queriesWithResultsWithinRadius2 {
                line += String(format: "  %7.3f  %14.3f", precision, answered)
            } else {
                line += "        -               -"
            }
            if let statistics = method.bitStatistics {
                line += String(format: "  %.2f-%.2f      %.3f", statistics.onesShare.min() ?? 0,
                               statistics.onesShare.max() ?? 0, statistics.largestCorrelation)
            }
            lines.append(line)
        }
        lines += notes
        for result in nearDuplicates {
            lines.append("near duplicates, \(result.distortion): "
                + String(format: "original first for %.1f%%, in the top 10 for %.1f%% of %d copies "
                         + "(first by real code alone: %.1f%%, after re-ranking the first %d by it: %.1f%%)",
                         100 * result.rankOne, 100 * result.topTen, result.count, 100 * result.rankOneByRealCode,
                         result.rerankDepth, 100 * result.rankOneAfterRerank))
        }
        lines += editedCopiesTable
        return lines.joined(separator: "\n")
    }

    /// The edited-copies test's lines of ``table``: one row per edit, then
    /// all edits, each method's recall@1 and recall@10 side by side.
    var editedCopiesTable: [String] {
        guard let first = editedCopies.first else { return [] }
        let widths = first.recall.map { max($0.method.count, 11) }
        var header = "edit            copies", subheader = "                      "
        for (recall, width) in zip(first.recall, widths) {
            header += "  " + recall.method.padding(toLength: width, withPad: " ", startingAt: 0)
            subheader += "  " + "R@1   R@10".padding(toLength: width, withPad: " ", startingAt: 0)
        }
        var lines = [
            "",
            "edited copies: each of \(editedPhotoCount) photos edited \(editedCopies.count - 1) ways, queried against "
                + "the \(editedPhotoCount) photos and the \(databaseCount) database images; recall@1 and recall@10",
            Self.trimmed(header), Self.trimmed(subheader),
        ]
        for row in editedCopies {
            var line = row.edit.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "  %6d", row.count)
            for (recall, width) in zip(row.recall, widths) {
                line += "  " + String(format: "%5.3f %5.3f", recall.atOne, recall.atTen)
                    .padding(toLength: width, withPad: " ", startingAt: 0)
            }
            lines.append(Self.trimmed(line))
        }
        return lines
    }

    /// `line` without its trailing spaces (the last column's padding).
    static func trimmed(_ line: String) -> String {
        String(line.reversed().drop { $0 == " " }.reversed())
    }
}
