import Foundation
import XCTest

@testable import VejaMigrateCore

/// The writer lock (docs/concurrency.md). `flock` locks belong to an open file, so a second
/// `acquire` in the same process waits like another process would.
final class VersionsLockTests: XCTestCase {
    private func lockPath(_ dir: URL) -> String { dir.appendingPathComponent(VersionsLock.fileName).path }

    func testASecondHolderWaitsThenTimesOutWithAnIOError() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let versions = VersionsDirectory(url: dir)
        let first = try VersionsLock.acquire(in: versions, timeout: 0)
        let started = Date()
        do {
            _ = try VersionsLock.acquire(in: versions, timeout: 0.2)
            XCTFail("a held lock was taken twice")
        } catch {
            XCTAssertEqual(error.exitCode, 4)
            XCTAssertTrue(error.message.contains(VersionsLock.fileName), error.message)
            XCTAssertTrue(error.message.contains("--lock-timeout"), error.message)
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.2)
        first.release()
        let second = try VersionsLock.acquire(in: versions, timeout: 0)
        second.release()
    }

    func testReleaseRemovesTheFileAndAStaleFileDoesNotBlock() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let versions = VersionsDirectory(url: dir)
        let lock = try VersionsLock.acquire(in: versions, timeout: 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: lockPath(dir)))
        lock.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: lockPath(dir)))
        // A file nobody holds (left by a killed process) is only a name.
        FileManager.default.createFile(atPath: lockPath(dir), contents: Data())
        let again = try VersionsLock.acquire(in: versions, timeout: 0)
        again.release()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testAWaiterOnARemovedFileStartsOverOnTheNewOne() throws {
        // The holder releases (removes the name) while another waits on the old file: the waiter
        // must not end up holding an unlinked file while a third process holds a new one.
        let dir = try TestSupport.temporaryDirectory(self)
        let versions = VersionsDirectory(url: dir)
        let holder = try VersionsLock.acquire(in: versions, timeout: 0)
        let got = expectation(description: "waiter holds the lock")
        nonisolated(unsafe) var waiter: VersionsLock?
        Thread.detachNewThread {
            waiter = try? VersionsLock.acquire(in: versions, timeout: 5)
            got.fulfill()
        }
        usleep(50_000)
        holder.release()
        wait(for: [got], timeout: 10)
        XCTAssertNotNil(waiter)
        // The waiter holds the file at the name now: a third acquire must fail.
        XCTAssertThrowsError(try VersionsLock.acquire(in: versions, timeout: 0))
        waiter?.release()
    }

    func testASymlinkAtTheLockNameIsNotFollowed() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let target = dir.appendingPathComponent("elsewhere").path
        XCTAssertEqual(symlink(target, lockPath(dir)), 0)
        XCTAssertThrowsError(try VersionsLock.acquire(in: VersionsDirectory(url: dir), timeout: 0)) { error in
            XCTAssertEqual((error as? VejaMigrateError)?.exitCode, 4)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "the symlink's target was created")
    }
}
