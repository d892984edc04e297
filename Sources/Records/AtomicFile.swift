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
    guard let file = fopen(partial, "w") else {
      throw RecordsError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
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

  /// `dir/.name.partial` for `dir/name`.
  public static func partialPath(for path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return directory + "." + name + ".partial"
  }
}
