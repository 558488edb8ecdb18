/// `column-type-rewrite`: a type change that rewrites an existing table (PostgreSQL's
/// binary-coercible changes excepted: `TypeConversion.rewrites`).
struct ColumnTypeRewriteRule: CheckRule {
    let id = "column-type-rewrite"
    let severity = CheckSeverity.warning
    let summary = "a column type change rewrites an existing table"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .alterColumn(let t, let col, let a) = c.change, let type = a.type, c.onExistingTable,
                  let old = c.tableBefore?.column(col), !old.sqlType.isEmpty else { return nil }
            let new = a.sqlType ?? SQLTypes.sqlType(ofSQLAlchemy: type)
            guard !new.isEmpty, TypeConversion.rewrites(from: old.sqlType, to: new, using: nil) else { return nil }
            return finding(m, c.line, ["table": t, "column": col, "from": old.sqlType, "to": new])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? ""
        return CheckWords("changing \(t).\(col) from \(d["from"] ?? "") to \(d["to"] ?? "") rewrites \(t) and rebuilds its indexes under an ACCESS EXCLUSIVE lock",
                          fix: "add a new column of the new type, backfill it in batches, switch the application to it, then drop the old one")
    }
}
