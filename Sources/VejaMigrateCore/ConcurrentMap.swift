import Foundation

/// `body` for each index in `0..<count`, in order; on all cores from `minimumForParallel` on.
/// Each result is built in its slot (no optional array to copy at the end), and the indices are
/// dealt out in interleaved chunks, so a run of large items does not land on one core.
public func concurrentMap<T>(count: Int, minimumForParallel: Int = 64, _ body: @Sendable (Int) -> T) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count < minimumForParallel {
            for i in 0..<count { (buffer.baseAddress! + i).initialize(to: body(i)) }
        } else {
            let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, count / 16))
            nonisolated(unsafe) let out = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var i = chunk
                while i < count {
                    (out + i).initialize(to: body(i))
                    i += chunks
                }
            }
        }
        initialized = count
    }
}
