/// Everything the rules read, built once per run: the history's sources with their located
/// changes, the revision graph, and for each migration (in revision order) its changes with the
/// table each one acts on as it stood just before it, and which tables the same migration created.
///
/// One replay of the history serves every rule; nothing is replayed per rule or per migration.
public struct CheckContext: Sendable {
    public let graph: RevisionGraph
    /// Every readable migration, parents before children.
    public let migrations: [ReviewedMigration]
    /// The files the run reports on (all, `--since`, or the files named).
    public private(set) var scope: Set<String>
    /// Every file read, in `graph.files` order.
    let sources: [MigrationSource]
    /// The schema the whole history builds: a problem a later migration mends is no finding.
    let finalSchema: HistorySchema

    /// Builds the context of `history` (read with downgrades, for `downgrade-mismatch`).
    public init(history: MigrationHistory, scope: Set<String>? = nil) {
        self.init(sources: history.sources, graph: history.graph, scope: scope)
    }

    /// Builds the context of sources read whole (`VersionsDirectory.readSources(downgrades: true)`):
    /// the graph and the one replay the rules read (the history's schema is its last state, so
    /// nothing is replayed twice).
    public init(sources: [MigrationSource], scope: Set<String>? = nil) {
        self.init(sources: sources, graph: RevisionGraph(files: sources.map(\.file)), scope: scope)
    }

    init(sources: [MigrationSource], graph: RevisionGraph, scope: Set<String>?) {
        self.graph = graph
        self.sources = sources
        self.scope = scope ?? Set(graph.files.map(\.fileName))
        var schema = HistorySchema()
        var reviewed: [ReviewedMigration] = []
        reviewed.reserveCapacity(sources.count)
        let memo = ColumnTypes.Memo()
        for i in graph.topologicalOrder() where i < sources.count {
            reviewed.append(ReviewedMigration.replay(sources[i], fileIndex: i, onto: &schema, memo: memo))
        }
        migrations = reviewed
        finalSchema = schema
        inScope = self.scope.count == graph.files.count ? reviewed : reviewed.filter { [scope = self.scope] in scope.contains($0.fileName) }
        indexByFileName = Dictionary(graph.files.enumerated().map { ($1.fileName, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The same context reporting only on `files` (nil: all).
    public func scoped(to files: Set<String>?) -> CheckContext {
        var copy = self
        copy.scope = files ?? Set(graph.files.map(\.fileName))
        copy.inScope = files == nil ? migrations : migrations.filter { [scope = copy.scope] in scope.contains($0.fileName) }
        return copy
    }

    /// The line of `revision =` (1 when unknown) and of `down_revision =` (else the revision's) in file `i`.
    func revisionLine(_ i: Int) -> Int { i < sources.count ? max(sources[i].revisionLine, 1) : 1 }
    func downRevisionLine(_ i: Int) -> Int { i < sources.count && sources[i].downRevisionLine > 0 ? sources[i].downRevisionLine : revisionLine(i) }

    /// The index of the file named `name`.
    func fileIndex(_ name: String) -> Int? { indexByFileName[name] }

    /// Findings for every problem of `kind` the revision graph found (one implementation, shared
    /// with `status`), one per file it names.
    func graphProblems(_ kind: HistoryProblem.Kind, _ make: (HistoryProblem, String, Int) -> CheckFinding) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for p in graph.problems where p.kind == kind {
            for name in p.files where scope.contains(name) { out.append(make(p, name, indexByFileName[name] ?? -1)) }
        }
        return out
    }

    /// The migrations in scope, in revision order (worked out once per scope, not per rule).
    public private(set) var inScope: [ReviewedMigration]
    /// Each file's index in `graph.files`.
    let indexByFileName: [String: Int]

    /// Whether findings on `file` are reported.
    public func reports(_ file: String) -> Bool { scope.contains(file) }

    /// One finding (or none) per upgrade change of each migration in scope.
    func upgradeChanges(_ body: (ReviewedMigration, ReviewedChange) -> CheckFinding?) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for m in inScope {
            for c in m.upgrade { if let f = body(m, c) { out.append(f) } }
        }
        return out
    }

    /// Several findings per upgrade change of each migration in scope.
    func upgradeChanges(many body: (ReviewedMigration, ReviewedChange) -> [CheckFinding]) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for m in inScope {
            for c in m.upgrade { out += body(m, c) }
        }
        return out
    }
}

/// One migration as `check` sees it.
///
/// A class: every rule walks the migrations, and a walk should not copy each one.
public final class ReviewedMigration: Sendable {
    public let fileName: String
    /// Its index in `RevisionGraph.files`.
    public let fileIndex: Int
    let source: MigrationSource
    /// What `upgrade()` does, guards decided, in order.
    public let upgrade: [ReviewedChange]
    /// The tables `upgrade()` created (under their last name): lock rules skip them.
    public let createdTables: Set<String>
    /// The tables `upgrade()` touched, as it left them (nil: dropped).
    public let tablesAfter: [String: SchemaTable?]
    /// When the downgrade was read whole and does not bring back what the upgrade found: the
    /// tables that differ, each with what differs. Nil when there is nothing to compare.
    public let downgradeDifferences: [(table: String, difference: String)]?

