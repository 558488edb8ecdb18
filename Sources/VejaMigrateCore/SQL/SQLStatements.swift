/// Turns SQL that a migration executes into schema changes, statement by statement, with the
/// PostgreSQL grammar (libpg_query): CREATE / ALTER / DROP TABLE, indexes, constraints, enum types.
///
/// Data statements, functions, triggers, comments, grants, extensions and the like change no
/// table's shape and give nothing. A statement that may change a table in a way this reader does
/// not follow (a `DO` block, `CREATE TABLE ... AS`) is opaque, naming its tables; SQL that does
/// not parse is opaque with the parser's message.
enum SQLStatements {
    /// The changes `sql` makes, in order.
    static func changes(_ sql: String, placeholders: ExecutedSQL.Placeholders) -> [SchemaChange] {
        read(sql, placeholders: placeholders).map(\.change)
    }

    /// The changes `sql` makes, in order, each with how it runs (`CONCURRENTLY`).
    static func read(_ sql: String, placeholders: ExecutedSQL.Placeholders) -> [(change: SchemaChange, facts: ChangeFacts)] {
        let text = ExecutedSQL.parsable(sql, placeholders)
        let tree: JSONValue
        do {
            tree = try PostgresGrammar.parse(text)
        } catch {
            return [(.opaque("SQL that does not parse", RawSQL.tables(in: sql), error: error.message), [])]
        }
        var reader = Reader()
        for (node, fields) in PostgresGrammar.statements(tree) {
            // A schema change whose values are bound parameters (`DEFAULT :x`) gets them from the
            // driver; what they hold is not known here.
            if !shapeless.contains(node), PostgresGrammar.contains(.object(fields), node: ["ParamRef"]) {
                reader.changes.append(.opaque("SQL whose values are bound parameters", RawSQL.tables(in: sql)))
                continue
            }
            reader.statement(node, fields, source: text)
        }
        return reader.changes.enumerated().map { ($0.element, reader.concurrent.contains($0.offset) ? .concurrently : []) }
    }

    /// Statements that change no table's shape.
    static let shapeless: Set<String> = ExecutedSQL.dataStatements.union([
        "CreateFunctionStmt", "CreateTrigStmt", "CommentStmt", "GrantStmt", "GrantRoleStmt", "CreateExtensionStmt",
        "AlterExtensionStmt", "CreatePolicyStmt", "AlterPolicyStmt", "ViewStmt", "CreateSeqStmt", "AlterSeqStmt",
        "RuleStmt", "CreateSchemaStmt", "TransactionStmt", "AlterOwnerStmt", "AlterFunctionStmt", "RefreshMatViewStmt",
        "ClusterStmt", "ReindexStmt", "CreateStatsStmt", "AlterRoleStmt", "CreateRoleStmt", "DropRoleStmt",
        "AlterDefaultPrivilegesStmt", "CreateEventTrigStmt", "SecLabelStmt", "AlterObjectSchemaStmt", "CreateCastStmt",
        "CreateDomainStmt", "AlterDomainStmt", "DefineStmt", "CompositeTypeStmt", "CreatePublicationStmt",
        "AlterPublicationStmt", "AlterStatsStmt", "CreateOpClassStmt", "AlterSystemStmt", "DeallocateStmt", "PrepareStmt",
        "ExecuteStmt", "CallStmt",
    ])

    private struct Reader {
        var changes: [SchemaChange] = []
        /// The positions in `changes` of indexes built or dropped `CONCURRENTLY`.
        var concurrent = Set<Int>()
        var deparser = SQLDeparser()

