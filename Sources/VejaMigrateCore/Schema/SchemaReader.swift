import Foundation

/// One migration file read whole: its header and the schema changes of its `upgrade()` and `downgrade()`.
public struct MigrationSource: Sendable {
    public var file: MigrationFile
    var changes: [LocatedChange]
    /// What `downgrade()` changes, read the same way (replayed only on request); nil when the
    /// file was read without it (`readHistory(downgrades: false)`, the default).
    var downgradeChanges: [LocatedChange]?
    /// The comments `check` reads (suppressions, `# TODO`), found while the file was lexed.
    var comments: [SourceComment] = []
    /// Where `upgrade()` and `downgrade()` stand and whether each is only `pass` (nil: not defined,
    /// or not read: `downgradeOutline` needs `downgrade: true`).
    var upgradeOutline: FunctionOutline?
    var downgradeOutline: FunctionOutline?
    /// The lines of the module-level `revision` and `down_revision` assignments (0: none), where
    /// `check` reports what is wrong with them.
    var revisionLine = 0
    var downRevisionLine = 0
}

/// Where a function of a migration stands: its `def` line, its last line, and whether its body
/// does nothing (`pass`, `...` and docstrings only).
struct FunctionOutline: Equatable, Sendable {
    var line: Int
    var lastLine: Int
    var passOnly: Bool
}

/// A history read whole: the revision graph and the schema it builds.
public struct MigrationHistory: Sendable {
    public let graph: RevisionGraph
    /// The schema of every migration in the directory (all branches, when there are several).
    public let schema: HistorySchema
    let sources: [MigrationSource]

    public init(graph: RevisionGraph, schema: HistorySchema) {
        self.graph = graph
        self.schema = schema
        self.sources = []
    }

    init(graph: RevisionGraph, schema: HistorySchema, sources: [MigrationSource]) {
        self.graph = graph
        self.schema = schema
        self.sources = sources
    }

    /// The schema after `revision`'s upgrade and then its `downgrade()`: what `alembic downgrade`
    /// to its parents leaves. Compare with `schema(at:)` of its parents; nil for an unknown revision
    /// or a history read without downgrades (`readHistory(downgrades: true)` reads them).
    ///
    /// ```swift
    /// let back = history.schema(afterDowngradeOf: "20250918_000007")
    /// back?.tables == history.schema(at: parents).tables
    /// ```
    public func schema(afterDowngradeOf revision: String) -> HistorySchema? {
        guard let i = graph.fileByRevision[revision], i < sources.count, let downgrade = sources[i].downgradeChanges else { return nil }
        var result = schema(at: [revision])
        for change in downgrade { result.apply(change, file: sources[i].file.fileName) }
        return result
    }

    /// Whether `revision`'s `downgrade()` was read whole: nothing in it is opaque.
    public func downgradeIsReadable(_ revision: String) -> Bool {
        guard let i = graph.fileByRevision[revision], i < sources.count, let downgrade = sources[i].downgradeChanges else { return false }
        func readable(_ change: SchemaChange) -> Bool {
            switch change {
            case .opaque: return false
            case .guarded(_, let then, let otherwise): return then.allSatisfy(readable) && otherwise.allSatisfy(readable)
            default: return true
            }
        }
        return downgrade.allSatisfy { readable($0.change) }
    }

    /// The schema at `revisions` (the parents of a new migration): only their ancestors are
    /// replayed, so a branch that is not merged in does not count. `schema` when that is everything.
    public func schema(at revisions: [String]) -> HistorySchema {
        guard !sources.isEmpty else { return schema }
        let ancestors = graph.ancestors(of: revisions)
        let everything = graph.topologicalOrder()
        if ancestors.count == everything.count { return schema }
        var result = HistorySchema()
        for i in everything where ancestors.contains(i) && i < sources.count {
            for change in sources[i].changes { result.apply(change, file: sources[i].file.fileName) }
        }
        return result
    }
}

/// Reads the schema a history builds, statically: no Python, no database.
///
/// Each file's bytes are read once and lexed once (the header, `upgrade()` and `downgrade()` in
/// the same pass), files in parallel; then the upgrades are replayed in revision order
/// (parents before children, merges after all their parents). A downgrade is replayed only on
/// request (`MigrationHistory.schema(afterDowngradeOf:)`).
public enum SchemaReader {
    /// Reads one file: its header, and when that reads, its `upgrade()`.
    /// `downgrade` reads `downgrade()` too: its SQL and CHECK conditions cost as much as the
    /// upgrade's, so only commands that compare the two (`check`, `verify`) ask for it.
    public static func source(fileName: String, bytes: [UInt8], downgrade: Bool = false) -> MigrationSource {
        // Only what the reader walks: module-level assignments, and `def`s with their bodies
        // (not `downgrade` unless asked). Keeping a line costs the lexer its reused buffer.
        var lines: [PythonHeaderLexer.LogicalLine] = []
        var inFunction = false
        var revisionLine = 0, downRevisionLine = 0
        let read = Result { () throws(HeaderReadError) in
            try MigrationHeaderReader.read(bytes: bytes) { logical in
                guard logical.column == 0 else {
                    if inFunction { lines.append(logical) }
                    return
                }
                let t = logical.tokens
                var k = 0
                if t.first == .name("async") { k = 1 }
                if k < t.count, t[k] == .name("def") {
                    inFunction = downgrade || !(k + 1 < t.count && t[k + 1] == .name("downgrade"))
                    if inFunction { lines.append(logical) }
                    return
                }
                if t.first == .op(UInt8(ascii: "@")) { return }
                inFunction = false
                if t.first == .name("revision"), revisionLine == 0 { revisionLine = logical.line }
                if t.first == .name("down_revision"), downRevisionLine == 0 { downRevisionLine = logical.line }
                if t.count >= 3, case .name(let name) = t[0], !SchemaReader.headerNames.contains(name),
                   t[1] == .op(UInt8(ascii: "=")) || t[1] == .op(UInt8(ascii: ":")) || t[1] == .op(UInt8(ascii: ",")) {
                    lines.append(logical)
                }
            }
        }
        switch read {
        case .failure(let error):
            return MigrationSource(file: MigrationFile(fileName: fileName, header: .failure(error)), changes: [])
        case .success(let (header, bodyError, comments)):
            let functions = UpgradeReader.read(lines: lines, downgrade: downgrade)
            var changes = functions.upgrade
            if let line = bodyError, line >= (functions.upgradeLine ?? Int.max) {
                changes.append(LocatedChange(line: line, change: .opaque("a string that never ends", [])))
            }
            return MigrationSource(
                file: MigrationFile(fileName: fileName, header: .success(header)), changes: changes, downgradeChanges: functions.downgrade,
                comments: comments, upgradeOutline: functions.upgradeOutline, downgradeOutline: functions.downgradeOutline,
                revisionLine: revisionLine, downRevisionLine: downRevisionLine)
        }
    }

