/// `filename-pattern`: the file is not named `YYYYMMDD_NNNNNN_<snake_case_description>.py`.
struct FilenamePatternRule: CheckRule {
    let id = "filename-pattern"
    let severity = CheckSeverity.warning
    let summary = "the file name is not YYYYMMDD_NNNNNN_<description>.py"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.graph.files.compactMap { file in
            guard context.reports(file.fileName), !Self.conforms(file.fileName) else { return nil }
            return finding(file.fileName, 1, ["revision": file.revision ?? ""])
        }
    }

    /// Eight digits of a date, six of a sequence, a lower snake_case slug.
    static func conforms(_ name: String) -> Bool {
        guard name.hasSuffix(".py"), MigrationFileName.parse(name).sequence != nil else { return false }
        let u = Array(name.utf8.dropLast(3))
        guard u.count > 16, u[15] == UInt8(ascii: "_") else { return false }
        let slug = u[16...]
        return slug.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "_") }
            && slug.first != UInt8(ascii: "_") && slug.last != UInt8(ascii: "_")
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("the file name does not follow YYYYMMDD_NNNNNN_<snake_case_description>.py",
                   fix: "rename the file to <date>_<sequence>_<description>.py with the sequence of its revision"
                       + ((d["revision"] ?? "").isEmpty ? "" : " (\(d["revision"]!)_<description>.py)"))
    }
}
