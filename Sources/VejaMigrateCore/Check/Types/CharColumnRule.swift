/// `char-column`: a char(n) column.
struct CharColumnRule: CheckRule {
    let id = "char-column"
    let severity = CheckSeverity.warning
    let summary = "a char(n) column"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            ColumnTypes.columns(c).filter { col in col.type.kind == .char }.map { finding(m, c.line, ["table": $0.table, "column": $0.column, "type": $0.sql]) }
        })
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? "", type = d["type"] ?? ""
        _ = (t, col, type)
        return CheckWords("\(t).\(col) is \(type): char(n) pads values with spaces and is no faster than text", fix: "use sa.Text() (or sa.String() without a length)")
    }
}
