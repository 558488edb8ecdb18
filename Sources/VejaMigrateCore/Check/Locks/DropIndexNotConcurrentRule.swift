/// `drop-index-not-concurrent`: an index of an existing table dropped without `CONCURRENTLY`
/// (ACCESS EXCLUSIVE on the table while it waits for every query using it).
struct DropIndexNotConcurrentRule: CheckRule {
    let id = "drop-index-not-concurrent"
    let severity = CheckSeverity.warning
    let summary = "an index is dropped without CONCURRENTLY"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .dropIndex(let name, _) = c.change, c.onExistingTable, !c.concurrently, c.tableBefore != nil,
                  // Dropping the table later in the same migration locks it whole anyway.
                  let table = c.table, case .some(.some) = m.tablesAfter[table] else { return nil }
            return finding(m, c.line, ["table": c.table ?? "", "name": name])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("index \(d["name"] ?? "") is dropped without CONCURRENTLY: \(d["table"] ?? "") is locked for reads and writes until every query using it ends",
                   fix: "with op.get_context().autocommit_block():\n    op.drop_index(\"\(d["name"] ?? "")\", table_name=\"\(d["table"] ?? "")\", postgresql_concurrently=True)")
    }
}
