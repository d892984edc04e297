#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard error and the check on standard output at exit. Foundation's `FileHandle.write` traps when the stream
/// cannot take the bytes (`2>/dev/full`, a closed descriptor), so a warning could kill a run that was otherwise fine;
/// here a message that cannot be written is dropped. A lost standard output, by contrast, is the command's answer
/// going missing, so the process exits non-zero.
public enum StandardStreams {
  /// Writes `text` to standard error, whole if it can; errors are ignored.
  public static func writeError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
      if written > 0 {
        offset += written
      } else if written < 0 && errno == EINTR {
        continue
      } else {
        return
      }
    }
  }

  /// At exit, flushes standard output; when that fails (a full disk, a closed descriptor, a reader that went away)
  /// says so on standard error and exits with 1, so that `uptake check > report.txt` on a full disk is no success.
  public static func checkOutputAtExit() {
    atexit {
      // Every stream: Swift's `print` writes through the C library's `stdout`, which Swift 6 will not name. A write
      // that failed earlier fails again here, as the bytes it could not write are still buffered.
      guard fflush(nil) != 0 else { return }
      let reason = String(cString: strerror(errno))
      StandardStreams.writeError("uptake: error: cannot write standard output (\(reason)); the output is incomplete\n")
      _exit(1)
    }
  }
}
