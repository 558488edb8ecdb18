/// Reads the statements of one file's `upgrade()` into schema changes.
///
/// It understands the Alembic operations (`op.create_table`, `op.add_column`, ...,
/// and `batch_op.*` inside `with op.batch_alter_table(...) as batch_op:`), simple
/// constants (`TABLE = "projects"` at module level or in the function), and the
/// SQLAlchemy constructs they take. Everything else that may change the schema
/// (`op.execute`, `op.get_bind()`, helper calls, operations inside loops and
/// conditionals) becomes an `.opaque` change naming the tables it mentions.
struct UpgradeReader {
    typealias Token = PythonHeaderLexer.Token
    typealias Line = PythonHeaderLexer.LogicalLine

    private enum Block {
        /// `with op.batch_alter_table("t") as alias:`
        case batch(alias: String, table: String?)
        /// A `with` that changes nothing by itself (`autocommit_block()`, a connection).
        case transparent
        /// `if`, `for`, `while`, `try`...: what runs inside is not certain.
        case uncertain(String)
        /// A nested `def` or `class`: its body does not run here.
        case skip
    }

    private struct Context {
        var column: Int
        var block: Block
    }

    private var env: [String: PyValue] = [:]
    private var stack: [Context] = []
    private(set) var changes: [LocatedChange] = []

    /// Reads `upgrade()`: `definition` is the `def upgrade(...)` line, `body` the lines indented under it,
    /// `module` the module-level assignments (constants the body may use).
    static func read(definition: Line?, body: [Line], module: [Line]) -> [LocatedChange] {
        var reader = UpgradeReader()
        for line in module { reader.moduleAssignment(line) }
        if let definition {
            // `def upgrade() -> None: op.drop_table("x")` on one line.
            if let colon = reader.headerColon(definition.tokens, from: 0), colon + 1 < definition.tokens.count {
                reader.statements(definition.tokens, from: colon + 1, line: definition.line)
            }
        }
        for line in body { reader.logicalLine(line) }
        return reader.changes
    }

    // MARK: - Lines and blocks

    /// Module-level names Alembic itself reads; never useful in `upgrade()`.
    private static let headerNames: Set<String> = ["revision", "down_revision", "branch_labels", "depends_on"]

    private mutating func moduleAssignment(_ line: Line) {
        guard case .name(let name)? = line.tokens.first, !UpgradeReader.headerNames.contains(name) else { return }
        guard let eq = assignmentEquals(line.tokens, from: 0, to: line.tokens.count) else { return }
        let isSimpleTarget = eq == 1 || line.tokens[1] == .op(UInt8(ascii: ":"))
        guard isSimpleTarget else { return }
        var parser = PyExpressionParser(line.tokens, from: eq + 1)
        let value = resolve(parser.expression())
        env[name] = parser.atEnd && !value.mentions(prefixes: ["op."], names: ["op"]) ? value : .unknown
    }

    private mutating func logicalLine(_ line: Line) {
        while let top = stack.last, top.column >= line.column { stack.removeLast() }
        if stack.contains(where: { if case .skip = $0.block { return true } else { return false } }) { return }
        statements(line.tokens, from: 0, line: line.line, column: line.column)
    }

    /// The statements of a logical line from `start`, split at `;`.
    private mutating func statements(_ tokens: [Token], from start: Int, to end: Int? = nil, line: Int, column: Int? = nil) {
        let end = end ?? tokens.count
        var k = start
        var depth = 0
        var segment = start
        while k < end {
            if case .op(let b) = tokens[k] {
                if PyExpressionParser.open.contains(b) { depth += 1 }
                if PyExpressionParser.close.contains(b) { depth = max(0, depth - 1) }
                if depth == 0, b == UInt8(ascii: ";") {
                    if k > segment { statement(tokens, segment, k, line: line, column: column) }
                    segment = k + 1
                }
                // A compound header's body after `:` is handled by `statement`.
                if depth == 0, b == UInt8(ascii: ":"), isCompoundHeader(tokens, segment) { break }
            }
            k += 1
        }
        if segment < end { statement(tokens, segment, end, line: line, column: column) }
    }

    private static let compoundKeywords: Set<String> = ["with", "for", "while", "if", "elif", "else", "try", "except", "finally", "match", "case", "def", "class", "async"]
    private static let ignoredKeywords: Set<String> = ["pass", "return", "import", "from", "global", "nonlocal", "assert", "raise", "del", "break", "continue"]

    private func isCompoundHeader(_ tokens: [Token], _ start: Int) -> Bool {
        if case .name(let n) = tokens[start] { return UpgradeReader.compoundKeywords.contains(n) }
        return false
    }

    /// Whether the token after a soft keyword makes it a plain name (`match = ...`, `match(...)`, `match.x`).
    private func isAssignmentTarget(_ tokens: [Token], _ k: Int) -> Bool {
        guard case .op(let b) = tokens[k] else { return false }
        return b == UInt8(ascii: "=") || b == UInt8(ascii: ".") || b == UInt8(ascii: ",")
    }

