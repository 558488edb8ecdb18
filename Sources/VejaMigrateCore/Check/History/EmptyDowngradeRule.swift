/// `empty-downgrade`: `upgrade()` changes something and `downgrade()` is only `pass`.
struct EmptyDowngradeRule: CheckRule {
    let id = "empty-downgrade"
    let severity = CheckSeverity.warning
    let summary = "upgrade() changes something, downgrade() is pass"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.inScope.compactMap { m in
            guard let down = m.source.downgradeOutline, down.passOnly, !m.upgrade.isEmpty, !UnfinishedTemplateRule.isTemplate(down, in: m.source) else { return nil }
            return finding(m, down.line, ["changes": String(m.upgrade.count)])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("upgrade() makes \(d["changes"] ?? "some") change(s) but downgrade() is `pass`: `alembic downgrade` would leave them in place",
                   fix: "write the inverse of each upgrade step in reverse order (op.drop_table for op.create_table, op.drop_column for op.add_column, ...), or raise NotImplementedError to say it cannot be undone")
    }
}
