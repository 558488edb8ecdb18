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
        let tree: JSONValue
        switch EmbeddedSQL.parse(text, as: "an SQL expression", in: { "CREATE TABLE t (c text DEFAULT \($0) NOT NULL)" }) {
        case .success(let t): tree = t
        case .failure(let problem): return problem.text
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
        return EmbeddedSQL.forbidden(in: defaultNode["raw_expr"] ?? .null, [
            ("SubLink", "holds a subquery, which a default cannot"),
            ("ColumnRef", "names a column, which a default cannot"),
            ("ParamRef", "holds a parameter ($1), which a default cannot"),
        ])
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
        let tree: JSONValue
        // Something must follow the condition (`NOT VALID`), so a `--` comment or a `)` that ends
        // the CHECK early cannot hide the rest of the line the migration writes after it.
        switch EmbeddedSQL.parse(expression.trimmed(" "), as: "an SQL condition", in: { "ALTER TABLE t ADD CONSTRAINT c CHECK (\($0)) NOT VALID" }) {
        case .success(let t): tree = t
        case .failure(let problem): return problem.text
        }
        let statements = PostgresGrammar.statements(tree)
        guard statements.count == 1, statements[0].node == "AlterTableStmt",
              case .array(let commands)? = statements[0].fields["cmds"], commands.count == 1,
              let constraint = commands[0].objectValue?["AlterTableCmd"]?.objectValue?["def"]?.objectValue?["Constraint"]?.objectValue,
              constraint["skip_validation"] == .bool(true), constraint["is_no_inherit"] != .bool(true)
        else { return "is not a single SQL condition (the text goes on past where the condition ends)" }
        return EmbeddedSQL.forbidden(in: tree, [
            ("SubLink", "holds a subquery, which a CHECK cannot"),
            ("ParamRef", "holds a parameter ($1), which a CHECK cannot"),
        ])
    }
}

/// The `USING` of a type change, read with PostgreSQL's grammar where it will stand.
public enum UsingExpression {
    /// Why `expression` cannot convert a column's values, or nil when it can.
    public static func problem(_ expression: String) -> String? {
        let tree: JSONValue
        // A second command must follow, so a `--` comment or a `)` that ends the expression early
        // cannot hide the rest of what the migration writes after it.
        let probe = { (text: String) in "ALTER TABLE t ALTER COLUMN c TYPE text USING (\(text)), ALTER COLUMN c DROP DEFAULT" }
        switch EmbeddedSQL.parse(expression.trimmed(" "), as: "an SQL expression", in: probe) {
        case .success(let t): tree = t
        case .failure(let problem): return problem.text
        }
        let statements = PostgresGrammar.statements(tree)
        guard statements.count == 1, statements[0].node == "AlterTableStmt",
              case .array(let commands)? = statements[0].fields["cmds"], commands.count == 2,
              commands[0].objectValue?["AlterTableCmd"]?.objectValue?["subtype"]?.stringValue == "AT_AlterColumnType"
        else { return "is not a single SQL expression (the text goes on past where the expression ends)" }
        return EmbeddedSQL.forbidden(in: tree, [
            ("SubLink", "holds a subquery, which PostgreSQL refuses in USING"),
            ("ParamRef", "holds a parameter ($1), which USING cannot"),
        ])
    }
}

/// What the three checks above share: a fragment of SQL parsed exactly where the migration will
/// put it, and the kinds of node that may not appear in it.
enum EmbeddedSQL {
    struct Problem: Error {
        var text: String
    }

    /// The parse tree of `probe(text)`, or why `text` (called `kind` in the message) cannot stand there.
    static func parse(_ text: String, as kind: String, in probe: (String) -> String) -> Result<JSONValue, Problem> {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(Problem(text: "contains a line break or control character"))
        }
        do {
            return .success(try PostgresGrammar.parse(probe(text)))
        } catch {
            return .failure(Problem(text: "is not \(kind) PostgreSQL reads (\(error.message))"))
        }
    }

    /// The message of the first forbidden node kind found in `tree`, or nil.
    static func forbidden(in tree: JSONValue, _ rules: [(node: String, problem: String)]) -> String? {
        rules.first { PostgresGrammar.contains(tree, node: [$0.node]) }?.problem
    }
}
