import Foundation

/// Reads the statements of one file's `upgrade()` (or `downgrade()`) into schema changes.
///
/// It walks the function's statement tree as Python would run it against PostgreSQL: dialect
/// checks take PostgreSQL's branch, loops over known items are unrolled, f-strings and `%` /
/// `.format` are evaluated, helper functions of the same file are followed, and existence
/// guards (`sa.inspect(bind).has_table(...)`, `"c" in [c["name"] for c in insp.get_columns(t)]`)
/// become `.guarded` changes decided at replay. It understands the Alembic operations
/// (`op.create_table`, `op.add_column`, ..., and `batch_op.*` inside
/// `with op.batch_alter_table(...) as batch_op:`) and the SQLAlchemy constructs they take.
/// What cannot be known (a loop over query results, a `try:` body, a condition on data, a helper
/// from another module) becomes an `.opaque` change naming the tables it mentions.
struct UpgradeReader {
    typealias Token = PythonHeaderLexer.Token
    typealias Line = PythonHeaderLexer.LogicalLine

    /// A function defined in the file (module level or nested).
    struct Function {
        var name: String
        var parameters: [(name: String, defaultValue: PyValue?, star: Int)]
        var body: [PyStatement]
        /// The names of the scope it was defined in, when nested.
        var closure: [String: PyValue]
        /// The tables its body's strings name, for a call that is not followed (computed once).
        var mentions: [RawSQL.Mention]?
    }

    /// Work left in a run: the continuation, so a guard whose branch returns can run the rest in the other.
    private enum Work {
        case block([PyStatement], Int)
        case loop(Loop)
        /// Leaves an uncertain region: the description in effect before it.
        case restoreUncertain(String?)
        /// The end of one uncertain branch: a `return` / `break` inside it stops here.
        case endBranch
        /// Leaves an `autocommit_block`: whether one was in effect before it.
        case restoreAutocommit(Bool)
    }

    private struct Loop {
        var target: PyValue
        var items: [PyValue]
        var next: Int
        var body: [PyStatement]
        var orelse: [PyStatement]
        var line: Int
    }

    private enum Outcome {
        case fellOff
        case returned(PyValue)
        /// `break` / `continue` with no loop in this run's work.
        case exited
    }

    // Shared by every run of the file.
    private var module: [String: PyValue] = [:]
    private var functions: [Function] = []
    private var steps = 0
    private var callDepth = 0
    /// Statements walked per function read; past it loops are no longer unrolled nor helpers followed.
    static let stepBudget = 50_000
    /// Past this the whole function is one opaque change naming every table its strings name.
    static let stepLimit = 500_000
    private var aborted = false
    static let maxLoopItems = 1_000
    static let maxCallDepth = 8

    // The state of one run, saved and restored around branches and calls.
    private var env: [String: PyValue] = [:]
    private var batchAliases: [String: String?] = [:]
    /// Why operations here are not certain to run (`` `if` ``, "a loop", `` `try` ``), nil when they are.
    private var uncertain: String?
    /// Set by a `return` / `break` inside an uncertain branch: the rest of the run is uncertain too.
    private var uncertainTail: String?
    /// Inside `with op.get_context().autocommit_block():`.
    private var autocommit = false
    private var work: [Work] = []
    private(set) var changes: [LocatedChange] = []

    /// The changes of `upgrade()` and, when asked, of `downgrade()`, from the file's logical lines.
    static func read(lines: [Line], downgrade readDowngrade: Bool) -> (
        upgrade: [LocatedChange], downgrade: [LocatedChange]?, upgradeLine: Int?, upgradeOutline: FunctionOutline?, downgradeOutline: FunctionOutline?
    ) {
        let tree = StatementTree.build(lines)
        var reader = UpgradeReader()
        var upgrade: PyStatement?
        var downgrade: PyStatement?
        for statement in tree {
            if statement.keyword == "def", let name = reader.defName(statement) {
                if name == "upgrade" { upgrade = statement }
                if name == "downgrade" { downgrade = statement }
                reader.define(statement, name: name, global: true)
            } else if statement.keyword == nil {
                reader.moduleAssignment(statement)
            }
        }
        let up = reader.run(upgrade)
        return (up, readDowngrade ? reader.run(downgrade) : nil, upgrade?.line, upgrade.map(outline), readDowngrade ? downgrade.map(outline) : nil)
    }

    /// The function's lines and whether it does nothing.
    private static func outline(_ def: PyStatement) -> FunctionOutline {
        var last = def
        while let next = last.clauses.last ?? last.body.last { last = next }
        let passOnly = def.body.allSatisfy { s in
            guard s.keyword == nil, s.end - s.start == 1 else { return false }
            switch s.tokens[s.start] {
            case .name("pass"), .string: return true
            default: return false
            }
        } || def.body.allSatisfy { s in s.keyword == nil && s.end - s.start == 3 && (s.start..<s.end).allSatisfy { s.tokens[$0] == .op(UInt8(ascii: ".")) } }
        return FunctionOutline(line: def.line, lastLine: last.line, passOnly: passOnly)
    }

    private mutating func run(_ function: PyStatement?) -> [LocatedChange] {
        guard let function else { return [] }
        steps = 0
        env = [:]
        batchAliases = [:]
        uncertain = nil
        uncertainTail = nil
        autocommit = false
        changes = []
        aborted = false
        work = [.block(function.body, 0)]
        _ = runWork()
        if aborted {
            var mentions: [RawSQL.Mention] = []
            UpgradeReader.collectMentions(function.body, into: &mentions)
            for f in functions { UpgradeReader.collectMentions(f.body, into: &mentions) }
            return [LocatedChange(line: function.line, change: .opaque("code too long to follow", mentions))]
        }
        return changes
    }

    /// What the changes of a guard's branches have in common with it: any of their facts.
    static func facts(of changes: [LocatedChange]) -> ChangeFacts {
        changes.reduce(into: ChangeFacts()) { $0.formUnion($1.facts) }
    }

    /// `op.get_context().autocommit_block()`, `context.autocommit_block()`, `ctx.autocommit_block()`.
    static func isAutocommitBlock(_ v: PyValue) -> Bool {
        switch v {
        case .call(.attribute(_, "autocommit_block"), _, _): return true
        case .call(.name(let callee), _, _): return callee == "autocommit_block" || callee.hasSuffix(".autocommit_block")
        default: return false
        }
    }

    /// A change read here, with how it runs.
    private func located(_ line: Int, change: SchemaChange, facts: ChangeFacts = []) -> LocatedChange {
        LocatedChange(line: line, change: change, facts: autocommit ? facts.union(.autocommit) : facts)
    }

    // MARK: - Module level

    /// Module-level names Alembic itself reads; never useful in `upgrade()`.
    private static let headerNames: Set<String> = ["revision", "down_revision", "branch_labels", "depends_on"]

    private mutating func moduleAssignment(_ s: PyStatement) {
        let tokens = s.tokens
        guard case .name(let name) = tokens[s.start], !UpgradeReader.headerNames.contains(name) else { return }
        guard let eq = assignmentEquals(tokens, from: s.start, to: s.end) else { return }
        let isSimpleTarget = eq == s.start + 1 || tokens[s.start + 1] == .op(UInt8(ascii: ":"))
        var targets = PyExpressionParser(tokens, from: s.start, to: eq)
        let target: PyValue = isSimpleTarget ? .name(name) : targets.targetList()
        guard isSimpleTarget || targets.atEnd else { return }
        var parser = PyExpressionParser(tokens, from: eq + 1, to: s.end)
        let raw = parser.expressionList()
        let known = parser.atEnd && !raw.mentions(prefixes: ["op."], names: ["op"])
        env = module
        assign(target: target, value: known ? evaluate(raw) : .unknown, certain: known)
        if !known { assign(target: target, value: .unknown, certain: false) }
        for (k, v) in env { module[k] = v }
    }

    private func defName(_ s: PyStatement) -> String? {
        if s.start < s.end, case .name(let n) = s.tokens[s.start] { return n }
        return nil
    }

