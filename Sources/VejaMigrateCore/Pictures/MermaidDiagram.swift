/// The schema as a Mermaid `erDiagram` (GitHub renders it in Markdown): every table with its
/// columns, their types and keys, and one relationship per foreign key.
///
/// ```swift
/// print(MermaidDiagram.render(schema))
/// // erDiagram
/// //     projects {
/// //         uuid id PK "uuid NOT NULL"
/// //     }
/// //     projects ||--o{ payments : "project_id"
/// ```
///
/// What Mermaid's grammar (`erDiagram.jison`) allows decides the spelling (docs/schema.md):
/// - its lexer is case-insensitive and takes the first rule that matches, so a bare name that
///   starts with a keyword (`to`, `one`, `many`, `class`, `style`, ...) or a digit would be cut
///   in two: such names are written in double quotes, which may not hold `"`, `%` or `\`
///   (those become `_`), nor `direction` followed by spaces and a direction (the spaces become `_`);
/// - an attribute's type and name are words of letters, digits, `_`, `()` and `[]` that start
///   with a letter or `_`, so `numeric(12,2)` is written `numeric(12_2)` and the exact type goes
///   in the attribute's comment; a column named `pk`, `fk` or `uk` would read as a key and is
///   written `pk_`, its real name in the comment;
/// - a relationship reads `parent ||--o{ child : "label"`: `|o` when the key's columns may be
///   NULL, `o|` when they are unique in the child (one to one), `--` when they are in the
///   child's primary key (identifying), `..` otherwise.
public enum MermaidDiagram {
    /// The diagram of `tables` (all of the schema's when nil) and the relationships that touch them.
    public static func render(_ schema: HistorySchema, tables: [String]? = nil) -> String {
        var out = "erDiagram\n"
        for name in (tables ?? schema.tableNames).sorted() {
            guard let t = schema.tables[name] else { continue }
            out += entity(t)
        }
        for r in SchemaRelationship.all(in: schema, tables: tables) {
            let label = joiningDirection(r.foreignKey.columns.joined(separator: ", "))
            out += "    \(entityName(r.parent)) \(cardinalities(r)) \(entityName(r.child)) : \(quoted(label))\n"
        }
        return out
    }

    static func entity(_ t: SchemaTable) -> String {
        guard !t.columns.isEmpty else { return "    \(entityName(t.name))\n" }
        let keys = ColumnKeys.of(t)
        var out = "    \(entityName(t.name)) {\n"
        for c in t.columns {
            let name = word(c.name, avoidingKeys: true)
            var line = "        \(word(c.diagramType, avoidingKeys: true)) \(name)"
            let marks = keys[c.name]?.labels ?? []
            if !marks.isEmpty { line += " " + marks.joined(separator: ", ") }
            var comment = c.diagramType + (c.nullable ? "" : " NOT NULL")
            if name != c.name { comment += "; column \(c.name)" }
            line += " " + quoted(comment)
            out += line + "\n"
        }
        return out + "    }\n"
    }

    /// `||--o{` and its kin, parent side first.
    static func cardinalities(_ r: SchemaRelationship) -> String {
        (r.parentOptional ? "|o" : "||") + (r.identifying ? "--" : "..") + (r.childUnique ? "o|" : "o{")
    }

    /// Keywords of the lexer that match at the start of a word; a bare name starting with one is cut.
    static let keywordPrefixes = ["to", "one", "many", "class", "style", "subgraph", "erdiagram", "acctitle", "accdescr"]

    /// A table name, bare when the lexer reads it whole, else in double quotes.
    public static func entityName(_ name: String) -> String {
        let lower = name.lowercased()
        let bare = isPlainIdentifier(name) && lower != "end" && !keywordPrefixes.contains { lower.hasPrefix($0) }
        if bare { return name }
        let cleaned = String(name.map { c -> Character in
            "\"%\\".contains(c) || c.isNewline || (c.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) ? "_" : c
        })
        return "\"" + joiningDirection(cleaned.isEmpty ? "_" : cleaned) + "\""
    }

    /// Outside a block, a line holding `direction`, spaces and `TB`/`BT`/`RL`/`LR` anywhere is read
    /// as a direction statement, even inside quotes: the spaces after `direction` become `_`.
    static func joiningDirection(_ s: String) -> String {
        let chars = Array(s)
        let lower = Array(s.lowercased())
        guard lower.count == chars.count else { return s }  // a case change that alters lengths: leave it
        let word = Array("direction")
        var out = ""
        var i = 0
        while i < chars.count {
            if i + word.count <= lower.count, Array(lower[i..<i + word.count]) == word {
                out += String(chars[i..<i + word.count])
                i += word.count
                var j = i
                while j < chars.count, chars[j].isWhitespace { j += 1 }
                if j > i { out += "_" }
                i = j
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }

    static func isPlainIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

    /// An attribute word: letters, digits, `_`, `()` and `[]`, starting with a letter or `_`.
    static func word(_ s: String, avoidingKeys: Bool) -> String {
        var out = ""
        var lastUnderscore = false
        for b in s.utf8 {
            let keep = b == UInt8(ascii: "_") || isLetter(b) || (b >= 0x30 && b <= 0x39) || "()[]".utf8.contains(b)
            if keep {
                out.append(Character(Unicode.Scalar(b)))
                lastUnderscore = b == UInt8(ascii: "_")
            } else if !lastUnderscore {
                out.append("_")
                lastUnderscore = true
            }
        }
        while out.count > 1, out.hasSuffix("_"), !s.hasSuffix("_") { out.removeLast() }
        if out.isEmpty { return "_" }
        if let first = out.utf8.first, !(first == UInt8(ascii: "_") || isLetter(first)) { out = "_" + out }
        if avoidingKeys, ["pk", "fk", "uk"].contains(out.lowercased()) { out += "_" }
        return out
    }

    /// A double-quoted comment or label: no `"` inside (it becomes `'`), no `~` (two of them
    /// make the lexer read a generic type), no line breaks.
    static func quoted(_ s: String) -> String {
        let cleaned = String(s.map { c -> Character in
            switch c {
            case "\"": return "'"
            case "~": return "-"
            case _ where c.isNewline: return " "
            default: return c
            }
        })
        return "\"" + cleaned + "\""
    }
}