    /// The index of the `:` that ends a compound statement's header (depth 0, not `:=`).
    private func headerColon(_ tokens: [Token], from start: Int, to end: Int? = nil) -> Int? {
        let end = end ?? tokens.count
        var depth = 0
        var k = start
        while k < end {
            if case .op(let b) = tokens[k] {
                if PyExpressionParser.open.contains(b) { depth += 1 }
                if PyExpressionParser.close.contains(b) { depth = max(0, depth - 1) }
                if depth == 0, b == UInt8(ascii: ":"), !(k + 1 < end && tokens[k + 1] == .op(UInt8(ascii: "="))) { return k }
            }
            k += 1
        }
        return nil
    }

    private mutating func statement(_ tokens: [Token], _ start: Int, _ end: Int, line: Int, column: Int?) {
        guard start < end else { return }
        let first = tokens[start]
        if case .name(var keyword) = first, UpgradeReader.compoundKeywords.contains(keyword),
           // `match` and `case` are keywords only in a header ending with `:`.
           !(keyword == "match" || keyword == "case") || (start + 1 < end && headerColon(tokens, from: start, to: end) != nil && !isAssignmentTarget(tokens, start + 1)) {
            var s = start
            if keyword == "async", s + 1 < end, case .name(let next) = tokens[s + 1] {
                keyword = next
                s += 1
            }
            let colon = headerColon(tokens, from: s, to: end)
            let block: Block
            switch keyword {
            case "with": block = withBlock(tokens, s + 1, colon ?? end, line: line)
            case "def", "class": block = .skip
            default: block = .uncertain(keyword)
            }
            stack.append(Context(column: column ?? (stack.last.map { $0.column + 1 } ?? 1), block: block))
            if let colon, colon + 1 < end, case .skip = block {
                // One-line nested def: nothing runs.
            } else if let colon, colon + 1 < end {
                statements(tokens, from: colon + 1, to: end, line: line, column: nil)
            }
            if column == nil { stack.removeLast() }
            return
        }
        if case .name(let keyword) = first, UpgradeReader.ignoredKeywords.contains(keyword) { return }
        if first == .op(UInt8(ascii: "@")) { return }

        if let eq = assignmentEquals(tokens, from: start, to: end) {
            assignment(tokens, start, eq, end, line: line)
            return
        }
        var parser = PyExpressionParser(tokens, from: start, to: end)
        let value = parser.expression()
        if !parser.atEnd {
            if mentionsOperations(tokens, start, end) { opaque("statement", tokens, start, end, line: line) }
            return
        }
        expressionStatement(resolve(value), tokens, start, end, line: line)
    }

    /// The index of a depth-0 assignment `=` (the last one, for `a = b = value`), or nil.
    private func assignmentEquals(_ tokens: [Token], from start: Int, to end: Int) -> Int? {
        var depth = 0
        var found: Int?
        var k = start
        while k < end {
            if case .op(let b) = tokens[k] {
                if PyExpressionParser.open.contains(b) { depth += 1 }
                if PyExpressionParser.close.contains(b) { depth = max(0, depth - 1) }
                if depth == 0, b == UInt8(ascii: "=") {
                    let next = k + 1 < end ? tokens[k + 1] : nil
                    let prev = k > start ? tokens[k - 1] : nil
                    if next == .op(UInt8(ascii: "=")) {
                        k += 2
                        continue
                    }
                    if case .op(let p)? = prev, "=!<>+-*/%&|^@:".utf8.contains(p), p != UInt8(ascii: ":") || k - 1 == start {
                        // `==`, `<=`, augmented assignment: not a plain assignment.
                        if !"=!<>".utf8.contains(p) { return k }  // augmented: treat as assignment of an unknown
                        k += 1
                        continue
                    }
                    found = k
                }
            }
            k += 1
        }
        return found
    }

    private mutating func assignment(_ tokens: [Token], _ start: Int, _ eq: Int, _ end: Int, line: Int) {
        var parser = PyExpressionParser(tokens, from: eq + 1, to: end)
        let raw = parser.expression()
        let value = resolve(raw)
        let touchesOperations = mentionsOperations(tokens, eq + 1, end)
        if touchesOperations {
            if parser.atEnd {
                expressionStatement(value, tokens, eq + 1, end, line: line)
            } else {
                opaque("statement", tokens, eq + 1, end, line: line)
            }
        }
        // Targets: plain names (possibly annotated) get the value; anything else is forgotten.
        let augmented: Bool = {
            if eq > start, case .op(let p) = tokens[eq - 1], p != UInt8(ascii: "=") { return p != UInt8(ascii: ":") }
            return false
        }()
        let certain = parser.atEnd && !touchesOperations && !augmented && !inUncertainBlock
        var k = start
        var targetStart = start
        while k <= eq {
            if k == eq || tokens[k] == .op(UInt8(ascii: "=")) {
                if case .name(let n) = tokens[targetStart], k - targetStart == 1 || tokens[targetStart + 1] == .op(UInt8(ascii: ":")) {
                    env[n] = certain ? value : .unknown
                } else {
                    for t in tokens[targetStart..<k] {
                        if case .name(let n) = t { env[n] = .unknown }
                    }
                }
                targetStart = k + 1
            }
            k += 1
        }
    }

    private var inUncertainBlock: Bool {
        stack.contains { if case .uncertain = $0.block { return true } else { return false } }
    }

    /// The innermost batch aliases in effect.
    private var batchAliases: [String: String?] {
        var out: [String: String?] = [:]
        for c in stack {
            if case .batch(let alias, let table) = c.block { out[alias] = .some(table) }
        }
        return out
    }

