/// A foreign key seen as a relationship between two tables, with the cardinalities an
/// entity-relationship diagram draws; `MermaidDiagram` and `DotDiagram` both draw from it, so
/// the two pictures cannot disagree.
///
/// ```swift
/// let r = SchemaRelationship(fk, in: payments)
/// r.parentOptional   // true when a payment may have no project (a nullable column)
/// r.childUnique      // true when a project has at most one payment (the FK columns are unique)
/// ```
public struct SchemaRelationship: Equatable, Sendable {
    /// The table that holds the foreign key.
    public var child: String
    /// The table it references.
    public var parent: String
    public var foreignKey: SchemaForeignKey
    /// A child row may reference no parent: one of the key's columns is nullable.
    public var parentOptional: Bool
    /// A parent has at most one child: the key's columns are the child's primary key, a
    /// unique constraint or a unique index (a one-to-one relationship).
    public var childUnique: Bool
    /// The key's columns are part of the child's primary key: the child cannot exist without
    /// its parent (an identifying relationship).
    public var identifying: Bool

    public init(_ foreignKey: SchemaForeignKey, in child: SchemaTable) {
        self.child = child.name
        self.parent = foreignKey.referencedTable
        self.foreignKey = foreignKey
        self.parentOptional = foreignKey.columns.contains { child.column($0)?.nullable ?? true }
        self.childUnique = child.isUniqueKey(foreignKey.columns)
        self.identifying = !child.primaryKey.isEmpty && Set(foreignKey.columns).isSubset(of: child.primaryKey)
    }

    /// The relationships of `tables` (all of the schema's when nil): the foreign keys they hold
    /// and, when only some tables are drawn, the foreign keys of other tables that reference
    /// them; ordered by child table, then key name.
    public static func all(in schema: HistorySchema, tables: [String]? = nil) -> [SchemaRelationship] {
        let shown = Set(tables ?? schema.tableNames)
        var out: [SchemaRelationship] = []
        for name in schema.tableNames {
            let t = schema.tables[name]!
            for fk in t.foreignKeys where shown.contains(name) || shown.contains(fk.referencedTable) {
                out.append(SchemaRelationship(fk, in: t))
            }
        }
        return out.sorted { ($0.child, $0.foreignKey.name) < ($1.child, $1.foreignKey.name) }
    }
}

/// The keys a column takes part in, as an entity-relationship diagram marks them.
public struct ColumnKeys: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// In the primary key.
    public static let primary = ColumnKeys(rawValue: 1)
    /// In a foreign key.
    public static let foreign = ColumnKeys(rawValue: 2)
    /// Unique by itself: a one-column unique constraint or a one-column unique index without a predicate.
    public static let unique = ColumnKeys(rawValue: 4)

    /// The keys of every column of `table`, by column name.
    public static func of(_ table: SchemaTable) -> [String: ColumnKeys] {
        var keys: [String: ColumnKeys] = [:]
        for c in table.primaryKey { keys[c, default: []].insert(.primary) }
        for fk in table.foreignKeys { for c in fk.columns { keys[c, default: []].insert(.foreign) } }
        for u in table.uniques where u.columns.count == 1 { keys[u.columns[0], default: []].insert(.unique) }
        for i in table.indexes where i.unique && i.columns.count == 1 && i.predicate == nil {
            keys[i.columns[0], default: []].insert(.unique)
        }
        return keys
    }

    /// `PK`, `FK`, `UK` in that order.
    public var labels: [String] {
        var out: [String] = []
        if contains(.primary) { out.append("PK") }
        if contains(.foreign) { out.append("FK") }
        if contains(.unique) { out.append("UK") }
        return out
    }
}

extension SchemaColumn {
    /// The type as a diagram shows it: PostgreSQL's name, else the SQLAlchemy type as written,
    /// else `unknown`.
    public var diagramType: String {
        if !sqlType.isEmpty { return sqlType }
        return type.isEmpty ? "unknown" : type
    }
}
