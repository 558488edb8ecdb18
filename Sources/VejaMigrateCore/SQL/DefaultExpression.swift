/// Checks the SQL expression of a `{"sql": ...}` default with the PostgreSQL grammar.
///
/// The text is parsed exactly where it will stand, `CREATE TABLE t (c text DEFAULT <expr> NOT NULL)`:
/// it must be one expression that ends where it started (no second column, constraint or
/// statement, no comment that swallows the rest of the line), and it may not name a column,
/// hold a subquery or a parameter, which PostgreSQL refuses in a default.
public enum DefaultExpression {
    /// Why `expression` cannot be a default, or nil when it can.
    public static func problem(_ expression: String) -> String? {
        let text = expression.trimmed(" ")
        if text.isEmpty { return "is an empty SQL expression" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains a line break or control character"
        }
        let probe = "CREATE TABLE t (c text DEFAULT \(text) NOT NULL)"
        let tree: JSONValue
        do {
            tree = try PostgresGrammar.parse(probe)
        } catch {
            return "is not an SQL expression PostgreSQL reads (\(error.message))"
        }
        let statements = PostgresGrammar.statements(tree)
        guard statements.count == 1, statements[0].node == "CreateStmt",
              case .array(let elements)? = statements[0].fields["tableElts"], elements.count == 1,
              case .object(let element) = elements[0], case .object(let column)? = element["ColumnDef"],
              case .array(let constraints)? = column["constraints"], constraints.count == 2,
              let defaultNode = constraint(constraints[0], type: "CONSTR_DEFAULT"),
              constraint(constraints[1], type: "CONSTR_NOTNULL") != nil
        else {
            return "is not a single SQL expression (the text goes on past where a default ends)"
        }
        let expr = defaultNode["raw_expr"] ?? .null
        if PostgresGrammar.contains(expr, node: ["SubLink"]) { return "holds a subquery, which a default cannot" }
        if PostgresGrammar.contains(expr, node: ["ColumnRef"]) { return "names a column, which a default cannot" }
        if PostgresGrammar.contains(expr, node: ["ParamRef"]) { return "holds a parameter ($1), which a default cannot" }
        return nil
    }

    private static func constraint(_ node: JSONValue, type: String) -> [String: JSONValue]? {
        guard case .object(let o) = node, case .object(let c)? = o["Constraint"], c["contype"] == .string(type) else { return nil }
        return c
    }
}

/// Checks a CHECK condition or an index's `WHERE` with the PostgreSQL grammar: one boolean
/// expression, standing where it will stand, and nothing after it.
public enum CheckExpression {
    /// Why `expression` cannot be a condition, or nil when it can.
    public static func problem(_ expression: String) -> String? {
        let text = expression.trimmed(" ")
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains a line break or control character"
        }
        let tree: JSONValue
        do {
            // Something must follow the condition (`NOT VALID`), so a `--` comment or a `)` that ends
            // the CHECK early cannot hide the rest of the line the migration writes after it.
            tree = try PostgresGrammar.parse("ALTER TABLE t ADD CONSTRAINT c CHECK (\(text)) NOT VALID")
        } catch {
            return "is not an SQL condition PostgreSQL reads (\(error.message))"
        }
        let statements = PostgresGrammar.statements(tree)
        guard statements.count == 1, statements[0].node == "AlterTableStmt",
              case .array(let commands)? = statements[0].fields["cmds"], commands.count == 1,
              let constraint = commands[0].objectValue?["AlterTableCmd"]?.objectValue?["def"]?.objectValue?["Constraint"]?.objectValue,
              constraint["skip_validation"] == .bool(true), constraint["is_no_inherit"] != .bool(true)
        else { return "is not a single SQL condition (the text goes on past where the condition ends)" }
        if PostgresGrammar.contains(tree, node: ["SubLink"]) { return "holds a subquery, which a CHECK cannot" }
        if PostgresGrammar.contains(tree, node: ["ParamRef"]) { return "holds a parameter ($1), which a CHECK cannot" }
        return nil
    }
}

/// The `USING` of a type change, read with PostgreSQL's grammar where it will stand.
public enum UsingExpression {
    /// Why `expression` cannot convert a column's values, or nil when it can.
    public static func problem(_ expression: String) -> String? {
        let text = expression.trimmed(" ")
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains a line break or control character"
        }
        let tree: JSONValue
        do {
            // A second command must follow, so a `--` comment or a `)` that ends the expression early
            // cannot hide the rest of what the migration writes after it.
            tree = try PostgresGrammar.parse("ALTER TABLE t ALTER COLUMN c TYPE text USING (\(text)), ALTER COLUMN c DROP DEFAULT")
        } catch {
            return "is not an SQL expression PostgreSQL reads (\(error.message))"
        }
        let statements = PostgresGrammar.statements(tree)
        guard statements.count == 1, statements[0].node == "AlterTableStmt",
              case .array(let commands)? = statements[0].fields["cmds"], commands.count == 2,
              commands[0].objectValue?["AlterTableCmd"]?.objectValue?["subtype"]?.stringValue == "AT_AlterColumnType"
        else { return "is not a single SQL expression (the text goes on past where the expression ends)" }
        if PostgresGrammar.contains(tree, node: ["SubLink"]) { return "holds a subquery, which PostgreSQL refuses in USING" }
        if PostgresGrammar.contains(tree, node: ["ParamRef"]) { return "holds a parameter ($1), which USING cannot" }
        return nil
    }
}
