#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way uptake writes a file, so that readers see either the old file or the complete new one and nothing
/// else is touched: the destination is checked (a device, pipe, socket, folder or symbolic link is refused, and so is
/// any file this run read as input), the bytes go to a new partial file beside it with a unique name, created with
/// `O_CREAT | O_EXCL | O_NOFOLLOW` and mode 0600 (a planted file or link there is never followed or reused), which is
/// flushed to disk and renamed into place. While it is written the run holds an advisory lock (`flock`) on a lock
/// file beside the destination (`.NAME.lock`), so a second run writing the same path stops with a clear error
/// instead of racing the first; the lock file is removed when the output is committed or abandoned.
public enum AtomicFile {
  /// Writes `bytes` to `path` whole.
  /// - Throws: `RecordsError.cannotWrite` naming the path and the reason; no partial file is left.
  public static func write<Bytes: Collection>(_ bytes: Bytes, to path: String) throws where Bytes.Element == UInt8 {
    let (file, partial) = try openPartial(for: path)
    let array = Array(bytes)
    let written = array.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    try commit(file, partial: partial, to: path, failed: written != array.count)
  }

  /// Checks `path` as a destination, then creates a new partial file beside it, registered for removal on a signal.
  /// - Throws: `RecordsError.cannotWrite` when the destination is refused or the folder does not take the file.
  public static func openPartial(for path: String) throws -> (file: UnsafeMutablePointer<FILE>, partial: String) {
    try checkDestination(path)
    let lock = try DestinationLock.acquire(for: path)
    do {
      let opened = try createPartial(for: path)
      DestinationLock.hold(lock, until: opened.partial)
      return opened
    } catch {
      lock.release()
      throw error
    }
  }

  /// A new partial file beside `path`, created exclusively (never through a planted link or file).
  private static func createPartial(for path: String) throws -> (file: UnsafeMutablePointer<FILE>, partial: String) {
    for _ in 0..<16 {
      let partial = partialPath(for: path)
      let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      if descriptor < 0 {
        if errno == EEXIST { continue }  // a name taken (by chance or on purpose): draw another
        throw RecordsError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
      }
      guard let file = fdopen(descriptor, "w") else {
        let reason = String(cString: strerror(errno))
        close(descriptor)
        unlink(partial)
        throw RecordsError.cannotWrite(path: path, reason: reason)
      }
      PartialFiles.register(partial)
      return (file, partial)
    }
    throw RecordsError.cannotWrite(path: path, reason: "no unused name for a temporary file beside it")
  }

  /// Flushes the partial file to disk, closes it and renames it over `path`; on any failure removes it.
  public static func commit(
    _ file: UnsafeMutablePointer<FILE>, partial: String, to path: String, failed: Bool = false
  ) throws {
    defer {
      PartialFiles.unregister(partial)
      DestinationLock.release(heldFor: partial)
    }
    let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
    let writeError = failed || ferror(file) != 0 || !flushed
    let reason = String(cString: strerror(errno))
    if fclose(file) != 0 || writeError {
      unlink(partial)
      throw RecordsError.cannotWrite(path: path, reason: writeError ? reason : String(cString: strerror(errno)))
    }
    // Checked again just before the rename: the destination may have been replaced while the data were written.
    do {
      try checkDestination(path)
    } catch {
      unlink(partial)
      throw error
    }
    if rename(partial, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(partial)
      throw RecordsError.cannotWrite(path: path, reason: reason)
    }
  }

  /// Writes `bytes` to `path` whole only if nothing is there yet: the partial file is hard-linked into place, which
  /// fails when the name exists, unlike a rename, which would replace it.
  /// - Returns: false when `path` already existed (nothing written).
  public static func create(_ bytes: [UInt8], at path: String) throws -> Bool {
    let (file, partial) = try openPartial(for: path)
    defer { PartialFiles.unregister(partial) }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    let flushed = written == bytes.count && fflush(file) == 0 && fsync(fileno(file)) == 0
    let reason = String(cString: strerror(errno))
    fclose(file)
    defer {
      unlink(partial)
      DestinationLock.release(heldFor: partial)
    }
    guard flushed else { throw RecordsError.cannotWrite(path: path, reason: reason) }
    if link(partial, path) == 0 { return true }
    if errno == EEXIST { return false }
    throw RecordsError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
  }

