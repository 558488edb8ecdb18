import Foundation

/// The versions directory's writer lock: held from reading the history to writing the file, so two
/// commands (two terminals, an editor, a script) never plan the same sequence number or parent.
///
/// An advisory `flock(2)` on `.vejamigrate.lock` in the versions directory (a dotfile, so never a
/// migration candidate). The kernel releases a `flock` when its holder exits, however it exits, so
/// a lock file left behind by a killed process is only a name: the next command takes the lock at
/// once. `release()` removes the file while still holding the lock; a command that opened the old
/// file meanwhile sees that the name no longer points at the file it locked and starts over, so two
/// holders can never hold two different files. docs/concurrency.md.
///
/// ```swift
/// let lock = try VersionsLock.acquire(in: dir, timeout: 30)
/// defer { lock.release() }
/// ```
public final class VersionsLock {
    /// The lock file's name in the versions directory.
    public static let fileName = ".vejamigrate.lock"
    /// How long a command waits for another to finish before it stops (exit 4).
    public static let defaultTimeout: Double = 30

    private var fd: Int32
    private let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { release() }

    /// Takes the lock, waiting up to `timeout` seconds for another holder to release it.
    public static func acquire(in directory: VersionsDirectory, timeout: Double = defaultTimeout) throws(VejaMigrateError) -> VersionsLock {
        let dir = directory.url.path
        let path = directory.url.appendingPathComponent(fileName).path
        guard VersionsDirectory.isDirectory(directory.url) else {
            throw .io("versions directory \(dir) does not exist or is not a directory; pass --versions-dir DIR")
        }
        let deadline = Date().addingTimeInterval(max(0, timeout))
        var pause: useconds_t = 2_000
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                throw .io("cannot write in the versions directory \(dir): cannot create its lock file \(fileName): \(reason); nothing was written")
            }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                // The name must still be the file we locked: a holder removes it on release.
                var held = stat()
                var named = stat()
                if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino {
                    return VersionsLock(fd: fd, path: path)
                }
                close(fd)
                continue
            }
            let code = errno
            close(fd)
            guard code == EWOULDBLOCK || code == EINTR else {
                throw .io("cannot lock \(path): \(String(cString: strerror(code))); nothing was written")
            }
            if Date() >= deadline {
                throw .io(
                    "another command is writing in \(dir) (it holds \(fileName)) and did not finish within "
                        + "\(formatSeconds(timeout)) s; nothing was written. Wait for it and run again, or pass --lock-timeout SECONDS")
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// Removes the lock file and releases the lock; the next holder may already be waiting on it.
    public func release() {
        guard fd >= 0 else { return }
        unlink(path)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    private static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }
}
