/// `not-null-without-default`: a NOT NULL column added to a table that existed before, with no
/// server default: on a table with rows PostgreSQL refuses it.
struct NotNullWithoutDefaultRule: CheckRule {
    let id = "not-null-without-default"
    let severity = CheckSeverity.critical
    let summary = "a NOT NULL column without a default is added to an existing table"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            guard case .addColumns(let t, let f) = c.change, c.onExistingTable else { return [] }
            return f.columns.filter { !$0.nullable && $0.serverDefault == nil && $0.identity == nil && !f.primaryKey.contains($0.name) }.map {
                finding(m, c.line, ["table": t, "column": $0.name])
            }
        })
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? ""
        return CheckWords("\(t).\(col) is added NOT NULL without a server default: the migration fails on a table that has rows",
                          fix: "give it server_default=sa.text(\"...\"), or add it nullable=True, backfill it, then op.alter_column(\"\(t)\", \"\(col)\", nullable=False)")
    }
}
