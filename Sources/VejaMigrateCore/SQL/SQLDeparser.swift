/// Turns parts of a libpg_query parse tree back into SQL text, in one canonical spelling:
/// keywords upper case, one space around binary operators, a nested operation in parentheses,
/// types as PostgreSQL's `format_type` names them (`character varying(32)`, `timestamp with time zone`).
///
/// The canonical text lets a CHECK written with `sa.CheckConstraint("status IN ('A','B')")` and
/// the same CHECK written in `op.execute` SQL compare equal. A node it does not know is written
/// as `?(NodeName)` and makes `isComplete` false, never a wrong expression.
struct SQLDeparser {
    /// False once a node was met that this deparser cannot write.
    private(set) var isComplete = true

    // MARK: Expressions

    mutating func expression(_ node: JSONValue) -> String {
        guard case .object(let o) = node, let (kind, value) = o.first, case .object(let n) = value else {
            if case .object(let o) = node, o.isEmpty { return "" }
            isComplete = false
            return "?"
        }
        switch kind {
        case "A_Const":
            return constant(n)
        case "ColumnRef":
            return names(n["fields"]).map { $0 == "*" ? $0 : Self.identifier($0) }.joined(separator: ".")
        case "ParamRef":
            return "$" + String(n["number"]?.intValue ?? 0)
        case "FuncCall":
            return functionCall(n)
        case "TypeCast":
            let arg = operand(n["arg"] ?? .null)
            return arg + "::" + typeName(n["typeName"] ?? .null).text
        case "A_Expr":
            return operatorExpression(n)
        case "BoolExpr":
            let args = list(n["args"]).map { operand($0) }
            switch n["boolop"]?.stringValue {
            case "AND_EXPR": return args.joined(separator: " AND ")
            case "OR_EXPR": return args.joined(separator: " OR ")
            default: return "NOT " + (args.first ?? "")
            }
        case "NullTest":
            return operand(n["arg"] ?? .null) + (n["nulltesttype"]?.stringValue == "IS_NOT_NULL" ? " IS NOT NULL" : " IS NULL")
        case "BooleanTest":
            let test = (n["booltesttype"]?.stringValue ?? "IS_TRUE").replacingOccurrences(of: "_", with: " ")
            return operand(n["arg"] ?? .null) + " " + test
        case "A_ArrayExpr":
            return "ARRAY[" + list(n["elements"]).map { expression($0) }.joined(separator: ", ") + "]"
        case "SQLValueFunction":
            return Self.valueFunctions[n["op"]?.stringValue ?? ""] ?? { isComplete = false; return "?" }()
        case "CoalesceExpr":
            return "COALESCE(" + list(n["args"]).map { expression($0) }.joined(separator: ", ") + ")"
        case "MinMaxExpr":
            let name = n["op"]?.stringValue == "IS_GREATEST" ? "GREATEST" : "LEAST"
            return name + "(" + list(n["args"]).map { expression($0) }.joined(separator: ", ") + ")"
        case "RowExpr":
            return "ROW(" + list(n["args"]).map { expression($0) }.joined(separator: ", ") + ")"
        case "CollateClause":
            return operand(n["arg"] ?? .null) + " COLLATE " + names(n["collname"]).map(Self.identifier).joined(separator: ".")
        case "CaseExpr":
            var out = "CASE"
            if let arg = n["arg"] { out += " " + expression(arg) }
            for w in list(n["args"]) {
                guard case .object(let wo) = w, case .object(let when)? = wo["CaseWhen"] else { continue }
                out += " WHEN " + expression(when["expr"] ?? .null) + " THEN " + expression(when["result"] ?? .null)
            }
            if let d = n["defresult"] { out += " ELSE " + expression(d) }
            return out + " END"
        case "A_Indirection":
            var out = operand(n["arg"] ?? .null)
            for i in list(n["indirection"]) {
                if case .object(let io) = i, case .object(let idx)? = io["A_Indices"] {
                    let lower = idx["lidx"].map { expression($0) }
                    let upper = idx["uidx"].map { expression($0) } ?? ""
                    out += "[" + (lower.map { $0 + ":" } ?? "") + upper + "]"
                } else if case .object(let io) = i, case .object(let s)? = io["String"] {
                    out += "." + Self.identifier(s["sval"]?.stringValue ?? "")
                } else {
                    isComplete = false
                    out += "[?]"
                }
            }
            return out
        case "List":
            return "(" + list(n["items"]).map { expression($0) }.joined(separator: ", ") + ")"
        default:
            isComplete = false
            return "?(\(kind))"
        }
    }

