import Foundation

/// Prints `value` as one line of JSON on stdout, keys sorted and slashes in
/// paths left as they are: the form every `--json` flag prints.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Sends what was printed on stdout now: a long-running command (`serve`,
/// `index --watch`) prints lines that a pipe would otherwise hold back.
func flushStandardOutput() {
    fflush(nil)
}
