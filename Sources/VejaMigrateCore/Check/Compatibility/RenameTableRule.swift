/// `rename-table`: a table is renamed.
struct RenameTableRule: CheckRule {
    let id = "rename-table"
    let severity = CheckSeverity.info
    let summary = "a table is renamed"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .renameTable(let t, let new) = c.change, c.onExistingTable else { return nil }
            return finding(m, c.line, ["table": t, "to": new])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("table \(d["table"] ?? "") is renamed to \(d["to"] ?? ""): code running the old version fails on it",
                   fix: "deploy code and migration together, or keep a view under the old name until the old code is gone")
    }
}