    /// Registers `def name(params):` in the module or the current scope.
    private mutating func define(_ s: PyStatement, name: String, global: Bool) {
        var parameters: [(name: String, defaultValue: PyValue?, star: Int)] = []
        let tokens = s.tokens
        if s.start + 1 < s.end, tokens[s.start + 1] == .op(UInt8(ascii: "(")) {
            var k = s.start + 2
            while k < s.end, tokens[k] != .op(UInt8(ascii: ")")) {
                var star = 0
                while k < s.end, tokens[k] == .op(UInt8(ascii: "*")) { star += 1; k += 1 }
                guard k < s.end else { break }
                if case .name(let p) = tokens[k] {
                    k += 1
                    var defaultValue: PyValue?
                    // An annotation, then a default.
                    var parser = PyExpressionParser(tokens, from: k, to: s.end)
                    if parser.isOp(UInt8(ascii: ":")) {
                        parser.i += 1
                        _ = parser.expression()
                    }
                    if parser.isOp(UInt8(ascii: "=")) {
                        parser.i += 1
                        let raw = parser.expression()
                        if global {
                            let saved = env
                            env = module
                            defaultValue = evaluate(raw)
                            env = saved
                        } else {
                            defaultValue = evaluate(raw)
                        }
                    }
                    k = parser.i
                    parameters.append((p, defaultValue, star))
                } else if star == 0 {
                    k += 1  // `/` and anything stranger
                    continue
                }
                if k < s.end, tokens[k] == .op(UInt8(ascii: ",")) { k += 1 }
            }
        }
        let f = Function(name: name, parameters: parameters, body: s.body, closure: global ? [:] : env, mentions: nil)
        functions.append(f)
        if global { module[name] = .handle(.function(functions.count - 1)) } else { bind(name, .handle(.function(functions.count - 1))) }
    }

    // MARK: - Running

    private mutating func bind(_ name: String, _ value: PyValue) {
        env[name] = value
        if case .handle(.batch(let table)) = value { batchAliases[name] = .some(table) } else if batchAliases[name] != nil { batchAliases[name] = nil }
    }

    private var currentUncertainty: String? { uncertain ?? uncertainTail }

    /// Runs `work` until it is done or the function returns.
    private mutating func runWork() -> Outcome {
        while let item = work.popLast() {
            if steps > UpgradeReader.stepLimit {
                // Guards whose branches return, nested in loops, can multiply the work: give up.
                aborted = true
                work.removeAll()
                return .fellOff
            }
            switch item {
            case .block(let statements, let i):
                guard i < statements.count else { continue }
                work.append(.block(statements, i + 1))
                steps += 1
                if let outcome = execute(statements[i]) { return outcome }
            case .loop(var loop):
                if loop.next >= loop.items.count {
                    if !loop.orelse.isEmpty { work.append(.block(loop.orelse, 0)) }
                    continue
                }
                if steps > UpgradeReader.stepBudget, loop.items != [.unknown] {
                    // Too much to unroll: the rest once more, not certain to run.
                    work.append(.restoreUncertain(uncertain))
                    if uncertain == nil { uncertain = "a loop" }
                    loop.items = [.unknown]
                    loop.next = 0
                }
                let item = loop.items[loop.next]
                loop.next += 1
                work.append(.loop(loop))
                assign(target: loop.target, value: item, certain: true)
                work.append(.block(loop.body, 0))
            case .restoreUncertain(let previous):
                uncertain = previous
            case .endBranch:
                continue
            case .restoreAutocommit(let previous):
                autocommit = previous
            }
        }
        return .fellOff
    }

    /// A `return` (or a `raise`): ends the run, or only an uncertain branch of it.
    private mutating func exitFunction(_ value: PyValue) -> Outcome? {
        if let k = work.lastIndex(where: { if case .endBranch = $0 { return true } else { return false } }) {
            uncertainTail = uncertainTail ?? uncertain ?? "`if`"
            work.removeSubrange(k...)
            return nil
        }
        work.removeAll()
        return .returned(value)
    }

    /// `break` and `continue`.
    private mutating func exitLoop(isBreak: Bool) -> Outcome? {
        var k = work.count - 1
        while k >= 0 {
            switch work[k] {
            case .endBranch:
                uncertainTail = uncertainTail ?? uncertain ?? "`if`"
                work.removeSubrange(k...)
                return nil
            case .loop:
                if isBreak {
                    work.removeSubrange(k...)
                } else {
                    work.removeSubrange((k + 1)...)
                }
                // Uncertainty markers inside the loop body were dropped; restore the outermost.
                return nil
            case .restoreUncertain(let previous):
                uncertain = previous
            case .restoreAutocommit(let previous):
                autocommit = previous
            default:
                break
            }
            k -= 1
        }
        work.removeAll()
        return .exited
    }

    /// Runs `statements` on their own (`continuation` false) or followed by the rest of this run's work.
    private mutating func branch(_ statements: [PyStatement], continuation: Bool) -> (changes: [LocatedChange], outcome: Outcome, env: [String: PyValue], aliases: [String: String?]) {
        let saved = (work, changes, env, batchAliases, uncertain, uncertainTail, autocommit)
        work = (continuation ? work : []) + [.block(statements, 0)]
        changes = []
        let outcome = runWork()
        let result = (changes, outcome, env, batchAliases)
        (work, changes, env, batchAliases, uncertain, uncertainTail, autocommit) = saved
        return result
    }

    /// Runs one statement; an outcome when it ends the run.
    private mutating func execute(_ s: PyStatement) -> Outcome? {
        if let mentions = s.tooDeep {
            changes.append(located(s.line, change: .opaque("code nested too deeply", mentions)))
            return nil
        }
        guard let keyword = s.keyword else { return simpleStatement(s) }
        switch keyword {
        case "if", "elif":
            return conditional(s, clauses: s.clauses[...])
        case "for":
            forLoop(s)
        case "while":
            unknownLoop(s, target: nil, description: "a loop")
        case "try":
            tryStatement(s)
        case "with":
            withStatement(s)
        case "def":
            if let name = defName(s) { define(s, name: name, global: false) }
        case "class":
            break
        case "match":
            uncertainBlocks([s.body], description: "`match`")
        case "case":
            uncertainBlocks([s.body], description: "`match`")
        default:
            // A stray `else:` / `except:` on its own: its body, not certain to run.
            uncertainBlocks([s.body], description: "`\(keyword)`")
        }
        return nil
    }

    /// The header of a compound statement as one expression.
    private mutating func headerValue(_ s: PyStatement) -> PyValue {
        var parser = PyExpressionParser(s.tokens, from: s.start, to: s.end)
        let value = parser.expression()
        return parser.atEnd ? evaluate(value) : .unknown
    }

    private mutating func conditional(_ s: PyStatement, clauses: ArraySlice<PyStatement>) -> Outcome? {
        let truth = UpgradeReader.truth(headerValue(s))
        var rest = clauses
        // The `else` part: the next clause (an `elif` is an `if` of its own), or nothing.
        var elseStatements: [PyStatement] = []
        if let next = rest.first {
            rest = rest.dropFirst()
            if next.keyword == "elif" {
                // A copy: the tree is shared by every walk.
                let chained = PyStatement(tokens: next.tokens, start: next.start, end: next.end, line: next.line, keyword: next.keyword)
                chained.body = next.body
                chained.clauses = Array(rest)
                elseStatements = [chained]
            } else if next.keyword == "else" {
                elseStatements = next.body
            }
        }
        switch truth {
        case .known(let b):
            work.append(.block(b ? s.body : elseStatements, 0))
            return nil
        case .schema(let condition) where currentUncertainty == nil && steps <= UpgradeReader.stepBudget:
            let then = branch(s.body, continuation: false)
            let otherwise = branch(elseStatements, continuation: false)
            if case .fellOff = then.outcome, case .fellOff = otherwise.outcome {
                if !then.changes.isEmpty || !otherwise.changes.isEmpty {
                    changes.append(located(s.line, change: .guarded(condition, then: then.changes.map(\.change), else: otherwise.changes.map(\.change)),
                                           facts: UpgradeReader.facts(of: then.changes + otherwise.changes)))
                }
                var merged: [String: PyValue] = [:]
                for (k, v) in then.env { merged[k] = otherwise.env[k] == v ? v : .unknown }
                for k in otherwise.env.keys where then.env[k] == nil { merged[k] = .unknown }
                env = merged
                batchAliases = then.aliases.filter { otherwise.aliases[$0.key] == $0.value }
                return nil
            }
            // A branch returns (or breaks out): each branch runs the rest of the function itself.
            let thenAll = branch(s.body, continuation: true)
            let otherwiseAll = branch(elseStatements, continuation: true)
            changes.append(located(s.line, change: .guarded(condition, then: thenAll.changes.map(\.change), else: otherwiseAll.changes.map(\.change)),
                                   facts: UpgradeReader.facts(of: thenAll.changes + otherwiseAll.changes)))
            work.removeAll()
            return .returned(UpgradeReader.choose(condition, UpgradeReader.returnValue(thenAll.outcome), UpgradeReader.returnValue(otherwiseAll.outcome)))
        default:
            uncertainBlocks([s.body, elseStatements], description: "`if`")
            return nil
        }
    }

