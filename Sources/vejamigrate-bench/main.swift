// vejamigrate-bench: in-process timings for `make bench` (scripts/bench.py runs it).
//
//   vejamigrate-bench first-frame DIR       start to the wizard's first rendered frame at 120x40, once
//   vejamigrate-bench keystrokes [DIR]      update + render per keystroke on a 40-column table at 120x40
//   vejamigrate-bench read DIR              reading the whole history: every byte, the headers, the schema
//
// Each mode prints one JSON object on standard output (milliseconds). Nothing here asserts a
// timing: the numbers are for docs/performance.md, never for tests.

import Foundation
import VejaMigrateCore
import VejaMigrateWizard

/// Monotonic nanoseconds: CLOCK_MONOTONIC, the clock Python's time.monotonic_ns() reads.
func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Taken as early as Swift allows: the first statement of main.swift.
let mainEntry = now()

func ms(_ ns: UInt64) -> Double { Double(ns) / 1e6 }
func ms(from start: UInt64, to end: UInt64) -> Double { Double(Int64(bitPattern: end &- start)) / 1e6 }

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return 0 }
    return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}

func emit(_ fields: [(String, Any)]) {
    let body = fields.map { key, value -> String in
        switch value {
        case let d as Double: return "\"\(key)\": \((d * 1000).rounded() / 1000)"
        case let i as Int: return "\"\(key)\": \(i)"
        case let b as Bool: return "\"\(key)\": \(b)"
        default: return "\"\(key)\": \"\(value)\""
        }
    }
    print("{" + body.joined(separator: ", ") + "}")
}

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data((text + "\n").utf8))
    exit(2)
}

let size = Size(width: 120, height: 40)
let benchDate = MigrationDate("2026-11-25")!
let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

/// Start to first frame: what a user waits for after typing `vejamigrate-tui`, minus the terminal.
/// As the driver does: the directory is located, the first frame drawn, and the history read after
/// it (in the driver, on another thread while keys are taken); `history_ready_ms` is when the
/// preview shows the real revision.
@MainActor
func firstFrame(dir: String) {
    let t0 = now()
    let context: WizardContext
    do {
        context = try WizardContext.locate(versionsDirectory: dir, date: benchDate, cwd: cwd)
    } catch {
        fail(error.message)
    }
    let t1 = now()
    var model = WizardModel(context: context)
    _ = model.update(.resize(size))
    let t2 = now()
    let screen = model.render(size: size)
    let t3 = now()
    let history: MigrationHistory
    do {
        history = try context.locations.readHistory()
    } catch {
        fail(error.message)
    }
    _ = model.update(.effectResult(.historyRead(history)))
    _ = model.render(size: size)
    let t4 = now()
    // The driver's spawn time, when it passed one (same clock): covers exec and dynamic loading.
    let spawn = ProcessInfo.processInfo.environment["VEJAMIGRATE_BENCH_SPAWN_NS"].flatMap(UInt64.init)
    var fields: [(String, Any)] = [
        ("migrations", history.graph.files.count),
        ("load_ms", ms(from: t0, to: t1)),
        ("history_ready_ms", ms(from: mainEntry, to: t4)),
        ("model_ms", ms(from: t1, to: t2)),
        ("render_ms", ms(from: t2, to: t3)),
        ("main_to_frame_ms", ms(from: mainEntry, to: t3)),
        ("cells", screen.cells.count),
    ]
    if let spawn { fields.append(("spawn_to_frame_ms", ms(from: spawn, to: t3))) }
    emit(fields)
}

/// A wizard on the columns step of a create_table with `columns` columns, built by keys as a person types.
@MainActor
func tableModel(graph: RevisionGraph, columns: Int) -> WizardModel {
    var model = WizardModel(graph: graph, date: benchDate, directoryLabel: "backend/app/migrations/versions")
    _ = model.update(.resize(size))
    func press(_ keys: Key...) { for k in keys { _ = model.update(.key(k)) } }
    func type(_ text: String) { for ch in text { _ = model.update(.key(.character(ch))) } }
    type("add wide reporting table")
    press(.enter, .enter, .enter)  // details → operation → table step
    type("wide_reports")
    press(.enter, .enter, .enter)  // name, id preset, timestamps → columns step
    // Type letters jump the type choice: integer, text, boolean, date, numeric, uuid, string.
    let typeLetters: [Character] = ["i", "t", "b", "d", "n", "u", "s"]
    for i in 1...columns {
        press(.character("a"))
        type(String(format: "metric_%02d", i))
        press(.enter)  // → type
        press(.character(typeLetters[i % typeLetters.count]))
        press(.escape)  // back to the list
    }
    return model
}

