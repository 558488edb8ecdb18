/// `# vejamigrate: ignore[rule-id, ...] reason` comments, read from the comments the lexer kept.
struct Suppression: Equatable, Sendable {
    var line: Int
    var rules: [String]

    /// The suppression a comment makes, if it is one.
    init?(_ comment: SourceComment) {
        guard let rest = comment.text.dropPrefix("vejamigrate:") else { return nil }
        let trimmed = rest.drop { $0 == " " }
        guard trimmed.hasPrefix("ignore["), let close = trimmed.firstIndex(of: "]") else { return nil }
        let list = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 7)..<close]
        rules = list.split(separator: ",").map { String($0).trimmed(" ") }.filter { !$0.isEmpty }
        line = comment.line
    }

    /// Whether it silences `finding`: on the finding's line or the line above.
    func covers(_ finding: CheckFinding) -> Bool {
        (finding.line == line || finding.line == line + 1) && rules.contains(finding.rule)
    }
}

/// `unused-ignore`: an ignore comment that silences nothing (or names a rule that does not exist).
struct UnusedIgnoreRule: CheckRule {
    let id = "unused-ignore"
    let severity = CheckSeverity.info
    let summary = "an ignore comment silences nothing"

    /// Found by the run itself (it knows what each comment silenced), not by this function.
    func findings(in context: CheckContext) -> [CheckFinding] { [] }

    func words(_ d: [String: String]) -> CheckWords {
        let rule = d["rule"] ?? "?"
        if d["unknown"] == "true" {
            return CheckWords("the ignore comment names \(rule), which is no rule", fix: "use a rule id from docs/check.md" + (d["suggestion"].map { " (did you mean \($0)?)" } ?? ""))
        }
        return CheckWords("the ignore comment for \(rule) silences nothing on this line or the next", fix: "remove \(rule) from the comment (or the whole comment)")
    }
}