        mutating func statement(_ node: String, _ f: [String: JSONValue], source: String) {
            switch node {
            case "CreateStmt": createTable(f)
            case "AlterTableStmt": alterTable(f, source: source)
            case "RenameStmt": rename(f)
            case "IndexStmt": createIndex(f)
            case "DropStmt": drop(f)
            case "CreateEnumStmt":
                let name = deparser.names(f["typeName"]).last ?? ""
                let values = list(f["vals"]).compactMap { $0.objectValue?["String"]?.objectValue?["sval"]?.stringValue }
                changes.append(.createEnum(name, values))
            case "AlterEnumStmt":
                let name = deparser.names(f["typeName"]).last ?? ""
                let new = f["newVal"]?.stringValue ?? ""
                if let old = f["oldVal"]?.stringValue {
                    changes.append(.renameEnumValue(name, from: old, to: new))
                } else {
                    changes.append(.addEnumValue(name, value: new, neighbor: f["newValNeighbor"]?.stringValue, after: f["newValIsAfter"] == .bool(true)))
                }
            case "DropStmt_never": break
            case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt":
                let verb = ["InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE", "MergeStmt": "MERGE"][node]!
                changes.append(.data(verb, table: relationName(f["relation"])))
            case "TransactionStmt":
                let kind = f["kind"]?.stringValue ?? ""
                changes.append(.transaction(kind.hasPrefix("TRANS_STMT_") ? String(kind.dropFirst("TRANS_STMT_".count)) : kind))
            default:
                if SQLStatements.shapeless.contains(node) { return }
                if node == "DoStmt", let body = DoBlock.body(f), DoBlock.isDataOnly(body) {
                    changes.append(.data("DO", table: RawSQL.tables(in: source).first?.table))
                    return
                }
                // DO blocks, CREATE TABLE AS, and anything else: not followed.
                let tables = RawSQL.tables(in: source)
                changes.append(.opaque(Self.statementName(node), tables))
            }
        }

        static func statementName(_ node: String) -> String {
            switch node {
            case "DoStmt": return "a DO block"
            case "CreateTableAsStmt": return "CREATE TABLE AS"
            default: return node.hasSuffix("Stmt") ? String(node.dropLast(4)) : node
            }
        }

        // MARK: CREATE TABLE

        mutating func createTable(_ f: [String: JSONValue]) {
            guard let table = relationName(f["relation"]) else { return }
            // LIKE, INHERITS and PARTITION OF take columns from another table: not followed.
            let copies = list(f["tableElts"]).contains { $0.objectValue?["TableLikeClause"] != nil }
            if copies || f["inhRelations"] != nil || f["partbound"] != nil {
                let others = list(f["inhRelations"]).compactMap { relationName($0.objectValue?["RangeVar"]) }
                    + list(f["tableElts"]).compactMap { relationName($0.objectValue?["TableLikeClause"]?.objectValue?["relation"]) }
                changes.append(.opaque("CREATE TABLE \(table) (LIKE / INHERITS / PARTITION OF)",
                                       [RawSQL.Mention(table: table, kind: .createTable)] + others.map { RawSQL.Mention(table: $0, kind: .data) }))
                return
            }
            var t = SchemaTable(name: table)
            for element in list(f["tableElts"]) {
                if let c = element.objectValue?["ColumnDef"]?.objectValue {
                    column(c, into: &t)
                } else if let c = element.objectValue?["Constraint"]?.objectValue {
                    tableConstraint(c, into: &t, column: nil)
                }
            }
            let change = SchemaChange.createTable(t)
            changes.append(f["if_not_exists"] == .bool(true) ? .guarded(.tableExists(table), else: [change]) : change)
        }

        /// A column definition with its inline constraints, added to `t` (a new table or a fragment).
        mutating func column(_ c: [String: JSONValue], into t: inout SchemaTable) {
            let name = c["colname"]?.stringValue ?? ""
            let type = deparser.typeName(c["typeName"] ?? .null)
            var column = SchemaColumn(name: name, type: type.text, nullable: true, autoincrement: type.serial, sqlType: type.text)
            for item in list(c["constraints"]) {
                guard let k = item.objectValue?["Constraint"]?.objectValue else { continue }
                switch k["contype"]?.stringValue {
                case "CONSTR_NOTNULL": column.nullable = false
                case "CONSTR_NULL": column.nullable = true
                case "CONSTR_DEFAULT": column.serverDefault = k["raw_expr"].map { deparser.expression($0) }
                case "CONSTR_IDENTITY":
                    column.identity = k["generated_when"]?.stringValue == "a" ? "always" : "by default"
                    column.nullable = false
                case "CONSTR_PRIMARY":
                    column.nullable = false
                    tableConstraint(k, into: &t, column: name)
                default:
                    tableConstraint(k, into: &t, column: name)
                }
            }
            t.columns.append(column)
        }