  /// Closes and removes a partial file that will not be committed.
  public static func abandon(_ file: UnsafeMutablePointer<FILE>, partial: String) {
    fclose(file)
    unlink(partial)
    PartialFiles.unregister(partial)
    DestinationLock.release(heldFor: partial)
  }

  /// A destination may be a new name or an existing regular file that this run did not read.
  /// - Throws: `RecordsError.refusedOutput` saying what the destination is and what to do.
  public static func checkDestination(_ path: String) throws {
    try DestinationLock.checkPlanted(for: path)
    var status = stat()
    guard lstat(path, &status) == 0 else {  // a new file, in a folder that must exist
      let slash = path.lastIndex(of: "/")
      let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
      var folderStatus = stat()
      if stat(folder, &folderStatus) != 0 || folderStatus.st_mode & S_IFMT != S_IFDIR {
        throw RecordsError.refusedOutput(path: path, reason: "its folder \(folder) does not exist; create it first")
      }
      return
    }
    let refusal: String?
    switch status.st_mode & S_IFMT {
    case S_IFREG:
      refusal =
        InputFiles.contains(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        ? "it is one of this run's inputs, which would be overwritten; choose another output path" : nil
    case S_IFDIR: refusal = "it is a folder; name a file inside it"
    case S_IFLNK: refusal = "it is a symbolic link; name the file itself (uptake does not write through links)"
    case S_IFCHR, S_IFBLK: refusal = "it is a device, not a file; name a regular file"
    case S_IFIFO: refusal = "it is a pipe, not a file; name a regular file"
    case S_IFSOCK: refusal = "it is a socket, not a file; name a regular file"
    default: refusal = "it is not a regular file; name a regular file"
    }
    if let refusal { throw RecordsError.refusedOutput(path: path, reason: refusal) }
  }

  /// `dir/.name.<random>.partial` for `dir/name`: a new name each time, so no other process can prepare it.
  public static func partialPath(for path: String) -> String {
    let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)  // the system's random source
    return hiddenSibling(of: path, suffix: "." + suffix + ".partial")
  }

  /// `dir/.name<suffix>` for `dir/name`.
  static func hiddenSibling(of path: String, suffix: String) -> String {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return directory + "." + name + suffix
  }
}

/// The files this run has read (by device and inode, so another path to the same file is recognised): an output may
/// never replace one of them.
public enum InputFiles {
  nonisolated(unsafe) private static var files: Set<[UInt64]> = []
  private static let lock = NSLockLike()

  /// Remembers the file at `path` (following links) as an input; a path that does not exist is ignored.
  public static func register(_ path: String) {
    var status = stat()
    guard stat(path, &status) == 0 else { return }
    let key = [UInt64(status.st_dev), UInt64(status.st_ino)]
    lock.locked { _ = files.insert(key) }
  }

  /// Whether the file at `path` has been read as an input.
  public static func isRegistered(_ path: String) -> Bool {
    var status = stat()
    guard stat(path, &status) == 0 else { return false }
    return contains(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
  }

  /// Forgets the file at `path` as an input: for a file read only to be replaced on purpose (an append-only ledger).
  public static func release(_ path: String) {
    var status = stat()
    guard stat(path, &status) == 0 else { return }
    let key = [UInt64(status.st_dev), UInt64(status.st_ino)]
    lock.locked { _ = files.remove(key) }
  }

  /// Why the file at `path` cannot be read as an input ("is a pipe, not a file", ...), or nil for a regular file.
  /// Checked before opening: opening a pipe waits for a writer, and a device such as /dev/zero never ends.
  public static func problem(with path: String) -> String? {
    var status = stat()
    guard stat(path, &status) == 0 else { return "cannot be opened (\(String(cString: strerror(errno))))" }
    switch status.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "is a folder, not a file"
    case S_IFIFO: return "is a pipe, not a file (copy it to a file first)"
    case S_IFCHR, S_IFBLK: return "is a device, not a file"
    default: return "is not a regular file"
    }
  }

  static func contains(device: UInt64, inode: UInt64) -> Bool {
    lock.locked { files.contains([device, inode]) }
  }
}