    private mutating func withBlock(_ tokens: [Token], _ start: Int, _ end: Int, line: Int) -> Block {
        var parser = PyExpressionParser(tokens, from: start, to: end)
        var block = Block.transparent
        while !parser.atEnd {
            let item = resolve(parser.expression())
            var alias: String?
            if case .name("as")? = parser.peek(), case .name(let a)? = parser.peek(1) {
                alias = a
                parser.i += 2
            }
            if let callee = item.calleeName, isOperation(callee), callee.hasSuffix(".batch_alter_table"),
               case .call(_, let args, let kw) = item {
                let table = (kw.first { $0.name == "table_name" }?.value ?? args.first)?.stringValue
                if table == nil {
                    changes.append(LocatedChange(line: line, change: .opaque("op.batch_alter_table", [])))
                }
                if let alias { block = .batch(alias: alias, table: table) }
                if let alias { env[alias] = nil }
            } else if let alias {
                env[alias] = .unknown
            }
            if parser.isOp(UInt8(ascii: ",")) {
                parser.i += 1
            } else if !parser.atEnd {
                parser.skipToTerminator()
                if parser.isOp(UInt8(ascii: ",")) { parser.i += 1 } else if !parser.atEnd { parser.i += 1 }
            }
        }
        return block
    }

    // MARK: - Expressions

    private func isOperation(_ callee: String) -> Bool {
        callee.hasPrefix("op.") || callee.hasPrefix("alembic.op.")
    }

    /// Whether the tokens name `op` or a batch alias: the statement may change the schema.
    private func mentionsOperations(_ tokens: [Token], _ start: Int, _ end: Int) -> Bool {
        let aliases = batchAliases
        for k in start..<end {
            if case .name(let n) = tokens[k], n == "op" || aliases[n] != nil {
                // `x.op` is an attribute named op, not the module.
                if k > start, tokens[k - 1] == .op(UInt8(ascii: ".")) { continue }
                return true
            }
        }
        return false
    }

    /// Replaces known constant names with their values; `op.f("x")` becomes `"x"`.
    private func resolve(_ value: PyValue, depth: Int = 0) -> PyValue {
        if depth > 32 { return .unknown }
        // Most statements name no constant: keep the tree as it is rather than rebuild it.
        if depth == 0, env.isEmpty, !value.hasResolvableParts { return value }
        switch value {
        case .name(let n):
            if let v = env[n] { return v }
            return value
        case .call(let f, let args, let kw):
            if let callee = f.dottedName, callee.hasSuffix(".f"), args.count == 1,
               callee == "op.f" || callee == "alembic.op.f" || batchAliases[String(callee.dropLast(2))] != nil {
                return resolve(args[0], depth: depth + 1)
            }
            var newArgs: [PyValue] = []
            newArgs.reserveCapacity(args.count)
            for a in args {
                let r = resolve(a, depth: depth + 1)
                // `*columns` where columns is a known list: the items themselves.
                if case .starred(let inner) = r, case .list(let items) = inner {
                    newArgs += items
                } else {
                    newArgs.append(r)
                }
            }
            return .call(f, newArgs, kw.map { PyKeyword(name: $0.name, value: resolve($0.value, depth: depth + 1)) })
        case .list(let items):
            var out: [PyValue] = []
            for item in items {
                let r = resolve(item, depth: depth + 1)
                if case .starred(let inner) = r, case .list(let more) = inner { out += more } else { out.append(r) }
            }
            return .list(out)
        case .starred(let v): return .starred(resolve(v, depth: depth + 1))
        case .doubleStarred(let v): return .doubleStarred(resolve(v, depth: depth + 1))
        case .attribute(let b, let n): return .attribute(resolve(b, depth: depth + 1), n)
        case .concat(let l, let r):
            let (a, b) = (resolve(l, depth: depth + 1), resolve(r, depth: depth + 1))
            if case .string(let x) = a, case .string(let y) = b { return .string(x + y) }
            return .concat(a, b)
        default: return value
        }
    }

    private static let harmlessCallees: Set<String> = ["print", "logger", "log", "logging", "warnings", "sa", "sqlalchemy", "postgresql"]

    private mutating func expressionStatement(_ value: PyValue, _ tokens: [Token], _ start: Int, _ end: Int, line: Int) {
        guard case .call(let f, let args, let kw) = value else {
            if mentionsOperations(tokens, start, end) { opaque("statement", tokens, start, end, line: line) }
            return
        }
        if let execution = UpgradeReader.execution(f, args) {
            executed(execution, tokens, start, end, line: line)
            return
        }
        guard let callee = f.dottedName else {
            if mentionsOperations(tokens, start, end) { opaque("statement", tokens, start, end, line: line) }
            return
        }
        let aliases = batchAliases
        if isOperation(callee) {
            let name = String(callee.dropFirst(callee.hasPrefix("op.") ? 3 : 11))
            if name.utf8.contains(UInt8(ascii: ".")) {
                opaque(callee, tokens, start, end, line: line)
                return
            }
            operation(name, display: callee, batchTable: nil, inBatch: false, args: args, kw: kw, tokens: tokens, start, end, line: line)
            return
        }
        if let dot = callee.firstIndex(of: "."), let table = aliases[String(callee[..<dot])] {
            let name = String(callee[callee.index(after: dot)...])
            guard let table, !name.utf8.contains(UInt8(ascii: ".")) else {
                opaque(callee, tokens, start, end, line: line)
                return
            }
            operation(name, display: callee, batchTable: table, inBatch: true, args: args, kw: kw, tokens: tokens, start, end, line: line)
            return
        }
        let root = callee.split(separator: ".").first.map(String.init) ?? callee
        if UpgradeReader.harmlessCallees.contains(root) && !mentionsOperations(tokens, start, end) { return }
        // A helper or something else this reader does not follow.
        opaque(callee + "()", tokens, start, end, line: line, identifiersAreTables: true)
    }

