import Foundation

/// A compact binary form of `MigrationSource`, for `SourceCache`: what reading one file gave
/// (its header and the schema changes of its `upgrade()` and `downgrade()`), so an unchanged file
/// is decoded instead of lexed and parsed again.
///
/// Integers are LEB128 varints (zigzag), strings a length and their UTF-8 bytes, optionals a
/// presence byte, arrays a count, enum cases a tag byte. Every type the reader produces is
/// written field by field; `SourceCodingTests` checks each type's stored properties against the
/// fields written here, so a field added to a schema type fails a test until it is encoded too.
struct SourceEncoder {
    var bytes: [UInt8] = []

    mutating func int(_ v: Int) {
        var z = UInt64(bitPattern: Int64((v << 1) ^ (v >> (Int.bitWidth - 1))))
        while z >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: z) | 0x80)
            z >>= 7
        }
        bytes.append(UInt8(z))
    }

    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optional<T>(_ v: T?, _ body: (inout SourceEncoder, T) -> Void) {
        if let v {
            bytes.append(1)
            body(&self, v)
        } else {
            bytes.append(0)
        }
    }

    mutating func array<T>(_ items: [T], _ body: (inout SourceEncoder, T) -> Void) {
        int(items.count)
        for item in items { body(&self, item) }
    }

    mutating func strings(_ items: [String]) { array(items) { $0.string($1) } }
    mutating func optionalString(_ s: String?) { optional(s) { $0.string($1) } }
}

/// Why a cached entry could not be decoded: the entry is read from the file again.
struct SourceDecodingError: Error {}

struct SourceDecoder {
    let base: UnsafeRawBufferPointer
    var position: Int

    init(_ base: UnsafeRawBufferPointer, at position: Int = 0) {
        self.base = base
        self.position = position
    }

    var atEnd: Bool { position >= base.count }

    mutating func byte() throws(SourceDecodingError) -> UInt8 {
        guard position < base.count else { throw SourceDecodingError() }
        defer { position += 1 }
        return base[position]
    }

    mutating func int() throws(SourceDecodingError) -> Int {
        var z: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw SourceDecodingError() }
            z |= UInt64(b & 0x7f) << shift
            if b < 0x80 { break }
            shift += 7
        }
        let v = Int64(bitPattern: z)
        return Int((v >> 1) ^ -(v & 1))
    }

    mutating func count() throws(SourceDecodingError) -> Int {
        let n = try int()
        guard n >= 0, n <= base.count - position else { throw SourceDecodingError() }
        return n
    }

    mutating func bool() throws(SourceDecodingError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw SourceDecodingError()
        }
    }

    mutating func string() throws(SourceDecodingError) -> String {
        let n = try count()
        let start = position
        position += n
        guard let text = String(validating: UnsafeRawBufferPointer(rebasing: base[start..<position]), as: UTF8.self) else {
            throw SourceDecodingError()
        }
        return text
    }

    mutating func optional<T>(_ body: (inout SourceDecoder) throws(SourceDecodingError) -> T) throws(SourceDecodingError) -> T? {
        try bool() ? try body(&self) : nil
    }

    mutating func array<T>(_ body: (inout SourceDecoder) throws(SourceDecodingError) -> T) throws(SourceDecodingError) -> [T] {
        let n = try count()
        var items: [T] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try body(&self)) }
        return items
    }

    mutating func strings() throws(SourceDecodingError) -> [String] { try array { d throws(SourceDecodingError) in try d.string() } }
    mutating func optionalString() throws(SourceDecodingError) -> String? { try optional { d throws(SourceDecodingError) in try d.string() } }
}

// MARK: - The source and its header

extension MigrationSource {
    /// The file name is the cache entry's key and is not repeated here. The downgrade comes last,
    /// after its byte length, so a read that does not need it skips it.
    func encode(to e: inout SourceEncoder) {
        switch file.header {
        case .success(let h):
            e.bytes.append(0)
            h.encode(to: &e)
        case .failure(let error):
            e.bytes.append(1)
            error.encode(to: &e)
        }
        e.array(changes) { $1.encode(to: &$0) }
        e.array(comments) { e, c in
            e.int(c.line)
            e.string(c.text)
        }
        e.optional(upgradeOutline) { $1.encode(to: &$0) }
        e.optional(downgradeOutline) { $1.encode(to: &$0) }
        e.int(revisionLine)
        e.int(downRevisionLine)
        if let downgradeChanges {
            var d = SourceEncoder()
            d.array(downgradeChanges) { $1.encode(to: &$0) }
            e.bytes.append(1)
            e.int(d.bytes.count)
            e.bytes += d.bytes
        } else {
            e.bytes.append(0)
        }
    }

