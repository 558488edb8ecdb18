/// What a migration's description says it does, when it says it plainly: `add invoices table`
/// creates `invoices`; `add archived_at to projects` adds that column to a table the history has.
/// The wizard fills the operation with it as a suggestion (docs/name-rules.md).
public enum DescriptionIntent: Equatable, Sendable {
    case createTable(String)
    case addColumns(table: String, columns: [String])

    /// Reads `add|create NAME table`, `create table NAME`, and `add A[, B][ and C] [column[s]] to TABLE [table]`.
    public static func read(_ description: String, schema: HistorySchema?) -> DescriptionIntent? {
        let words = description.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard let verb = words.first, verb == "add" || verb == "create" else { return nil }
        func isName(_ w: String) -> Bool {
            guard let f = w.first, f.isASCII, f.isLetter || f == "_" else { return false }
            return w.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
        }
        let exists = { (t: String) in schema?.tables[t] != nil }
        if words.count == 3, words[2] == "table", isName(words[1]), !exists(words[1]) { return .createTable(words[1]) }
        if words.count == 3, verb == "create", words[1] == "table", isName(words[2]), !exists(words[2]) { return .createTable(words[2]) }
        guard verb == "add", let to = words.lastIndex(of: "to"), to >= 2 else { return nil }
        var tail = Array(words[(to + 1)...])
        if tail.last == "table", tail.count == 2 { tail.removeLast() }
        if tail.first == "the", tail.count == 2 { tail.removeFirst() }
        guard tail.count == 1, exists(tail[0]) else { return nil }
        // "add a column to projects" names no column.
        var columns = Array(words[1..<to]).filter { !["and", "a", "an", "the", "new"].contains($0) }
        if let last = columns.last, last == "column" || last == "columns" { columns.removeLast() }
        guard !columns.isEmpty, columns.allSatisfy(isName) else { return nil }
        return .addColumns(table: tail[0], columns: columns)
    }
}
