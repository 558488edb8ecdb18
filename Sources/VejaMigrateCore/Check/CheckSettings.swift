/// The project's choices for `check`: rules turned off and severities changed. Read from
/// `[tool.vejamigrate.check]` (`disable = ["rule-id"]`, `severity = { "rule-id" = "INFO" }`) by the
/// front end; the core only takes the values.
public struct CheckSettings: Equatable, Sendable {
    public var disabled: Set<String>
    public var severities: [String: CheckSeverity]

    public init(disabled: Set<String> = [], severities: [String: CheckSeverity] = [:]) {
        self.disabled = disabled
        self.severities = severities
    }

    /// Every rule on, at its default severity.
    public static let `default` = CheckSettings()

    /// A rule id the settings name that no rule has: the field (`disable` or `severity`), the id,
    /// and the nearest id there is.
    public struct UnknownRule: Equatable, Sendable {
        public var field: String
        public var id: String
        public var suggestion: String?

        /// The diagnostic in words, naming the field and the fix.
        public var message: String {
            "[tool.vejamigrate.check] \(field): no rule is called \"\(id)\"; "
                + (suggestion.map { "did you mean \"\($0)\"? " } ?? "")
                + "the rules are listed in docs/check.md"
        }
    }

    /// The ids these settings name that are not rules.
    public var unknownRules: [UnknownRule] {
        let known = Set(CheckRules.ids)
        func unknown(_ id: String, _ field: String) -> UnknownRule? {
            known.contains(id) ? nil : UnknownRule(field: field, id: id, suggestion: CheckRules.nearestID(id))
        }
        return disabled.sorted().compactMap { unknown($0, "disable") } + severities.keys.sorted().compactMap { unknown($0, "severity") }
    }
}

extension CheckRules {
    /// The id closest to `id` (a typo), if one is close.
    static func nearestID(_ id: String) -> String? {
        func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
            var prev = Array(0...b.count)
            for i in 1...max(a.count, 1) where i <= a.count {
                var cur = [i] + [Int](repeating: 0, count: b.count)
                for j in 1...max(b.count, 1) where j <= b.count {
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                prev = cur
            }
            return prev[b.count]
        }
        let target = Array(id.utf8)
        let best = ids.map { ($0, distance(target, Array($0.utf8))) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, id.count / 3) else { return nil }
        return best.0
    }
}

extension CheckSettings {
    /// The settings `[tool.vejamigrate.check]` gives (`ProjectSettings.checkDisable`, `.checkSeverity`).
    /// A severity that is not CRITICAL, WARNING or INFO (any case) is an error naming the key; rule
    /// ids no rule has are kept, for `unknownRules` to report.
    public init(project: ProjectSettings) throws(VejaMigrateError) {
        var severities: [String: CheckSeverity] = [:]
        for (rule, name) in project.checkSeverity {
            guard let severity = CheckSeverity(rawValue: name.uppercased()) else {
                throw .config(ConfigIssue(
                    file: project.settingsFile?.path ?? "pyproject.toml", key: "tool.vejamigrate.check.severity.\(rule)",
                    problem: "\"\(name)\" is not a severity",
                    fix: "write one of \"CRITICAL\", \"WARNING\", \"INFO\""))
            }
            severities[rule] = severity
        }
        self.init(disabled: Set(project.checkDisable), severities: severities)
    }
}
