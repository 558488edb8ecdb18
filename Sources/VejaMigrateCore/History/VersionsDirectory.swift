import Foundation

/// One migration file found in the versions directory.
public struct MigrationFile: Equatable, Sendable {
    /// The file name, e.g. `20260212_000018_add_invoices_table.py`.
    public var fileName: String
    /// The `YYYYMMDD` date of a conventional file name.
    public var nameDate: String?
    /// The `NNNNNN` sequence of a conventional file name.
    public var nameSequence: Int?
    /// The header, or why it could not be read.
    public var header: Result<MigrationHeader, HeaderReadError>
    /// The folder that holds the file, when it was read from one (a history may span several,
    /// `VersionLocations`); nil for a file built in memory. Like `fileName`, it is where the history
    /// cache keeps the entry (one cache per folder), so it is given back on decoding, not stored in it.
    public var directory: URL?

    public init(fileName: String, header: Result<MigrationHeader, HeaderReadError>, directory: URL? = nil) {
        self.fileName = fileName
        self.header = header
        self.directory = directory
        (nameDate, nameSequence) = MigrationFileName.parse(fileName)
    }

    /// The declared revision when the header was read.
    public var revision: String? { try? header.get().revision }
}

/// The naming convention `YYYYMMDD_NNNNNN_<slug>.py`.
public enum MigrationFileName {
    /// The date and sequence of a conventional name, or nils.
    public static func parse(_ name: String) -> (date: String?, sequence: Int?) {
        let u = Array(name.utf8)
        guard u.count >= 16, u[8] == UInt8(ascii: "_"),
              u[0..<8].allSatisfy(isDigit), u[9..<15].allSatisfy(isDigit),
              u.count == 15 || u[15] == UInt8(ascii: "_") || u[15] == UInt8(ascii: ".")
        else { return (nil, nil) }
        return (String(decoding: u[0..<8], as: UTF8.self), Int(String(decoding: u[9..<15], as: UTF8.self)))
    }

    /// The revision id a conventional name implies: `YYYYMMDD_NNNNNN`.
    public static func impliedRevision(_ name: String) -> String? {
        let u = Array(name.utf8)
        guard parse(name).sequence != nil else { return nil }
        return String(decoding: u[0..<15], as: UTF8.self)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Whether a directory entry is a migration: a visible `.py` module that is not a package marker or backup.
    public static func isMigrationCandidate(_ name: String) -> Bool {
        guard name.hasSuffix(".py"), !name.hasPrefix("."), !name.hasPrefix("_"), !name.hasPrefix("#") else { return false }
        return true
    }
}

/// The versions directory: where it is and what it holds.
public struct VersionsDirectory: Sendable {
    /// The absolute path.
    public let url: URL

    public init(url: URL) {
        self.url = url.standardizedFileURL
    }

    /// The conventional location inside a repository.
    public static let conventionalPath = "backend/app/migrations/versions"