    /// The source `encode(to:)` wrote; its downgrade only with `downgrade` (else skipped), and an
    /// error when it was asked for and not stored. The file's name and folder are the cache's keys
    /// (one cache file per folder, one entry per name), given here rather than stored in the entry.
    static func decode(fileName: String, directory: URL? = nil, from d: inout SourceDecoder, downgrade: Bool) throws(SourceDecodingError) -> MigrationSource {
        let header: Result<MigrationHeader, HeaderReadError>
        switch try d.byte() {
        case 0: header = .success(try MigrationHeader.decode(from: &d))
        case 1: header = .failure(try HeaderReadError.decode(from: &d))
        default: throw SourceDecodingError()
        }
        let changes = try d.array { d throws(SourceDecodingError) in try LocatedChange.decode(from: &d) }
        let comments = try d.array { d throws(SourceDecodingError) in SourceComment(line: try d.int(), text: try d.string()) }
        let upgradeOutline = try d.optional { d throws(SourceDecodingError) in try FunctionOutline.decode(from: &d) }
        let downgradeOutline = try d.optional { d throws(SourceDecodingError) in try FunctionOutline.decode(from: &d) }
        let revisionLine = try d.int(), downRevisionLine = try d.int()
        var downgradeChanges: [LocatedChange]?
        if try d.bool() {
            let length = try d.count()
            if downgrade {
                var inner = SourceDecoder(d.base, at: d.position)
                downgradeChanges = try inner.array { d throws(SourceDecodingError) in try LocatedChange.decode(from: &d) }
                guard inner.position == d.position + length else { throw SourceDecodingError() }
            }
            d.position += length
        } else if downgrade {
            throw SourceDecodingError()
        }
        return MigrationSource(
            file: MigrationFile(fileName: fileName, header: header, directory: directory), changes: changes, downgradeChanges: downgradeChanges,
            comments: comments, upgradeOutline: upgradeOutline, downgradeOutline: downgradeOutline,
            revisionLine: revisionLine, downRevisionLine: downRevisionLine)
    }
}

