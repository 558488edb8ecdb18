/// The schema as a Graphviz `digraph` (`dot -Tsvg`): each table a box of its columns, types
/// and keys, each foreign key an edge from the child's column to the parent's, with crow's-foot
/// ends that say the same as `MermaidDiagram`'s cardinalities (both read `SchemaRelationship`).
///
/// ```swift
/// print(DotDiagram.render(schema))   // | dot -Tsvg > schema.svg
/// ```
public enum DotDiagram {
    /// The graph of `tables` (all of the schema's when nil) and the relationships that touch them.
    public static func render(_ schema: HistorySchema, tables: [String]? = nil) -> String {
        var out = """
            digraph schema {
              graph [rankdir=LR, fontname="Helvetica"];
              node [shape=plain, fontname="Helvetica", fontsize=11];
              edge [fontname="Helvetica", fontsize=9, dir=both];

            """
        let drawn = (tables ?? schema.tableNames).sorted().filter { schema.tables[$0] != nil }
        for name in drawn {
            out += node(schema.tables[name]!)
        }
        let relationships = SchemaRelationship.all(in: schema, tables: tables)
        // Tables a key references (or that reference a drawn table) but that are not drawn: a plain box.
        let others = Set(relationships.flatMap { [$0.parent, $0.child] }).subtracting(drawn)
        for name in others.sorted() {
            out += "  \(id(name)) [shape=box, style=dashed, label=\(id(name))];\n"
        }
        for r in relationships {
            let from = endpoint(r.child, column: r.foreignKey.columns.first, drawn: drawn, schema: schema)
            let to = endpoint(r.parent, column: r.foreignKey.referencedColumns.first, drawn: drawn, schema: schema)
            var attributes = [
                "label=\(id(r.foreignKey.name))",
                // The child's end: many (crow) or at most one; the parent's: exactly one or at most one.
                "arrowtail=\(r.childUnique ? "teeodot" : "crowodot")",
                "arrowhead=\(r.parentOptional ? "teeodot" : "teetee")",
            ]
            if !r.identifying { attributes.append("style=dashed") }
            out += "  \(from) -> \(to) [\(attributes.joined(separator: ", "))];\n"
        }
        return out + "}\n"
    }

    static func node(_ t: SchemaTable) -> String {
        let keys = ColumnKeys.of(t)
        var rows = "<tr><td colspan=\"3\" bgcolor=\"#dddddd\"><b>\(html(t.name))</b></td></tr>"
        for (k, c) in t.columns.enumerated() {
            let type = c.diagramType + (c.nullable ? "" : " NOT NULL")
            let marks = keys[c.name]?.labels.joined(separator: ", ") ?? ""
            rows += "<tr><td port=\"c\(k)\" align=\"left\">\(html(c.name))</td><td align=\"left\">\(html(type))</td><td>\(marks)</td></tr>"
        }
        return "  \(id(t.name)) [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\">\(rows)</table>>];\n"
    }

    /// `"table":"cN"` for a drawn column (ports are numbered: a column named `n` is no compass point), else `"table"`.
    static func endpoint(_ table: String, column: String?, drawn: [String], schema: HistorySchema) -> String {
        guard drawn.contains(table), let column, let k = schema.tables[table]?.columnIndex(column) else { return id(table) }
        return "\(id(table)):\"c\(k)\""
    }

    /// A double-quoted DOT identifier.
    static func id(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Text inside an HTML-like label.
    static func html(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
