/// Everything that goes into one migration file besides its body.
public struct MigrationHeaderFields: Equatable, Sendable {
    public var description: String
    public var details: String?
    public var revision: String
    public var downRevisions: [String]
    public var date: MigrationDate

    public init(description: String, details: String? = nil, revision: String, downRevisions: [String], date: MigrationDate) {
        self.description = description
        self.details = details
        self.revision = revision
        self.downRevisions = downRevisions
        self.date = date
    }
}

/// Renders a migration file in the seed's template, already in ruff's format.
public enum MigrationRenderer {
    /// The whole Python file. With no operations, the body is the seed's `# TODO` / `pass`.
    public static func python(header: MigrationHeaderFields, operations: [MigrationOperation], lineLength: Int = defaultLineLength) -> String {
        python(header: header, plan: MigrationPlan(operations: operations), lineLength: lineLength)
    }

    /// The line length of generated files when the project's ruff settings name none (`ProjectSettings`).
    public static let defaultLineLength = PyExpr.defaultLineLength

    /// The whole Python file of a plan: its upgrade steps, and their inverses in reverse order,
    /// laid out as `ruff format --line-length <lineLength>` would.
    public static func python(header: MigrationHeaderFields, plan: MigrationPlan, lineLength: Int = defaultLineLength) -> String {
        let up = PythonSteps.lines(plan.upgrade, width: lineLength)
        let down = PythonSteps.lines(plan.downgrade, width: lineLength)
        return python(
            header: header, lineLength: lineLength,
            upgrade: up.isEmpty ? ["    # TODO: implement upgrade", "    pass"] : up,
            downgrade: down.isEmpty ? ["    # TODO: implement downgrade", "    pass"] : down)
    }

    /// A merge migration: the seed's template with the bodies Alembic's `merge` writes, `pass`
    /// alone (there is nothing to do; no `# TODO` is left to finish).
    public static func mergePython(header: MigrationHeaderFields, lineLength: Int = defaultLineLength) -> String {
        python(header: header, lineLength: lineLength, upgrade: ["    pass"], downgrade: ["    pass"])
    }

    private static func python(header: MigrationHeaderFields, lineLength: Int, upgrade: [String], downgrade: [String]) -> String {
        var out = "\"\"\"" + docstringLine(header.description) + "\n\n"
        out += "Revision ID: \(header.revision)\n"
        out += "Revises:" + (header.downRevisions.isEmpty ? "" : " " + header.downRevisions.joined(separator: ", ")) + "\n"
        out += "Create Date: \(header.date)\n"
        if let details = docstringDetails(header.details) { out += "\n" + details + "\n" }
        out += "\"\"\"\n\n"
        out += "from __future__ import annotations\n\n"
        out += "import sqlalchemy as sa\n"
        out += "from alembic import op\n"
        out += "from sqlalchemy.dialects import postgresql\n\n"
        out += "revision = \(PyExpr.pythonString(header.revision))\n"
        out += downRevisionAssignment(header.downRevisions, lineLength: lineLength) + "\n"
        out += "branch_labels = None\n"
        out += "depends_on = None\n\n\n"
        out += "def upgrade() -> None:\n"
        out += upgrade.joined(separator: "\n") + "\n\n\n"
        out += "def downgrade() -> None:\n"
        out += downgrade.joined(separator: "\n") + "\n"
        return out
    }

    /// `down_revision = ...`, laid out as ruff does: a merge of many heads that does not fit on
    /// one line gets one revision a line, with a trailing comma.
    static func downRevisionAssignment(_ parents: [String], lineLength: Int) -> String {
        let one = "down_revision = " + downRevisionLiteral(parents)
        if parents.count < 2 || PyExpr.width(one) <= lineLength { return one }
        return "down_revision = (\n" + parents.map { "    " + PyExpr.pythonString($0) + ",\n" }.joined() + ")"
    }

    static func downRevisionLiteral(_ parents: [String]) -> String {
        switch parents.count {
        case 0: return "None"
        case 1: return PyExpr.pythonString(parents[0])
        default: return "(" + parents.map(PyExpr.pythonString).joined(separator: ", ") + ")"
        }
    }

    /// The SQLAlchemy type expression the contract's table gives each column type.
    public static func sqlalchemyType(_ c: TableDefinition.ResolvedColumn) -> String {
        switch c.type {
        case .uuid: return "postgresql.UUID(as_uuid=True)"
        case .string: return "sa.String(length=\(c.length ?? 255))"
        case .text: return "sa.Text()"
        case .integer: return "sa.Integer()"
        case .bigint: return "sa.BigInteger()"
        case .smallint: return "sa.SmallInteger()"
        case .numeric:
            if let p = c.precision { return "sa.Numeric(\(p), \(c.scale ?? 0))" }
            return "sa.Numeric()"
        case .float: return "sa.Float()"
        case .boolean: return "sa.Boolean()"
        case .date: return "sa.Date()"
        case .datetime: return "sa.DateTime(timezone=True)"
        case .jsonb: return "postgresql.JSONB(astext_type=sa.Text())"
        case .json: return "sa.JSON()"
        }
    }

    /// The description as the docstring's first line: one line, and never able to end the docstring.
    static func docstringLine(_ text: String) -> String {
        escapeDocstring(text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
    }

    /// The extended description: lines kept, tabs made spaces, trailing blanks dropped, escaped.
    static func docstringDetails(_ text: String?) -> String? {
        guard let text else { return nil }
        // Split on every newline: "\r\n" is one Character, never equal to "\n", and a lone "\r" would be dropped.
        var lines = text.replacingTabs().split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
            var l = Substring(line)
            while let last = l.last, last.isWhitespace { l = l.dropLast() }
            // ruff keeps a line's leading spaces but drops other leading whitespace (no-break,
            // em, ideographic spaces); do the same so the file is stable.
            let spaces = l.prefix { $0 == " " }.count
            while let first = l.first, first.isWhitespace { l = l.dropFirst() }
            return String(repeating: " ", count: spaces) + l
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        // ruff strips the common indentation of docstring lines; do it first so the file is stable.
        let indents = lines.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " }.count }
        let common = indents.min() ?? 0
        if common > 0 { lines = lines.map { $0.isEmpty ? $0 : String($0.dropFirst(common)) } }
        guard !lines.isEmpty else { return nil }
        return lines.map(escapeDocstring).joined(separator: "\n")
    }

    /// Escapes backslashes and double quotes, and drops control characters, so the text stays inside `"""`.
    static func escapeDocstring(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    func replacingTabs() -> String {
        String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) })
    }
}
