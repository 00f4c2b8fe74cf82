import Foundation

extension RetrievalReport {
    /// A self-contained page: the table of metrics and the precision-recall
    /// curves as inline SVG (no scripts, no outside references).
    public var html: String {
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>imgsearch eval</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            svg text { font-size: 12px; }
            </style></head><body>
            <h1>Retrieval quality</h1>
            <p>\(HTMLReport.escape("\(databaseCount) database images, \(leaveOneOut ? "each a query with itself left out" : "\(queryCount) queries"), \(bits) bits, model \(model), seed \(seed)"))</p>
            <table><tr><th>method</th><th>mAP@\(depth)</th><th>P@1</th><th>P@10</th><th>P@100</th><th>N-S (of 4)</th>
            <th>precision r&le;2</th><th>queries answered r&le;2</th><th>ones per bit</th><th>largest bit correlation</th></tr>

            """
        for method in methods {
            let scores = method.scores
            let cells = [
                HTMLReport.escape(method.name),
                Self.cell(scores.meanAveragePrecision), Self.cell(scores.precisionAt1),
                Self.cell(scores.precisionAt10), Self.cell(scores.precisionAt100), Self.cell(scores.nisterSteweniusScore),
                scores.precisionWithinRadius2.map(Self.cell) ?? "&ndash;",
                scores.queriesWithResultsWithinRadius2.map(Self.cell) ?? "&ndash;",
                method.bitStatistics.map { "\(Self.cell($0.onesShare.min() ?? 0))&ndash;\(Self.cell($0.onesShare.max() ?? 0))" } ?? "&ndash;",
                method.bitStatistics.map { Self.cell($0.largestCorrelation) } ?? "&ndash;",
            ]
            page += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        page += "</table>\n"
        for note in notes { page += "<p>\(HTMLReport.escape(note))</p>\n" }
        if !nearDuplicates.isEmpty {
            page += "<h2>Near duplicates</h2>\n<table><tr><th>copy</th><th>original first</th><th>original in top 10</th><th>first by real code alone</th><th>first after re-ranking the first \(nearDuplicates[0].rerankDepth) by real code</th><th>copies</th></tr>\n"
            for result in nearDuplicates {
                page += "<tr><td>\(HTMLReport.escape(result.distortion))</td><td>\(Self.cell(result.rankOne))</td>"
                    + "<td>\(Self.cell(result.topTen))</td><td>\(Self.cell(result.rankOneByRealCode))</td><td>\(Self.cell(result.rankOneAfterRerank))</td><td>\(result.count)</td></tr>\n"
            }
            page += "</table>\n"
        }
        if let first = editedCopies.first {
            page += "<h2>Edited copies</h2>\n<p>" + HTMLReport.escape(
                "Each of \(editedPhotoCount) photos edited \(editedCopies.count - 1) ways, each copy queried against the "
                + "\(editedPhotoCount) photos and the \(databaseCount) database images: how often its original comes first "
                + "(recall@1) and among the first 10 (recall@10).") + "</p>\n<table><tr><th rowspan=\"2\">edit</th><th rowspan=\"2\">copies</th>"
            page += first.recall.map { "<th colspan=\"2\">\(HTMLReport.escape($0.method))</th>" }.joined() + "</tr>\n<tr>"
            page += first.recall.map { _ in "<th>@1</th><th>@10</th>" }.joined() + "</tr>\n"
            for row in editedCopies {
                page += "<tr><td>\(HTMLReport.escape(row.edit))</td><td>\(row.count)</td>"
                    + row.recall.map { "<td>\(Self.cell($0.atOne))</td><td>\(Self.cell($0.atTen))</td>" }.joined() + "</tr>\n"
            }
            page += "</table>\n"
        }
        page += "<h2>Precision and recall</h2>\n" + precisionRecallSVG + "\n</body></html>\n"
        return page
    }

    /// Every method's precision-recall curve on one pair of axes: recall
    /// from 0 to 1, precision from 0 to the highest point rounded up to a
    /// tenth (with 10 classes precision lives between 0.1 and 0.4, and a
    /// [0, 1] axis would squash the curves into the bottom third).
    var precisionRecallSVG: String {
        let (width, height, margin, legendWidth) = (860.0, 440.0, 50.0, 250.0)
        let plotWidth = width - 2 * margin - legendWidth, plotHeight = height - 2 * margin
        let highest = methods.flatMap { $0.scores.precisionRecall.map(\.precision) }.max() ?? 1
        let top = min(1, max(0.1, (highest * 10).rounded(.up) / 10))
        func x(_ recall: Double) -> Double { margin + recall * plotWidth }
        func y(_ precision: Double) -> Double { margin + (1 - precision / top) * plotHeight }
        let colours = ["#1565c0", "#6a1b9a", "#c62828", "#ef6c00", "#2e7d32", "#00838f",
                       "#5d4037", "#ad1457", "#9e9d24", "#283593", "#616161", "#00695c"]
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
        svg += "<rect x=\"\(x(0))\" y=\"\(y(top))\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#888\"/>\n"
        for step in 0...5 {
            let recall = Double(step) / 5, precision = top * Double(step) / 5
            svg += "<line x1=\"\(x(recall))\" y1=\"\(y(0))\" x2=\"\(x(recall))\" y2=\"\(y(0) + 5)\" stroke=\"#888\"/>"
            svg += "<text x=\"\(x(recall))\" y=\"\(y(0) + 18)\" text-anchor=\"middle\">\(String(format: "%.1f", recall))</text>\n"
            svg += "<line x1=\"\(x(0) - 5)\" y1=\"\(y(precision))\" x2=\"\(x(0))\" y2=\"\(y(precision))\" stroke=\"#888\"/>"
            svg += "<text x=\"\(x(0) - 8)\" y=\"\(y(precision) + 4)\" text-anchor=\"end\">\(String(format: "%.2f", precision))</text>\n"
        }
        svg += "<text x=\"\(x(0.5))\" y=\"\(height - 8)\" text-anchor=\"middle\">recall</text>\n"
        svg += "<text x=\"14\" y=\"\(y(0.5))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(y(0.5)))\">precision</text>\n"
        for (index, method) in methods.enumerated() {
            let colour = colours[index % colours.count]
            let points = method.scores.precisionRecall
                .map { String(format: "%.1f,%.1f", x(min(1, max(0, $0.recall))), y(min(top, max(0, $0.precision)))) }
                .joined(separator: " ")
            let dash = method.bitStatistics == nil && !method.name.hasPrefix("semantic") ? " stroke-dasharray=\"5 3\"" : ""
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash) points=\"\(points)\"/>\n"
            let legendY = margin + 10 + Double(index) * 18
            svg += "<line x1=\"\(width - legendWidth)\" y1=\"\(legendY)\" x2=\"\(width - legendWidth + 25)\" y2=\"\(legendY)\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>"
            svg += "<text x=\"\(width - legendWidth + 30)\" y=\"\(legendY + 4)\">\(HTMLReport.escape(method.name))</text>\n"
        }
        return svg + "</svg>"
    }

    private static func cell(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
