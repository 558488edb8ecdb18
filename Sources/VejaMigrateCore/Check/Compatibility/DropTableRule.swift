/// `drop-table`: a table is dropped.
struct DropTableRule: CheckRule {
    let id = "drop-table"
    let severity = CheckSeverity.info
    let summary = "a table is dropped"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .dropTable(let t) = c.change, c.onExistingTable else { return nil }
            return finding(m, c.line, ["table": t])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("table \(d["table"] ?? "") is dropped: its data is gone, and code still using it fails",
                   fix: "make sure no code reads it and the data is kept elsewhere; the downgrade rebuilds the table, not its rows")
    }
}
