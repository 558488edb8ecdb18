/// `backfill-in-transaction`: rows changed (UPDATE, DELETE, INSERT ... SELECT, a DO block) in the
/// migration's transaction after a statement that took ACCESS EXCLUSIVE on the same existing
/// table: the lock is held until the whole backfill commits.
struct BackfillInTransactionRule: CheckRule {
    let id = "backfill-in-transaction"
    let severity = CheckSeverity.warning
    let summary = "a backfill runs in the transaction that altered the table"

    func findings(in context: CheckContext) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for m in context.inScope {
            var locked = Set<String>()  // existing tables locked by DDL in the open transaction
            for c in m.upgrade {
                if c.inAutocommit {
                    // autocommit_block commits what came before it.
                    locked.removeAll()
                    continue
                }
                if case .transaction = c.change { locked.removeAll(); continue }
                if case .data(let verb, let table?) = c.change, verb != "INSERT", locked.contains(table) {
                    out.append(finding(m, c.line, ["table": table, "verb": verb]))
                    continue
                }
                if c.onExistingTable, let t = c.table, Self.locksExclusively(c.change) { locked.insert(t) }
            }
        }
        return out
    }

    static func locksExclusively(_ change: SchemaChange) -> Bool {
        switch change {
        case .data, .createIndex, .validateConstraint, .opaque, .transaction: return false
        default: return true
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? ""
        return CheckWords("\(d["verb"] ?? "UPDATE") on \(t) runs in the transaction that altered \(t): its ACCESS EXCLUSIVE lock is held until the backfill commits",
                          fix: "run the backfill under `with op.get_context().autocommit_block():` (in batches), or in a migration of its own")
    }
}
