/// `missing-downgrade`: the file defines no `downgrade()` (the conventions' rule 4: always both).
struct MissingDowngradeRule: CheckRule {
    let id = "missing-downgrade"
    let severity = CheckSeverity.warning
    let summary = "the migration has no downgrade()"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.inScope.compactMap { m in
            guard m.source.downgradeChanges != nil, m.source.downgradeOutline == nil else { return nil }
            return finding(m, m.source.upgradeOutline?.line ?? 1, [:])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("the migration defines no downgrade()", fix: "add `def downgrade() -> None:` that undoes upgrade() in reverse order")
    }
}
