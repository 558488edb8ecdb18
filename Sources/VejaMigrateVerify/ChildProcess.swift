import Foundation

/// One child process run to its end, both output streams read while it runs.
struct ChildProcess {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `executable` with `arguments` in this process's directory (the user's, so a migration
    /// that reads a relative path finds it); nil when it cannot be started. While it runs, a pending
    /// Ctrl-C or SIGTERM (`Interrupt`) is passed on to it, so a long migration stops too; not to
    /// the cleanups (`interruptible: false`), which must finish.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, interruptible: Bool = true
    ) -> ChildProcess? {
        // posix_spawn, not Foundation's Process: Process hands the child a descriptor of its own
        // that a daemon (pg_ctl's server) keeps open, and then never sees the child end.
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { return nil }
        guard pipe(&errPipe) == 0 else { close(outPipe[0]); close(outPipe[1]); return nil }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default signal handling, whatever this process installed.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = [executable] + arguments
        var pid: pid_t = 0
        let spawned = withCStrings(argv) { cArgv in
            withCStrings(env) { cEnv in posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnv) }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            return nil
        }
        let collected = Collected()
        let group = DispatchGroup()
        for (fd, isErr) in [(outPipe[0], false), (errPipe[0], true)] {
            group.enter()
            DispatchQueue.global().async {
                var data = Data()
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = read(fd, &buffer, buffer.count)
                    if n > 0 { data.append(buffer, count: n); continue }
                    if n < 0, errno == EINTR { continue }
                    break
                }
                close(fd)
                collected.set(data, isErr: isErr)
                group.leave()
            }
        }
        var status: Int32 = 0
        var passedOn = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0, errno != EINTR { break }
            if interruptible, Interrupt.pending, !passedOn {
                passedOn = true
                kill(pid, SIGINT)
            }
            usleep(10_000)
        }
        group.wait()
        // The exit status, or 128 + the signal that ended it, as a shell reports it.
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ChildProcess(status: code, stdout: collected.text(isErr: false), stderr: collected.text(isErr: true))
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }

    /// The last `lines` non-empty lines of standard error (Alembic's traceback ends with the error).
    func errorTail(lines: Int = 15) -> String {
        let all = stderr.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let tail = all.suffix(lines)
        let text = tail.joined(separator: "\n")
        return text.isEmpty ? stdout.split(separator: "\n").suffix(lines).joined(separator: "\n") : text
    }

    /// `name` on PATH (or the path itself when it has a slash), if it is an executable file.
    static func find(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()

    func set(_ data: Data, isErr: Bool) {
        lock.lock()
        if isErr { err = data } else { out = data }
        lock.unlock()
    }

    func text(isErr: Bool) -> String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: isErr ? err : out, as: UTF8.self)
    }
}

/// Ctrl-C and SIGTERM during a verification: noted, not obeyed at once, so the temporary database
/// is dropped and the cluster stopped on the way out (`VerifyRunner` checks between steps).
public enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0
    nonisolated(unsafe) private static var signalNumber: sig_atomic_t = 0

    /// Whether a signal came since `install()`.
    public static var pending: Bool { flag != 0 }
    /// The signal that came (SIGINT or SIGTERM), 0 when none.
    public static var signal: Int32 { Int32(signalNumber) }

    /// Asks a running verification to stop, as Ctrl-C does (the wizard, whose terminal takes Ctrl-C as a key).
    public static func request() {
        flag = 1
        signalNumber = sig_atomic_t(SIGINT)
    }

    /// Forgets an earlier request, before another verification starts.
    public static func reset() {
        flag = 0
        signalNumber = 0
    }

    /// Installs the handlers (they are reset to the default in child processes by exec).
    public static func install() {
        for s in [SIGINT, SIGTERM] {
            Foundation.signal(s) { n in
                Interrupt.flag = 1
                Interrupt.signalNumber = sig_atomic_t(n)
            }
        }
    }
}