        /// A constraint, at table level or inline on `column`.
        mutating func tableConstraint(_ k: [String: JSONValue], into t: inout SchemaTable, column: String?) {
            let given = k["conname"]?.stringValue
            let keys = names(k["keys"]).isEmpty ? column.map { [$0] } ?? [] : names(k["keys"])
            let validated = k["skip_validation"] != .bool(true)
            switch k["contype"]?.stringValue {
            case "CONSTR_PRIMARY":
                t.primaryKey = keys
                t.primaryKeyName = given ?? "\(t.name)_pkey"
                for key in keys { if let i = t.columnIndex(key) { t.columns[i].nullable = false } }
            case "CONSTR_UNIQUE":
                t.uniques.append(SchemaUnique(name: given ?? "\(t.name)_\(keys.joined(separator: "_"))_key", columns: keys))
            case "CONSTR_CHECK":
                let expr = k["raw_expr"] ?? .null
                let condition = deparser.expression(expr)
                let firstColumn = column ?? Self.firstColumn(expr)
                let name = given ?? (firstColumn.map { "\(t.name)_\($0)_check" } ?? "\(t.name)_check")
                let list = CheckCondition.allowedValues(expression: expr)
                t.checks.append(SchemaCheck(name: name, condition: condition, column: list?.column, values: list?.values, validated: validated))
            case "CONSTR_FOREIGN":
                let local = names(k["fk_attrs"]).isEmpty ? column.map { [$0] } ?? [] : names(k["fk_attrs"])
                t.foreignKeys.append(SchemaForeignKey(
                    name: given ?? "\(t.name)_\(local.joined(separator: "_"))_fkey", columns: local,
                    referencedTable: relationName(k["pktable"]) ?? "", referencedColumns: names(k["pk_attrs"]),
                    onDelete: Self.action(k["fk_del_action"]), onUpdate: Self.action(k["fk_upd_action"]),
                    deferrable: k["deferrable"] == .bool(true), initiallyDeferred: k["initdeferred"] == .bool(true),
                    validated: validated))
            default:
                break  // EXCLUDE, GENERATED: not modelled
            }
        }

        static func action(_ v: JSONValue?) -> String? {
            switch v?.stringValue {
            case "c": return "CASCADE"
            case "n": return "SET NULL"
            case "d": return "SET DEFAULT"
            case "r": return "RESTRICT"
            default: return nil  // "a": NO ACTION
            }
        }

        /// The first column an expression names: PostgreSQL names an unnamed table CHECK after it.
        static func firstColumn(_ node: JSONValue) -> String? {
            switch node {
            case .object(let o):
                if let ref = o["ColumnRef"]?.objectValue, let last = SQLDeparser().names(ref["fields"]).last, last != "*" { return last }
                for key in o.keys.sorted(by: { ($0 == "lexpr" ? 0 : $0 == "args" ? 1 : 2, $0) < ($1 == "lexpr" ? 0 : $1 == "args" ? 1 : 2, $1) }) {
                    if let found = firstColumn(o[key]!) { return found }
                }
                return nil
            case .array(let a):
                for item in a { if let found = firstColumn(item) { return found } }
                return nil
            default:
                return nil
            }
        }

        // MARK: ALTER TABLE