    private static func returnValue(_ outcome: Outcome) -> PyValue {
        if case .returned(let v) = outcome { return v }
        return .name("None")
    }

    /// Blocks that may or may not run, one after the other; a `return` in one ends only that one.
    private mutating func uncertainBlocks(_ blocks: [[PyStatement]], description: String) {
        work.append(.restoreUncertain(uncertain))
        for b in blocks.reversed() where !b.isEmpty {
            work.append(.endBranch)
            work.append(.block(b, 0))
        }
        if uncertain == nil { uncertain = description }
    }

    private mutating func forLoop(_ s: PyStatement) {
        var parser = PyExpressionParser(s.tokens, from: s.start, to: s.end)
        let target = parser.targetList()
        guard case .name("in")? = parser.peek() else {
            unknownLoop(s, target: target, description: "a loop")
            return
        }
        parser.i += 1
        let raw = parser.expressionList()
        var iterable = parser.atEnd ? evaluate(raw) : .unknown
        if case .dictionary(let entries) = iterable {
            iterable = .list(entries.map { if case .list(let kv) = $0, kv.count == 2 { return kv[0] } else { return .unknown } })
        }
        let orelse = s.clauses.first { $0.keyword == "else" }?.body ?? []
        guard case .list(let items) = iterable, items.count <= UpgradeReader.maxLoopItems, steps <= UpgradeReader.stepBudget,
              !items.contains(where: { if case .starred = $0 { return true } else { return false } })
        else {
            unknownLoop(s, target: target, description: "a loop")
            return
        }
        work.append(.loop(Loop(target: target, items: items, next: 0, body: s.body, orelse: orelse, line: s.line)))
    }

    /// A loop whose items are not known: its body once, not certain to run, the target unknown.
    private mutating func unknownLoop(_ s: PyStatement, target: PyValue?, description: String) {
        let orelse = s.clauses.first { $0.keyword == "else" }?.body ?? []
        work.append(.restoreUncertain(uncertain))
        if !orelse.isEmpty {
            work.append(.endBranch)
            work.append(.block(orelse, 0))
        }
        work.append(.loop(Loop(target: target ?? .unknown, items: [.unknown], next: 0, body: s.body, orelse: [], line: s.line)))
        if uncertain == nil { uncertain = description }
    }

    /// `try:` bodies may stop anywhere (an `except` that passes is a guard nobody can decide
    /// statically), so what they change is not certain; `finally` always runs.
    private mutating func tryStatement(_ s: PyStatement) {
        if let final = s.clauses.first(where: { $0.keyword == "finally" }) { work.append(.block(final.body, 0)) }
        let others = s.clauses.filter { $0.keyword != "finally" }.map(\.body)
        uncertainBlocks([s.body] + others, description: "`try`")
    }

    private mutating func withStatement(_ s: PyStatement) {
        var parser = PyExpressionParser(s.tokens, from: s.start, to: s.end)
        while !parser.atEnd {
            let raw = parser.expression()
            var alias: String?
            if case .name("as")? = parser.peek(), case .name(let a)? = parser.peek(1) {
                alias = a
                parser.i += 2
            }
            let item = evaluate(raw)
            if !autocommit, UpgradeReader.isAutocommitBlock(raw) || UpgradeReader.isAutocommitBlock(item) {
                work.append(.restoreAutocommit(false))
                autocommit = true
            }
            if let callee = item.calleeName, isOperation(callee), callee.hasSuffix(".batch_alter_table"),
               case .call(_, let args, let kw) = item {
                let table = (kw.first { $0.name == "table_name" }?.value ?? args.first)?.stringValue
                if table == nil {
                    changes.append(located(s.line, change: .opaque("op.batch_alter_table", [])))
                }
                if let alias { bind(alias, .handle(.batch(table))) }
            } else if let alias {
                bind(alias, .unknown)
            }
            if parser.isOp(UInt8(ascii: ",")) {
                parser.i += 1
            } else if !parser.atEnd {
                parser.skipToTerminator()
                if parser.isOp(UInt8(ascii: ",")) { parser.i += 1 } else if !parser.atEnd { parser.i += 1 }
            }
        }
        work.append(.block(s.body, 0))
    }

    /// Binds a `for` target (a name or a tuple of them) to a value.
    private mutating func assign(target: PyValue, value: PyValue, certain: Bool) {
        switch target {
        case .name(let n) where !n.contains("."):
            bind(n, certain ? value : .unknown)
        case .list(let names):
            if case .list(let values) = value, values.count == names.count, certain {
                for (t, v) in zip(names, values) { assign(target: t, value: v, certain: true) }
            } else {
                for t in names { assign(target: t, value: .unknown, certain: false) }
            }
        default:
            break
        }
    }

    // MARK: - Simple statements

    private static let ignoredKeywords: Set<String> = ["pass", "import", "from", "global", "nonlocal", "assert", "del"]

    private mutating func simpleStatement(_ s: PyStatement) -> Outcome? {
        let tokens = s.tokens
        let (start, end, line) = (s.start, s.end, s.line)
        guard start < end else { return nil }
        let first = tokens[start]
        if case .name(let keyword) = first {
            if UpgradeReader.ignoredKeywords.contains(keyword) { return nil }
            switch keyword {
            case "return", "raise":
                var value = PyValue.name("None")
                if keyword == "return", start + 1 < end {
                    var parser = PyExpressionParser(tokens, from: start + 1, to: end)
                    let raw = parser.expressionList()
                    value = parser.atEnd ? evaluate(raw) : .unknown
                } else if keyword == "raise" {
                    value = .unknown
                }
                return exitFunction(value)
            case "break", "continue":
                return exitLoop(isBreak: keyword == "break")
            default:
                break
            }
        }
        if first == .op(UInt8(ascii: "@")) { return nil }

        if let eq = assignmentEquals(tokens, from: start, to: end) {
            assignment(tokens, start, eq, end, line: line)
            return nil
        }
        var parser = PyExpressionParser(tokens, from: start, to: end)
        let raw = parser.expression()
        if !parser.atEnd {
            if mentionsOperations(tokens, start, end) { opaque("statement", tokens, start, end, line: line) }
            return nil
        }
        expressionStatement(raw, tokens, start, end, line: line)
        return nil
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
        let raw = parser.expressionList()
        let touchesOperations = mentionsOperations(tokens, eq + 1, end)
        var value = PyValue.unknown
        if parser.atEnd {
            value = evaluate(raw)
            if case .call = value, touchesOperations || UpgradeReader.innerExecution(value) != nil {
                dispatch(value, tokens, eq + 1, end, line: line)
            }
        } else if touchesOperations {
            opaque("statement", tokens, eq + 1, end, line: line)
        }
        // Targets: names (possibly annotated, possibly a tuple) get the value; anything else is forgotten.
        let augmented: Bool = {
            if eq > start, case .op(let p) = tokens[eq - 1], p != UInt8(ascii: "=") { return p != UInt8(ascii: ":") }
            return false
        }()
        let certain = parser.atEnd && !augmented && currentUncertainty == nil
        var k = start
        var targetStart = start
        while k <= eq {
            if k == eq || tokens[k] == .op(UInt8(ascii: "=")) {
                if case .name(let n) = tokens[targetStart], k - targetStart == 1 || tokens[targetStart + 1] == .op(UInt8(ascii: ":")) {
                    bind(n, certain ? value : .unknown)
                } else {
                    var targets = PyExpressionParser(tokens, from: targetStart, to: k)
                    let target = targets.targetList()
                    if targets.atEnd, target != .unknown {
                        assign(target: target, value: value, certain: certain)
                    } else {
                        for t in tokens[targetStart..<k] {
                            if case .name(let n) = t { bind(n, .unknown) }
                        }
                    }
                }
                targetStart = k + 1
            }
            k += 1
        }
    }

    // MARK: - Expressions

    private func isOperation(_ callee: String) -> Bool {
        callee.hasPrefix("op.") || callee.hasPrefix("alembic.op.")
    }

