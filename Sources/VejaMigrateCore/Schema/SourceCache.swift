import Foundation

/// What the file system says about one file: an entry is used only while all of it is unchanged.
///
/// Any write changes `ctime` (which no user call can set back), a replaced file changes the inode,
/// so an entry whose identity matches holds what reading the file again would give. A file changed
/// within the file system's timestamp granularity of being read could keep its identity: such a
/// file is not stored (`SourceCache.settledAge`), as git does for its index.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var mtime: Int64
    var ctime: Int64

    init(device: UInt64, inode: UInt64, size: Int64, mtime: Int64, ctime: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.mtime = mtime
        self.ctime = ctime
    }

    init(_ s: stat) {
        device = UInt64(s.st_dev)
        inode = UInt64(s.st_ino)
        size = Int64(s.st_size)
        mtime = Int64(s.st_mtim.tv_sec) * 1_000_000_000 + Int64(s.st_mtim.tv_nsec)
        ctime = Int64(s.st_ctim.tv_sec) * 1_000_000_000 + Int64(s.st_ctim.tv_nsec)
    }

    func encode(to e: inout SourceEncoder) {
        e.int(Int(bitPattern: UInt(device)))
        e.int(Int(bitPattern: UInt(inode)))
        e.int(Int(size))
        e.int(Int(mtime))
        e.int(Int(ctime))
    }

    static func decode(from d: inout SourceDecoder) throws(SourceDecodingError) -> FileIdentity {
        FileIdentity(
            device: UInt64(UInt(bitPattern: try d.int())), inode: UInt64(UInt(bitPattern: try d.int())),
            size: Int64(try d.int()), mtime: Int64(try d.int()), ctime: Int64(try d.int())
        )
    }
}

/// The whole-history read's cache: for each migration file, its identity and what reading it gave,
/// in one file per versions directory under the user's cache directory. `readSources` decodes the
/// entries of unchanged files and reads the others, so a command on a large history costs a `stat`
/// per file plus the replay.
///
/// It can never be stale: an entry is used only when the file's device, inode, size, mtime and ctime
/// (in nanoseconds) are all as they were, and the whole cache only when it was written by this very
/// build of the reader (the identity of the binary that holds this code) and its checksum holds.
/// Anything else, or any failure to read or write it, is the same as having no cache.
///
/// `VEJAMIGRATE_CACHE_DIR` names the folder (default `$XDG_CACHE_HOME/vejamigrate`, else
/// `~/.cache/vejamigrate`); `VEJAMIGRATE_NO_CACHE=1` turns it off.
struct SourceCache: Sendable {
    struct Entry: Sendable {
        var identity: FileIdentity
        var hasDowngrade: Bool
        /// The encoded `MigrationSource`, within `SourceCache.bytes`.
        var range: Range<Int>
    }

    /// The cache file of one versions directory.
    let url: URL
    /// The versions directory's resolved path, stored in the file against a clash of names.
    let directoryPath: String
    /// The bytes of the file as loaded (empty when there was none).
    private(set) var bytes: [UInt8] = []
    private(set) var entries: [String: Entry] = [:]

    /// Files whose ctime or mtime is this close to the read are not stored: a second write within the
    /// file system's timestamp granularity could leave their identity as it was.
    static let settledAge: Int64 = 3_000_000_000
    /// Cache files kept in the folder; the least recently written beyond that are removed.
    static let keptFiles = 64
    static let magic: [UInt8] = Array("history cache of vejamigrate, format 1\n".utf8)

