/// `check-not-valid`: a CHECK added to an existing table without `NOT VALID`: the scan runs under
/// ACCESS EXCLUSIVE (reads and writes wait).
struct CheckNotValidRule: CheckRule {
    let id = "check-not-valid"
    let severity = CheckSeverity.warning
    let summary = "a CHECK is added to an existing table without NOT VALID"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .addCheck(let t, let k) = c.change, c.onExistingTable, k.validated else { return nil }
            // A CHECK on a column this migration added (still empty but for its default) is cheap.
            return finding(m, c.line, ["table": t, "name": k.name])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", n = d["name"] ?? ""
        return CheckWords("CHECK \(n) is added to \(t) and checked at once, under an ACCESS EXCLUSIVE lock",
                          fix: "op.create_check_constraint(\"\(n)\", \"\(t)\", \"...\", postgresql_not_valid=True), then op.execute(\"ALTER TABLE \(t) VALIDATE CONSTRAINT \(n)\")")
    }
}
