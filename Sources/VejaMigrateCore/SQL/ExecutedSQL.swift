/// SQL that a migration sends to the database (`op.execute`, `conn.execute(sa.text(...))`,
/// `exec_driver_sql`), read with the PostgreSQL grammar to tell data changes from schema changes.
enum ExecutedSQL {
    /// How the driver sees placeholders in the text.
    enum Placeholders {
        /// SQLAlchemy's `text()` (and Alembic's `op.execute` of a string): `:name`, with `\:` for a colon.
        case sqlalchemyText
        /// `exec_driver_sql`: the DBAPI's `%(name)s` and `%s`, with `%%` for a percent sign.
        case driver
        /// An f-string: `{expression}` fields, `{{` and `}}` for braces.
        case fstring
    }

    /// Statements that change rows or session state, never a table's shape.
    static let dataStatements: Set<String> = [
        "InsertStmt", "UpdateStmt", "DeleteStmt", "SelectStmt", "MergeStmt", "VariableSetStmt", "VariableShowStmt",
        "LockStmt", "NotifyStmt", "ListenStmt", "VacuumStmt", "ExplainStmt", "CheckPointStmt", "DiscardStmt",
    ]

    /// Whether `text` parses as PostgreSQL and holds only data statements (so no table changes shape).
    static func isDataOnly(_ text: String, placeholders: Placeholders) -> Bool {
        guard let tree = try? PostgresGrammar.parse(parsable(text, placeholders)) else { return false }
        let statements = PostgresGrammar.statements(tree)
        return !statements.isEmpty && statements.allSatisfy { dataStatements.contains($0.node) }
    }

    /// The text as the server would receive it, with every placeholder a parameter (`$1`) or,
    /// for an f-string field, an identifier: a field in a keyword's place then fails to parse.
    static func parsable(_ text: String, _ placeholders: Placeholders) -> String {
        let chars = Array(text)
        if placeholders == .sqlalchemyText { return sqlalchemyParsable(chars) }
        var out = ""
        var i = 0
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        while i < chars.count {
            let c = chars[i]
            switch placeholders {
            case .sqlalchemyText:
                break  // sqlalchemyParsable
            case .driver:
                if c == "%", i + 1 < chars.count {
                    if chars[i + 1] == "%" { out.append("%"); i += 2; continue }
                    if chars[i + 1] == "s" { out += "$1"; i += 2; continue }
                    if chars[i + 1] == "(", let close = chars[(i + 2)...].firstIndex(of: ")"), close + 1 < chars.count, chars[close + 1] == "s" {
                        out += "$1"
                        i = close + 2
                        continue
                    }
                }
            case .fstring:
                if (c == "{" || c == "}"), i + 1 < chars.count, chars[i + 1] == c { out.append(c); i += 2; continue }
                if c == "{" {
                    var depth = 1
                    var j = i + 1
                    while j < chars.count, depth > 0 {
                        if chars[j] == "{" { depth += 1 } else if chars[j] == "}" { depth -= 1 }
                        j += 1
                    }
                    out += "vm_field"
                    i = j
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// `text()`'s parameters (SQL.bindParameters) as `$1`, and its escaped colons `\:` as colons.
    private static func sqlalchemyParsable(_ chars: [Character]) -> String {
        var out = ""
        var i = 0
        for span in SQL.bindParameters(chars) + [chars.count..<chars.count] {
            while i < span.lowerBound {
                if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == ":" {
                    out.append(":")
                    i += 2
                } else {
                    out.append(chars[i])
                    i += 1
                }
            }
            if !span.isEmpty { out += "$1" }
            i = span.upperBound
        }
        return out
    }
}