    /// The nearest enclosing directory that holds `.git`.
    public static func gitWorkTree(containing start: URL) -> URL? {
        var dir = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(".git").path) { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The names of the migration candidates, sorted.
    public func migrationFileNames() throws(VejaMigrateError) -> [String] {
        guard VersionsDirectory.isDirectory(url) else {
            throw .io("versions directory \(url.path) does not exist or is not a directory; pass --versions-dir DIR")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw .io("cannot list \(url.path): \(error.localizedDescription)")
        }
        return names.filter(MigrationFileName.isMigrationCandidate).sorted()
    }

    /// Reads every migration's header, using all cores for large histories.
    public func readMigrations() throws(VejaMigrateError) -> [MigrationFile] {
        let folder = url
        return try mapMigrationFiles { name, bytes in
            guard let bytes else { return MigrationFile(fileName: name, header: .failure(.cannotOpen), directory: folder) }
            return MigrationFile(fileName: name, header: Result { () throws(HeaderReadError) in try MigrationHeaderReader.read(bytes: bytes) }, directory: folder)
        }
    }

    /// Reads each migration file's bytes once and transforms them, in file-name order; large
    /// directories on all cores. `bytes` is nil when the file cannot be read. The one place that
    /// opens migration files, for the header read and the whole-history read alike.
    func mapMigrationFiles<T>(minimumForParallel: Int = 64, _ transform: @escaping @Sendable (String, [UInt8]?) -> T) throws(VejaMigrateError) -> [T] {
        try mapMigrationFiles(minimumForParallel: minimumForParallel, unchanged: nil) { name, bytes, _ in transform(name, bytes) }
    }

    /// `mapMigrationFiles`, asking `unchanged` first with the file's identity (a `stat`, no read):
    /// a value it returns stands for the file, which is then not opened. `transform` gets the
    /// identity the file had when its reading began.
    func mapMigrationFiles<T>(
        minimumForParallel: Int = 64, unchanged: (@Sendable (String, FileIdentity) -> T?)?,
        _ transform: @escaping @Sendable (String, [UInt8]?, FileIdentity?) -> T
    ) throws(VejaMigrateError) -> [T] {
        let names = try migrationFileNames()
        let base = url.path
        // Names are opened relative to the directory: one path lookup per file, not one per component.
        let dirfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if dirfd >= 0 { close(dirfd) } }
        let read: @Sendable (Int) -> T = { i in
            let name = names[i]
            if let unchanged, dirfd >= 0 {
                var info = stat()
                if fstatat(dirfd, name, &info, 0) == 0, let value = unchanged(name, FileIdentity(info)) { return value }
            }
            let fd = dirfd >= 0 ? openat(dirfd, name, O_RDONLY | O_CLOEXEC) : open(base + "/" + name, O_RDONLY | O_CLOEXEC)
            var info = stat()
            let bytes = FileBytes.read(fd: fd, stat: &info)
            return transform(name, bytes, bytes == nil ? nil : FileIdentity(info))
        }
        return concurrentMap(count: names.count, minimumForParallel: minimumForParallel, read)
    }

    /// The path as the user's repository names it: `backend/app/migrations/versions/<file>`
    /// when the directory sits at the conventional place, else relative to the git work tree,
    /// else relative to `cwd`.
    public func repositoryPath(of fileName: String, cwd: URL) -> String {
        let dir = url.path
        if dir.hasSuffix("/" + VersionsDirectory.conventionalPath) || dir == VersionsDirectory.conventionalPath {
            return VersionsDirectory.conventionalPath + "/" + fileName
        }
        if let top = VersionsDirectory.gitWorkTree(containing: url), let rel = relative(url, to: top) {
            return (rel.isEmpty ? "" : rel + "/") + fileName
        }
        return displayPath(of: fileName, cwd: cwd)
    }

    /// The path to show a user: relative to `cwd` when inside it, else absolute.
    public func displayPath(of fileName: String? = nil, cwd: URL) -> String {
        let target = fileName.map { url.appendingPathComponent($0) } ?? url
        if let rel = relative(target, to: cwd.standardizedFileURL) { return rel.isEmpty ? "." : rel }
        return target.path
    }

    private func relative(_ target: URL, to base: URL) -> String? {
        let t = target.standardizedFileURL.path
        let b = base.standardizedFileURL.path
        if t == b { return "" }
        let prefix = b.hasSuffix("/") ? b : b + "/"
        return t.hasPrefix(prefix) ? String(t.dropFirst(prefix.count)) : nil
    }
}

/// Whole-file reads with plain POSIX calls: cheaper than Foundation for thousands of small files.
enum FileBytes {
    /// Reads an open file to its end and closes it; nil when `fd` is invalid or a read fails.
    /// One allocation of the size `fstat` reports (plus one byte to see the end), filled in place.
    static func read(fd: Int32) -> [UInt8]? {
        var info = stat()
        return read(fd: fd, stat: &info)
    }

    /// `read(fd:)`, leaving the `fstat` it took in `info` (what the file was when its reading began).
    static func read(fd: Int32, stat info: inout stat) -> [UInt8]? {
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) : 0
        var failed = false
        var result = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            while count < buffer.count {
                let n = Foundation.read(fd, buffer.baseAddress! + count, buffer.count - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                if n == 0 { return }
                count += n
            }
        }
        if failed { return nil }
        guard result.count == size + 1 else { return result }
        // The file grew since fstat: read the rest in chunks.
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }
}
