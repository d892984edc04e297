#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a whole file so that readers see either the old file or the complete new one: the bytes go to a hidden
/// `.NAME.partial` beside the target, which is renamed into place only after a successful write and close.
public enum AtomicFile {
  /// - Throws: `RecordsError.cannotWrite` naming the path and the system's reason; no partial file is left.
  public static func write<Bytes: Collection>(_ bytes: Bytes, to path: String) throws where Bytes.Element == UInt8 {
    let partial = partialPath(for: path)
    guard let file = openPrivate(partial) else {
      throw RecordsError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
    PartialFiles.register(partial)
    defer { PartialFiles.unregister(partial) }
    let array = Array(bytes)
    let written = array.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    let failed = written != array.count || ferror(file) != 0
    if fclose(file) != 0 || failed {
      let reason = String(cString: strerror(errno))
      unlink(partial)
      throw RecordsError.cannotWrite(path: path, reason: reason)
    }
    if rename(partial, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(partial)
      throw RecordsError.cannotWrite(path: path, reason: reason)
    }
  }

  /// Creates (or truncates) `path` readable and writable by its owner only (0600): outputs hold data about families.
  public static func openPrivate(_ path: String) -> UnsafeMutablePointer<FILE>? {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { return nil }
    fchmod(descriptor, 0o600)
    guard let file = fdopen(descriptor, "w") else {
      close(descriptor)
      return nil
    }
    return file
  }

  /// `dir/.name.partial` for `dir/name`.
  public static func partialPath(for path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return directory + "." + name + ".partial"
  }
}
