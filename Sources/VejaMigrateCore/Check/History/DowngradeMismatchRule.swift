/// `downgrade-mismatch`: replaying `upgrade()` and then `downgrade()` does not give back the schema
/// the upgrade found (both read statically; skipped when either is not read whole).
struct DowngradeMismatchRule: CheckRule {
    let id = "downgrade-mismatch"
    let severity = CheckSeverity.warning
    let summary = "downgrade() does not undo upgrade()"

    func findings(in context: CheckContext) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for m in context.inScope {
            guard let differences = m.downgradeDifferences, let down = m.source.downgradeOutline, !down.passOnly else { continue }
            for (table, difference) in differences {
                out.append(finding(m, down.line, ["table": table, "difference": difference]))
            }
        }
        return out
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("after upgrade() and downgrade(), \(d["table"] ?? "a table") is not what upgrade() found: \(d["difference"] ?? "")",
                   fix: "make downgrade() undo each upgrade step exactly, in reverse order (the column with its type, nullability and default; every index and constraint by name)")
    }
}
