/// Walks over the revision graph: parents, children, ancestors, descendants and an order that
/// puts every migration after its parents.
///
/// Files are named by their index in `files`. Only indexed files take part (a file whose
/// header did not read, or the second declaration of a revision, has no edges), and a parent
/// that no file declares is no edge.
///
/// ```swift
/// let graph = RevisionGraph(files: try directory.readMigrations())
/// graph.children(of: "20260211_000017")   // ["20261125_000018"]
/// ```
extension RevisionGraph {
    /// The files that file `i` revises (its `down_revision`s that the directory declares).
    public func parents(ofFile i: Int) -> ArraySlice<Int> {
        parentList[parentStart[i]..<parentStart[i + 1]]
    }

    /// For every file, the files that revise it, in file order.
    public func childrenByFile() -> [[Int]] {
        var children = [[Int]](repeating: [], count: files.count)
        for i in files.indices {
            for p in parents(ofFile: i) { children[p].append(i) }
        }
        return children
    }

    /// The revisions whose `down_revision` names `revision`, in file order: empty for a head
    /// or a revision no file declares.
    public func children(of revision: String) -> [String] {
        guard let target = fileByRevision[revision] else { return [] }
        return files.indices.filter { parents(ofFile: $0).contains(target) }.compactMap { files[$0].revision }
    }

    /// The files of `revisions` and of everything they revise, directly or not.
    public func ancestors(of revisions: [String]) -> Set<Int> {
        reachable(from: revisions.compactMap { fileByRevision[$0] }) { parents(ofFile: $0) }
    }

    /// The files of `revisions` and of everything that revises them, directly or not: what an
    /// `alembic downgrade` below `revisions` would undo.
    public func descendants(of revisions: [String]) -> Set<Int> {
        let children = childrenByFile()
        return reachable(from: revisions.compactMap { fileByRevision[$0] }) { children[$0][...] }
    }

    private func reachable(from start: [Int], _ next: (Int) -> ArraySlice<Int>) -> Set<Int> {
        var seen = Set<Int>()
        var stack = start
        while let i = stack.popLast() {
            guard seen.insert(i).inserted else { continue }
            for n in next(i) where !seen.contains(n) { stack.append(n) }
        }
        return seen
    }

    /// File indices in an order where every migration comes after its parents (a merge after
    /// all of them), ties in file-name order. Files whose header did not read, and second
    /// declarations of a revision, are left out; a cycle is cut where the walk meets it.
    public func topologicalOrder() -> [Int] {
        var members = Array(fileByRevision.values)
        members.sort()
        var state = [UInt8](repeating: 0, count: files.count)  // 0 new, 1 on the stack, 2 placed
        var order: [Int] = []
        order.reserveCapacity(members.count)
        var stack: [(node: Int, next: Int)] = []
        for start in members where state[start] == 0 {
            stack.append((start, 0))
            state[start] = 1
            while let top = stack.last {
                let ps = parents(ofFile: top.node)
                if top.next < ps.count {
                    stack[stack.count - 1].next += 1
                    let p = ps[ps.startIndex + top.next]
                    if state[p] == 0 {
                        state[p] = 1
                        stack.append((p, 0))
                    }
                } else {
                    state[top.node] = 2
                    order.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return order
    }
}
