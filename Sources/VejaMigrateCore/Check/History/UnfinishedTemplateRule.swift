/// `unfinished-template`: a function is still the template's `# TODO` and `pass`.
struct UnfinishedTemplateRule: CheckRule {
    let id = "unfinished-template"
    let severity = CheckSeverity.warning
    let summary = "the # TODO template was left as written"

    /// Whether `function` is only `pass` with a `# TODO` comment in it.
    static func isTemplate(_ function: FunctionOutline, in source: MigrationSource) -> Bool {
        function.passOnly && source.comments.contains { $0.line > function.line && $0.line <= function.lastLine && $0.text.hasPrefix("TODO") }
    }

    func findings(in context: CheckContext) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for m in context.inScope {
            for (name, outline) in [("upgrade", m.source.upgradeOutline), ("downgrade", m.source.downgradeOutline)] {
                guard let outline, Self.isTemplate(outline, in: m.source) else { continue }
                out.append(finding(m, outline.line, ["function": name]))
            }
        }
        return out
    }

    func words(_ d: [String: String]) -> CheckWords {
        let f = d["function"] ?? "upgrade"
        return CheckWords("\(f)() is still the template's `# TODO` and `pass`",
                          fix: "write \(f)() (or build the migration from a spec: `vejamigrate new --spec FILE`); a migration that does nothing on purpose says so without `# TODO`")
    }
}