    /// A call that sends SQL to the database: what it calls itself, and the SQL when it is known.
    struct Execution {
        var display: String
        var sql: String?
        var placeholders: ExecutedSQL.Placeholders
    }

    /// `op.execute(...)`, `conn.execute(sa.text(...))`, `op.get_bind().execute(...)`, `conn.exec_driver_sql(...)`.
    static func execution(_ f: PyValue, _ args: [PyValue]) -> Execution? {
        let method: String
        let display: String
        switch f {
        case .name(let dotted):
            guard let dot = dotted.lastIndex(of: ".") else { return nil }
            method = String(dotted[dotted.index(after: dot)...])
            display = dotted
        case .attribute(_, let name):
            method = name
            display = name
        default:
            return nil
        }
        guard method == "execute" || method == "exec_driver_sql" else { return nil }
        var execution = Execution(display: display, sql: nil, placeholders: method == "execute" ? .sqlalchemyText : .driver)
        var first = args.first
        // sa.text("...").bindparams(...) / .columns(...): the text is the receiver.
        while case .call(.attribute(let receiver, let m), _, _)? = first, ["bindparams", "columns", "execution_options"].contains(m) {
            first = receiver
        }
        switch first {
        case .string(let s)?:
            execution.sql = s
        case .fstring(let s)?:
            execution.sql = s
            execution.placeholders = .fstring
        case .call(let callee, let inner, _)? where ["sa.text", "text", "sqlalchemy.text", "sa.sql.text"].contains(callee.dottedName ?? ""):
            if case .string(let s)? = inner.first { execution.sql = s }
            if case .fstring(let s)? = inner.first { execution.sql = s; execution.placeholders = .fstring }
        default:
            break
        }
        return execution
    }

    /// SQL read with the PostgreSQL grammar becomes the schema changes it makes (data statements
    /// make none). SQL whose text is not known (an f-string with fields, a variable) is opaque with
    /// the tables it names. Parameters (dicts, keywords) are values, never tables.
    private mutating func executed(_ e: Execution, _ tokens: [Token], _ start: Int, _ end: Int, line: Int) {
        guard let sql = e.sql else {
            changes.append(LocatedChange(line: line, change: .opaque(e.display, [])))
            return
        }
        if e.placeholders == .fstring {
            // Whatever the fields hold, a data statement changes no shape; anything else is not known.
            if ExecutedSQL.isDataOnly(sql, placeholders: .fstring) { return }
            changes.append(LocatedChange(line: line, change: .opaque(e.display, RawSQL.tables(in: sql))))
            return
        }
        let read = SQLStatements.changes(sql, placeholders: e.placeholders)
        if read.isEmpty { return }
        if inUncertainBlock {
            changes.append(LocatedChange(line: line, change: .opaque("\(e.display) inside \(uncertainKeyword ?? "a block")", RawSQL.tables(in: sql))))
            return
        }
        for change in read {
            // An opaque statement is named by the call that ran it.
            if case .opaque(let what, let mentions, let error) = change, what != "SQL that does not parse" {
                changes.append(LocatedChange(line: line, change: .opaque("\(e.display): \(what)", mentions, error: error)))
            } else if case .opaque(_, let mentions, let error) = change {
                changes.append(LocatedChange(line: line, change: .opaque(e.display, mentions, error: error)))
            } else {
                changes.append(LocatedChange(line: line, change: change))
            }
        }
    }

