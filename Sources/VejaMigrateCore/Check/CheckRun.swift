/// One run of `check`: every rule over the context, then the settings (rules disabled,
/// severities changed), then the ignore comments; findings sorted by file and line.
///
/// ```swift
/// let history = try directory.readHistory(downgrades: true)
/// let run = CheckRun(history: history, settings: .default)
/// run.findings.contains { $0.severity == .critical }   // exit 1
/// ```
public struct CheckRun: Sendable {
    public let findings: [CheckFinding]

    /// `scope`: the file names to report on (nil: all).
    public init(history: MigrationHistory, settings: CheckSettings = .default, scope: Set<String>? = nil) {
        self.init(context: CheckContext(history: history, scope: scope), settings: settings)
    }

    public init(context: CheckContext, settings: CheckSettings = .default) {
        // Rules are pure functions of the context: they run side by side.
        let rules = CheckRules.all.filter { !settings.disabled.contains($0.id) }
        let found = concurrentMap(count: rules.count, minimumForParallel: 2) { i in
            rules[i].findings(in: context).filter { context.reports($0.file) }
        }.flatMap { $0 }
        // Suppressions of the files in scope.
        var byFile: [String: [Suppression]] = [:]
        for m in context.inScope {
            let s = m.source.comments.compactMap(Suppression.init)
            if !s.isEmpty { byFile[m.fileName] = s }
        }
        var used = Set<String>()  // "file\0line\0rule"
        var kept: [CheckFinding] = []
        for var f in found {
            if let s = byFile[f.file]?.first(where: { $0.covers(f) }) {
                used.insert("\(f.file)\u{0}\(s.line)\u{0}\(f.rule)")
                continue
            }
            if let severity = settings.severities[f.rule] { f.severity = severity }
            kept.append(f)
        }
        let unused = UnusedIgnoreRule()
        if !settings.disabled.contains(unused.id) {
            let known = Set(CheckRules.ids)
            for (file, suppressions) in byFile {
                for s in suppressions {
                    for rule in s.rules where !used.contains("\(file)\u{0}\(s.line)\u{0}\(rule)") {
                        // A disabled rule finds nothing: its ignore is not "unused", only moot.
                        if settings.disabled.contains(rule) { continue }
                        var data = ["rule": rule]
                        if !known.contains(rule) {
                            data["unknown"] = "true"
                            if let near = CheckRules.nearestID(rule) { data["suggestion"] = near }
                        }
                        var f = unused.finding(file, s.line, data)
                        if let severity = settings.severities[unused.id] { f.severity = severity }
                        kept.append(f)
                    }
                }
            }
        }
        findings = kept.sorted { ($0.file, $0.line, $0.severity, $0.rule) < ($1.file, $1.line, $1.severity, $1.rule) }
    }

    /// Whether the run fails (exit 1): any CRITICAL finding.
    public var hasCritical: Bool { findings.contains { $0.severity == .critical } }
}