    /// Whether the tokens name `op` or a batch alias: the statement may change the schema.
    private func mentionsOperations(_ tokens: [Token], _ start: Int, _ end: Int) -> Bool {
        for k in start..<end {
            if case .name(let n) = tokens[k], n == "op" || batchAliases[n] != nil {
                // `x.op` is an attribute named op, not the module.
                if k > start, tokens[k - 1] == .op(UInt8(ascii: ".")) { continue }
                return true
            }
        }
        return false
    }

    private static let harmlessCallees: Set<String> = ["print", "logger", "log", "logging", "warnings", "sa", "sqlalchemy", "postgresql"]

    private mutating func expressionStatement(_ raw: PyValue, _ tokens: [Token], _ start: Int, _ end: Int, line: Int) {
        // A helper of this file: followed, whatever it returns.
        if case .call(let f, _, _) = raw, case .handle(.function)? = functionValue(f) {
            _ = evaluate(raw)
            return
        }
        let value = evaluate(raw)
        if case .handle = value { return }
        guard case .call = value else {
            if mentionsOperations(tokens, start, end) { opaque("statement", tokens, start, end, line: line) }
            return
        }
        dispatch(value, tokens, start, end, line: line)
    }

    /// The call that sends SQL in a chain of method calls on its result, if any.
    static func innerExecution(_ value: PyValue) -> PyValue? {
        var v = value
        for _ in 0..<16 {
            guard case .call(let f, let args, _) = v else { return nil }
            if execution(f, args) != nil { return v }
            guard case .attribute(let receiver, _) = f else { return nil }
            v = receiver
        }
        return nil
    }

    /// The function a callee names, when it is one defined in this file.
    private func functionValue(_ f: PyValue) -> PyValue? {
        guard case .name(let n) = f, let v = env[n] ?? module[n], case .handle(.function) = v else { return nil }
        return v
    }

