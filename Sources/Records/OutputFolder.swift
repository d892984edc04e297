#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Folders uptake writes into (a report, a synthetic council, a pseudonymised copy): made with mode 0700, and, when
/// they exist already, real folders. A link planted at `report/figures` would otherwise send the figures wherever it
/// points; a file there would be an error only after other files were written.
public enum OutputFolder {
  /// Makes `path` (and any missing folders above it), or checks that it is a real folder.
  /// - Throws: `RecordsError.refusedOutput` for a link or a non-folder, `cannotCreateDirectory` when it cannot be made.
  public static func make(_ path: String) throws {
    var status = stat()
    if lstat(path, &status) == 0 {
      switch status.st_mode & S_IFMT {
      case S_IFDIR: return
      case S_IFLNK:
        throw RecordsError.refusedOutput(
          path: path, reason: "it is a symbolic link; uptake writes only into real folders (name the folder itself)")
      default:
        throw RecordsError.refusedOutput(path: path, reason: "it is not a folder; name a folder to write into")
      }
    }
    let slash = path.lastIndex(of: "/")
    if let slash, slash != path.startIndex {
      let parent = String(path[..<slash])
      if stat(parent, &status) != 0 { try make(parent) }
    }
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw RecordsError.cannotCreateDirectory(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// Checks every file that is about to be written, so that a refused one stops the run before any is written.
  /// Before a long run: a report folder that exists already must be a real folder, and `files` in it (and its
  /// `figures/`) writable destinations, so that a planted link stops the run at once rather than after the work.
  /// A folder that does not exist yet is made when the report is written.
  public static func checkBeforeWork(_ folder: String, files: [String]) throws {
    var status = stat()
    guard lstat(folder, &status) == 0 else { return }
    try make(folder)
    try checkDestinations(files.map { folder + "/" + $0 })
    if lstat(folder + "/figures", &status) == 0 { try make(folder + "/figures") }
  }

  public static func checkDestinations(_ paths: [String]) throws {
    for path in paths { try AtomicFile.checkDestination(path) }
  }
}
