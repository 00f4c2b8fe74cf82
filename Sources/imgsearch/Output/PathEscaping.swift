/// File names as line-oriented output can carry them.
///
/// A Linux file name may hold any byte but `/` and NUL, a newline
/// included: printed as it is, one result would read as two lines. In
/// line-oriented output (`query`'s table and `--paths`, `dupes`) control
/// characters are written as C escapes (`\n`, `\t`, `\r`, `\xHH`) and a
/// backslash as `\\`, so every path is one line and the original can be
/// recovered; `query -0` prints paths unescaped, each ended by NUL, for
/// `xargs -0`.
enum PathEscaping {
    static func escaped(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }) else { return path }
        var result = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
