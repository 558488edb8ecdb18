/// `index-not-concurrent`: an index built on an existing table without `CONCURRENTLY`, which
/// blocks writes (SHARE lock) for the whole build.
struct IndexNotConcurrentRule: CheckRule {
    let id = "index-not-concurrent"
    let severity = CheckSeverity.warning
    let summary = "an index on an existing table is built without CONCURRENTLY"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .createIndex(let t, let i) = c.change, c.onExistingTable, !c.concurrently else { return nil }
            return finding(m, c.line, ["table": t, "name": i.name])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("index \(d["name"] ?? "") is built on \(d["table"] ?? "") without CONCURRENTLY: writes to the table wait for the whole build",
                   fix: "with op.get_context().autocommit_block():\n    op.create_index(\"\(d["name"] ?? "")\", \"\(d["table"] ?? "")\", [...], postgresql_concurrently=True)")
    }
}