    /// Records an unreadable statement with the tables its strings name.
    private mutating func opaque(
        _ what: String, _ tokens: [Token], _ start: Int, _ end: Int, line: Int, identifiersAreTables: Bool = false,
        table: String? = nil
    ) {
        var mentions: [RawSQL.Mention] = []
        if let table { mentions.append(RawSQL.Mention(table: table, kind: .unreadable)) }
        for k in start..<end {
            let text: String
            switch tokens[k] {
            case .string(let s), .fstring(let s): text = s
            default: continue
            }
            if UpgradeReader.isIdentifier(text) {
                if identifiersAreTables { mentions.append(RawSQL.Mention(table: text, kind: .unreadable)) }
            } else {
                mentions += RawSQL.tables(in: text)
            }
        }
        changes.append(LocatedChange(line: line, change: .opaque(what, mentions)))
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.utf8.first, f == UInt8(ascii: "_") || (f | 0x20 >= 97 && f | 0x20 <= 122) else { return false }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || ($0 >= 48 && $0 <= 57) }
    }

    // MARK: - Operations

    /// Positional parameters of each operation (Alembic's names), with the table parameter a
    /// batch operation leaves out.
    private static let signatures: [String: (params: [String], table: String?)] = [
        "create_table": (["table_name"], "table_name"),
        "drop_table": (["table_name"], "table_name"),
        "rename_table": (["old_table_name", "new_table_name"], nil),
        "add_column": (["table_name", "column"], "table_name"),
        "drop_column": (["table_name", "column_name"], "table_name"),
        "alter_column": (["table_name", "column_name"], "table_name"),
        "create_index": (["index_name", "table_name", "columns"], "table_name"),
        "drop_index": (["index_name", "table_name"], "table_name"),
        "create_check_constraint": (["constraint_name", "table_name", "condition"], "table_name"),
        "create_foreign_key": (["constraint_name", "source_table", "referent_table", "local_cols", "remote_cols"], "source_table"),
        "create_unique_constraint": (["constraint_name", "table_name", "columns"], "table_name"),
        "create_primary_key": (["constraint_name", "table_name", "columns"], "table_name"),
        "drop_constraint": (["constraint_name", "table_name", "type_"], "table_name"),
        "execute": (["sqltext"], nil),
    ]

    /// Operations that change no structure.
    private static let noOps: Set<String> = ["bulk_insert", "create_table_comment", "drop_table_comment", "inline_literal", "get_context", "batch_alter_table", "f"]

    private mutating func operation(
        _ name: String, display: String, batchTable: String?, inBatch: Bool, args: [PyValue], kw: [PyKeyword],
        tokens: [Token], _ start: Int, _ end: Int, line: Int
    ) {
        if UpgradeReader.noOps.contains(name) { return }
        guard let signature = UpgradeReader.signatures[name], name != "execute" else {
            opaque(display, tokens, start, end, line: line, table: batchTable)
            return
        }
        // Bind arguments to parameter names.
        var params = signature.params
        var p: [String: PyValue] = [:]
        if inBatch, let t = signature.table {
            params.removeAll { $0 == t }
            p[t] = .string(batchTable!)
        }
        var extra: [PyValue] = []
        var complete = true
        for (k, a) in args.enumerated() {
            if case .starred = a { complete = false; continue }
            if case .doubleStarred = a { complete = false; continue }
            if k < params.count { p[params[k]] = a } else { extra.append(a) }
        }
        var keywords: [String: PyValue] = [:]
        for k in kw {
            if params.contains(k.name) || k.name == signature.table { p[k.name] = k.value } else { keywords[k.name] = k.value }
        }
        let tableParam = signature.table ?? "old_table_name"
        if name == "drop_index", p[tableParam] == nil || p[tableParam]!.isNone, let indexName = p["index_name"]?.stringValue {
            // Without table_name the index is found by name.
            if inUncertainBlock {
                opaque("\(display) inside \(uncertainKeyword ?? "a block")", tokens, start, end, line: line)
            } else {
                changes.append(LocatedChange(line: line, change: .dropIndex(indexName, table: nil)))
            }
            return
        }
        guard let table = p[tableParam]?.stringValue else {
            opaque(display, tokens, start, end, line: line)
            return
        }
        if inUncertainBlock {
            opaque("\(display) inside \(uncertainKeyword ?? "a block")", tokens, start, end, line: line, table: table)
            return
        }
        func unreadable() {
            opaque(display, tokens, start, end, line: line, table: table)
        }
        let c = ConstructReader(table: table)
        switch name {
        case "create_table":
            var t = SchemaTable(name: table)
            let ok = c.tableItems(extra, into: &t)
            for change in ConstructReader.enumTypesCreated(by: extra) { changes.append(LocatedChange(line: line, change: change)) }
            changes.append(LocatedChange(line: line, change: .createTable(t)))
            if !ok || !complete { unreadable() }
        case "drop_table":
            changes.append(LocatedChange(line: line, change: .dropTable(table)))
        case "rename_table":
            guard let new = p["new_table_name"]?.stringValue else { return unreadable() }
            changes.append(LocatedChange(line: line, change: .renameTable(table, to: new)))
        case "add_column":
            guard let column = p["column"] else { return unreadable() }
            var t = SchemaTable(name: table)
            guard c.column(column, into: &t) else { return unreadable() }
            for change in ConstructReader.enumTypesCreated(by: [column]) { changes.append(LocatedChange(line: line, change: change)) }
            changes.append(LocatedChange(line: line, change: .addColumns(table, t)))
        case "drop_column":
            guard let column = p["column_name"]?.stringValue else { return unreadable() }
            changes.append(LocatedChange(line: line, change: .dropColumn(table, column)))
        case "alter_column":
            guard let column = p["column_name"]?.stringValue else { return unreadable() }
            var change = ColumnAlteration()
            var ok = true
            if let v = keywords["nullable"], !v.isNone {
                if let b = v.boolValue { change.nullable = b } else { ok = false }
            }
            if let v = keywords["server_default"], v.boolValue != false {
                change.serverDefault = .some(v.isNone ? nil : ConstructReader.defaultText(v))
            }
            if let v = keywords["type_"], !v.isNone { change.type = v.source }
            if let v = keywords["new_column_name"], !v.isNone {
                if let s = v.stringValue { change.newName = s } else { ok = false }
            }
            changes.append(LocatedChange(line: line, change: .alterColumn(table, column, change)))
            if !ok || !complete { unreadable() }
        case "create_index":
            guard let columns = p["columns"].flatMap(ConstructReader.indexColumns) else { return unreadable() }
            let indexName = p["index_name"].flatMap { $0.isNone ? nil : $0.stringValue }
                ?? (p["index_name"] == nil || p["index_name"]!.isNone ? "ix_\(table)_" + columns.joined(separator: "_") : nil)
            guard let indexName else { return unreadable() }
            let unique = keywords["unique"]?.boolValue ?? false
            changes.append(LocatedChange(line: line, change: .createIndex(table, SchemaIndex(name: indexName, columns: columns, unique: unique))))
        case "drop_index":
            guard let indexName = p["index_name"]?.stringValue else { return unreadable() }
            changes.append(LocatedChange(line: line, change: .dropIndex(indexName, table: table)))
        case "create_check_constraint":
            guard let condition = p["condition"] else { return unreadable() }
            let constraint = p["constraint_name"]?.stringValue ?? "\(table)_check"
            let validated = keywords["postgresql_not_valid"]?.boolValue != true
            changes.append(LocatedChange(line: line, change: .addCheck(table, SchemaCheck(name: constraint, condition: ConstructReader.sqlText(condition), validated: validated))))
        case "create_foreign_key":
            guard let referent = p["referent_table"]?.stringValue,
                  let local = p["local_cols"]?.stringList, let remote = p["remote_cols"]?.stringList
            else { return unreadable() }
            let constraint = p["constraint_name"]?.stringValue ?? "\(table)_\(local.joined(separator: "_"))_fkey"
            var fk = SchemaForeignKey(
                name: constraint, columns: local, referencedTable: referent, referencedColumns: remote,
                onDelete: keywords["ondelete"]?.stringValue, onUpdate: keywords["onupdate"]?.stringValue)
            ConstructReader.deferral(keywords["deferrable"], keywords["initially"], into: &fk)
            fk.validated = keywords["postgresql_not_valid"]?.boolValue != true
            changes.append(LocatedChange(line: line, change: .addForeignKey(table, fk)))
        case "create_unique_constraint":
            guard let columns = p["columns"]?.stringList else { return unreadable() }
            let constraint = p["constraint_name"]?.stringValue ?? "\(table)_\(columns.joined(separator: "_"))_key"
            changes.append(LocatedChange(line: line, change: .addUnique(table, SchemaUnique(name: constraint, columns: columns))))
        case "create_primary_key":
            guard let columns = p["columns"]?.stringList else { return unreadable() }
            let constraint = p["constraint_name"]?.stringValue ?? "\(table)_pkey"
            changes.append(LocatedChange(line: line, change: .addPrimaryKey(table, name: constraint, columns: columns)))
        case "drop_constraint":
            guard let constraint = p["constraint_name"]?.stringValue else { return unreadable() }
            let type = p["type_"].flatMap { $0.isNone ? nil : $0.stringValue }
            changes.append(LocatedChange(line: line, change: .dropConstraint(table, name: constraint, type: type)))
        default:
            unreadable()
        }
    }

    private var uncertainKeyword: String? {
        for c in stack.reversed() {
            if case .uncertain(let k) = c.block { return k == "for" || k == "while" ? "a loop" : "`\(k)`" }
        }
        return nil
    }
}