    /// An expression as an operand of an operator: a compound one in parentheses.
    private mutating func operand(_ node: JSONValue) -> String {
        let text = expression(node)
        guard case .object(let o) = node, let kind = o.keys.first else { return text }
        return ["A_Expr", "BoolExpr", "NullTest", "BooleanTest", "CollateClause"].contains(kind) ? "(" + text + ")" : text
    }

    private mutating func constant(_ n: [String: JSONValue]) -> String {
        if n["isnull"] == .bool(true) { return "NULL" }
        if case .object(let v)? = n["ival"] { return String(v["ival"]?.intValue ?? 0) }
        if case .object(let v)? = n["fval"] { return v["fval"]?.stringValue ?? "0" }
        if case .object(let v)? = n["boolval"] { return v["boolval"] == .bool(true) ? "true" : "false" }
        if case .object(let v)? = n["sval"] { return SQL.literal(v["sval"]?.stringValue ?? "") }
        if case .object(let v)? = n["bsval"] { return (v["bsval"]?.stringValue ?? "").uppercased() + "''" }
        isComplete = false
        return "?"
    }

    private mutating func functionCall(_ n: [String: JSONValue]) -> String {
        var parts = names(n["funcname"])
        if parts.count == 2, parts[0] == "pg_catalog" { parts.removeFirst() }
        let name = parts.map(Self.identifier).joined(separator: ".")
        if n["agg_star"] == .bool(true) { return name + "(*)" }
        var args = list(n["args"]).map { expression($0) }
        if n["func_variadic"] == .bool(true), !args.isEmpty { args[args.count - 1] = "VARIADIC " + args[args.count - 1] }
        return name + "(" + (n["agg_distinct"] == .bool(true) ? "DISTINCT " : "") + args.joined(separator: ", ") + ")"
    }

    private mutating func operatorExpression(_ n: [String: JSONValue]) -> String {
        let op = names(n["name"]).last ?? "?"
        let left = n["lexpr"].map { operand($0) }
        let rightNode = n["rexpr"] ?? .null
        switch n["kind"]?.stringValue ?? "" {
        case "AEXPR_OP":
            guard let left else { return op + " " + operand(rightNode) }  // prefix: -x
            return left + " " + op + " " + operand(rightNode)
        case "AEXPR_OP_ANY": return (left ?? "") + " " + op + " ANY (" + expression(rightNode) + ")"
        case "AEXPR_OP_ALL": return (left ?? "") + " " + op + " ALL (" + expression(rightNode) + ")"
        case "AEXPR_DISTINCT": return (left ?? "") + " IS DISTINCT FROM " + operand(rightNode)
        case "AEXPR_NOT_DISTINCT": return (left ?? "") + " IS NOT DISTINCT FROM " + operand(rightNode)
        case "AEXPR_NULLIF": return "NULLIF(" + (left ?? "") + ", " + expression(rightNode) + ")"
        case "AEXPR_IN": return (left ?? "") + (op == "<>" ? " NOT IN " : " IN ") + expression(rightNode)
        case "AEXPR_LIKE": return (left ?? "") + (op == "!~~" ? " NOT LIKE " : " LIKE ") + operand(rightNode)
        case "AEXPR_ILIKE": return (left ?? "") + (op == "!~~*" ? " NOT ILIKE " : " ILIKE ") + operand(rightNode)
        case "AEXPR_SIMILAR": return (left ?? "") + (op == "!~" ? " NOT SIMILAR TO " : " SIMILAR TO ") + operand(rightNode)
        case "AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN", "AEXPR_BETWEEN_SYM", "AEXPR_NOT_BETWEEN_SYM":
            let bounds = list(rightNode.objectValue?["List"]?.objectValue?["items"]).map { operand($0) }
            guard bounds.count == 2 else { isComplete = false; return "?" }
            return (left ?? "") + " " + op + " " + bounds[0] + " AND " + bounds[1]
        default:
            isComplete = false
            return "?"
        }
    }

