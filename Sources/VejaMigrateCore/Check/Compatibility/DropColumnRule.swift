/// `drop-column`: a column is dropped.
struct DropColumnRule: CheckRule {
    let id = "drop-column"
    let severity = CheckSeverity.info
    let summary = "a column is dropped"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .dropColumn(let t, let col) = c.change, c.onExistingTable else { return nil }
            return finding(m, c.line, ["table": t, "column": col])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("\(d["table"] ?? "").\(d["column"] ?? "") is dropped: code still running the old version fails on it until it is deployed",
                   fix: "deploy code that no longer reads or writes the column first (SQLAlchemy: remove it from the model, or mark it deferred), then drop it")
    }
}
