/// `volatile-default-on-existing-table`: a column added to an existing table with a volatile
/// default (`gen_random_uuid()`, `clock_timestamp()`, `random()`, `nextval`): PostgreSQL rewrites
/// the table and its indexes under an ACCESS EXCLUSIVE lock. (`now()` is stable: no rewrite.)
struct VolatileDefaultRule: CheckRule {
    let id = "volatile-default-on-existing-table"
    let severity = CheckSeverity.warning
    let summary = "a column with a volatile default is added to an existing table"

    static let volatile = ["gen_random_uuid", "uuid_generate_v1", "uuid_generate_v4", "clock_timestamp", "timeofday", "random", "nextval", "statement_timestamp", "txid_current"]

    static func isVolatile(_ expression: String) -> Bool {
        volatile.contains { SQLWords.mentions(expression, $0) }
    }

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            guard case .addColumns(let t, let f) = c.change, c.onExistingTable else { return [] }
            return f.columns.compactMap { col in
                guard let d = col.serverDefault, Self.isVolatile(d) else { return nil }
                return finding(m, c.line, ["table": t, "column": col.name, "default": d])
            }
        })
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? ""
        return CheckWords("\(t).\(col) is added with the volatile default \(d["default"] ?? ""): PostgreSQL rewrites \(t) under an ACCESS EXCLUSIVE lock",
                          fix: "add the column without a default, set the default with op.alter_column(\"\(t)\", \"\(col)\", server_default=...) (new rows only), and backfill existing rows in batches")
    }
}
