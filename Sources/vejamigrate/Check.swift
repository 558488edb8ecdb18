import ArgumentParser
import Foundation
import VejaMigrateCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review the history: conventions, unsafe locks, compatibility (docs/check.md).",
        discussion: """
            Exit 0 without CRITICAL findings, 1 with, 2 usage error, 3 when the history cannot be read. \
            Silence a finding with `# vejamigrate: ignore[rule-id] reason` on its line or the line above.
            """
    )

    nonisolated(unsafe) static var kept: Any?

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github, sarif
    }

    @OptionGroup var common: CommonOptions

    @Option(help: "Output: text (grouped by file), json, github (workflow annotations) or sarif (2.1.0).")
    var format: Format = .text

    @Option(help: ArgumentHelp("Review only the migrations after this revision.", valueName: "rev"))
    var since: String?

    @Argument(help: ArgumentHelp("Review only these migration files.", valueName: "file"))
    var files: [String] = []

    func run() throws {
        let locations: VersionLocations
        let projectSettings: ProjectSettings
        let context: CheckContext
        do {
            locations = try common.locations()
            projectSettings = try common.settings(for: locations)
            context = CheckContext(sources: try locations.readSources(downgrades: true))
        } catch {
            if case .config = error { throw error }
            printError("error: " + error.message)
            throw ExitCode(3)
        }
        let graph = context.graph
        // What the user named each file, for the output.
        var shown: [String: String] = [:]
        var scope: Set<String>?
        if let since {
            guard graph.fileByRevision[since] != nil else {
                printError("error: --since \(since): no migration declares this revision; give a revision from `vejamigrate status`")
                throw ExitCode(2)
            }
            let after = graph.descendants(of: [since]).subtracting([graph.fileByRevision[since]!])
            scope = Set(after.map { graph.files[$0].fileName })
        }
        if !files.isEmpty {
            var named = Set<String>()
            for path in files {
                let name = URL(fileURLWithPath: path).lastPathComponent
                guard graph.files.contains(where: { $0.fileName == name }) else {
                    printError("error: \(path) is not a migration of \(locations.displayPaths(cwd: common.cwd).joined(separator: ", ")); name files in the versions directory")
                    throw ExitCode(2)
                }
                named.insert(name)
                shown[name] = path
            }
            scope = scope.map { $0.intersection(named) } ?? named
        }
        let settings = try CheckSettings(project: projectSettings)
        for unknown in settings.unknownRules { printError("warning: " + unknown.message) }
        let run = CheckRun(context: context.scoped(to: scope), settings: settings)
        // Each file's path as the user sees it: each folder's shown path worked out once (not per
        // finding, nor per file: 10,000 URL standardisations cost more than the whole review).
        var shownByName: [String: String] = [:]
        var shownFolder: [String: String] = [:]
        for file in graph.files where shown[file.fileName] == nil {
            let key = file.directory?.path ?? ""
            let folder = shownFolder[key] ?? locations.directory(of: file).displayPath(cwd: common.cwd)
            shownFolder[key] = folder
            shownByName[file.fileName] = folder == "." ? file.fileName : folder.hasSuffix("/") ? folder + file.fileName : folder + "/" + file.fileName
        }
        let path = { (name: String) in shown[name] ?? shownByName[name] ?? name }
        let out: String
        switch format {
        case .text: out = CheckOutput.text(run.findings, path: path, colour: OutputColor().enabled)
        case .json: out = CheckOutput.json(run.findings, path: path)
        case .github: out = CheckOutput.github(run.findings, path: path)
        case .sarif: out = CheckOutput.sarif(run.findings, path: path)
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        // Freeing the whole reviewed history costs more than the process's exit: keep it.
        Check.kept = (context, run)
        if run.hasCritical { throw ExitCode(1) }
    }
}

