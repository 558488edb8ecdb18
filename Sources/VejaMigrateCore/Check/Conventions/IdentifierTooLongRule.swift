/// `identifier-too-long`: a name over PostgreSQL's 63 bytes, which the server cuts short, so the
/// name in the file is not the one in the database (and a later drop by name fails).
struct IdentifierTooLongRule: CheckRule {
    let id = "identifier-too-long"
    let severity = CheckSeverity.critical
    let summary = "a name is longer than PostgreSQL's 63 bytes"

    static let limit = 63

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            var names: [(String, String)] = []
            func table(_ t: SchemaTable, kind: String) {
                if kind == "table" { names.append(("table", t.name)) }
                names += t.columns.map { ("column", $0.name) } + t.checks.map { ("constraint", $0.name) } + t.uniques.map { ("constraint", $0.name) }
                names += t.foreignKeys.map { ("constraint", $0.name) } + t.indexes.map { ("index", $0.name) }
                if let pk = t.primaryKeyName { names.append(("constraint", pk)) }
            }
            switch c.change {
            case .createTable(let t): table(t, kind: "table")
            case .addColumns(_, let f): table(f, kind: "fragment")
            case .createIndex(_, let i): names.append(("index", i.name))
            case .addCheck(_, let k): names.append(("constraint", k.name))
            case .addForeignKey(_, let k): names.append(("constraint", k.name))
            case .addUnique(_, let k): names.append(("constraint", k.name))
            case .addPrimaryKey(_, let n, _): names.append(("constraint", n))
            case .renameTable(_, let n): names.append(("table", n))
            case .alterColumn(_, _, let a): if let n = a.newName { names.append(("column", n)) }
            case .renameIndex(_, let n): names.append(("index", n))
            case .renameConstraint(_, _, let n): names.append(("constraint", n))
            default: return []
            }
            return names.filter { $0.1.utf8.count > Self.limit }.map { kind, name in
                finding(m, c.line, ["kind": kind, "name": name, "bytes": String(name.utf8.count),
                                    "truncated": String(decoding: Array(name.utf8.prefix(Self.limit)), as: UTF8.self)])
            }
        })
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("the \(d["kind"] ?? "") name \(d["name"] ?? "") is \(d["bytes"] ?? "") bytes; PostgreSQL keeps only 63 (\(d["truncated"] ?? ""))",
                   fix: "choose a name of at most 63 bytes (shorten the description part, e.g. idx_<table>_<short>)")
    }
}