        mutating func alterTable(_ f: [String: JSONValue], source: String) {
            guard f["objtype"]?.stringValue == "OBJECT_TABLE", let table = relationName(f["relation"]) else { return }
            var out: [SchemaChange] = []
            for cmd in list(f["cmds"]) {
                guard let c = cmd.objectValue?["AlterTableCmd"]?.objectValue else { continue }
                let name = c["name"]?.stringValue ?? ""
                let missingOK = c["missing_ok"] == .bool(true)
                switch c["subtype"]?.stringValue ?? "" {
                case "AT_AddColumn":
                    guard let def = c["def"]?.objectValue?["ColumnDef"]?.objectValue else { continue }
                    var fragment = SchemaTable(name: table)
                    column(def, into: &fragment)
                    let change = SchemaChange.addColumns(table, fragment)
                    out.append(missingOK ? .guarded(.columnExists(table, def["colname"]?.stringValue ?? ""), else: [change]) : change)
                case "AT_DropColumn":
                    let change = SchemaChange.dropColumn(table, name)
                    out.append(missingOK ? .guarded(.columnExists(table, name), then: [change]) : change)
                case "AT_ColumnDefault":
                    let value: String? = c["def"].map { deparser.expression($0) }
                    out.append(.alterColumn(table, name, ColumnAlteration(serverDefault: .some(value))))
                case "AT_SetNotNull":
                    out.append(.alterColumn(table, name, ColumnAlteration(nullable: false)))
                case "AT_DropNotNull":
                    out.append(.alterColumn(table, name, ColumnAlteration(nullable: true)))
                case "AT_AlterColumnType":
                    guard let def = c["def"]?.objectValue?["ColumnDef"]?.objectValue else { continue }
                    let type = deparser.typeName(def["typeName"] ?? .null)
                    out.append(.alterColumn(table, name, ColumnAlteration(type: type.text, sqlType: type.text)))
                case "AT_AddConstraint":
                    guard let k = c["def"]?.objectValue?["Constraint"]?.objectValue else { continue }
                    if let index = k["indexname"]?.stringValue {
                        let primary = k["contype"]?.stringValue == "CONSTR_PRIMARY"
                        out.append(.constraintFromIndex(table, name: k["conname"]?.stringValue ?? index, index: index, primary: primary))
                        continue
                    }
                    var fragment = SchemaTable(name: table)
                    tableConstraint(k, into: &fragment, column: nil)
                    if fragment.checks.isEmpty, fragment.uniques.isEmpty, fragment.foreignKeys.isEmpty, fragment.primaryKey.isEmpty {
                        out.append(.opaque("ALTER TABLE \(table) ADD CONSTRAINT (\(k["contype"]?.stringValue ?? "?"))", [RawSQL.Mention(table: table, kind: .alterTable)]))
                        continue
                    }
                    out.append(.addColumns(table, fragment))
                case "AT_DropConstraint":
                    let change = SchemaChange.dropConstraint(table, name: name, type: nil)
                    out.append(missingOK ? .guarded(.constraintExists(table, name), then: [change]) : change)
                case "AT_ValidateConstraint":
                    out.append(.validateConstraint(table, name: name))
                case "AT_AddIdentity", "AT_SetIdentity":
                    let identity = c["def"]?.objectValue?["Constraint"]?.objectValue?["generated_when"]?.stringValue
                    out.append(.alterColumn(table, name, ColumnAlteration(nullable: false, identity: .some(identity == "a" ? "always" : "by default"))))
                case "AT_DropIdentity":
                    out.append(.alterColumn(table, name, ColumnAlteration(identity: .some(nil))))
                case "AT_EnableRowSecurity", "AT_DisableRowSecurity", "AT_ForceRowSecurity", "AT_NoForceRowSecurity",
                     "AT_SetStatistics", "AT_SetStorage", "AT_SetOptions", "AT_ResetOptions", "AT_SetRelOptions",
                     "AT_ResetRelOptions", "AT_ReplicaIdentity", "AT_EnableTrig", "AT_DisableTrig", "AT_EnableTrigAll",
                     "AT_DisableTrigAll", "AT_EnableTrigUser", "AT_DisableTrigUser", "AT_ChangeOwner", "AT_ClusterOn",
                     "AT_DropCluster", "AT_SetLogged", "AT_SetUnLogged", "AT_SetTableSpace", "AT_EnableAlwaysTrig",
                     "AT_EnableReplicaTrig", "AT_SetCompression", "AT_AlterColumnGenericOptions", "AT_GenericOptions":
                    break
                default:
                    out.append(.opaque("ALTER TABLE \(table) \(c["subtype"]?.stringValue ?? "?")", [RawSQL.Mention(table: table, kind: .alterTable)]))
                }
            }
            // ALTER TABLE IF EXISTS: nothing happens when the table is missing.
            changes += f["missing_ok"] == .bool(true) ? [.guarded(.tableExists(table), then: out)] : out
        }

        // MARK: RENAME, INDEX, DROP

        mutating func rename(_ f: [String: JSONValue]) {
            let new = f["newname"]?.stringValue ?? ""
            let target = relationName(f["relation"]) ?? ""
            var change: SchemaChange?
            switch f["renameType"]?.stringValue {
            case "OBJECT_TABLE": change = .renameTable(target, to: new)
            case "OBJECT_COLUMN":
                if f["relationType"]?.stringValue == "OBJECT_TABLE" {
                    change = .alterColumn(target, f["subname"]?.stringValue ?? "", ColumnAlteration(newName: new))
                }
            case "OBJECT_INDEX": change = .renameIndex(target, to: new)
            case "OBJECT_TABCONSTRAINT": change = .renameConstraint(target, name: f["subname"]?.stringValue ?? "", to: new)
            case "OBJECT_TYPE":
                if let old = objectNames(f["object"]).last { change = .renameEnum(old, to: new) }
            default: break
            }
            guard let change else { return }
            changes.append(f["missing_ok"] == .bool(true) ? .guarded(Self.existence(of: change), then: [change]) : change)
        }

