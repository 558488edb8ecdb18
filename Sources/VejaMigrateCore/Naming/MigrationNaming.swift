import Foundation

/// Names the next migration: sequence, revision id, date and file-name slug.
public enum MigrationNaming {
    /// The longest slug kept in a file name; longer descriptions are cut at a word boundary.
    public static let maxSlugLength = 60

    /// `18` becomes `000018`.
    public static func sequenceString(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 6 ? s : String(repeating: "0", count: 6 - s.count) + s
    }

    /// `YYYYMMDD_NNNNNN`.
    public static func revisionID(date: MigrationDate, sequence: Int) -> String {
        date.compact + "_" + sequenceString(sequence)
    }

    /// `YYYYMMDD_NNNNNN_<slug>.py`.
    public static func fileName(date: MigrationDate, sequence: Int, slug: String) -> String {
        revisionID(date: date, sequence: sequence) + "_" + slug + ".py"
    }

    /// The ASCII, lower snake_case slug of a description: diacritics folded
    /// ("Pridėti sąskaitų lentelę" gives `prideti_saskaitu_lentele`), anything
    /// else becomes `_`, at most `maxSlugLength` characters, never empty, never a path.
    public static func slug(_ description: String) throws(VejaMigrateError) -> String {
        var out = ""
        var pendingUnderscore = false
        for scalar in asciiFolded(description).unicodeScalars {
            let c = Character(scalar)
            if scalar.isASCII, c.isLetter || c.isNumber {
                if pendingUnderscore && !out.isEmpty { out.append("_") }
                pendingUnderscore = false
                out.append(c.lowercased())
            } else {
                pendingUnderscore = true
            }
        }
        if out.count > maxSlugLength {
            let cut = String(out.prefix(maxSlugLength))
            if out.dropFirst(maxSlugLength).first == "_" {
                out = cut  // the limit falls between two words already
            } else if let lastUnderscore = cut.lastIndex(of: "_"), cut.distance(from: cut.startIndex, to: lastUnderscore) >= maxSlugLength / 2 {
                out = String(cut[..<lastUnderscore])
            } else {
                out = cut
            }
        }
        guard !out.isEmpty else {
            throw .invalidInput([SpecIssue(
                field: "description",
                problem: "\"\(description)\" has no letters or digits to name the file with",
                fix: "describe the change in words, e.g. \"add invoices table\"")])
        }
        return out
    }

    /// Folds letters with diacritics to ASCII: decomposes, drops combining marks,
    /// and maps the letters that do not decompose (ł, ø, ß, æ, đ, ...).
    public static func asciiFolded(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if let mapped = extraFolds[scalar] {
                out.append(contentsOf: mapped.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static let extraFolds: [Unicode.Scalar: String] = [
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H",
    ]
}

/// A calendar day, `YYYY-MM-DD`, validated.
public struct MigrationDate: Equatable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses `YYYY-MM-DD`; nil when it is not a real day.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= MigrationDate.daysIn(month: m, year: y)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    /// Today in the local time zone.
    public static func today() -> MigrationDate {
        // localtime_r, not Calendar.current: the same local day without loading ICU (~3 MB of RSS).
        var t = time(nil)
        var tm = tm()
        localtime_r(&t, &tm)
        return MigrationDate(String(format: "%04d-%02d-%02d", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday)))!
    }

    /// `YYYY-MM-DD`.
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
    /// `YYYYMMDD`.
    public var compact: String { String(format: "%04d%02d%02d", year, month, day) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
