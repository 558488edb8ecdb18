/// `foreign-key-not-valid`: a foreign key added to an existing table without `NOT VALID`: the
/// scan that checks every row holds SHARE ROW EXCLUSIVE on both tables (writes wait).
struct ForeignKeyNotValidRule: CheckRule {
    let id = "foreign-key-not-valid"
    let severity = CheckSeverity.warning
    let summary = "a foreign key is added to an existing table without NOT VALID"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard case .addForeignKey(let t, let fk) = c.change, c.onExistingTable, fk.validated else { return nil }
            return finding(m, c.line, ["table": t, "name": fk.name, "referenced": fk.referencedTable])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", n = d["name"] ?? ""
        return CheckWords("foreign key \(n) is added to \(t) and checked at once: writes to \(t) and \(d["referenced"] ?? "") wait for the scan",
                          fix: "op.create_foreign_key(\"\(n)\", \"\(t)\", ..., postgresql_not_valid=True), then in a later step op.execute(\"ALTER TABLE \(t) VALIDATE CONSTRAINT \(n)\")")
    }
}
