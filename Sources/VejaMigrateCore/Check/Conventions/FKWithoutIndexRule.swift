/// `fk-without-index`: a foreign key whose columns lead no index, unique constraint or primary key
/// of the table once the migration is done (deletes on the referenced table then scan it).
struct FKWithoutIndexRule: CheckRule {
    let id = "fk-without-index"
    let severity = CheckSeverity.warning
    let summary = "a foreign key column has no index"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.upgradeChanges(many: { m, c in
            let fks: [(String, SchemaForeignKey)]
            switch c.change {
            case .createTable(let t): fks = t.foreignKeys.map { (t.name, $0) }
            case .addColumns(let t, let f): fks = f.foreignKeys.map { (t, $0) }
            case .addForeignKey(let t, let fk): fks = [(t, fk)]
            default: return []
            }
            return fks.compactMap { table, fk in
                // The table as the migration leaves it: an index made later in the same file counts.
                guard case .some(.some(let after)) = m.tablesAfter[table], after.foreignKeys.contains(where: { $0.name == fk.name }),
                      !Self.isIndexed(fk.columns, in: after) else { return nil }
                // An index a later migration adds mends it.
                if let last = context.finalSchema.tables[table], last.foreignKeys.contains(where: { $0.name == fk.name }),
                   Self.isIndexed(fk.columns, in: last) { return nil }
                return finding(m, c.line, ["table": table, "columns": fk.columns.joined(separator: ", "), "name": fk.name,
                                           "index": "idx_\(table)_" + fk.columns.joined(separator: "_")])
            }
        })
    }

    /// Whether some index, unique constraint or the primary key starts with `columns`.
    static func isIndexed(_ columns: [String], in t: SchemaTable) -> Bool {
        func leads(_ key: [String]) -> Bool { key.count >= columns.count && Array(key.prefix(columns.count)) == columns }
        return leads(t.primaryKey) || t.uniques.contains { leads($0.columns) } || t.indexes.contains { $0.predicate == nil && leads($0.columns) }
    }

    func words(_ d: [String: String]) -> CheckWords {
        let table = d["table"] ?? "", columns = d["columns"] ?? ""
        let list = columns.split(separator: ",").map { "\"\($0.trimmed(" "))\"" }.joined(separator: ", ")
        return CheckWords("foreign key \(d["name"] ?? "") on \(table)(\(columns)) has no index: every delete or key change on the referenced table scans \(table)",
                          fix: "op.create_index(\"\(d["index"] ?? "")\", \"\(table)\", [\(list)])")
    }
}
