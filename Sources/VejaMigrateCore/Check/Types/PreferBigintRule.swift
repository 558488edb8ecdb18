/// `prefer-bigint`: an integer primary key smaller than bigint.
struct PreferBigintRule: CheckRule {
    let id = "prefer-bigint"
    let severity = CheckSeverity.info
    let summary = "an integer primary key smaller than bigint"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            ColumnTypes.columns(c).filter { col in col.solePrimaryKey && (col.type.kind == .int4 || col.type.kind == .int2) }.map { finding(m, c.line, ["table": $0.table, "column": $0.column, "type": $0.sql]) }
        })
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? "", type = d["type"] ?? ""
        _ = (t, col, type)
        return CheckWords("the primary key \(t).\(col) is \(type): it runs out at \(type == "smallint" ? "32,767" : "2,147,483,647"), and widening it later rewrites the table", fix: "use sa.BigInteger() (or a UUID key: postgresql.UUID(as_uuid=True) with server_default=sa.text(\"gen_random_uuid()\"))")
    }
}
