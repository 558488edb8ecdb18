/// A `DO` block's PL/pgSQL body, read just far enough to tell a block that only changes data
/// (the batched backfill vejamigrate writes, or a hand-written loop of UPDATEs) from one that may
/// change a table's shape, which stays opaque.
///
/// The body is split into statements at `;` outside quotes; PL/pgSQL's own statements
/// (declarations, `BEGIN`/`END`, loops, `EXIT`, `COMMIT`, assignments) are skipped, `SELECT .. INTO`
/// is read as the query it is, and everything else must be a data statement to PostgreSQL's grammar.
enum DoBlock {
    /// The body of a `DoStmt`'s fields (`DO $$ .. $$`), if it is PL/pgSQL.
    static func body(_ fields: [String: JSONValue]) -> String? {
        guard case .array(let args)? = fields["args"] else { return nil }
        var body: String?
        for arg in args {
            guard let d = arg.objectValue?["DefElem"]?.objectValue else { continue }
            let value = d["arg"]?.objectValue?["String"]?.objectValue?["sval"]?.stringValue
            switch d["defname"]?.stringValue {
            case "as": body = value
            case "language": if value?.lowercased() != "plpgsql" { return nil }
            default: break
            }
        }
        return body
    }

    /// Whether every statement of `body` leaves every table's shape as it was.
    static func isDataOnly(_ body: String) -> Bool {
        var declaring = false
        var sawStatement = false
        for raw in statements(body) {
            var s = raw.trimmed(" \t\r\n")
            var lower = s.lowercased()
            if lower.hasPrefix("declare") {
                declaring = true
                continue
            }
            // Block and loop keywords that open a statement: BEGIN, LOOP, WHILE .. LOOP, END LOOP, END.
            var stripped = true
            while stripped {
                stripped = false
                for keyword in ["begin", "end loop", "end if", "end", "loop", "else"] where lower == keyword || lower.hasPrefix(keyword + " ") || lower.hasPrefix(keyword + "\n") {
                    s = String(s.dropFirst(keyword.count)).trimmed(" \t\r\n")
                    lower = s.lowercased()
                    declaring = declaring && keyword != "begin"
                    stripped = true
                }
                if lower.hasPrefix("while "), let range = lower.range(of: " loop") {
                    s = String(s[range.upperBound...]).trimmed(" \t\r\n")
                    lower = s.lowercased()
                    stripped = true
                }
            }
            if s.isEmpty || declaring { continue }
            if lower.hasPrefix("exit") || lower.hasPrefix("continue") || lower == "commit" || lower == "rollback" || lower.hasPrefix("raise ") { continue }
            if isAssignment(s) { continue }
            // SELECT .. INTO variable FROM ..: a query whose result PL/pgSQL keeps.
            if lower.hasPrefix("select "), let into = lower.range(of: " into ") {
                let rest = s[into.upperBound...].drop(while: { $0 == " " })
                let variable = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
                s = String(s[..<into.lowerBound]) + " " + rest.dropFirst(variable.count)
            }
            guard ExecutedSQL.isDataOnly(s, placeholders: .sqlalchemyText) else { return false }
            sawStatement = true
        }
        return sawStatement
    }

    /// `name = expression` or `name := expression`.
    private static func isAssignment(_ s: String) -> Bool {
        let name = s.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
        guard !name.isEmpty, name.first?.isLetter == true || name.first == "_" else { return false }
        let rest = s.dropFirst(name.count).drop(while: { $0 == " " })
        return rest.hasPrefix(":=") || (rest.hasPrefix("=") && !rest.hasPrefix("=="))
    }

    /// The statements of a body, split at `;` outside single quotes.
    private static func statements(_ body: String) -> [String] {
        var out: [String] = [], current = "", quoted = false
        for ch in body {
            if ch == "'" { quoted.toggle() }
            if ch == ";" && !quoted {
                out.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        out.append(current)
        return out
    }
}
