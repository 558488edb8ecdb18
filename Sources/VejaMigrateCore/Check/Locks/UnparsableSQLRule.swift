/// `unparsable-sql`: SQL in `op.execute` that PostgreSQL's grammar does not accept: it fails
/// when the migration runs (and `check` cannot review it).
struct UnparsableSQLRule: CheckRule {
    let id = "unparsable-sql"
    let severity = CheckSeverity.warning
    let summary = "SQL in op.execute does not parse"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .opaque(let what, _, let error?) = c.change else { return nil }
            return finding(m, c.line, ["call": what, "error": error])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("the SQL of \(d["call"] ?? "op.execute") does not parse as PostgreSQL: \(d["error"] ?? "")",
                   fix: "fix the statement (run it through `psql` to see), or split several statements with `;`")
    }
}
