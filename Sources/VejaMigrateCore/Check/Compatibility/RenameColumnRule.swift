/// `rename-column`: a column is renamed.
struct RenameColumnRule: CheckRule {
    let id = "rename-column"
    let severity = CheckSeverity.info
    let summary = "a column is renamed"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .alterColumn(let t, let col, let a) = c.change, let new = a.newName, new != col, c.onExistingTable else { return nil }
            return finding(m, c.line, ["table": t, "column": col, "to": new])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("\(d["table"] ?? "").\(d["column"] ?? "") is renamed to \(d["to"] ?? ""): code running the old version fails on it",
                   fix: "add the new column, write both, backfill, switch reads, then drop the old one; or deploy code and migration together")
    }
}
