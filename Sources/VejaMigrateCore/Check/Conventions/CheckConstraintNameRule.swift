/// `check-constraint-name`: a CHECK is not named `chk_<table>_<column>` (a value list on one
/// column) or `chk_<table>_<name>` (any other).
struct CheckConstraintNameRule: CheckRule {
    let id = "check-constraint-name"
    let severity = CheckSeverity.warning
    let summary = "a CHECK constraint is not named chk_<table>_<column>"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            let checks: [(String, SchemaCheck)]
            switch c.change {
            case .createTable(let t): checks = t.checks.map { (t.name, $0) }
            case .addColumns(let t, let f): checks = f.checks.map { (t, $0) }
            case .addCheck(let t, let check): checks = [(t, check)]
            default: return []
            }
            return checks.compactMap { table, check in
                guard let expected = Self.expectedName(table, check), !Self.conforms(check.name, table: table, expected: expected) else { return nil }
                return finding(m, c.line, ["table": table, "name": check.name, "expected": expected])
            }
        })
    }

    /// The name the conventions give: `chk_<table>_<column>` for a value list, else `chk_<table>_<name>`.
    static func expectedName(_ table: String, _ check: SchemaCheck) -> String? {
        if check.values != nil, let column = check.column { return "chk_\(table)_\(column)" }
        return "chk_\(table)_<name>"
    }

    static func conforms(_ name: String, table: String, expected: String) -> Bool {
        if expected.hasSuffix("_<name>") { return name.hasPrefix("chk_\(table)_") && name.count > "chk_\(table)_".count }
        return name == expected
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("the CHECK constraint on \(d["table"] ?? "") is named \(d["name"] ?? ""), not \(d["expected"] ?? "")",
                   fix: "name it \(d["expected"] ?? ""): sa.CheckConstraint(\"...\", name=\"\(d["expected"] ?? "")\")")
    }
}