    static let valueFunctions: [String: String] = [
        "SVFOP_CURRENT_DATE": "CURRENT_DATE", "SVFOP_CURRENT_TIME": "CURRENT_TIME", "SVFOP_CURRENT_TIME_N": "CURRENT_TIME",
        "SVFOP_CURRENT_TIMESTAMP": "CURRENT_TIMESTAMP", "SVFOP_CURRENT_TIMESTAMP_N": "CURRENT_TIMESTAMP",
        "SVFOP_LOCALTIME": "LOCALTIME", "SVFOP_LOCALTIME_N": "LOCALTIME", "SVFOP_LOCALTIMESTAMP": "LOCALTIMESTAMP",
        "SVFOP_LOCALTIMESTAMP_N": "LOCALTIMESTAMP", "SVFOP_CURRENT_ROLE": "CURRENT_ROLE", "SVFOP_CURRENT_USER": "CURRENT_USER",
        "SVFOP_USER": "USER", "SVFOP_SESSION_USER": "SESSION_USER", "SVFOP_CURRENT_CATALOG": "CURRENT_CATALOG",
        "SVFOP_CURRENT_SCHEMA": "CURRENT_SCHEMA",
    ]

    // MARK: Types

    /// A type as PostgreSQL's `format_type` writes it, and whether it is a serial pseudo-type.
    struct TypeText: Equatable {
        var text: String
        var serial = false
    }

    mutating func typeName(_ node: JSONValue) -> TypeText {
        guard case .object(let n) = node else { isComplete = false; return TypeText(text: "?") }
        var parts = names(n["names"])
        if parts.count == 2, parts[0] == "pg_catalog" { parts.removeFirst() }
        let mods = list(n["typmods"]).map { expression($0) }
        var result = SQLDeparser.canonicalType(parts.joined(separator: "."), modifiers: mods)
        if case .array(let bounds)? = n["arrayBounds"] { result.text += String(repeating: "[]", count: bounds.count) }
        return result
    }

    /// `int4` → `integer`, `varchar` + `(32)` → `character varying(32)`, `serial` → `integer` (serial).
    static func canonicalType(_ name: String, modifiers: [String]) -> TypeText {
        let lower = name.lowercased()
        let m = modifiers.isEmpty ? "" : "(" + modifiers.joined(separator: ",") + ")"
        switch lower {
        case "int4", "int", "integer": return TypeText(text: "integer")
        case "int8", "bigint": return TypeText(text: "bigint")
        case "int2", "smallint": return TypeText(text: "smallint")
        case "serial", "serial4": return TypeText(text: "integer", serial: true)
        case "bigserial", "serial8": return TypeText(text: "bigint", serial: true)
        case "smallserial", "serial2": return TypeText(text: "smallint", serial: true)
        case "varchar", "character varying": return TypeText(text: "character varying" + m)
        case "bpchar", "char", "character": return TypeText(text: "character" + (m.isEmpty ? "(1)" : m))
        case "numeric", "decimal": return TypeText(text: "numeric" + m)
        case "float8", "double precision": return TypeText(text: "double precision")
        case "float4", "real": return TypeText(text: "real")
        case "float":
            if let p = modifiers.first.flatMap({ Int($0) }), p <= 24 { return TypeText(text: "real") }
            return TypeText(text: "double precision")
        case "bool", "boolean": return TypeText(text: "boolean")
        case "timestamptz": return TypeText(text: "timestamp" + m + " with time zone")
        case "timestamp": return TypeText(text: "timestamp" + m + " without time zone")
        case "timetz": return TypeText(text: "time" + m + " with time zone")
        case "time": return TypeText(text: "time" + m + " without time zone")
        case "interval": return TypeText(text: "interval" + m)
        case "bit": return TypeText(text: "bit" + (m.isEmpty ? "(1)" : m))
        case "varbit": return TypeText(text: "bit varying" + m)
        default: return TypeText(text: (name.contains(".") ? name : identifier(name)) + m)
        }
    }

    // MARK: Helpers

    /// An identifier as PostgreSQL prints it: quoted when it is not a plain lower-case name.
    static func identifier(_ name: String) -> String {
        SpecValidator.isIdentifier(name) && !SpecValidator.reservedWords.contains(name) ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func list(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let a)? = value { return a }
        return []
    }

    /// The strings of a `[{"String": {"sval": ...}}]` list (`*` for `A_Star`).
    func names(_ value: JSONValue?) -> [String] {
        list(value).compactMap { item in
            guard case .object(let o) = item else { return nil }
            if case .object(let s)? = o["String"] { return s["sval"]?.stringValue ?? "" }
            if o["A_Star"] != nil { return "*" }
            return nil
        }
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var intValue: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}
