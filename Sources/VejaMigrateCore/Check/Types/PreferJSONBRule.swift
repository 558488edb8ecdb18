/// `prefer-jsonb`: a json column rather than jsonb.
struct PreferJSONBRule: CheckRule {
    let id = "prefer-jsonb"
    let severity = CheckSeverity.info
    let summary = "a json column rather than jsonb"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            ColumnTypes.columns(c).filter { col in col.type.kind == .json }.map { finding(m, c.line, ["table": $0.table, "column": $0.column, "type": $0.sql]) }
        })
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? "", type = d["type"] ?? ""
        _ = (t, col, type)
        return CheckWords("\(t).\(col) is json: it cannot be indexed or compared, and is parsed on every read", fix: "use postgresql.JSONB(astext_type=sa.Text())")
    }
}