        static func existence(of change: SchemaChange) -> SchemaCondition {
            switch change {
            case .renameTable(let t, _), .alterColumn(let t, _, _): return .tableExists(t)
            case .renameIndex(let i, _): return .indexExists(i)
            case .renameConstraint(let t, let c, _): return .constraintExists(t, c)
            case .renameEnum(let e, _): return .enumExists(e)
            default: return .tableExists("")
            }
        }

        mutating func createIndex(_ f: [String: JSONValue]) {
            guard let table = relationName(f["relation"]) else { return }
            var columns: [String] = []
            var descending: [Bool] = []
            for p in list(f["indexParams"]) {
                guard let e = p.objectValue?["IndexElem"]?.objectValue else { continue }
                if let name = e["name"]?.stringValue {
                    columns.append(name)
                } else {
                    columns.append(deparser.expression(e["expr"] ?? .null))
                }
                descending.append(e["ordering"]?.stringValue == "SORTBY_DESC")
            }
            // PostgreSQL's name for an unnamed index: <table>_<columns>_idx, a function call by its
            // name (`lower(email)` → lower), any other expression "expr".
            let keyNames = list(f["indexParams"]).map { p -> String in
                guard let e = p.objectValue?["IndexElem"]?.objectValue else { return "expr" }
                if let name = e["name"]?.stringValue { return name }
                if let call = e["expr"]?.objectValue?["FuncCall"]?.objectValue, let last = names(call["funcname"]).last { return last }
                return "expr"
            }
            let name = f["idxname"]?.stringValue ?? "\(table)_\(keyNames.joined(separator: "_"))_idx"
            var index = SchemaIndex(name: name, columns: columns, unique: f["unique"] == .bool(true))
            index.descending = descending.contains(true) ? descending : []
            index.method = f["accessMethod"]?.stringValue ?? "btree"
            index.predicate = f["whereClause"].map { deparser.expression($0) }
            let change = SchemaChange.createIndex(table, index)
            if f["concurrent"] == .bool(true) { concurrent.insert(changes.count) }
            changes.append(f["if_not_exists"] == .bool(true) ? .guarded(.indexExists(name), else: [change]) : change)
        }

        mutating func drop(_ f: [String: JSONValue]) {
            let missingOK = f["missing_ok"] == .bool(true)
            let cascade = f["behavior"]?.stringValue == "DROP_CASCADE"
            for object in list(f["objects"]) {
                var change: [SchemaChange] = []
                var condition: SchemaCondition?
                switch f["removeType"]?.stringValue {
                case "OBJECT_TABLE":
                    if let name = objectNames(object).last {
                        change = [.dropTable(name)] + (cascade ? [.cascade(.table(name))] : [])
                        condition = .tableExists(name)
                    }
                case "OBJECT_INDEX":
                    if let name = objectNames(object).last {
                        change = [.dropIndex(name, table: nil)]
                        condition = .indexExists(name)
                    }
                case "OBJECT_TYPE":
                    if let name = objectNames(object).last {
                        change = [.dropEnum(name)] + (cascade ? [.cascade(.enumType(name))] : [])
                        condition = .enumExists(name)
                    }
                default:
                    break  // functions, triggers, views, sequences, extensions, policies
                }
                guard !change.isEmpty else { continue }
                if f["concurrent"] == .bool(true) { concurrent.insert(changes.count) }
                if missingOK, let condition { changes.append(.guarded(condition, then: change)) } else { changes += change }
            }
        }

        // MARK: Helpers

        func list(_ value: JSONValue?) -> [JSONValue] {
            if case .array(let a)? = value { return a }
            return []
        }

        func names(_ value: JSONValue?) -> [String] { deparser.names(value) }

        /// `{"relname": "t", "schemaname": ...}` → `t` (tables are keyed by bare name).
        func relationName(_ value: JSONValue?) -> String? {
            value?.objectValue?["relname"]?.stringValue
        }

        /// The names of a dropped or renamed object: a `List` of strings, or a `TypeName`.
        func objectNames(_ value: JSONValue?) -> [String] {
            guard let o = value?.objectValue else { return [] }
            if let items = o["List"]?.objectValue?["items"] { return names(items) }
            if let n = o["TypeName"]?.objectValue?["names"] { return names(n) }
            if let s = o["String"]?.objectValue?["sval"]?.stringValue { return [s] }
            return []
        }
    }
}
