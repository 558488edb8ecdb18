import Foundation
import VejaMigrateCore

/// Where a versions directory's draft lives, and reading, saving and removing it.
///
/// The folder is `$XDG_STATE_HOME/vejamigrate` (an absolute XDG_STATE_HOME), else
/// `~/.local/state/vejamigrate`; the file is `draft-<FNV-1a of the directory's real path>.json`.
/// Never inside the versions directory: a state folder there (or below it) gets no store at all.
public struct DraftStore: Sendable {
    public let url: URL
    /// The versions directory's real path, saved in the draft and checked when it is read.
    public let directoryPath: String

    /// The store for `versionsDirectory`; nil when the state folder would be inside it.
    public init?(versionsDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let real = DraftStore.realPath(versionsDirectory.path)
        let folder = DraftStore.folder(environment: environment)
        let folderPath = DraftStore.realPath(folder.path)
        if folderPath == real || folderPath.hasPrefix(real + "/") { return nil }
        directoryPath = real
        url = folder.appendingPathComponent("draft-\(DraftStore.hex(DraftStore.fnv1a(Array(real.utf8)))).json")
    }

    static func folder(environment: [String: String]) -> URL {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return URL(fileURLWithPath: xdg).appendingPathComponent("vejamigrate") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/vejamigrate")
    }

    /// What `load` found.
    public enum Loaded: Equatable, Sendable {
        case none
        case draft(SessionDraft)
        /// The file could not be used and was renamed; the message says where to and why.
        case setAside(String)
    }

    /// Reads the draft. A file that does not decode, or of another format, is renamed
    /// (`.corrupt-<time>`, `.old-format`) so it is never offered again and never lost.
    public func load(now: Date = Date()) -> Loaded {
        guard let data = FileManager.default.contents(atPath: url.path) else { return .none }
        struct Probe: Decodable { var format: Int?; var vejamigrate: String? }
        let probe = try? JSONDecoder().decode(Probe.self, from: data)
        if let probe, let format = probe.format, format != SessionDraft.currentFormat {
            let aside = url.path + ".old-format"
            return setAside(to: aside, why: "it is of format \(format) (saved by vejamigrate \(probe.vejamigrate ?? "?")); this vejamigrate reads format \(SessionDraft.currentFormat)")
        }
        do {
            let draft = try DraftStore.decoder.decode(SessionDraft.self, from: data)
            // Another directory with the same hash: not this one's draft, and not ours to move.
            return draft.directory == directoryPath ? .draft(draft) : .none
        } catch {
            return setAside(to: url.path + ".corrupt-" + DraftStore.stamp(now), why: "it cannot be read (\(DraftStore.reason(error)))")
        }
    }

    private func setAside(to aside: String, why: String) -> Loaded {
        if rename(url.path, aside) != 0 {
            let text = String(cString: strerror(errno))
            return .setAside("The wizard's draft \(url.path) was not resumed: \(why); it could not be moved aside (\(text)): remove it.")
        }
        return .setAside("The wizard's draft was not resumed: \(why). It was moved to \(aside).")
    }

    /// Saves atomically: a temporary file (0600) in the same folder, then renamed over the draft.
    public func save(_ answers: SessionAnswers, now: Date = Date()) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = try DraftStore.encoder.encode(SessionDraft(answers: answers, directory: directoryPath, saved: now))
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DraftStore.failure("cannot create \(temp)") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temp, url.path) == 0 else {
            let error = DraftStore.failure("cannot write \(url.path)")
            unlink(temp)
            throw error
        }
    }

    /// Removes the draft (a written migration, or "start fresh"); nothing there is fine.
    public func remove() {
        unlink(url.path)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    static func failure(_ what: String) -> NSError {
        let text = String(cString: strerror(errno))
        return NSError(domain: "vejamigrate.draft", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "\(what): \(text)"])
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let c)?: return c.codingPath.isEmpty ? "not JSON" : "bad value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case .keyNotFound(let key, _)?: return "no \(key.stringValue)"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?: return "bad value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "not a draft"
        }
    }

    /// `20261203T140200Z`: sorts, and has no characters a file name dislikes.
    static func stamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date)
    }

    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    static func hex(_ n: UInt64) -> String {
        let s = String(n, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