    private static let headerNames: Set<String> = ["revision", "down_revision", "branch_labels", "depends_on"]

    /// Replays every file's changes in revision order.
    public static func schema(sources: [MigrationSource], graph: RevisionGraph) -> HistorySchema {
        var schema = HistorySchema()
        for i in graph.topologicalOrder() where i < sources.count {
            let name = sources[i].file.fileName
            for change in sources[i].changes { schema.apply(change, file: name) }
        }
        return schema
    }

    /// The graph and schema of sources already read.
    public static func history(sources: [MigrationSource]) -> MigrationHistory {
        let graph = RevisionGraph(files: sources.map(\.file))
        return MigrationHistory(graph: graph, schema: schema(sources: sources, graph: graph), sources: sources)
    }

    /// A history from files in memory, `(file name, text)`, downgrades included: for tests and tools.
    public static func history(files: [(name: String, text: String)]) -> MigrationHistory {
        let sorted = files.sorted { $0.name < $1.name }
        return history(sources: sorted.map { source(fileName: $0.name, bytes: Array($0.text.utf8), downgrade: true) })
    }
}

extension VersionsDirectory {
    /// Reads every migration whole (header and `upgrade()`), on all cores for large histories,
    /// and replays the schema. `readMigrations()` stays the fast path when only headers matter.
    /// With `downgrades`, every `downgrade()` is read as well, for `MigrationHistory.schema(afterDowngradeOf:)`.
    public func readHistory(downgrades: Bool = false) throws(VejaMigrateError) -> MigrationHistory {
        SchemaReader.history(sources: try readSources(downgrades: downgrades))
    }

    /// Every migration read whole, not yet replayed: `readHistory`'s first half. Files unchanged
    /// since an earlier read come from the cache (`SourceCache`), which is written anew when anything changed.
    public func readSources(downgrades: Bool = false) throws(VejaMigrateError) -> [MigrationSource] {
        try readSources(downgrades: downgrades, cache: SourceCache.open(for: url), now: SourceCache.now()).sources
    }

    /// `readSources` with the cache given (nil: none) and the clock's reading; `cached` counts the
    /// files that came from the cache.
    func readSources(downgrades: Bool, cache: SourceCache?, now: Int64) throws(VejaMigrateError) -> (sources: [MigrationSource], cached: Int) {
        // Each source gets its folder (`MigrationFile.directory`), as the cache gets it: from where it is read.
        let folder = url
        guard let cache else {
            return (try mapMigrationFiles { name, bytes in SchemaReader.source(fileName: name, bytes: bytes, downgrade: downgrades, directory: folder) }, 0)
        }
        let settled = now - SourceCache.settledAge
        let read = try mapMigrationFiles(
            unchanged: { name, identity -> (MigrationSource, SourceCache.Update)? in
                guard let entry = cache.entry(name, identity: identity, downgrade: downgrades),
                      let source = cache.decode(entry, fileName: name, directory: folder, downgrade: downgrades) else { return nil }
                return (source, .kept(entry))
            },
            { name, bytes, identity -> (MigrationSource, SourceCache.Update) in
                let source = SchemaReader.source(fileName: name, bytes: bytes, downgrade: downgrades, directory: folder)
                guard let identity, let bytes, identity.size == bytes.count, max(identity.mtime, identity.ctime) < settled else {
                    return (source, .none)
                }
                var e = SourceEncoder()
                source.encode(to: &e)
                return (source, .fresh(identity, hasDowngrade: downgrades, encoded: e.bytes))
            }
        )
        cache.save(read.map { ($0.0.file.fileName, $0.1) })
        return (read.map(\.0), read.count { if case .kept = $0.1 { return true } else { return false } })
    }
}

extension SchemaReader {
    /// `source(fileName:bytes:)` for a file that may not have been readable.
    static func source(fileName: String, bytes: [UInt8]?, downgrade: Bool, directory: URL? = nil) -> MigrationSource {
        guard let bytes else {
            return MigrationSource(file: MigrationFile(fileName: fileName, header: .failure(.cannotOpen), directory: directory), changes: [])
        }
        var read = source(fileName: fileName, bytes: bytes, downgrade: downgrade)
        read.file.directory = directory
        return read
    }
}
