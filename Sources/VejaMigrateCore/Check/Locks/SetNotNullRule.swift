/// `set-not-null-scan`: `SET NOT NULL` on an existing table scans it under ACCESS EXCLUSIVE,
/// unless a validated `CHECK (col IS NOT NULL)` already proves it (PostgreSQL 12+).
struct SetNotNullRule: CheckRule {
    let id = "set-not-null-scan"
    let severity = CheckSeverity.warning
    let summary = "SET NOT NULL on an existing table scans it under an exclusive lock"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .alterColumn(let t, let col, let a) = c.change, a.nullable == false, c.onExistingTable,
                  let before = c.tableBefore, before.column(col)?.nullable != false, !Self.proven(col, in: before) else { return nil }
            return finding(m, c.line, ["table": t, "column": col])
        }
    }

    /// A validated CHECK that says `col IS NOT NULL`.
    static func proven(_ column: String, in t: SchemaTable) -> Bool {
        t.checks.contains { k in
            k.validated && k.condition.lowercased().replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
                .trimmed(" ") == "\(column.lowercased()) is not null"
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? "", chk = "chk_\(t)_\(col)_not_null"
        return CheckWords("\(t).\(col) is made NOT NULL: PostgreSQL scans \(t) under an ACCESS EXCLUSIVE lock",
                          fix: "first op.create_check_constraint(\"\(chk)\", \"\(t)\", \"\(col) IS NOT NULL\", postgresql_not_valid=True) and VALIDATE it (autocommit_block), then SET NOT NULL (no scan) and drop the CHECK; `vejamigrate new --spec` with alter_column writes this")
    }
}
