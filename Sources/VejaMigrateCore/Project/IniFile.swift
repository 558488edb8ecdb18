/// An INI file read as Python's `configparser.ConfigParser` reads it, the way Alembic reads
/// `alembic.ini`: its defaults (`strict`, delimiters `=` and `:`, full-line comments `#` and `;`,
/// no inline comments, empty lines kept inside values, option names lower-cased) and its
/// `BasicInterpolation` (`%(name)s` from the same section or `[DEFAULT]`, `%%` for a percent sign).
///
/// ```swift
/// let ini = try IniFile(text: "[alembic]\nscript_location = %(here)s/migrations\n", defaults: ["here": "/repo"])
/// try ini.value("script_location", in: "alembic")   // "/repo/migrations"
/// ```
public struct IniFile: Equatable, Sendable {
    /// One option as written: its value with continuation lines joined by newlines, and its line.
    public struct Option: Equatable, Sendable {
        public var raw: String
        public var line: Int
    }

    /// What configparser refuses, with the line it stopped at.
    public struct ReadError: Error, Equatable, Sendable {
        public var line: Int
        public var problem: String
    }

    /// The sections in file order (`DEFAULT` is not among them).
    public private(set) var sectionNames: [String] = []
    private var sections: [String: [String: Option]] = [:]
    /// `[DEFAULT]`'s options and the defaults given (`here`).
    private var defaults: [String: Option] = [:]

    /// The name configparser gives the section every other one inherits from.
    public static let defaultSection = "DEFAULT"