    /// The cache of `directory`, loaded when there is a usable one; nil when caching is off or no
    /// cache folder can be named.
    static func open(for directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> SourceCache? {
        if let off = environment["VEJAMIGRATE_NO_CACHE"], !off.isEmpty, off != "0" { return nil }
        guard let folder = folder(environment: environment) else { return nil }
        let path = directory.resolvingSymlinksInPath().standardizedFileURL.path
        guard readerIdentity != "unknown" else { return nil }
        var cache = SourceCache(url: folder.appendingPathComponent("history-\(hex(fnv1a(Array(path.utf8)))).bin"), directoryPath: path)
        cache.load()
        return cache
    }

    static func folder(environment: [String: String]) -> URL? {
        if let dir = environment["VEJAMIGRATE_CACHE_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return URL(fileURLWithPath: xdg).appendingPathComponent("vejamigrate") }
        if let home = environment["HOME"], home.hasPrefix("/") { return URL(fileURLWithPath: home).appendingPathComponent(".cache/vejamigrate") }
        return nil
    }

    /// The entry for `name` if the file is still what was read.
    func entry(_ name: String, identity: FileIdentity, downgrade: Bool) -> Entry? {
        guard let entry = entries[name], entry.identity == identity, !downgrade || entry.hasDowngrade else { return nil }
        return entry
    }

    func decode(_ entry: Entry, fileName: String, directory: URL? = nil, downgrade: Bool) -> MigrationSource? {
        bytes.withUnsafeBytes { raw -> MigrationSource? in
            let slice = UnsafeRawBufferPointer(rebasing: raw[entry.range])
            var d = SourceDecoder(slice)
            guard let source = try? MigrationSource.decode(fileName: fileName, directory: directory, from: &d, downgrade: downgrade), d.atEnd else { return nil }
            return source
        }
    }

    // MARK: The file

    /// `magic`, the reader's identity, the directory's path, the entries (name, identity, whether the
    /// downgrade is in, length, encoded source), and an FNV-1a checksum of everything before it.
    private mutating func load() {
        guard let loaded = FileBytes.read(fd: Foundation.open(url.path, O_RDONLY | O_CLOEXEC)) else { return }
        guard loaded.count > SourceCache.magic.count + 8, loaded.starts(with: SourceCache.magic) else { return }
        let body = loaded.count - 8
        let stored = loaded[body...].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard stored == SourceCache.fnv1a(loaded[..<body]) else { return }
        var found: [String: Entry] = [:]
        let ok = loaded.withUnsafeBytes { raw -> Bool in
            var d = SourceDecoder(UnsafeRawBufferPointer(rebasing: raw[..<body]), at: SourceCache.magic.count)
            do throws(SourceDecodingError) {
                guard try d.string() == SourceCache.readerIdentity, try d.string() == directoryPath else { return false }
                let count = try d.count()
                found.reserveCapacity(count)
                for _ in 0..<count {
                    let name = try d.string()
                    let identity = try FileIdentity.decode(from: &d)
                    let hasDowngrade = try d.bool()
                    let length = try d.count()
                    found[name] = Entry(identity: identity, hasDowngrade: hasDowngrade, range: d.position..<(d.position + length))
                    d.position += length
                }
                return d.atEnd
            } catch {
                return false
            }
        }
        guard ok else { return }
        bytes = loaded
        entries = found
    }

    /// What one file's read leaves for the cache: the entry kept, a new encoding, or nothing.
    enum Update: Sendable {
        case kept(Entry)
        case fresh(FileIdentity, hasDowngrade: Bool, encoded: [UInt8])
        case none
    }

    /// Writes the cache anew when anything changed: into a temporary file renamed over the old one,
    /// so a reader never sees half a cache. Failures are ignored: the cache only saves time.
    func save(_ updates: [(name: String, update: Update)]) {
        let changed = updates.count != entries.count || updates.contains { if case .kept = $0.update { return false } else { return true } }
        guard changed else { return }
        var e = SourceEncoder()
        e.bytes = SourceCache.magic
        e.string(SourceCache.readerIdentity)
        e.string(directoryPath)
        let stored = updates.filter { if case .none = $0.update { return false } else { return true } }
        e.int(stored.count)
        for (name, update) in stored {
            e.string(name)
            switch update {
            case .kept(let entry):
                entry.identity.encode(to: &e)
                e.bool(entry.hasDowngrade)
                e.int(entry.range.count)
                e.bytes += bytes[entry.range]
            case .fresh(let identity, let hasDowngrade, let encoded):
                identity.encode(to: &e)
                e.bool(hasDowngrade)
                e.int(encoded.count)
                e.bytes += encoded
            case .none:
                break
            }
        }
        var sum = SourceCache.fnv1a(e.bytes[...])
        for _ in 0..<8 {
            e.bytes.append(UInt8(truncatingIfNeeded: sum))
            sum >>= 8
        }
        let folder = url.deletingLastPathComponent()
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil else { return }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max))")
        let fd = Foundation.open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let written = e.bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
        close(fd)
        guard written, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            return
        }
        SourceCache.prune(folder: folder)
    }

    /// Keeps the folder to `keptFiles` caches, removing the least recently written.
    static func prune(folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let caches = names.filter { $0.hasPrefix("history-") && $0.hasSuffix(".bin") }
        guard caches.count > keptFiles else { return }
        let dated = caches.map { name -> (String, Int64) in
            var s = stat()
            let path = folder.appendingPathComponent(name).path
            return (path, stat(path, &s) == 0 ? FileIdentity(s).mtime : 0)
        }
        for (path, _) in dated.sorted(by: { $0.1 < $1.1 }).prefix(caches.count - keptFiles) { unlink(path) }
    }

    // MARK: Identity of the reader

    /// The binary that holds this code (the executable, or a test bundle), by path, device, inode,
    /// size and mtime: a rebuilt reader never trusts what an older one stored. Found in
    /// `/proc/self/maps` by the address of a function of this module; "unknown" turns the cache off.
    static let readerIdentity: String = {
        let marker: @convention(c) () -> Void = {}
        let address = UInt(bitPattern: unsafeBitCast(marker, to: UnsafeRawPointer.self))
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return "unknown" }
        for line in maps.split(separator: "\n") {
            // start-end perms offset dev inode path
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, let dash = fields[0].firstIndex(of: "-"),
                  let start = UInt(fields[0][..<dash], radix: 16), let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16),
                  start <= address, address < end else { continue }
            let path = fields[5].trimmingCharacters(in: .whitespaces)
            var s = stat()
            guard path.hasPrefix("/"), stat(path, &s) == 0 else { return "unknown" }
            let id = FileIdentity(s)
            return "\(path) \(id.device) \(id.inode) \(id.size) \(id.mtime) format 1"
        }
        return "unknown"
    }()

    /// The wall clock in nanoseconds, the clock file timestamps are taken from.
    static func now() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }

    // MARK: Checksum

    static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            var i = 0
            // Eight bytes at a time: the cache is megabytes and is checked on every read.
            while i + 8 <= raw.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01b3
                i += 8
            }
            while i < raw.count {
                h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01b3
                i += 1
            }
            return h
        }
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 { fnv1a(bytes[...]) }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
