/// `prefer-timestamptz`: a timestamp column without time zone.
struct PreferTimestamptzRule: CheckRule {
    let id = "prefer-timestamptz"
    let severity = CheckSeverity.warning
    let summary = "a timestamp column without time zone"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            ColumnTypes.columns(c).filter { col in col.type.kind == .timestamp }.map { finding(m, c.line, ["table": $0.table, "column": $0.column, "type": $0.sql]) }
        })
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? "", type = d["type"] ?? ""
        _ = (t, col, type)
        return CheckWords("\(t).\(col) is \(type): a timestamp without time zone reads differently in every session time zone", fix: "use sa.DateTime(timezone=True) (timestamptz)")
    }
}