    /// Reads `text`; `defaults` are options of `[DEFAULT]` given before the file is read (Alembic's `here`).
    public init(text: String, defaults given: [String: String] = [:]) throws(ReadError) {
        for (k, v) in given { defaults[k.lowercased()] = Option(raw: v, line: 0) }
        var current: String?  // nil: before any section; DEFAULT is stored apart
        var option: String?
        var indentLevel = 0
        var added = Set<String>()
        // Universal newlines, as Python's text mode reads them.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        var continued: [String: [String]] = [:]  // "section\u{0}option" -> value lines
        func key(_ s: String, _ o: String) -> String { s + "\u{0}" + o }
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            let line = String(rawLine)
            let stripped = line.trimmingPythonWhitespace()
            let isComment = stripped.hasPrefix("#") || stripped.hasPrefix(";")
            let value = isComment ? "" : stripped
            if value.isEmpty {
                // An empty line (not a comment) belongs to the value being read, if any.
                if !isComment, let s = current, let o = option, continued[key(s, o)] != nil {
                    continued[key(s, o)]!.append("")
                }
                continue
            }
            let indent = line.prefix { $0.isPythonWhitespace }.count
            if current != nil, let o = option, indent > indentLevel {
                continued[key(current!, o)]!.append(value)
                continue
            }
            indentLevel = indent
            if value.hasPrefix("["), let close = value.lastIndex(of: "]"), value.index(after: value.startIndex) < close {
                let name = String(value[value.index(after: value.startIndex)..<close])
                if name != IniFile.defaultSection, added.contains(name) {
                    throw ReadError(line: number, problem: "section [\(name)] appears twice")
                }
                if name != IniFile.defaultSection {
                    added.insert(name)
                    if sections[name] == nil {
                        sections[name] = [:]
                        sectionNames.append(name)
                    }
                }
                current = name
                option = nil
                continue
            }
            guard let section = current else {
                throw ReadError(line: number, problem: "the file does not start with a [section] header")
            }
            // The option name is everything before the first `=` or `:`.
            guard let delimiter = value.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ReadError(line: number, problem: "\"\(value)\" is neither a [section], a `key = value` line nor a comment")
            }
            let name = String(value[..<delimiter]).trimmingPythonWhitespace().lowercased()
            guard !name.isEmpty else {
                throw ReadError(line: number, problem: "\"\(value)\" has no option name before its `\(value[delimiter])`")
            }
            let optionValue = String(value[value.index(after: delimiter)...]).trimmingPythonWhitespace()
            let k = key(section, name)
            if added.contains(k) {
                throw ReadError(line: number, problem: "option \(name) appears twice in [\(section)]")
            }
            added.insert(k)
            continued[k] = [optionValue]
            let entry = Option(raw: "", line: number)
            if section == IniFile.defaultSection { defaults[name] = entry } else { sections[section]![name] = entry }
            option = name
        }
        // Continuation lines joined with newlines, trailing whitespace dropped, as configparser does.
        for (k, parts) in continued {
            let pieces = k.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            let (section, name) = (String(pieces[0]), String(pieces[1]))
            var joined = parts.joined(separator: "\n")
            while let last = joined.last, last.isPythonWhitespace { joined.removeLast() }
            if section == IniFile.defaultSection { defaults[name]!.raw = joined } else { sections[section]![name]!.raw = joined }
        }
    }

    /// Whether the section is in the file.
    public func hasSection(_ name: String) -> Bool { sections[name] != nil }

    /// The option's entry in `section` (or `[DEFAULT]`), before interpolation.
    public func option(_ name: String, in section: String) -> Option? {
        let key = name.lowercased()
        return sections[section]?[key] ?? (sections[section] != nil ? defaults[key] : nil)
    }

    /// The option names of `section` written in the file (not those it inherits from `[DEFAULT]`).
    public func optionNames(in section: String) -> [String] {
        (sections[section] ?? [:]).keys.sorted()
    }

    /// What configparser's interpolation refuses: the option and why.
    public struct InterpolationError: Error, Equatable, Sendable {
        public var option: String
        public var line: Int
        public var problem: String
    }

    /// The value of `name` in `section` with `%(other)s` and `%%` interpolated; nil when not set.
    public func value(_ name: String, in section: String) throws(InterpolationError) -> String? {
        guard let entry = option(name, in: section) else { return nil }
        var out = ""
        try interpolate(entry.raw, option: name.lowercased(), line: entry.line, section: section, depth: 1, into: &out)
        return out
    }

    /// configparser's `MAX_INTERPOLATION_DEPTH`.
    static let maximumDepth = 10

    private func interpolate(_ text: String, option: String, line: Int, section: String, depth: Int, into out: inout String) throws(InterpolationError) {
        if depth > IniFile.maximumDepth {
            throw InterpolationError(option: option, line: line, problem: "references nest deeper than \(IniFile.maximumDepth) (a %(name)s that refers to itself?)")
        }
        var rest = Substring(text)
        while let p = rest.firstIndex(of: "%") {
            out += rest[..<p]
            rest = rest[p...]
            let next = rest.dropFirst().first
            if next == "%" {
                out += "%"
                rest = rest.dropFirst(2)
            } else if next == "(" {
                // %(name)s: the name runs to the first `)`, and an `s` must follow it.
                let afterOpen = rest.dropFirst(2)
                guard let close = afterOpen.firstIndex(of: ")"), close > afterOpen.startIndex,
                      afterOpen[afterOpen.index(after: close)...].first == "s" else {
                    throw InterpolationError(option: option, line: line, problem: "bad interpolation reference \"\(rest)\"; write %(name)s, or %% for a percent sign")
                }
                let variable = String(afterOpen[..<close]).lowercased()
                rest = afterOpen[afterOpen.index(close, offsetBy: 2)...]
                guard let target = sections[section]?[variable] ?? defaults[variable] else {
                    throw InterpolationError(option: option, line: line, problem: "%(\(variable))s names no option of [\(section)] or [DEFAULT]")
                }
                if target.raw.contains("%") {
                    try interpolate(target.raw, option: option, line: line, section: section, depth: depth + 1, into: &out)
                } else {
                    out += target.raw
                }
            } else {
                throw InterpolationError(option: option, line: line, problem: "'%' must be followed by '%' or '(' (found \"\(rest)\"); write %% for a percent sign")
            }
        }
        out += rest
    }
}

extension Character {
    /// What Python's `str.isspace()` and `str.strip()` treat as whitespace, for the ASCII range
    /// INI files use, plus the Unicode spaces Swift knows.
    var isPythonWhitespace: Bool { isWhitespace }
}

extension StringProtocol {
    func trimmingPythonWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isPythonWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isPythonWhitespace { s = s.dropLast() }
        return String(s)
    }
}