/// The four ways `check` prints its findings; the words are the rules' own (`CheckFinding.message`, `.fix`).
enum CheckOutput {
    static func text(_ findings: [CheckFinding], path: (String) -> String, colour: Bool) -> String {
        if findings.isEmpty { return "no findings\n" }
        func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = ""
        var current: String?
        for f in findings {
            if f.file != current {
                if current != nil { out += "\n" }
                out += paint(path(f.file), "1") + "\n"
                current = f.file
            }
            let severity = paint(f.severity.rawValue, f.severity == .critical ? "31" : f.severity == .warning ? "33" : "36")
            // The rule's words made once per finding (message and fix come from one `words` call).
            let words = f.words
            out += "  \(f.line): \(severity) [\(f.rule)] \(words.message)\n"
            if !words.fix.isEmpty {
                let fix = words.fix.contains("\n") ? words.fix.replacingOccurrences(of: "\n", with: "\n           ") : words.fix
                out += "      fix: " + fix + "\n"
            }
        }
        let counts = CheckSeverity.allCases.map { s in (s, findings.count { $0.severity == s }) }.filter { $0.1 > 0 }
        out += "\n" + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ") + "\n"
        return out
    }

    /// `{"findings": [...]}`, each finding's keys sorted as `JSONValue.prettyText` writes them,
    /// written straight into bytes (a large history has thousands of findings).
    static func json(_ findings: [CheckFinding], path: (String) -> String) -> String {
        if findings.isEmpty { return "{\n  \"findings\": []\n}\n" }
        var out: [UInt8] = []
        out.reserveCapacity(findings.count * 400)
        out += "{\n  \"findings\": [".utf8
        for (k, f) in findings.enumerated() {
            let words = f.words
            out += (k > 0 ? ",\n    {\n      \"file\": " : "\n    {\n      \"file\": ").utf8
            JSONValue.writeString(path(f.file), to: &out)
            out += ",\n      \"fix\": ".utf8
            JSONValue.writeString(words.fix, to: &out)
            out += ",\n      \"line\": \(f.line),\n      \"message\": ".utf8
            JSONValue.writeString(words.message, to: &out)
            out += ",\n      \"rule\": ".utf8
            JSONValue.writeString(f.rule, to: &out)
            out += ",\n      \"severity\": ".utf8
            JSONValue.writeString(f.severity.rawValue, to: &out)
            out += "\n    }".utf8
        }
        out += "\n  ]\n}\n".utf8
        return String(decoding: out, as: UTF8.self)
    }

    /// GitHub workflow commands: `::error file=F,line=N,title=RULE::message`.
    static func github(_ findings: [CheckFinding], path: (String) -> String) -> String {
        func escapeData(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        }
        func escapeProperty(_ s: String) -> String {
            escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        return findings.map { f in
            let level = f.severity == .critical ? "error" : f.severity == .warning ? "warning" : "notice"
            let words = f.words
            return "::\(level) file=\(escapeProperty(path(f.file))),line=\(f.line),title=\(escapeProperty(f.rule))::\(escapeData(words.message + " Fix: " + words.fix))\n"
        }.joined()
    }

    /// SARIF 2.1.0: one run, the rules with their docs, one result per finding.
    static func sarif(_ findings: [CheckFinding], path: (String) -> String) -> String {
        func level(_ s: CheckSeverity) -> String { s == .critical ? "error" : s == .warning ? "warning" : "note" }
        let rules = CheckRules.all
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let descriptors: [JSONValue] = rules.map { r in
            .object([
                "id": .string(r.id), "name": .string(r.id), "shortDescription": .object(["text": .string(r.summary)]),
                "helpUri": .string("docs/check.md#\(r.docsAnchor)"),
                "defaultConfiguration": .object(["level": .string(level(r.severity))]),
            ])
        }
        let results: [JSONValue] = findings.map { f in
            let words = f.words
            return .object([
                "ruleId": .string(f.rule), "ruleIndex": .int(index[f.rule] ?? 0), "level": .string(level(f.severity)),
                "message": .object(["text": .string(words.message + " Fix: " + words.fix)]),
                "locations": .array([.object(["physicalLocation": .object([
                    "artifactLocation": .object(["uri": .string(path(f.file))]),
                    "region": .object(["startLine": .int(max(f.line, 1))]),
                ])])]),
            ])
        }
        let log: JSONValue = .object([
            "version": .string("2.1.0"), "$schema": .string("https://json.schemastore.org/sarif-2.1.0.json"),
            "runs": .array([.object([
                "tool": .object(["driver": .object(["name": .string("vejamigrate"), "informationUri": .string("docs/check.md"), "rules": .array(descriptors)])]),
                "results": .array(results),
            ])]),
        ])
        return text(of: log)
    }

    private static func text(of value: JSONValue) -> String {
        var out: [UInt8] = []
        value.write(to: &out, indent: 0)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }
}