    /// An evaluated call: an operation, SQL sent to the database, or a call this reader does not follow.
    private mutating func dispatch(_ value: PyValue, _ tokens: [Token], _ start: Int, _ end: Int, line: Int) {
        // `conn.execute(...).fetchall()`: the SQL runs whatever is done with its result.
        let value = UpgradeReader.innerExecution(value) ?? value
        guard case .call(let f, let args, let kw) = value else { return }
        if let execution = UpgradeReader.execution(f, args) {
            executed(execution, tokens, start, end, line: line)
            return
        }
        guard let callee = f.dottedName else {
            if mentionsOperations(tokens, start, end) { opaque("statement", tokens, start, end, line: line) }
            return
        }
        if isOperation(callee) {
            let name = String(callee.dropFirst(callee.hasPrefix("op.") ? 3 : 11))
            if name.utf8.contains(UInt8(ascii: ".")) {
                opaque(callee, tokens, start, end, line: line)
                return
            }
            operation(name, display: callee, batchTable: nil, inBatch: false, args: args, kw: kw, tokens: tokens, start, end, line: line)
            return
        }
        if let dot = callee.firstIndex(of: "."), let table = batchAliases[String(callee[..<dot])] {
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
        // A helper from another module, or something else this reader does not follow.
        var mentions: [RawSQL.Mention] = []
        for a in args + kw.map(\.value) {
            if case .string(let s) = a, UpgradeReader.isIdentifier(s) { mentions.append(RawSQL.Mention(table: s, kind: .unreadable)) }
        }
        opaque(callee + "()", tokens, start, end, line: line, identifiersAreTables: true, extra: mentions)
    }

    // MARK: - Evaluation

    /// What a condition is known to be.
    enum Truth: Equatable {
        case known(Bool)
        /// Decided against the schema at replay.
        case schema(SchemaCondition)
        case unknown
    }

    static func truth(_ v: PyValue) -> Truth {
        switch v {
        case .name("True"): return .known(true)
        case .name("False"), .name("None"): return .known(false)
        case .string(let s): return .known(!s.isEmpty)
        case .number(let n): return Double(n).map { .known($0 != 0) } ?? .unknown
        case .list(let items):
            if items.isEmpty { return .known(false) }
            return items.contains { if case .starred = $0 { return true } else { return false } } ? .unknown : .known(true)
        case .condition(let c): return .schema(c)
        case .handle(let h):
            switch h {
            case .reflected, .reflectedNames: return .unknown
            default: return .known(true)
            }
        default: return .unknown
        }
    }

    static func bool(_ b: Bool) -> PyValue { .name(b ? "True" : "False") }

    /// `condition ? a : b` for truth values.
    static func choose(_ condition: SchemaCondition, _ a: PyValue, _ b: PyValue) -> PyValue {
        if a == b { return a }
        func asCondition(_ v: PyValue) -> SchemaCondition? {
            switch truth(v) {
            case .known(let x): return x ? .all([]) : .any([])
            case .schema(let c): return c
            case .unknown: return nil
            }
        }
        guard let x = asCondition(a), let y = asCondition(b) else { return .unknown }
        return .condition(.any([.all([condition, x]), .all([.not(condition), y])]))
    }

    /// A literal's value for comparisons: strings, numbers, True/False/None.
    private static func literal(_ v: PyValue) -> String? {
        switch v {
        case .string(let s): return "s" + s
        case .number(let n): return "n" + (Double(n).map { String($0) } ?? n)
        case .name(let n) where n == "True" || n == "False" || n == "None": return "k" + n
        default: return nil
        }
    }

    /// Dialect names other than PostgreSQL's, for URL and name tests.
    private static let otherDialects: Set<String> = ["sqlite", "mysql", "mariadb", "oracle", "mssql", "firebird", "sybase"]

    /// Replaces known names with their values, evaluates operators, f-strings, formatting and the
    /// calls it knows, and follows helpers. What it cannot decide is `.unknown`; calls it does not
    /// know keep their shape (`sa.Column(...)` with evaluated arguments).
    mutating func evaluate(_ value: PyValue, depth: Int = 0) -> PyValue {
        if depth > 48 { return .unknown }
        // Most arguments are literals and SQLAlchemy constructs: keep the tree rather than rebuild it.
        if isConstant(value) { return value }
        let d = depth + 1
        switch value {
        case .string, .number, .dict, .unknown, .handle, .condition:
            return value
        case .fstring(let text):
            return format(fstring: text, depth: d)
        case .name(let n):
            return lookup(n)
        case .call(let f, let args, let kw):
            return call(f, args, kw, depth: d)
        case .attribute(let base, let name):
            let b = evaluate(base, depth: d)
            return attribute(b, name) ?? .attribute(b, name)
        case .list(let items):
            var out: [PyValue] = []
            out.reserveCapacity(items.count)
            for item in items {
                let r = evaluate(item, depth: d)
                if case .starred(let inner) = r, case .list(let more) = inner { out += more } else { out.append(r) }
            }
            return .list(out)
        case .starred(let v): return .starred(evaluate(v, depth: d))
        case .doubleStarred(let v): return .doubleStarred(evaluate(v, depth: d))
        case .concat(let l, let r):
            let (a, b) = (evaluate(l, depth: d), evaluate(r, depth: d))
            if case .string(let x) = a, case .string(let y) = b { return .string(x + y) }
            if a.maybeString || a.isFString, b.maybeString || b.isFString { return .concat(a, b) }
            return .unknown
        case .not(let v):
            switch UpgradeReader.truth(evaluate(v, depth: d)) {
            case .known(let b): return UpgradeReader.bool(!b)
            case .schema(let c): return .condition(.not(c))
            case .unknown: return .unknown
            }
        case .binary(let op, let l, let r):
            return binary(op, l, r, depth: d)
        case .dictionary(let entries):
            return .dictionary(entries.map { evaluate($0, depth: d) })
        case .slice(let b, let lo, let hi):
            guard case .string(let text) = evaluate(b, depth: d) else { return .unknown }
            let chars = Array(text)
            func bound(_ v: PyValue?, _ otherwise: Int) -> Int? {
                guard let v else { return otherwise }
                guard case .number(let n) = evaluate(v, depth: d), let k = Int(n) else { return nil }
                return max(0, min(chars.count, k < 0 ? chars.count + k : k))
            }
            guard let l = bound(lo, 0), let h = bound(hi, chars.count) else { return .unknown }
            return .string(l < h ? String(chars[l..<h]) : "")
        case .index(let b, let i):
            let (base, index) = (evaluate(b, depth: d), evaluate(i, depth: d))
            if case .dictionary(let entries) = base, let key = UpgradeReader.literal(index) {
                for case .list(let kv) in entries.reversed() where kv.count == 2 && UpgradeReader.literal(kv[0]) == key { return kv[1] }
                return .unknown
            }
            if case .list(let items) = base, case .number(let n) = index, let k = Int(n) {
                let j = k < 0 ? items.count + k : k
                if j >= 0, j < items.count { return items[j] }
            }
            return .unknown
        case .conditional(let a, let c, let b):
            if case .known(let t) = UpgradeReader.truth(evaluate(c, depth: d)) { return evaluate(t ? a : b, depth: d) }
            return .unknown
        case .comprehension(let element, let target, let iterable, let conditions):
            return comprehension(element, target, evaluate(iterable, depth: d), conditions, depth: d)
        }
    }

    /// Whether evaluation would give `value` back unchanged.
    private func isConstant(_ value: PyValue) -> Bool {
        switch value {
        case .string, .number, .dict, .unknown, .handle, .condition: return true
        case .name(let n): return !isBound(n)
        case .call(let f, let args, let kw):
            guard case .name(let callee) = f, !callee.hasSuffix(".f"), !UpgradeReader.evaluatedCallees.contains(callee), !isBound(callee) else { return false }
            return args.allSatisfy(isConstant) && kw.allSatisfy { isConstant($0.value) }
        case .list(let items): return items.allSatisfy { if case .starred = $0 { return false } else { return isConstant($0) } }
        default: return false
        }
    }

    /// Whether the root of a dotted name is a name this reader knows a value for.
    private func isBound(_ n: String) -> Bool {
        let root = n.firstIndex(of: ".").map { String(n[..<$0]) } ?? n
        return env[root] != nil || module[root] != nil || root == "context"
    }

    private static let evaluatedCallees: Set<String> = inspectCallees.union([
        "str", "list", "tuple", "set", "frozenset", "sorted", "any", "all", "len", "enumerate", "zip", "range",
        "op.get_bind", "alembic.op.get_bind", "context.get_bind", "op.get_context", "alembic.op.get_context", "context.get_context",
    ])

    private func lookup(_ n: String) -> PyValue {
        if let v = env[n] ?? module[n] { return v }
        guard let dot = n.firstIndex(of: ".") else {
            return n == "context" ? .handle(.contextModule) : .name(n)
        }
        let root = String(n[..<dot])
        var value: PyValue
        if let v = env[root] ?? module[root] {
            value = v
        } else if root == "context" {
            value = .handle(.contextModule)
        } else {
            return .name(n)
        }
        for part in n[n.index(after: dot)...].split(separator: ".") {
            guard let next = attribute(value, String(part)) else { return .unknown }
            value = next
        }
        return value
    }

    /// An attribute of a known object, nil when it is not one this reader knows.
    private func attribute(_ value: PyValue, _ name: String) -> PyValue? {
        guard case .handle(let h) = value else { return nil }
        switch (h, name) {
        case (.connection, "dialect"), (.migrationContext, "dialect"): return .handle(.dialect)
        case (.connection, "engine"), (.connection, "connection"), (.migrationContext, "bind"), (.migrationContext, "connection"): return .handle(.connection)
        case (.connection, "url"), (.url, "drivername"): return .handle(.url)
        case (.dialect, "name"), (.connection, "name"): return .string("postgresql")
        case (.contextModule, "config"), (.migrationContext, "config"): return .handle(.config)
        // The schema is the one a migration run against a database builds: not offline (`--sql`).
        case (.migrationContext, "as_sql"): return UpgradeReader.bool(false)
        default: return .unknown
        }
    }

    private mutating func binary(_ op: String, _ l: PyValue, _ r: PyValue, depth: Int) -> PyValue {
        let a = evaluate(l, depth: depth)
        if op == "and" || op == "or" {
            let ta = UpgradeReader.truth(a)
            switch ta {
            case .known(let x): return (x == (op == "and")) ? evaluate(r, depth: depth) : a
            case .unknown: return .unknown
            case .schema(let c):
                switch UpgradeReader.truth(evaluate(r, depth: depth)) {
                case .known(let y): return op == "and" ? (y ? .condition(c) : UpgradeReader.bool(false)) : (y ? UpgradeReader.bool(true) : .condition(c))
                case .schema(let e): return .condition(op == "and" ? .all([c, e]) : .any([c, e]))
                case .unknown: return .unknown
                }
            }
        }
        let b = evaluate(r, depth: depth)
        switch op {
        case "==", "!=", "is", "is not":
            guard let x = UpgradeReader.literal(a), let y = UpgradeReader.literal(b) else { return .unknown }
            return UpgradeReader.bool((x == y) == (op == "==" || op == "is"))
        case "in", "not in":
            let found = contains(b, a)
            switch found {
            case .known(let x): return UpgradeReader.bool(x == (op == "in"))
            case .schema(let c): return .condition(op == "in" ? c : .not(c))
            case .unknown: return .unknown
            }
        case "%":
            guard case .string(let template) = a else { return .unknown }
            if case .dictionary(let entries) = b { return UpgradeReader.percentFormat(template, named: entries) }
            let args: [PyValue]
            if case .list(let items) = b { args = items } else { args = [b] }
            return UpgradeReader.percentFormat(template, args)
        case "<", ">", "<=", ">=":
            guard case .number(let x) = a, case .number(let y) = b, let p = Double(x), let q = Double(y) else { return .unknown }
            switch op {
            case "<": return UpgradeReader.bool(p < q)
            case ">": return UpgradeReader.bool(p > q)
            case "<=": return UpgradeReader.bool(p <= q)
            default: return UpgradeReader.bool(p >= q)
            }
        case "+":
            if case .list(let x) = a, case .list(let y) = b { return .list(x + y) }
            if case .number(let x) = a, case .number(let y) = b, let p = Int(x), let q = Int(y) { return .number(String(p + q)) }
            return .unknown
        default:
            return .unknown
        }
    }

    /// `needle in haystack`.
    private func contains(_ haystack: PyValue, _ needle: PyValue) -> Truth {
        switch haystack {
        case .list(let items):
            guard let n = UpgradeReader.literal(needle) else { return .unknown }
            var allKnown = true
            for item in items {
                guard let x = UpgradeReader.literal(item) else { allKnown = false; continue }
                if x == n { return .known(true) }
            }
            return allKnown ? .known(false) : .unknown
        case .string(let s):
            guard case .string(let n) = needle else { return .unknown }
            return .known(n.isEmpty || s.contains(n))
        case .dictionary(let entries):
            return contains(.list(entries.map { if case .list(let kv) = $0, kv.count == 2 { return kv[0] } else { return .unknown } }), needle)
        case .handle(.url):
            guard case .string(let n) = needle else { return .unknown }
            if n == "postgresql" || n == "postgres" || n == "postgresql+" { return .known(true) }
            return UpgradeReader.otherDialects.contains(n) ? .known(false) : .unknown
        case .handle(.reflectedNames(let kind, let table)):
            guard case .string(let n) = needle else { return .unknown }
            switch kind {
            case .tables: return .schema(.tableExists(n))
            case .columns: return table.map { .schema(.columnExists($0, n)) } ?? .unknown
            case .indexes: return table.map { .schema(.indexOnTable($0, n)) } ?? .unknown
            case .uniqueConstraints, .foreignKeys, .checkConstraints: return table.map { .schema(.constraintExists($0, n)) } ?? .unknown
            }
        default:
            return .unknown
        }
    }

    /// `[element for target in iterable if condition]` over known items, or the names an inspector lists.
    private mutating func comprehension(_ element: PyValue, _ target: PyValue, _ iterable: PyValue, _ conditions: [PyValue], depth: Int) -> PyValue {
        if case .handle(.reflected(let kind, let table)) = iterable, conditions.isEmpty {
            // [c["name"] for c in insp.get_columns(t)]
            if case .index(.name(let n), .string("name")) = element, target == .name(n) {
                return .handle(.reflectedNames(kind, table: table))
            }
            // (c["name"] == "x" for c in ...): one existence test, for any().
            if case .binary(let op, let l, let r) = element, op == "==" {
                for (side, other) in [(l, r), (r, l)] {
                    if case .index(.name(let n), .string("name")) = side, target == .name(n) {
                        let needle = evaluate(other, depth: depth)
                        if case .schema(let c) = contains(.handle(.reflectedNames(kind, table: table)), needle) {
                            return .list([.condition(c)])
                        }
                    }
                }
            }
            return .unknown
        }
        guard case .list(let items) = iterable, items.count <= UpgradeReader.maxLoopItems else { return .unknown }
        let saved = env
        defer { env = saved }
        var out: [PyValue] = []
        for item in items {
            assign(target: target, value: item, certain: true)
            var keep = true
            for c in conditions {
                guard case .known(let b) = UpgradeReader.truth(evaluate(c, depth: depth)) else { return .unknown }
                if !b { keep = false; break }
            }
            if keep { out.append(evaluate(element, depth: depth)) }
        }
        return .list(out)
    }

    // MARK: - Calls

    private static let inspectCallees: Set<String> = [
        "sa.inspect", "sqlalchemy.inspect", "inspect", "Inspector.from_engine", "reflection.Inspector.from_engine",
        "sa.engine.reflection.Inspector.from_engine", "sqlalchemy.engine.reflection.Inspector.from_engine",
    ]

    private mutating func call(_ f: PyValue, _ rawArgs: [PyValue], _ rawKw: [PyKeyword], depth: Int) -> PyValue {
        // op.f("x") and batch_op.f("x") are the name itself.
        if let callee = f.dottedName, callee.hasSuffix(".f"), rawArgs.count == 1,
           callee == "op.f" || callee == "alembic.op.f" || batchAliases[String(callee.dropLast(2))] != nil {
            return evaluate(rawArgs[0], depth: depth)
        }
        // any(...) over an inspector's list.
        var args: [PyValue] = []
        args.reserveCapacity(rawArgs.count)
        for a in rawArgs {
            let r = evaluate(a, depth: depth)
            if case .starred(let inner) = r, case .list(let items) = inner { args += items } else { args.append(r) }
        }
        let kw = rawKw.map { PyKeyword(name: $0.name, value: evaluate($0.value, depth: depth)) }
        switch f {
        case .name(let callee):
            if let v = env[callee] ?? module[callee], case .handle(.function(let index)) = v {
                return invoke(index, args, kw)
            }
            if let result = builtin(callee, args, kw) { return result }
            if let dot = callee.lastIndex(of: ".") {
                let receiver = lookup(String(callee[..<dot]))
                if let result = method(receiver, String(callee[callee.index(after: dot)...]), args, kw) { return result }
                if receiver == .unknown { return .call(f, args, kw) }
            }
        case .attribute(let base, let name):
            let receiver = evaluate(base, depth: depth)
            if let result = method(receiver, name, args, kw) { return result }
            return .call(.attribute(receiver, name), args, kw)
        default:
            break
        }
        return .call(f, args, kw)
    }

    private func builtin(_ callee: String, _ args: [PyValue], _ kw: [PyKeyword]) -> PyValue? {
        if env[callee.split(separator: ".").first.map(String.init) ?? callee] != nil { return nil }
        switch callee {
        case "str":
            guard args.count == 1 else { return nil }
            switch args[0] {
            case .string, .handle(.url): return args[0]
            case .number(let n): return .string(n)
            case .name(let n) where n == "True" || n == "False" || n == "None": return .string(n)
            default: return .unknown
            }
        case "list", "tuple", "set", "frozenset", "sorted":
            guard args.count == 1 else { return args.isEmpty ? .list([]) : nil }
            switch args[0] {
            case .list(let items):
                if callee == "sorted", let strings = args[0].stringList { return .list(strings.sorted().map { .string($0) }) }
                return callee == "sorted" ? .unknown : .list(items)
            case .handle(.reflectedNames): return args[0]
            default: return .unknown
            }
        case "any", "all":
            guard args.count == 1, case .list(let items) = args[0] else { return .unknown }
            var conditions: [SchemaCondition] = []
            for item in items {
                switch UpgradeReader.truth(item) {
                case .known(let b): if b == (callee == "any") { return UpgradeReader.bool(b) }
                case .schema(let c): conditions.append(c)
                case .unknown: return .unknown
                }
            }
            if conditions.isEmpty { return UpgradeReader.bool(callee == "all") }
            return .condition(callee == "any" ? .any(conditions) : .all(conditions))
        case "len":
            guard args.count == 1, case .list(let items) = args[0] else { return .unknown }
            return .number(String(items.count))
        case "enumerate":
            guard args.count == 1, case .list(let items) = args[0] else { return .unknown }
            return .list(items.enumerated().map { .list([.number(String($0.offset)), $0.element]) })
        case "zip":
            var lists: [[PyValue]] = []
            for a in args {
                guard case .list(let items) = a else { return .unknown }
                lists.append(items)
            }
            guard let n = lists.map(\.count).min() else { return .list([]) }
            return .list((0..<n).map { i in .list(lists.map { $0[i] }) })
        case "range":
            let bounds = args.compactMap { if case .number(let n) = $0 { return Int(n) } else { return nil } }
            guard bounds.count == args.count, (1...2).contains(bounds.count) else { return .unknown }
            let (lo, hi) = bounds.count == 1 ? (0, bounds[0]) : (bounds[0], bounds[1])
            guard hi - lo <= UpgradeReader.maxLoopItems else { return .unknown }
            return .list(lo < hi ? (lo..<hi).map { .number(String($0)) } : [])
        case "op.get_bind", "alembic.op.get_bind", "context.get_bind":
            return .handle(.connection)
        case "op.get_context", "alembic.op.get_context", "context.get_context":
            return .handle(.migrationContext)
        case _ where UpgradeReader.inspectCallees.contains(callee):
            guard args.count == 1, case .handle(.connection) = args[0] else { return nil }
            return .handle(.inspector)
        default:
            return nil
        }
    }

    /// A method of a known value: string methods, the inspector's questions, the URL's tests.
    private func method(_ receiver: PyValue, _ name: String, _ args: [PyValue], _ kw: [PyKeyword]) -> PyValue? {
        switch receiver {
        case .string(let s):
            if name == "format" {
                var keywords: [String: PyValue] = [:]
                for k in kw { keywords[k.name] = k.value }
                return UpgradeReader.format(s, positional: args, keywords: keywords)
            }
            return UpgradeReader.stringMethod(s, name, args)
        case .dictionary(let entries):
            let pairs = entries.compactMap { if case .list(let kv) = $0, kv.count == 2 { return kv } else { return nil } }
            switch name {
            case "items": return .list(pairs.map { .list($0) })
            case "keys": return .list(pairs.map { $0[0] })
            case "values": return .list(pairs.map { $0[1] })
            case "get":
                guard let key = args.first.flatMap(UpgradeReader.literal) else { return .unknown }
                return pairs.last { UpgradeReader.literal($0[0]) == key }?[1] ?? (args.count > 1 ? args[1] : .name("None"))
            default: return .unknown
            }
        case .handle(.inspector):
            let table = args.first?.stringValue
            switch name {
            case "has_table": return table.map { .condition(.tableExists($0)) } ?? .unknown
            case "has_index":
                guard args.count >= 2, let t = table, let i = args[1].stringValue else { return .unknown }
                return .condition(.indexOnTable(t, i))
            case "get_table_names": return .handle(.reflectedNames(.tables, table: nil))
            case "get_columns": return .handle(.reflected(.columns, table: table))
            case "get_indexes": return .handle(.reflected(.indexes, table: table))
            case "get_unique_constraints": return .handle(.reflected(.uniqueConstraints, table: table))
            case "get_foreign_keys": return .handle(.reflected(.foreignKeys, table: table))
            case "get_check_constraints": return .handle(.reflected(.checkConstraints, table: table))
            default: return .unknown
            }
        case .handle(.connection):
            if name == "has_table" { return args.first?.stringValue.map { .condition(.tableExists($0)) } ?? .unknown }
            return nil
        case .handle(.dialect):
            if name == "has_table", args.count >= 2 { return args[1].stringValue.map { .condition(.tableExists($0)) } ?? .unknown }
            return .unknown
        case .handle(.url):
            switch name {
            case "startswith":
                guard case .string(let p)? = args.first else { return .unknown }
                if "postgresql".hasPrefix(p) { return UpgradeReader.bool(true) }
                return UpgradeReader.otherDialects.contains(where: { $0.hasPrefix(p) || p.hasPrefix($0) }) ? UpgradeReader.bool(false) : .unknown
            case "get_backend_name": return .string("postgresql")
            case "get_dialect": return .handle(.dialect)
            case "lower", "render_as_string": return receiver
            default: return .unknown
            }
        case .handle(.config):
            if name == "get_main_option", args.first?.stringValue == "sqlalchemy.url" { return .handle(.url) }
            return .unknown
        case .handle(.migrationContext), .handle(.contextModule):
            return name == "is_offline_mode" ? UpgradeReader.bool(false) : .unknown
        default:
            return nil
        }
    }

    private static func stringMethod(_ s: String, _ name: String, _ args: [PyValue]) -> PyValue? {
        switch name {
        case "upper": return .string(s.uppercased())
        case "lower": return .string(s.lowercased())
        case "strip": return args.isEmpty ? .string(s.trimmingCharacters(in: .whitespacesAndNewlines)) : .unknown
        case "startswith":
            guard case .string(let p)? = args.first else { return .unknown }
            return bool(s.hasPrefix(p))
        case "endswith":
            guard case .string(let p)? = args.first else { return .unknown }
            return bool(s.hasSuffix(p))
        case "replace":
            guard args.count == 2, case .string(let a) = args[0], case .string(let b) = args[1], !a.isEmpty else { return .unknown }
            return .string(s.replacingOccurrences(of: a, with: b))
        case "join":
            guard args.count == 1, let items = args[0].stringList else { return .unknown }
            return .string(items.joined(separator: s))
        default:
            return .unknown
        }
    }

    /// The text of a value inside a formatted string, nil when it is not known.
    private static func text(_ v: PyValue) -> String? {
        switch v {
        case .string(let s): return s
        case .number(let n): return n
        case .name(let n) where n == "True" || n == "False" || n == "None": return n
        default: return nil
        }
    }

    /// `"%s_%s" % (a, b)`: `%s`, `%d`, `%r` (quoted) and `%%`; anything else is not known.
    static func percentFormat(_ template: String, _ args: [PyValue]) -> PyValue {
        var out = ""
        var k = 0
        var chars = template.makeIterator()
        while let c = chars.next() {
            guard c == "%" else { out.append(c); continue }
            guard let spec = chars.next() else { return .unknown }
            switch spec {
            case "%": out.append("%")
            case "s", "d", "i", "r":
                guard k < args.count, let t = text(args[k]) else { return .unknown }
                out += spec == "r" && args[k].stringValue != nil ? "'\(t)'" : t
                k += 1
            default: return .unknown
            }
        }
        return k == args.count ? .string(out) : .unknown
    }

    /// `"%(table)s" % {"table": t}`.
    static func percentFormat(_ template: String, named entries: [PyValue]) -> PyValue {
        var values: [String: PyValue] = [:]
        for case .list(let kv) in entries where kv.count == 2 {
            guard case .string(let k) = kv[0] else { return .unknown }
            values[k] = kv[1]
        }
        var out = ""
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            guard chars[i] == "%" else { out.append(chars[i]); i += 1; continue }
            guard i + 1 < chars.count else { return .unknown }
            if chars[i + 1] == "%" { out.append("%"); i += 2; continue }
            guard chars[i + 1] == "(", let close = chars[(i + 2)...].firstIndex(of: ")"), close + 1 < chars.count,
                  "sdir".contains(chars[close + 1]), let v = values[String(chars[(i + 2)..<close])], let t = text(v)
            else { return .unknown }
            out += t
            i = close + 2
        }
        return .string(out)
    }

