/// `manual-transaction`: `BEGIN` / `COMMIT` / `ROLLBACK` in SQL the migration executes: Alembic
/// owns the transaction; one sent by hand ends it early (and what follows runs outside it).
struct ManualTransactionRule: CheckRule {
    let id = "manual-transaction"
    let severity = CheckSeverity.warning
    let summary = "the migration sends BEGIN / COMMIT itself"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .transaction(let verb) = c.change else { return nil }
            return finding(m, c.line, ["verb": verb])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("the migration sends \(d["verb"] ?? "COMMIT") itself: Alembic owns the transaction, and this ends it or nests it",
                   fix: "remove it; for statements that must run outside the transaction use `with op.get_context().autocommit_block():`")
    }
}