/// Reads SQLAlchemy constructs (`sa.Column`, constraints, `sa.Index`) for one table.
struct ConstructReader {
    let table: String

    /// The positional items of `op.create_table`; false when some could not be read.
    func tableItems(_ items: [PyValue], into t: inout SchemaTable) -> Bool {
        var ok = true
        var pkFromColumns: [String] = []
        var candidates = Set<String>()
        for item in items {
            guard case .call(_, let args, let kw) = item, let base = item.calleeBase else {
                ok = false
                continue
            }
            let name = ConstructReader.keyword(kw, "name")?.stringValue
            switch base {
            case "Column":
                var fragment = SchemaTable(name: table)
                if column(item, into: &fragment, autoincrementCandidates: &candidates) {
                    merge(fragment, into: &t)
                    pkFromColumns += fragment.primaryKey
                } else {
                    ok = false
                }
            case "PrimaryKeyConstraint":
                guard let cols = ConstructReader.strings(args) else { ok = false; continue }
                t.primaryKey = cols
                t.primaryKeyName = name ?? "\(table)_pkey"
            case "ForeignKeyConstraint":
                guard args.count >= 2, let local = args[0].stringList, let refs = args[1].stringList,
                      let (refTable, refCols) = ConstructReader.references(refs)
                else { ok = false; continue }
                var fk = SchemaForeignKey(
                    name: name ?? "\(table)_\(local.joined(separator: "_"))_fkey", columns: local, referencedTable: refTable,
                    referencedColumns: refCols, onDelete: ConstructReader.keyword(kw, "ondelete")?.stringValue,
                    onUpdate: ConstructReader.keyword(kw, "onupdate")?.stringValue)
                ConstructReader.deferral(ConstructReader.keyword(kw, "deferrable"), ConstructReader.keyword(kw, "initially"), into: &fk)
                t.foreignKeys.append(fk)
            case "UniqueConstraint":
                guard let cols = ConstructReader.strings(args) else { ok = false; continue }
                t.uniques.append(SchemaUnique(name: name ?? "\(table)_\(cols.joined(separator: "_"))_key", columns: cols))
            case "CheckConstraint":
                guard let condition = args.first ?? ConstructReader.keyword(kw, "sqltext") else { ok = false; continue }
                t.checks.append(SchemaCheck(name: name ?? ConstructReader.unique("\(table)_check", among: t.checks.map(\.name)), condition: ConstructReader.sqlText(condition)))
            case "Index":
                guard let indexName = args.first?.stringValue, let cols = ConstructReader.indexColumns(.list(Array(args.dropFirst()))) else {
                    ok = false
                    continue
                }
                t.indexes.append(SchemaIndex(name: indexName, columns: cols, unique: ConstructReader.keyword(kw, "unique")?.boolValue ?? false))
            default:
                ok = false
            }
        }
        if t.primaryKey.isEmpty, !pkFromColumns.isEmpty {
            t.primaryKey = pkFromColumns
            t.primaryKeyName = "\(table)_pkey"
        }
        for c in t.primaryKey {
            if let i = t.columnIndex(c) { t.columns[i].nullable = false }
        }
        // SQLAlchemy's "auto" autoincrement: the single integer primary key becomes SERIAL.
        if t.primaryKey.count == 1, let key = t.primaryKey.first, candidates.contains(key), let i = t.columnIndex(key),
           t.columns[i].family == .integer, t.columns[i].serverDefault == nil, !t.foreignKeys.contains(where: { $0.columns.contains(key) }) {
            t.columns[i].autoincrement = true
        }
        return ok
    }