/// Update + render per keystroke while editing a column name of a wide table.
@MainActor
func keystrokes(dir: String?, columns: Int, count: Int) {
    let graph: RevisionGraph
    if let dir {
        do { graph = RevisionGraph(files: try VersionsDirectory(url: URL(fileURLWithPath: dir, relativeTo: cwd)).readMigrations()) } catch { fail(error.message) }
    } else {
        graph = RevisionGraph(files: [])
    }
    let tBuild = now()
    var model = tableModel(graph: graph, columns: columns)
    let buildMs = ms(from: tBuild, to: now())
    guard model.state.table.columns.count == columns, model.state.step == .columns else {
        fail("could not build the table: \(model.state.table.columns.count) columns on step \(model.state.step)")
    }
    // Open the middle column's editor: focus its row (Up walks the list), Enter lands on the name field.
    for _ in 0..<(columns / 2) { _ = model.update(.key(.up)) }
    _ = model.update(.key(.enter))
    var updates: [Double] = []
    var renders: [Double] = []
    var totals: [Double] = []
    _ = model.render(size: size)
    let previewLines = model.previewLines.count
    for i in 0..<count {
        // Type a letter, then take it back: the table stays the same size throughout.
        let key: Key = i % 2 == 0 ? .character("x") : .backspace
        let a = now()
        _ = model.update(.key(key))
        let b = now()
        let screen = model.render(size: size)
        let c = now()
        if screen.cells.isEmpty { fail("empty screen") }
        updates.append(ms(from: a, to: b))
        renders.append(ms(from: b, to: c))
        totals.append(ms(from: a, to: c))
    }
    emit([
        ("columns", model.state.table.columns.count),
        ("keystrokes", count),
        ("focus", "\(model.state.focus)"),
        ("preview_lines", previewLines),
        ("build_table_ms", buildMs),
        ("update_median_ms", median(updates)),
        ("render_median_ms", median(renders)),
        ("keystroke_median_ms", median(totals)),
        ("keystroke_p90_ms", percentile(totals, 0.9)),
        ("keystroke_max_ms", totals.max() ?? 0),
    ])
}

/// Every byte of every migration, read with the same calls as the header reader; `parallel` uses all cores.
func readAllBytes(dir: String, names: [String], parallel: Bool) -> Int {
    let dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard dirfd >= 0 else { fail("cannot open \(dir)") }
    defer { close(dirfd) }
    let readOne: @Sendable (String) -> Int = { name in
        let fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1) + 1, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = read(fd, buffer, max(size, 1) + 1)
            if n <= 0 { break }
            total += n
        }
        return total
    }
    if !parallel { return names.reduce(0) { $0 + readOne($1) } }
    let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, names.count))
    let totals = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
    totals.initialize(repeating: 0, count: chunks)
    defer { totals.deallocate() }
    nonisolated(unsafe) let out = totals
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        var i = chunk
        var sum = 0
        while i < names.count {
            sum += readOne(names[i])
            i += chunks
        }
        out[chunk] = sum
    }
    return (0..<chunks).reduce(0) { $0 + totals[$1] }
}

/// The floor for a future full-schema read (every byte of every file), next to the header read.
@MainActor
func readHistory(dir: String, runs: Int) {
    let directory = VersionsDirectory(url: URL(fileURLWithPath: dir, relativeTo: cwd))
    let path = directory.url.path
    var list: [Double] = [], sequential: [Double] = [], parallel: [Double] = [], headers: [Double] = [], graphs: [Double] = []
    var schemas: [Double] = [], sourceReads: [Double] = [], replays: [Double] = []
    var tables = 0
    var bytes = 0
    var files = 0
    for _ in 0..<runs {
        let a = now()
        let names: [String]
        do { names = try directory.migrationFileNames() } catch { fail(error.message) }
        let b = now()
        bytes = readAllBytes(dir: path, names: names, parallel: false)
        let c = now()
        _ = readAllBytes(dir: path, names: names, parallel: true)
        let d = now()
        let migrations: [MigrationFile]
        do { migrations = try directory.readMigrations() } catch { fail(error.message) }
        let e = now()
        let graph = RevisionGraph(files: migrations)
        let f = now()
        // The full read: every upgrade() replayed into the schema (what `schema` and the wizard load).
        let history: MigrationHistory
        do { history = try directory.readHistory() } catch { fail(error.message) }
        let g = now()
        let sources: [MigrationSource]
        do { sources = try directory.readSources() } catch { fail(error.message) }
        let h = now()
        let replayed = SchemaReader.history(sources: sources)
        let k = now()
        precondition(replayed.schema.tables.count == history.schema.tables.count)
        tables = history.schema.tables.count
        sourceReads.append(ms(from: g, to: h))
        replays.append(ms(from: h, to: k))
        files = graph.files.count
        list.append(ms(from: a, to: b))
        sequential.append(ms(from: b, to: c))
        parallel.append(ms(from: c, to: d))
        headers.append(ms(from: d, to: e))
        graphs.append(ms(from: e, to: f))
        schemas.append(ms(from: f, to: g))
    }
    emit([
        ("migrations", files),
        ("bytes", bytes),
        ("runs", runs),
        ("list_ms", median(list)),
        ("read_all_bytes_ms", median(sequential)),
        ("read_all_bytes_parallel_ms", median(parallel)),
        ("read_headers_ms", median(headers)),
        ("graph_ms", median(graphs)),
        ("read_history_ms", median(schemas)),
        ("read_sources_ms", median(sourceReads)),
        ("replay_ms", median(replays)),
        ("tables", tables),
    ])
}

var args = Array(CommandLine.arguments.dropFirst())
@MainActor
func option(_ name: String, default value: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) else { return value }
    args.removeSubrange(i...(i + 1))
    return n
}
let columns = option("--columns", default: 40)
let keys = option("--keys", default: 400)
let runs = option("--runs", default: 7)
switch (args.first, args.count) {
case ("first-frame", 2): firstFrame(dir: args[1])
case ("keystrokes", 1): keystrokes(dir: nil, columns: columns, count: keys)
case ("keystrokes", 2): keystrokes(dir: args[1], columns: columns, count: keys)
case ("read", 2): readHistory(dir: args[1], runs: runs)
default:
    fail("""
        usage: vejamigrate-bench first-frame DIR
               vejamigrate-bench keystrokes [DIR] [--columns 40] [--keys 400]
               vejamigrate-bench read DIR [--runs 7]
        """)
}
