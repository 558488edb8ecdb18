import VejaMigrateCore

/// The lock-safe forms (CONCURRENTLY indexes, NOT VALID then VALIDATE, NOT NULL through a validated
/// CHECK), on by default: Review turns them off for the migration (`"safe": false` at the top), the
/// change step for one operation (`"safe": false` on it).
extension MigrationOperation {
    /// The operation with `"safe": false`, or nil when it has no lock-safe form to turn off.
    var withoutSafeForms: MigrationOperation? {
        switch self {
        case .addColumns(var o): o.safe = false; return .addColumns(o)
        case .dropColumns(var o): o.safe = false; return .dropColumns(o)
        case .alterColumn(var o): o.safe = false; return .alterColumn(o)
        case .alterEnum(var o): o.safe = false; return .alterEnum(o)
        case .addCheck(var o): o.safe = false; return .addCheck(o)
        case .createIndex(var o): o.safe = false; return .createIndex(o)
        case .dropIndex(var o): o.safe = false; return .dropIndex(o)
        case .addForeignKey(var o): o.safe = false; return .addForeignKey(o)
        case .dropConstraint(var o): o.safe = false; return .dropConstraint(o)
        case .createTable, .renameColumn, .renameTable, .dropTable: return nil
        }
    }
}

extension WizardModel {
    static let lockSafeLabel = "Lock-safe on PostgreSQL"

    /// Review's toggle for the whole migration, when one of its operations has lock-safe forms.
    var migrationSafeField: Field? {
        guard spec.operations.contains(where: { $0.withoutSafeForms != nil }) else { return nil }
        return Field(.lockSafe, WizardModel.lockSafeLabel, .toggle(state.safe),
                     hint: "Space toggles, for every operation. On, changes to existing tables do not block the application: indexes CONCURRENTLY, "
                         + "CHECKs and foreign keys NOT VALID then VALIDATE, NOT NULL through a validated CHECK. "
                         + "Off writes the plain forms (\"safe\": false), which lock each table while they run.")
    }

    /// The change step's toggle for the operation being answered, when it has lock-safe forms.
    /// Enter passes over it (it is seldom changed); Tab reaches it.
    var operationSafeField: Field? {
        guard let k = currentOperation, k < spec.operations.count, spec.operations[k].withoutSafeForms != nil else { return nil }
        var f = Field(.change(.safe), WizardModel.lockSafeLabel, .toggle(state.safe && state.change.safe),
                      hint: state.safe
                          ? "Space toggles. Off writes this operation's plain forms (\"safe\": false on it), which lock the table while they run."
                          : "Lock-safe forms are off for the whole migration: the toggle on Review turns them on again.",
                      enabled: state.safe)
        f.passedByEnter = true
        return f
    }
}