    private func merge(_ fragment: SchemaTable, into t: inout SchemaTable) {
        t.columns += fragment.columns
        t.checks += fragment.checks
        t.uniques += fragment.uniques
        t.foreignKeys += fragment.foreignKeys
        t.indexes += fragment.indexes
    }

    /// An `sa.Column(...)`, into a table fragment: the column, and the primary key, foreign key,
    /// unique constraint, CHECK and index it brings. False when it is not a readable column.
    func column(_ value: PyValue, into t: inout SchemaTable) -> Bool {
        var ignored = Set<String>()
        return column(value, into: &t, autoincrementCandidates: &ignored)
    }

    /// The same; columns that may become SERIAL (`autoincrement` not False, no sequence) go into `autoincrementCandidates`.
    func column(_ value: PyValue, into t: inout SchemaTable, autoincrementCandidates: inout Set<String>) -> Bool {
        guard case .call(_, let args, let kw) = value, value.calleeBase == "Column" else { return false }
        var rest = args[...]
        let name: String
        if let n = ConstructReader.keyword(kw, "name")?.stringValue {
            name = n
        } else if let n = rest.first?.stringValue {
            name = n
            rest = rest.dropFirst()
        } else {
            return false
        }
        var type = ConstructReader.keyword(kw, "type_")?.source ?? ""
        var ok = true
        var identity: String?
        var hasGenerator = false
        for a in rest {
            switch a.calleeBase {
            case "ForeignKey":
                guard case .call(_, let fargs, let fkw) = a,
                      let target = (fargs.first ?? ConstructReader.keyword(fkw, "column"))?.stringValue,
                      let (refTable, refCols) = ConstructReader.references([target])
                else { ok = false; continue }
                var fk = SchemaForeignKey(
                    name: ConstructReader.keyword(fkw, "name")?.stringValue ?? "\(table)_\(name)_fkey", columns: [name],
                    referencedTable: refTable, referencedColumns: refCols,
                    onDelete: ConstructReader.keyword(fkw, "ondelete")?.stringValue,
                    onUpdate: ConstructReader.keyword(fkw, "onupdate")?.stringValue)
                ConstructReader.deferral(ConstructReader.keyword(fkw, "deferrable"), ConstructReader.keyword(fkw, "initially"), into: &fk)
                t.foreignKeys.append(fk)
            case "CheckConstraint":
                guard case .call(_, let cargs, let ckw) = a, let condition = cargs.first else { ok = false; continue }
                t.checks.append(SchemaCheck(
                    name: ConstructReader.keyword(ckw, "name")?.stringValue ?? "\(table)_\(name)_check",
                    condition: ConstructReader.sqlText(condition)))
            case "Identity":
                // sa.Identity(always=True) is GENERATED ALWAYS; the default is BY DEFAULT.
                if case .call(_, _, let ikw) = a, ConstructReader.keyword(ikw, "always")?.boolValue == true {
                    identity = "always"
                } else {
                    identity = "by default"
                }
            case "Sequence", "Computed", "FetchedValue", "DefaultClause":
                hasGenerator = true
            default:
                if type.isEmpty, a != .unknown { type = a.source } else { ok = false }
            }
        }
        let primaryKey = ConstructReader.keyword(kw, "primary_key")?.boolValue ?? false
        var nullable = !primaryKey
        if let v = ConstructReader.keyword(kw, "nullable") {
            if let b = v.boolValue { nullable = b } else if !v.isNone { ok = false }
        }
        var serverDefault: String?
        if let v = ConstructReader.keyword(kw, "server_default"), !v.isNone {
            serverDefault = ConstructReader.defaultText(v)
        }
        t.columns.append(SchemaColumn(
            name: name, type: type, nullable: identity == nil ? nullable : false, serverDefault: serverDefault, identity: identity))
        let autoincrement = ConstructReader.keyword(kw, "autoincrement")
        if identity == nil, !hasGenerator, autoincrement?.boolValue != false {
            autoincrementCandidates.insert(name)
        }
        if primaryKey { t.primaryKey.append(name) }
        let unique = ConstructReader.keyword(kw, "unique")?.boolValue ?? false
        let index = ConstructReader.keyword(kw, "index")?.boolValue ?? false
        if index {
            t.indexes.append(SchemaIndex(name: "ix_\(table)_\(name)", columns: [name], unique: unique))
        } else if unique {
            t.uniques.append(SchemaUnique(name: "\(table)_\(name)_key", columns: [name]))
        }
        return ok
    }