extension FunctionOutline {
    func encode(to e: inout SourceEncoder) {
        e.int(line)
        e.int(lastLine)
        e.bool(passOnly)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> FunctionOutline {
        FunctionOutline(line: try d.int(), lastLine: try d.int(), passOnly: try d.bool())
    }
}

extension MigrationHeader {
    func encode(to e: inout SourceEncoder) {
        e.optionalString(revision)
        e.strings(downRevisions)
        e.bool(declaresDownRevision)
        e.strings(dependsOn)
        e.optionalString(docDescription)
        e.optionalString(docRevisionID)
        e.optional(docRevises) { $0.strings($1) }
        e.optionalString(docCreateDate)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> MigrationHeader {
        var h = MigrationHeader()
        h.revision = try d.optionalString()
        h.downRevisions = try d.strings()
        h.declaresDownRevision = try d.bool()
        h.dependsOn = try d.strings()
        h.docDescription = try d.optionalString()
        h.docRevisionID = try d.optionalString()
        h.docRevises = try d.optional { d throws(SourceDecodingError) in try d.strings() }
        h.docCreateDate = try d.optionalString()
        return h
    }
}

extension HeaderReadError {
    func encode(to e: inout SourceEncoder) {
        switch self {
        case .cannotOpen: e.bytes.append(0)
        case .notUTF8: e.bytes.append(1)
        case .unterminatedString(let line):
            e.bytes.append(2)
            e.int(line)
        case .noRevision: e.bytes.append(3)
        case .unsupportedValue(let name, let line):
            e.bytes.append(4)
            e.string(name)
            e.int(line)
        }
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> HeaderReadError {
        switch try d.byte() {
        case 0: return .cannotOpen
        case 1: return .notUTF8
        case 2: return .unterminatedString(line: try d.int())
        case 3: return .noRevision
        case 4: return .unsupportedValue(name: try d.string(), line: try d.int())
        default: throw SourceDecodingError()
        }
    }
}

// MARK: - Changes

extension LocatedChange {
    func encode(to e: inout SourceEncoder) {
        e.int(line)
        change.encode(to: &e)
        e.bytes.append(facts.rawValue)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> LocatedChange {
        LocatedChange(line: try d.int(), change: try SchemaChange.decode(from: &d), facts: ChangeFacts(rawValue: try d.byte()))
    }
}

extension SchemaChange {
    func encode(to e: inout SourceEncoder) {
        switch self {
        case .createTable(let t):
            e.bytes.append(0)
            t.encode(to: &e)
        case .dropTable(let t):
            e.bytes.append(1)
            e.string(t)
        case .renameTable(let t, let to):
            e.bytes.append(2)
            e.string(t)
            e.string(to)
        case .addColumns(let t, let fragment):
            e.bytes.append(3)
            e.string(t)
            fragment.encode(to: &e)
        case .dropColumn(let t, let c):
            e.bytes.append(4)
            e.string(t)
            e.string(c)
        case .alterColumn(let t, let c, let a):
            e.bytes.append(5)
            e.string(t)
            e.string(c)
            a.encode(to: &e)
        case .createIndex(let t, let i):
            e.bytes.append(6)
            e.string(t)
            i.encode(to: &e)
        case .dropIndex(let i, let table):
            e.bytes.append(7)
            e.string(i)
            e.optionalString(table)
        case .addCheck(let t, let c):
            e.bytes.append(8)
            e.string(t)
            c.encode(to: &e)
        case .addForeignKey(let t, let fk):
            e.bytes.append(9)
            e.string(t)
            fk.encode(to: &e)
        case .addUnique(let t, let u):
            e.bytes.append(10)
            e.string(t)
            u.encode(to: &e)
        case .addPrimaryKey(let t, let name, let columns):
            e.bytes.append(11)
            e.string(t)
            e.string(name)
            e.strings(columns)
        case .dropConstraint(let t, let name, let type):
            e.bytes.append(12)
            e.string(t)
            e.string(name)
            e.optionalString(type)
        case .validateConstraint(let t, let name):
            e.bytes.append(13)
            e.string(t)
            e.string(name)
        case .renameIndex(let i, let to):
            e.bytes.append(14)
            e.string(i)
            e.string(to)
        case .renameConstraint(let t, let name, let to):
            e.bytes.append(15)
            e.string(t)
            e.string(name)
            e.string(to)
        case .constraintFromIndex(let t, let name, let index, let primary):
            e.bytes.append(16)
            e.string(t)
            e.string(name)
            e.string(index)
            e.bool(primary)
        case .createEnum(let name, let values):
            e.bytes.append(17)
            e.string(name)
            e.strings(values)
        case .addEnumValue(let name, let value, let neighbor, let after):
            e.bytes.append(18)
            e.string(name)
            e.string(value)
            e.optionalString(neighbor)
            e.bool(after)
        case .renameEnumValue(let name, let from, let to):
            e.bytes.append(19)
            e.string(name)
            e.string(from)
            e.string(to)
        case .renameEnum(let name, let to):
            e.bytes.append(20)
            e.string(name)
            e.string(to)
        case .dropEnum(let name):
            e.bytes.append(21)
            e.string(name)
        case .guarded(let condition, let then, let otherwise):
            e.bytes.append(22)
            condition.encode(to: &e)
            e.array(then) { $1.encode(to: &$0) }
            e.array(otherwise) { $1.encode(to: &$0) }
        case .cascade(.table(let t)):
            e.bytes.append(23)
            e.string(t)
        case .cascade(.enumType(let t)):
            e.bytes.append(24)
            e.string(t)
        case .opaque(let what, let mentions, let error):
            e.bytes.append(25)
            e.string(what)
            e.array(mentions) { e, m in
                e.string(m.table)
                e.string(m.kind.rawValue)
            }
            e.optionalString(error)
        case .data(let verb, let table):
            e.bytes.append(26)
            e.string(verb)
            e.optionalString(table)
        case .transaction(let verb):
            e.bytes.append(27)
            e.string(verb)
        }
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> SchemaChange {
        switch try d.byte() {
        case 0: return .createTable(try SchemaTable.decode(from: &d))
        case 1: return .dropTable(try d.string())
        case 2: return .renameTable(try d.string(), to: try d.string())
        case 3: return .addColumns(try d.string(), try SchemaTable.decode(from: &d))
        case 4: return .dropColumn(try d.string(), try d.string())
        case 5: return .alterColumn(try d.string(), try d.string(), try ColumnAlteration.decode(from: &d))
        case 6: return .createIndex(try d.string(), try SchemaIndex.decode(from: &d))
        case 7: return .dropIndex(try d.string(), table: try d.optionalString())
        case 8: return .addCheck(try d.string(), try SchemaCheck.decode(from: &d))
        case 9: return .addForeignKey(try d.string(), try SchemaForeignKey.decode(from: &d))
        case 10: return .addUnique(try d.string(), try SchemaUnique.decode(from: &d))
        case 11: return .addPrimaryKey(try d.string(), name: try d.string(), columns: try d.strings())
        case 12: return .dropConstraint(try d.string(), name: try d.string(), type: try d.optionalString())
        case 13: return .validateConstraint(try d.string(), name: try d.string())
        case 14: return .renameIndex(try d.string(), to: try d.string())
        case 15: return .renameConstraint(try d.string(), name: try d.string(), to: try d.string())
        case 16: return .constraintFromIndex(try d.string(), name: try d.string(), index: try d.string(), primary: try d.bool())
        case 17: return .createEnum(try d.string(), try d.strings())
        case 18: return .addEnumValue(try d.string(), value: try d.string(), neighbor: try d.optionalString(), after: try d.bool())
        case 19: return .renameEnumValue(try d.string(), from: try d.string(), to: try d.string())
        case 20: return .renameEnum(try d.string(), to: try d.string())
        case 21: return .dropEnum(try d.string())
        case 22:
            let condition = try SchemaCondition.decode(from: &d)
            let then = try d.array { d throws(SourceDecodingError) in try SchemaChange.decode(from: &d) }
            let otherwise = try d.array { d throws(SourceDecodingError) in try SchemaChange.decode(from: &d) }
            return .guarded(condition, then: then, else: otherwise)
        case 23: return .cascade(.table(try d.string()))
        case 24: return .cascade(.enumType(try d.string()))
        case 25:
            let what = try d.string()
            let mentions = try d.array { d throws(SourceDecodingError) -> RawSQL.Mention in
                let table = try d.string()
                guard let kind = RawSQLKind(rawValue: try d.string()) else { throw SourceDecodingError() }
                return RawSQL.Mention(table: table, kind: kind)
            }
            return .opaque(what, mentions, error: try d.optionalString())
        case 26: return .data(try d.string(), table: try d.optionalString())
        case 27: return .transaction(try d.string())
        default: throw SourceDecodingError()
        }
    }
}

extension SchemaCondition {
    func encode(to e: inout SourceEncoder) {
        switch self {
        case .tableExists(let t):
            e.bytes.append(0)
            e.string(t)
        case .columnExists(let t, let c):
            e.bytes.append(1)
            e.string(t)
            e.string(c)
        case .indexExists(let i):
            e.bytes.append(2)
            e.string(i)
        case .indexOnTable(let t, let i):
            e.bytes.append(3)
            e.string(t)
            e.string(i)
        case .constraintExists(let t, let c):
            e.bytes.append(4)
            e.string(t)
            e.string(c)
        case .enumExists(let name):
            e.bytes.append(5)
            e.string(name)
        case .not(let c):
            e.bytes.append(6)
            c.encode(to: &e)
        case .all(let cs):
            e.bytes.append(7)
            e.array(cs) { $1.encode(to: &$0) }
        case .any(let cs):
            e.bytes.append(8)
            e.array(cs) { $1.encode(to: &$0) }
        }
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> SchemaCondition {
        switch try d.byte() {
        case 0: return .tableExists(try d.string())
        case 1: return .columnExists(try d.string(), try d.string())
        case 2: return .indexExists(try d.string())
        case 3: return .indexOnTable(try d.string(), try d.string())
        case 4: return .constraintExists(try d.string(), try d.string())
        case 5: return .enumExists(try d.string())
        case 6: return .not(try SchemaCondition.decode(from: &d))
        case 7: return .all(try d.array { d throws(SourceDecodingError) in try SchemaCondition.decode(from: &d) })
        case 8: return .any(try d.array { d throws(SourceDecodingError) in try SchemaCondition.decode(from: &d) })
        default: throw SourceDecodingError()
        }
    }
}

extension ColumnAlteration {
    func encode(to e: inout SourceEncoder) {
        e.optional(nullable) { $0.bool($1) }
        e.optional(serverDefault) { $0.optionalString($1) }
        e.optionalString(type)
        e.optionalString(newName)
        e.optionalString(sqlType)
        e.optional(identity) { $0.optionalString($1) }
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> ColumnAlteration {
        ColumnAlteration(
            nullable: try d.optional { d throws(SourceDecodingError) in try d.bool() },
            serverDefault: try d.optional { d throws(SourceDecodingError) in try d.optionalString() },
            type: try d.optionalString(),
            newName: try d.optionalString(),
            sqlType: try d.optionalString(),
            identity: try d.optional { d throws(SourceDecodingError) in try d.optionalString() }
        )
    }
}

// MARK: - Schema values

extension SchemaTable {
    func encode(to e: inout SourceEncoder) {
        e.string(name)
        e.optionalString(createdIn)
        e.array(columns) { $1.encode(to: &$0) }
        e.strings(primaryKey)
        e.optionalString(primaryKeyName)
        e.array(checks) { $1.encode(to: &$0) }
        e.array(uniques) { $1.encode(to: &$0) }
        e.array(indexes) { $1.encode(to: &$0) }
        e.array(foreignKeys) { $1.encode(to: &$0) }
        e.bool(partial)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> SchemaTable {
        var t = SchemaTable(name: try d.string())
        t.createdIn = try d.optionalString()
        t.columns = try d.array { d throws(SourceDecodingError) in try SchemaColumn.decode(from: &d) }
        t.primaryKey = try d.strings()
        t.primaryKeyName = try d.optionalString()
        t.checks = try d.array { d throws(SourceDecodingError) in try SchemaCheck.decode(from: &d) }
        t.uniques = try d.array { d throws(SourceDecodingError) in try SchemaUnique.decode(from: &d) }
        t.indexes = try d.array { d throws(SourceDecodingError) in try SchemaIndex.decode(from: &d) }
        t.foreignKeys = try d.array { d throws(SourceDecodingError) in try SchemaForeignKey.decode(from: &d) }
        t.partial = try d.bool()
        return t
    }
}

extension SchemaColumn {
    func encode(to e: inout SourceEncoder) {
        e.string(name)
        e.string(type)
        e.bool(nullable)
        e.optionalString(serverDefault)
        e.bool(autoincrement)
        e.string(sqlType)
        e.optionalString(identity)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> SchemaColumn {
        SchemaColumn(
            name: try d.string(), type: try d.string(), nullable: try d.bool(), serverDefault: try d.optionalString(),
            autoincrement: try d.bool(), sqlType: try d.string(), identity: try d.optionalString()
        )
    }
}

extension SchemaCheck {
    func encode(to e: inout SourceEncoder) {
        e.string(name)
        e.string(condition)
        e.optionalString(column)
        e.optional(values) { $0.strings($1) }
        e.bool(validated)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> SchemaCheck {
        // The stored fields as they were: the initialiser would derive the value list again.
        var c = SchemaCheck(name: try d.string(), condition: "", column: "", values: [])
        c.condition = try d.string()
        c.column = try d.optionalString()
        c.values = try d.optional { d throws(SourceDecodingError) in try d.strings() }
        c.validated = try d.bool()
        return c
    }
}

extension SchemaUnique {
    func encode(to e: inout SourceEncoder) {
        e.string(name)
        e.strings(columns)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> SchemaUnique {
        SchemaUnique(name: try d.string(), columns: try d.strings())
    }
}

extension SchemaIndex {
    func encode(to e: inout SourceEncoder) {
        e.string(name)
        e.strings(columns)
        e.bool(unique)
        e.array(descending) { $0.bool($1) }
        e.string(method)
        e.optionalString(predicate)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> SchemaIndex {
        SchemaIndex(
            name: try d.string(), columns: try d.strings(), unique: try d.bool(),
            descending: try d.array { d throws(SourceDecodingError) in try d.bool() }, method: try d.string(), predicate: try d.optionalString()
        )
    }
}

extension SchemaForeignKey {
    func encode(to e: inout SourceEncoder) {
        e.string(name)
        e.strings(columns)
        e.string(referencedTable)
        e.strings(referencedColumns)
        e.optionalString(onDelete)
        e.optionalString(onUpdate)
        e.bool(deferrable)
        e.bool(initiallyDeferred)
        e.bool(validated)
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> SchemaForeignKey {
        SchemaForeignKey(
            name: try d.string(), columns: try d.strings(), referencedTable: try d.string(), referencedColumns: try d.strings(),
            onDelete: try d.optionalString(), onUpdate: try d.optionalString(), deferrable: try d.bool(),
            initiallyDeferred: try d.bool(), validated: try d.bool()
        )
    }
}