    /// `str.format` with positional and keyword arguments.
    static func format(_ template: String, positional: [PyValue], keywords: [String: PyValue]) -> PyValue {
        var out = ""
        var auto = 0
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" || c == "}" {
                if i + 1 < chars.count, chars[i + 1] == c { out.append(c); i += 2; continue }
                guard c == "{", let close = chars[i...].firstIndex(of: "}") else { return .unknown }
                let field = String(chars[(i + 1)..<close])
                let value: PyValue?
                if field.isEmpty {
                    value = auto < positional.count ? positional[auto] : nil
                    auto += 1
                } else if let n = Int(field) {
                    value = n < positional.count ? positional[n] : nil
                } else {
                    value = keywords[field]
                }
                guard let value, let t = text(value) else { return .unknown }
                out += t
                i = close + 1
                continue
            }
            out.append(c)
            i += 1
        }
        return .string(out)
    }

    /// An f-string: every field evaluated; fields that are not known stay as written, so SQL
    /// with them is still read as far as it can be (`ExecutedSQL`'s `.fstring` placeholders).
    private mutating func format(fstring text: String, depth: Int) -> PyValue {
        // `plain` is the value when every field is known; `escaped` keeps f-string syntax otherwise.
        var plain = ""
        var escaped = ""
        var complete = true
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if (c == "{" || c == "}"), i + 1 < chars.count, chars[i + 1] == c {
                plain.append(c)
                escaped += String([c, c])
                i += 2
                continue
            }
            if c == "{" {
                var level = 1
                var j = i + 1
                while j < chars.count, level > 0 {
                    if chars[j] == "{" { level += 1 } else if chars[j] == "}" { level -= 1 }
                    j += 1
                }
                let field = String(chars[(i + 1)..<max(i + 1, j - 1)])
                if let t = fieldValue(field, depth: depth) {
                    plain += t
                    escaped += t.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
                } else {
                    complete = false
                    escaped += "{" + field + "}"
                }
                i = j
                continue
            }
            plain.append(c)
            escaped.append(c)
            i += 1
        }
        return complete ? .string(plain) : .fstring(escaped)
    }

    /// The text of one f-string field (`name`, `obj.attr`, `x!r`, `x:>10` without the format), lexed on its own.
    private mutating func fieldValue(_ field: String, depth: Int) -> String? {
        var expression = field
        var repr = false
        if let bang = expression.lastIndex(of: "!"), !expression[expression.index(after: bang)...].contains("=") {
            repr = expression[expression.index(after: bang)...] == "r"
            expression = String(expression[..<bang])
        }
        // A format spec (`{x:>10}`) is a `:` outside brackets: not followed.
        var level = 0
        for c in expression {
            if "([{".contains(c) { level += 1 } else if ")]}".contains(c) { level -= 1 } else if c == ":", level == 0 { return nil }
        }
        var lines: [Line] = []
        var lexer = PythonHeaderLexer(bytes: Array(expression.utf8))
        guard (try? lexer.forEachLogicalLine { lines.append($0); return true }) != nil, lines.count == 1 else { return nil }
        var parser = PyExpressionParser(lines[0].tokens)
        let raw = parser.expression()
        guard parser.atEnd else { return nil }
        let value = evaluate(raw, depth: depth)
        guard let t = UpgradeReader.text(value) else { return nil }
        return repr && value.stringValue != nil ? "'\(t)'" : t
    }

    // MARK: - Helpers

    /// Calls a function of this file: parameters bound (defaults honoured), its body run with
    /// the same uncertainty, its return value given back. Too deep (recursion) or past the step
    /// budget, the call is opaque with the tables its arguments and body name.
    private mutating func invoke(_ index: Int, _ args: [PyValue], _ kw: [PyKeyword]) -> PyValue {
        let function = functions[index]
        if callDepth >= UpgradeReader.maxCallDepth || steps > UpgradeReader.stepBudget {
            if functions[index].mentions == nil {
                var m: [RawSQL.Mention] = []
                UpgradeReader.collectMentions(function.body, into: &m)
                functions[index].mentions = m
            }
            var mentions = functions[index].mentions ?? []
            for a in args + kw.map(\.value) {
                if case .string(let s) = a { mentions += UpgradeReader.mentions(inString: s) }
            }
            changes.append(located(function.body.first?.line ?? 0, change: .opaque(function.name + "()", mentions)))
            return .unknown
        }
        var locals = function.closure
        var k = 0
        for p in function.parameters {
            if p.star == 1 {
                locals[p.name] = .list(Array(args.dropFirst(k)))
                k = args.count
            } else if p.star == 2 {
                locals[p.name] = .unknown
            } else if let v = kw.last(where: { $0.name == p.name })?.value {
                locals[p.name] = v
            } else if k < args.count {
                locals[p.name] = args[k]
                k += 1
            } else {
                locals[p.name] = p.defaultValue ?? .unknown
            }
        }
        let saved = (work, env, batchAliases, uncertainTail)
        work = [.block(function.body, 0)]
        env = [:]
        batchAliases = [:]
        uncertainTail = nil
        for (n, v) in locals { bind(n, v) }
        callDepth += 1
        let outcome = runWork()
        callDepth -= 1
        // A return inside an uncertain branch makes the value unknown.
        let returnedInBranch = uncertainTail != nil
        (work, env, batchAliases, uncertainTail) = saved
        if case .returned(let v) = outcome { return returnedInBranch ? .unknown : v }
        return .name("None")
    }

    /// The tables the strings of `statements` name: identifiers count as tables.
    static func collectMentions(_ statements: [PyStatement], into out: inout [RawSQL.Mention]) {
        for s in statements {
            if let deep = s.tooDeep { out += deep; continue }
            for t in s.tokens[s.start..<s.end] {
                if case .string(let x) = t { out += mentions(inString: x) }
                if case .fstring(let x) = t { out += mentions(inString: x) }
            }
            collectMentions(s.body, into: &out)
            collectMentions(s.clauses, into: &out)
        }
    }

    /// A string's tables: the string itself when it is an identifier, else the tables its SQL names.
    static func mentions(inString s: String) -> [RawSQL.Mention] {
        isIdentifier(s) ? [RawSQL.Mention(table: s, kind: .unreadable)] : RawSQL.tables(in: s)
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
            changes.append(located(line, change: .opaque(e.display, [])))
            return
        }
        if e.placeholders == .fstring {
            // Whatever the fields hold, a data statement changes no shape; anything else is not known.
            if ExecutedSQL.isDataOnly(sql, placeholders: .fstring) {
                changes.append(located(line, change: .data("SQL", table: RawSQL.tables(in: sql).first?.table), facts: .sql))
                return
            }
            changes.append(located(line, change: .opaque(e.display, RawSQL.tables(in: sql))))
            return
        }
        let read = SQLStatements.read(sql, placeholders: e.placeholders)
        if read.isEmpty { return }
        if currentUncertainty != nil {
            // Rows and transactions are what they are wherever they run; a shape change may not run.
            let shapeless = read.filter { if case .data = $0.change { true } else if case .transaction = $0.change { true } else { false } }
            for r in shapeless { changes.append(located(line, change: r.change, facts: r.facts.union(.sql))) }
            if shapeless.count < read.count {
                changes.append(located(line, change: .opaque("\(e.display) inside \(currentUncertainty ?? "a block")", RawSQL.tables(in: sql))))
            }
            return
        }
        for (change, facts) in read {
            let facts = facts.union(.sql)
            // An opaque statement is named by the call that ran it.
            if case .opaque(let what, let mentions, let error) = change, what != "SQL that does not parse" {
                changes.append(located(line, change: .opaque("\(e.display): \(what)", mentions, error: error), facts: facts))
            } else if case .opaque(_, let mentions, let error) = change {
                changes.append(located(line, change: .opaque(e.display, mentions, error: error), facts: facts))
            } else {
                changes.append(located(line, change: change, facts: facts))
            }
        }
    }

    /// Records an unreadable statement with the tables its strings name.
    private mutating func opaque(
        _ what: String, _ tokens: [Token], _ start: Int, _ end: Int, line: Int, identifiersAreTables: Bool = false,
        table: String? = nil, extra: [RawSQL.Mention] = []
    ) {
        var mentions: [RawSQL.Mention] = []
        if let table { mentions.append(RawSQL.Mention(table: table, kind: .unreadable)) }
        mentions += extra
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
        var seen = Set<String>()
        mentions = mentions.filter { seen.insert($0.table + "\u{0}" + $0.kind.rawValue).inserted }
        changes.append(located(line, change: .opaque(what, mentions)))
    }

    /// A partial index's `WHERE` as PostgreSQL writes it back, the same spelling SQL gets.
    static func canonicalPredicate(_ sql: String) -> String {
        guard let tree = try? PostgresGrammar.parse("SELECT 1 WHERE " + sql),
              let statement = PostgresGrammar.statements(tree).first, statement.node == "SelectStmt",
              let clause = statement.fields["whereClause"]
        else { return sql }
        var deparser = SQLDeparser()
        return deparser.expression(clause)
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
        let concurrently: ChangeFacts = keywords["postgresql_concurrently"]?.boolValue == true ? .concurrently : []
        if name == "drop_index", p[tableParam] == nil || p[tableParam]!.isNone, let indexName = p["index_name"]?.stringValue {
            // Without table_name the index is found by name.
            if currentUncertainty != nil {
                opaque("\(display) inside \(currentUncertainty ?? "a block")", tokens, start, end, line: line)
            } else {
                changes.append(located(line, change: .dropIndex(indexName, table: nil), facts: concurrently))
            }
            return
        }
        guard let table = p[tableParam]?.stringValue else {
            opaque(display, tokens, start, end, line: line)
            return
        }
        if currentUncertainty != nil {
            opaque("\(display) inside \(currentUncertainty ?? "a block")", tokens, start, end, line: line, table: table)
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
            for change in ConstructReader.enumTypesCreated(by: extra) { changes.append(located(line, change: change)) }
            changes.append(located(line, change: .createTable(t)))
            if !ok || !complete { unreadable() }
        case "drop_table":
            changes.append(located(line, change: .dropTable(table)))
        case "rename_table":
            guard let new = p["new_table_name"]?.stringValue else { return unreadable() }
            changes.append(located(line, change: .renameTable(table, to: new)))
        case "add_column":
            guard let column = p["column"] else { return unreadable() }
            var t = SchemaTable(name: table)
            guard c.column(column, into: &t) else { return unreadable() }
            for change in ConstructReader.enumTypesCreated(by: [column]) { changes.append(located(line, change: change)) }
            changes.append(located(line, change: .addColumns(table, t)))
        case "drop_column":
            guard let column = p["column_name"]?.stringValue else { return unreadable() }
            changes.append(located(line, change: .dropColumn(table, column)))
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
            changes.append(located(line, change: .alterColumn(table, column, change)))
            if !ok || !complete { unreadable() }
        case "create_index":
            guard let columns = p["columns"].flatMap(ConstructReader.indexColumns) else { return unreadable() }
            let indexName = p["index_name"].flatMap { $0.isNone ? nil : $0.stringValue }
                ?? (p["index_name"] == nil || p["index_name"]!.isNone ? "ix_\(table)_" + columns.joined(separator: "_") : nil)
            guard let indexName else { return unreadable() }
            let unique = keywords["unique"]?.boolValue ?? false
            var index = SchemaIndex(name: indexName, columns: columns, unique: unique)
            if let method = keywords["postgresql_using"]?.stringValue { index.method = method.lowercased() }
            if let condition = keywords["postgresql_where"], !condition.isNone {
                index.predicate = UpgradeReader.canonicalPredicate(ConstructReader.sqlText(condition))
            }
            changes.append(located(line, change: .createIndex(table, index), facts: concurrently))
        case "drop_index":
            guard let indexName = p["index_name"]?.stringValue else { return unreadable() }
            changes.append(located(line, change: .dropIndex(indexName, table: table), facts: concurrently))
        case "create_check_constraint":
            guard let condition = p["condition"] else { return unreadable() }
            let constraint = p["constraint_name"]?.stringValue ?? "\(table)_check"
            let validated = keywords["postgresql_not_valid"]?.boolValue != true
            changes.append(located(line, change: .addCheck(table, SchemaCheck(name: constraint, condition: ConstructReader.sqlText(condition), validated: validated))))
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
            changes.append(located(line, change: .addForeignKey(table, fk)))
        case "create_unique_constraint":
            guard let columns = p["columns"]?.stringList else { return unreadable() }
            let constraint = p["constraint_name"]?.stringValue ?? "\(table)_\(columns.joined(separator: "_"))_key"
            changes.append(located(line, change: .addUnique(table, SchemaUnique(name: constraint, columns: columns))))
        case "create_primary_key":
            guard let columns = p["columns"]?.stringList else { return unreadable() }
            let constraint = p["constraint_name"]?.stringValue ?? "\(table)_pkey"
            changes.append(located(line, change: .addPrimaryKey(table, name: constraint, columns: columns)))
        case "drop_constraint":
            guard let constraint = p["constraint_name"]?.stringValue else { return unreadable() }
            let type = p["type_"].flatMap { $0.isNone ? nil : $0.stringValue }
            changes.append(located(line, change: .dropConstraint(table, name: constraint, type: type)))
        default:
            unreadable()
        }
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
            // Most columns name no enum type: look no further.
            guard args.contains(where: { $0.calleeBase == "Enum" || $0.calleeBase == "ENUM" }) || kw.contains(where: { $0.name == "type_" }) else { continue }
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

extension PyValue {
    var isFString: Bool {
        if case .fstring = self { return true }
        return false
    }
}
