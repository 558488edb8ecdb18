/// What a migration's description says it does, when it says it plainly: `add invoices table`
/// creates `invoices`; `add archived_at to projects` adds that column to a table the history has.
/// The wizard fills the operation with it as a suggestion (docs/name-rules.md).
public enum DescriptionIntent: Equatable, Sendable {
    case createTable(String)
    case addColumns(table: String, columns: [String])

    /// The description the operation says, in the words `read` reads back: `add invoices table`,
    /// `add archived_at to projects`, `add a, b and c to projects`.
    public var description: String {
        switch self {
        case .createTable(let name): return "add \(name) table"
        case .addColumns(let table, let columns):
            let names = columns.count > 1 ? columns.dropLast().joined(separator: ", ") + " and " + columns.last! : columns.joined()
            return "add \(names) to \(table)"
        }
    }

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
        if tail.last == "table", tail.count >= 2 { tail.removeLast() }
        if tail.first == "the", tail.count == 2 { tail.removeFirst() }
        guard tail.count == 1, exists(tail[0]) else { return nil }
        // The names are separated by commas and "and"; each is one word ("archived at" is not a name).
        let lower = description.lowercased()
        guard let addEnd = lower.range(of: "add ")?.upperBound, let toStart = lower.range(of: " to ", options: .backwards)?.lowerBound,
              addEnd <= toStart else { return nil }
        var columns = lower[addEnd..<toStart].replacingOccurrences(of: " and ", with: ",").split(separator: ",")
            .map { String($0).split(separator: " ").map(String.init) }
        if var last = columns.last, let word = last.last, word == "column" || word == "columns" {
            last.removeLast()
            columns[columns.count - 1] = last
        }
        // "add a column to projects" names no column.
        columns = columns.map { $0.filter { !["a", "an", "the", "new"].contains($0) } }.filter { !$0.isEmpty }
        guard !columns.isEmpty, columns.allSatisfy({ $0.count == 1 && isName($0[0]) }) else { return nil }
        return .addColumns(table: tail[0], columns: columns.map { $0[0] })
    }
}
