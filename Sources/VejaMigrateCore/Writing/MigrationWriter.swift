import Foundation

/// Writes a migration file atomically and never over an existing file.
///
/// The text goes to a hidden temporary file in the same directory, is flushed
/// to disk, and is then hard-linked to its final name: `link(2)` fails if the
/// name exists, so a file appears complete or not at all, and nothing is replaced.
public enum MigrationWriter {
    public static func write(_ text: String, to directory: URL, fileName: String) throws(VejaMigrateError) {
        try write(bytes: Array(text.utf8), to: directory, fileName: fileName)
    }

    /// The same for bytes as they are (`vejamigrate rebase` keeps a file's body byte for byte).
    public static func write(bytes: [UInt8], to directory: URL, fileName: String) throws(VejaMigrateError) {
        let final = directory.appendingPathComponent(fileName).path
        if FileManager.default.fileExists(atPath: final) {
            throw .io("\(final) exists already; nothing was written")
        }
        let temp = try temporaryFile(bytes, in: directory, for: fileName)
        defer { unlink(temp) }
        if link(temp, final) != 0 {
            let code = errno
            if code == EEXIST { throw .io("\(final) exists already; nothing was written") }
            throw .io("cannot create \(final): \(String(cString: strerror(code))); nothing was written")
        }
    }

    /// Replaces `fileName`, which must exist, with `bytes` in one step (`rename(2)`): readers see
    /// the old file or the new one, never a part. For a rebase that keeps the file's name.
    public static func replace(bytes: [UInt8], in directory: URL, fileName: String) throws(VejaMigrateError) {
        let final = directory.appendingPathComponent(fileName).path
        let temp = try temporaryFile(bytes, in: directory, for: fileName)
        if rename(temp, final) != 0 {
            let reason = errnoText()
            unlink(temp)
            throw .io("cannot replace \(final): \(reason); it was left as it was")
        }
    }

    /// A hidden file next to `fileName` holding `bytes`, flushed to disk; its path.
    private static func temporaryFile(_ bytes: [UInt8], in directory: URL, for fileName: String) throws(VejaMigrateError) -> String {
        let temp = directory.appendingPathComponent(".\(fileName).\(getpid()).tmp").path
        // Messages name the file the user asked for; the temporary one is gone by then.
        let final = directory.appendingPathComponent(fileName).path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("cannot create a file in \(directory.path): \(errnoText()); nothing was written") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = errnoText()
                close(fd)
                unlink(temp)
                throw .io("cannot write \(final): \(reason); nothing was written")
            }
            written += n
        }
        if fsync(fd) != 0 {
            let reason = errnoText()
            close(fd)
            unlink(temp)
            throw .io("cannot write \(final) to disk (fsync): \(reason); nothing was written")
        }
        // A network file system may report a failed write only here.
        if close(fd) != 0 {
            let reason = errnoText()
            unlink(temp)
            throw .io("cannot write \(final): \(reason); nothing was written")
        }
        return temp
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
