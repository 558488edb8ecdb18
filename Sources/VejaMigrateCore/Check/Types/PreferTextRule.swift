/// `prefer-text`: a varchar(n) column.
struct PreferTextRule: CheckRule {
    let id = "prefer-text"
    let severity = CheckSeverity.info
    let summary = "a varchar(n) column"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            ColumnTypes.columns(c).filter { col in col.type.kind == .varchar && !col.type.modifiers.isEmpty }.map { finding(m, c.line, ["table": $0.table, "column": $0.column, "type": $0.sql]) }
        })
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", col = d["column"] ?? "", type = d["type"] ?? ""
        _ = (t, col, type)
        return CheckWords("\(t).\(col) is \(type): a later change of the limit takes an ACCESS EXCLUSIVE lock (narrowing rewrites the table)", fix: "use sa.Text() with a CHECK (char_length(\(col)) <= N) added NOT VALID when the limit matters")
    }
}