    var header: MigrationHeader? { try? source.file.header.get() }

    init(fileName: String, fileIndex: Int, source: MigrationSource, upgrade: [ReviewedChange], createdTables: Set<String>,
         tablesAfter: [String: SchemaTable?], downgradeDifferences: [(table: String, difference: String)]?) {
        self.fileName = fileName
        self.fileIndex = fileIndex
        self.source = source
        self.upgrade = upgrade
        self.createdTables = createdTables
        self.tablesAfter = tablesAfter
        self.downgradeDifferences = downgradeDifferences
    }

    /// Replays `source`'s upgrade onto `schema`, noting what each change found.
    static func replay(_ source: MigrationSource, fileIndex: Int, onto schema: inout HistorySchema, memo: ColumnTypes.Memo) -> ReviewedMigration {
        let file = source.file.fileName
        var created = Set<String>()
        var before: [String: SchemaTable?] = [:]
        var upgrade: [ReviewedChange] = []
        var readable = true
        func visit(_ located: LocatedChange) {
            if case .guarded(let condition, let then, let otherwise) = located.change {
                for change in schema.holds(condition) ? then : otherwise {
                    visit(LocatedChange(line: located.line, change: change, facts: located.facts))
                }
                return
            }
            if case .opaque = located.change { readable = false }
            let table = located.change.table(in: schema)
            let found = table.flatMap { schema.tables[$0] }
            if let table, before[table] == nil { before[table] = .some(found) }
            upgrade.append(ReviewedChange(
                line: located.line, change: located.change, facts: located.facts, table: table, tableBefore: found,
                tableIsNew: located.change.createsTable || (table.map(created.contains) ?? false), memo: memo))
            schema.apply(located, file: file)
            switch located.change {
            case .createTable(let t): created.insert(t.name)
            case .renameTable(let old, let new) where created.contains(old):
                created.remove(old)
                created.insert(new)
            case .renameTable(_, let new):
                if before[new] == nil { before[new] = .some(nil) }
            case .dropTable(let t): created.remove(t)
            default: break
            }
        }
        for located in source.changes { visit(located) }
        var after: [String: SchemaTable?] = [:]
        for name in before.keys { after[name] = .some(schema.tables[name]) }
        var differences: [(String, String)]?
        if readable, let down = source.downgradeChanges, source.downgradeOutline != nil {
            differences = ReviewedMigration.undone(down, before: before, schema: schema, file: file)
        }
        return ReviewedMigration(
            fileName: file, fileIndex: fileIndex, source: source, upgrade: upgrade, createdTables: created,
            tablesAfter: after, downgradeDifferences: differences)
    }

    /// Replays `down` onto the tables it and the upgrade touched (a copy), and compares them with
    /// what the upgrade found. Nil when the downgrade is not readable whole.
    private static func undone(_ down: [LocatedChange], before: [String: SchemaTable?], schema: HistorySchema, file: String) -> [(String, String)]? {
        var before = before
        var names = Set(before.keys)
        func collect(_ change: SchemaChange) -> Bool {
            switch change {
            case .opaque: return false
            case .guarded(_, let then, let otherwise): return (then + otherwise).allSatisfy(collect)
            default:
                if let t = change.table(in: schema) {
                    names.insert(t)
                    if before[t] == nil { before[t] = .some(schema.tables[t]) }
                }
                if case .renameTable(_, let new) = change {
                    names.insert(new)
                    if before[new] == nil { before[new] = .some(schema.tables[new]) }
                }
                return true
            }
        }
        guard down.allSatisfy({ collect($0.change) }) else { return nil }
        var copy = schema.subset(names)
        for change in down { copy.apply(change, file: file) }
        var out: [(String, String)] = []
        for name in names.sorted() {
            let was = before[name] ?? nil
            let now = copy.tables[name]
            if let difference = TableComparison.difference(was: was, now: now) { out.append((name, difference)) }
        }
        return out
    }
}

/// One change of an upgrade, with what it found. A class, like `ReviewedMigration`.
public final class ReviewedChange: Sendable {
    public let line: Int
    let change: SchemaChange
    let facts: ChangeFacts
    /// The table it acts on (resolved through the schema for an index named alone).
    public let table: String?
    /// That table just before the change (nil: it did not exist).
    public let tableBefore: SchemaTable?
    /// Whether the same migration created that table (lock rules do not apply).
    public let tableIsNew: Bool
    /// The columns it creates or retypes, with PostgreSQL's type, worked out once for the type rules.
    let columnTypes: [ColumnTypes.Column]

    init(line: Int, change: SchemaChange, facts: ChangeFacts, table: String?, tableBefore: SchemaTable?, tableIsNew: Bool, memo: ColumnTypes.Memo) {
        self.line = line
        self.change = change
        self.facts = facts
        self.table = table
        self.tableBefore = tableBefore
        self.tableIsNew = tableIsNew
        self.columnTypes = ColumnTypes.columns(change, tableBefore: tableBefore, memo: memo)
    }

