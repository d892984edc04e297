#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An advisory lock that one run holds on an output path while it writes it, so that a second run writing the same
/// path at the same time fails at once with a clear error rather than racing the first (the last rename would
/// silently win). It covers the writing only: two runs one after the other both succeed, the later file whole.
///
/// The lock is `flock` on `dir/.NAME.lock`, a file that is never written. The holder removes the file before it lets
/// go, so a run that opened the old file just before must check, once locked, that the path still names the file it
/// locked; otherwise it starts again with the new one. A run killed outright leaves an empty lock file, which the next
/// run simply reuses.
struct DestinationLock {
  let descriptor: Int32
  let path: String

  /// Takes the lock for the output `destination`.
  /// - Throws: `RecordsError.refusedOutput` when another process holds it, `cannotWrite` when the lock file cannot be
  ///   made (a link, pipe or folder planted at its name is refused, never followed or opened for reading).
  static func acquire(for destination: String) throws -> DestinationLock {
    let path = AtomicFile.hiddenSibling(of: destination, suffix: ".lock")
    for _ in 0..<16 {
      let descriptor = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
      guard descriptor >= 0 else {
        let reason = errno == ELOOP ? "a symbolic link is planted at \(path)" : String(cString: strerror(errno))
        throw RecordsError.cannotWrite(path: destination, reason: "cannot make its lock file: \(reason)")
      }
      var opened = stat()
      guard fstat(descriptor, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG else {
        close(descriptor)
        throw RecordsError.cannotWrite(
          path: destination, reason: "its lock file \(path) is not a regular file; remove it")
      }
      if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
        let busy = errno == EWOULDBLOCK
        let reason = String(cString: strerror(errno))
        close(descriptor)
        if busy {
          throw RecordsError.refusedOutput(
            path: destination,
            reason: "another run is writing it right now; wait for that run to finish, or choose another output path")
        }
        throw RecordsError.cannotWrite(path: destination, reason: "cannot lock it: \(reason)")
      }
      // The holder before us may have removed the file between our open and our lock: then lock the new one.
      var named = stat()
      if lstat(path, &named) == 0 && named.st_dev == opened.st_dev && named.st_ino == opened.st_ino {
        PartialFiles.register(path)  // removed on an interrupt like the partial file
        return DestinationLock(descriptor: descriptor, path: path)
      }
      close(descriptor)
    }
    throw RecordsError.cannotWrite(path: destination, reason: "its lock file keeps changing; try again")
  }

  /// Refuses a destination whose lock file's name holds something other than a regular file (a link or a pipe
  /// planted there), before any work is done; `acquire` checks again as it opens the file.
  static func checkPlanted(for destination: String) throws {
    let path = AtomicFile.hiddenSibling(of: destination, suffix: ".lock")
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    switch status.st_mode & S_IFMT {
    case S_IFREG: return
    case S_IFLNK:
      throw RecordsError.cannotWrite(
        path: destination, reason: "cannot make its lock file: a symbolic link is planted at \(path)")
    default:
      throw RecordsError.cannotWrite(
        path: destination, reason: "its lock file \(path) is not a regular file; remove it")
    }
  }

  /// Removes the lock file, then lets go of the lock (in that order, see the type's comment).
  func release() {
    unlink(path)
    PartialFiles.unregister(path)
    close(descriptor)
  }

  // MARK: Locks held while a partial file is open

  nonisolated(unsafe) private static var held: [String: DestinationLock] = [:]
  private static let heldLock = NSLockLike()

  /// Keeps `lock` until the partial file `partial` is committed or abandoned.
  static func hold(_ lock: DestinationLock, until partial: String) {
    heldLock.locked { held[partial] = lock }
  }

  /// Releases the lock kept for `partial`, if any.
  static func release(heldFor partial: String) {
    let lock = heldLock.locked { held.removeValue(forKey: partial) }
    lock?.release()
  }
}
