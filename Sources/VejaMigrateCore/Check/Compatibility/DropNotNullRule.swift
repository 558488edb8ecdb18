/// `drop-not-null`: NOT NULL is dropped.
struct DropNotNullRule: CheckRule {
    let id = "drop-not-null"
    let severity = CheckSeverity.info
    let summary = "NOT NULL is dropped"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .alterColumn(let t, let col, let a) = c.change, a.nullable == true, c.onExistingTable, c.tableBefore?.column(col)?.nullable == false else { return nil }
            return finding(m, c.line, ["table": t, "column": col])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("\(d["table"] ?? "").\(d["column"] ?? "") may hold NULL from now on: code that assumes a value may break",
                   fix: "make sure readers handle NULL; the downgrade's SET NOT NULL fails once a NULL is stored (it needs a backfill)")
    }
}
