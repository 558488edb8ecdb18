/// `empty-downgrade`: `upgrade()` changes something and `downgrade()` is only `pass`.
struct EmptyDowngradeRule: CheckRule {
    let id = "empty-downgrade"
    let severity = CheckSeverity.warning
    let summary = "upgrade() changes the schema, downgrade() is pass"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.inScope.compactMap { m in
            // Rows changed (a data migration) have no schema to undo: `pass` is the usual downgrade.
            let shapes = m.upgrade.filter { c in
                switch c.change {
                case .data, .transaction: return false
                default: return true
                }
            }
            guard let down = m.source.downgradeOutline, down.passOnly, !shapes.isEmpty, !UnfinishedTemplateRule.isTemplate(down, in: m.source) else { return nil }
            return finding(m, down.line, ["changes": String(shapes.count)])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("upgrade() makes \(d["changes"] ?? "some") schema change(s) but downgrade() is `pass`: `alembic downgrade` would leave them in place",
                   fix: "write the inverse of each upgrade step in reverse order (op.drop_table for op.create_table, op.drop_column for op.add_column, ...), or raise NotImplementedError to say it cannot be undone")
    }
}