    static func keyword(_ kw: [PyKeyword], _ name: String) -> PyValue? {
        kw.last { $0.name == name }?.value
    }

    /// `deferrable=True, initially="DEFERRED"` of a foreign key.
    static func deferral(_ deferrable: PyValue?, _ initially: PyValue?, into fk: inout SchemaForeignKey) {
        let deferred = initially?.stringValue?.uppercased() == "DEFERRED"
        fk.deferrable = deferrable?.boolValue == true || deferred
        fk.initiallyDeferred = deferred
    }

    /// The PostgreSQL enum types that `op.create_table` / `op.add_column` create for their
    /// `sa.Enum("a", "b", name="x")` columns (not `postgresql.ENUM(..., create_type=False)`), unless
    /// the type exists already, as SQLAlchemy checks.
    static func enumTypesCreated(by items: [PyValue]) -> [SchemaChange] {
        var out: [SchemaChange] = []
        for item in items {
            guard case .call(_, let args, let kw) = item, item.calleeBase == "Column" else { continue }
            for type in args + kw.filter { $0.name == "type_" }.map(\.value) {
                guard case .call(_, let values, let tkw) = type, type.calleeBase == "Enum" || type.calleeBase == "ENUM",
                      let name = keyword(tkw, "name")?.stringValue, keyword(tkw, "create_type")?.boolValue != false
                else { continue }
                let strings = values.compactMap(\.stringValue)
                guard strings.count == values.count, !strings.isEmpty else { continue }
                out.append(.guarded(.enumExists(name), else: [.createEnum(name, strings)]))
            }
        }
        return out
    }

    /// Positional string arguments (`sa.UniqueConstraint("a", "b")`), or a single list of them.
    static func strings(_ args: [PyValue]) -> [String]? {
        if args.count == 1, case .list = args[0] { return args[0].stringList }
        var out: [String] = []
        for a in args {
            guard let s = a.stringValue else { return nil }
            out.append(s)
        }
        return out.isEmpty ? nil : out
    }

    /// `["users.id"]` → ("users", ["id"]); `schema.table.column` keeps the table.
    static func references(_ refs: [String]) -> (String, [String])? {
        var table: String?
        var columns: [String] = []
        for r in refs {
            let parts = r.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { return nil }
            let t = String(parts[parts.count - 2])
            if table != nil, table != t { return nil }
            table = t
            columns.append(String(parts[parts.count - 1]))
        }
        return table.map { ($0, columns) }
    }

    /// The columns of an index: names, or the SQL of expressions (`sa.text("lower(email)")`).
    static func indexColumns(_ value: PyValue) -> [String]? {
        let items: [PyValue]
        switch value {
        case .list(let l): items = l
        case .string: items = [value]
        default: return nil
        }
        var out: [String] = []
        for item in items {
            switch item {
            case .string(let s): out.append(s)
            case .call(_, let args, _) where item.calleeBase == "text" || item.calleeBase == "literal_column":
                guard let s = args.first?.stringValue else { return nil }
                out.append(unescapeText(s))
            case .unknown, .starred, .doubleStarred: return nil
            default: out.append(item.source)
            }
        }
        return out.isEmpty ? nil : out
    }

    /// The SQL of a condition: a string or `sa.text(...)`; `\:` is text()'s escaped colon.
    static func sqlText(_ value: PyValue) -> String {
        switch value {
        case .string(let s): return unescapeText(s)
        case .call(_, let args, _) where value.calleeBase == "text" || value.calleeBase == "literal_column":
            if let s = args.first?.stringValue { return unescapeText(s) }
            return value.source
        default: return value.source
        }
    }

    /// The SQL text of a `server_default`.
    static func defaultText(_ value: PyValue) -> String {
        switch value {
        case .string(let s): return SQL.literal(s)
        case .number(let n): return n
        case .call(let f, let args, _):
            let base = value.calleeBase ?? ""
            if base == "text" || base == "literal_column", let s = args.first?.stringValue { return unescapeText(s) }
            if let callee = f.dottedName {
                let parts = callee.split(separator: ".")
                if parts.count >= 2, parts[parts.count - 2] == "func" {
                    return parts[parts.count - 1] + "(" + args.map(defaultText).joined(separator: ", ") + ")"
                }
            }
            if args.isEmpty, ["true", "false", "null"].contains(base) { return base == "null" ? "NULL" : base }
            return value.source
        default: return value.source
        }
    }

    /// `text()` reads `\:` as a literal colon.
    static func unescapeText(_ s: String) -> String {
        var previousBackslash = false
        var found = false
        for b in s.utf8 {
            if previousBackslash && b == UInt8(ascii: ":") { found = true; break }
            previousBackslash = b == UInt8(ascii: "\\")
        }
        return found ? s.replacingOccurrences(of: "\\:", with: ":") : s
    }

    static func unique(_ name: String, among names: [String]) -> String {
        if !names.contains(name) { return name }
        var n = 1
        while names.contains(name + String(n)) { n += 1 }
        return name + String(n)
    }
}