    /// A table that existed before this migration: what lock rules are about.
    var onExistingTable: Bool { table != nil && !tableIsNew }
    var concurrently: Bool { facts.contains(.concurrently) }
    var inAutocommit: Bool { facts.contains(.autocommit) }
    var fromSQL: Bool { facts.contains(.sql) }
}

extension SchemaChange {
    var createsTable: Bool { if case .createTable = self { true } else { false } }

    /// The table a change acts on.
    func table(in schema: HistorySchema) -> String? {
        switch self {
        case .createTable(let t): return t.name
        case .dropTable(let t), .renameTable(let t, _), .addColumns(let t, _), .dropColumn(let t, _), .alterColumn(let t, _, _),
             .createIndex(let t, _), .addCheck(let t, _), .addForeignKey(let t, _), .addUnique(let t, _), .addPrimaryKey(let t, _, _),
             .dropConstraint(let t, _, _), .validateConstraint(let t, _), .renameConstraint(let t, _, _), .constraintFromIndex(let t, _, _, _):
            return t
        case .dropIndex(let i, let t): return t ?? schema.indexOwner[i]
        case .renameIndex(let i, _): return schema.indexOwner[i]
        case .data(_, let t): return t
        default: return nil
        }
    }
}

extension HistorySchema {
    /// A schema holding only `names` of these tables (and every enum type), for a replay that
    /// touches no others.
    func subset(_ names: Set<String>) -> HistorySchema {
        var s = HistorySchema()
        s.enums = enums
        for name in names {
            guard let t = tables[name] else { continue }
            s.tables[name] = t
            for idx in t.indexes { s.indexOwner[idx.name] = name }
            for fk in t.foreignKeys { s.referencedBy[fk.referencedTable, default: []].insert(name) }
        }
        s.rawSQL = rawSQL.filter { names.contains($0.key) }
        return s
    }
}

/// Whether two states of a table are the same schema, ignoring order and where it was created.
enum TableComparison {
    static func difference(was: SchemaTable?, now: SchemaTable?) -> String? {
        switch (was, now) {
        case (nil, nil): return nil
        case (nil, .some): return "it is left in place, but the upgrade created it"
        case (.some, nil): return "it is gone, but the upgrade found it"
        case (.some(var a), .some(var b)):
            if a.partial || b.partial { return nil }
            // Most downgrades undo exactly: the same table, in the same order.
            a.createdIn = nil
            b.createdIn = nil
            if a == b { return nil }
            var parts: [String] = []
            let ca = Dictionary(a.columns.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
            let cb = Dictionary(b.columns.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
            let missing = ca.keys.filter { cb[$0] == nil }.sorted()
            let extra = cb.keys.filter { ca[$0] == nil }.sorted()
            if !missing.isEmpty { parts.append("column \(missing.joined(separator: ", ")) not restored") }
            if !extra.isEmpty { parts.append("column \(extra.joined(separator: ", ")) left behind") }
            for name in ca.keys.sorted() {
                guard let x = ca[name], let y = cb[name] else { continue }
                if x.nullable != y.nullable { parts.append("\(name) is \(y.nullable ? "nullable" : "NOT NULL") again of \(x.nullable ? "nullable" : "NOT NULL")") }
                if normalizedType(x) != normalizedType(y) { parts.append("\(name) has type \(y.sqlType.isEmpty ? y.type : y.sqlType), not \(x.sqlType.isEmpty ? x.type : x.sqlType)") }
                if x.serverDefault != y.serverDefault { parts.append("\(name)'s default is \(y.serverDefault ?? "none"), not \(x.serverDefault ?? "none")") }
            }
            func names<T>(_ a: [T], _ b: [T], _ key: (T) -> String, _ what: String) {
                let na = Set(a.map(key)), nb = Set(b.map(key))
                let gone = na.subtracting(nb).sorted(), left = nb.subtracting(na).sorted()
                if !gone.isEmpty { parts.append("\(what) \(gone.joined(separator: ", ")) not restored") }
                if !left.isEmpty { parts.append("\(what) \(left.joined(separator: ", ")) left behind") }
            }
            names(a.indexes, b.indexes, \.name, "index")
            names(a.checks, b.checks, \.name, "CHECK")
            names(a.uniques, b.uniques, \.name, "unique constraint")
            names(a.foreignKeys, b.foreignKeys, \.name, "foreign key")
            if Set(a.primaryKey) != Set(b.primaryKey) { parts.append("primary key (\(b.primaryKey.joined(separator: ", "))), not (\(a.primaryKey.joined(separator: ", ")))") }
            return parts.isEmpty ? nil : parts.joined(separator: "; ")
        }
    }

    /// The type as PostgreSQL names it, when known, so `sa.Text()` and `TEXT` compare equal.
    private static func normalizedType(_ c: SchemaColumn) -> String {
        (c.sqlType.isEmpty ? SQLTypes.sqlType(ofSQLAlchemy: c.type) : c.sqlType).lowercased()
    }
}
