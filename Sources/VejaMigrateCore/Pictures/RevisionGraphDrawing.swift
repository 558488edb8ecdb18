/// The revision graph drawn as text, the way `git log --graph` draws commits: newest first, a
/// `*` per revision in its lane, `|` for a lane that goes on, `\` where a merge opens a lane for
/// its second parent, `/` (and `_` across lanes in between) where a lane joins the one its
/// revision is in (a branch point). `vejamigrate status --graph` prints it.
///
/// ```text
/// * 20261121_000006  20261121_000006_add_tags.py (head)
/// | * 20261120_000005  20261120_000005_add_notes.py (head)
/// |/
/// *   20261119_000004  20261119_000004_merge_heads.py (merge)
/// |\
/// | * 20261118_000003  20261118_000003_add_prices.py
/// * | 20261117_000002  20261117_000002_add_users.py
/// |/
/// * 20261116_000001  20261116_000001_create_projects.py
/// ```
///
/// Only the drawing is made here; the text beside each `*` is the caller's (`Row.file`).
public enum RevisionGraphDrawing {
    /// One line of the drawing: lanes, and the file whose `*` it holds (nil for a connecting line).
    public struct Row: Equatable, Sendable {
        public var graph: String
        public var file: Int?
    }

    /// The rows for `graph`, children before parents (newest first): the reverse of
    /// `RevisionGraph.topologicalOrder()`. Files that take no part in the graph (unreadable, a
    /// second declaration of a revision) are not drawn.
    public static func rows(_ graph: RevisionGraph) -> [Row] {
        var rows: [Row] = []
        // lanes[k]: the file the lane waits for (the next revision drawn in it).
        var lanes: [Int] = []
        for node in graph.topologicalOrder().reversed() {
            var mine = lanes.indices.filter { lanes[$0] == node }
            if mine.isEmpty {
                lanes.append(node)  // a head: a lane of its own
                mine = [lanes.count - 1]
            }
            let col = mine[0]
            // Lanes that waited for the same revision join it, one per line, the rightmost first, each
            // into the next such lane to its left (`| |/` then `|/`, as git draws a branch point).
            for k in mine.indices.dropFirst().reversed() {
                rows.append(Row(graph: joining(lane: mine[k], into: mine[k - 1], count: lanes.count), file: nil))
                lanes.remove(at: mine[k])
            }
            let parents = Array(graph.parents(ofFile: node))
            var line = (0..<lanes.count).map { $0 == col ? "*" : "|" }.joined(separator: " ")
            // A merge leaves room for the lines that open below it, as git does.
            if parents.count > 1 { line += String(repeating: " ", count: 2 * (parents.count - 1)) }
            rows.append(Row(graph: line, file: node))
            if let first = parents.first {
                lanes[col] = first
                for (k, p) in parents.dropFirst().enumerated() {
                    rows.append(Row(graph: opening(after: col + k, count: lanes.count), file: nil))
                    lanes.insert(p, at: col + k + 1)
                }
            } else {
                // A root: its lane ends, the lanes to its right move left.
                if col < lanes.count - 1 {
                    rows.append(Row(graph: closing(lane: col, count: lanes.count), file: nil))
                }
                lanes.remove(at: col)
            }
        }
        return rows
    }

    /// Lane `j` moves left into lane `col`; the lanes right of `j` move one to the left.
    static func joining(lane j: Int, into col: Int, count: Int) -> String {
        var cells = [Character](repeating: " ", count: 2 * count)
        for k in 0..<count {
            if k < j { cells[2 * k] = "|" } else if k == j { cells[2 * k - 1] = "/" } else { cells[2 * k - 1] = "/" }
        }
        for x in stride(from: 2 * col + 1, to: 2 * j - 1, by: 2) { cells[x] = "_" }
        return trimmed(cells)
    }

    /// A lane opens right of lane `col` for a merge's next parent; the lanes right of it move one to the right.
    static func opening(after col: Int, count: Int) -> String {
        var cells = [Character](repeating: " ", count: 2 * count + 2)
        for k in 0..<count {
            if k <= col { cells[2 * k] = "|" } else { cells[2 * k + 1] = "\\" }
        }
        cells[2 * col + 1] = "\\"
        return trimmed(cells)
    }

    /// Lane `col` ends (a root); the lanes right of it move one to the left.
    static func closing(lane col: Int, count: Int) -> String {
        var cells = [Character](repeating: " ", count: 2 * count)
        for k in 0..<count where k != col {
            if k < col { cells[2 * k] = "|" } else { cells[2 * k - 1] = "/" }
        }
        return trimmed(cells)
    }

    static func trimmed(_ cells: [Character]) -> String {
        var s = String(cells)
        while s.last == " " { s.removeLast() }
        return s
    }
}
