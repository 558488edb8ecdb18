/// `concurrently-in-transaction`: `CONCURRENTLY` outside `autocommit_block()`: PostgreSQL refuses
/// it inside the migration's transaction ("cannot run inside a transaction block").
struct ConcurrentlyInTransactionRule: CheckRule {
    let id = "concurrently-in-transaction"
    let severity = CheckSeverity.critical
    let summary = "CONCURRENTLY runs inside the migration's transaction"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard c.concurrently, !c.inAutocommit else { return nil }
            let verb: String
            switch c.change {
            case .createIndex(_, let i): verb = "CREATE INDEX CONCURRENTLY \(i.name)"
            case .dropIndex(let i, _): verb = "DROP INDEX CONCURRENTLY \(i)"
            default: verb = "CONCURRENTLY"
            }
            return finding(m, c.line, ["statement": verb])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("\(d["statement"] ?? "CONCURRENTLY") runs inside the migration's transaction, which PostgreSQL refuses",
                   fix: "put it under `with op.get_context().autocommit_block():`")
    }
}
