/// `blocking-unique-constraint`: a unique constraint or primary key added to an existing table
/// builds its index under ACCESS EXCLUSIVE (reads and writes wait).
struct BlockingUniqueConstraintRule: CheckRule {
    let id = "blocking-unique-constraint"
    let severity = CheckSeverity.warning
    let summary = "a unique constraint or primary key is added to an existing table"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges { m, c in
            guard c.onExistingTable else { return nil }
            switch c.change {
            case .addUnique(let t, let u): return finding(m, c.line, ["table": t, "name": u.name, "kind": "unique constraint", "columns": u.columns.joined(separator: ", ")])
            case .addPrimaryKey(let t, let n, let cols): return finding(m, c.line, ["table": t, "name": n, "kind": "primary key", "columns": cols.joined(separator: ", ")])
            default: return nil
            }
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        let t = d["table"] ?? "", n = d["name"] ?? "", kind = d["kind"] ?? ""
        let clause = kind == "primary key" ? "PRIMARY KEY" : "UNIQUE"
        return CheckWords("the \(kind) \(n) on \(t) builds its index under an ACCESS EXCLUSIVE lock: reads and writes wait",
                          fix: "build the index first: with op.get_context().autocommit_block(): op.create_index(\"\(n)\", \"\(t)\", [...], unique=True, postgresql_concurrently=True); then op.execute(\"ALTER TABLE \(t) ADD CONSTRAINT \(n) \(clause) USING INDEX \(n)\")")
    }
}
