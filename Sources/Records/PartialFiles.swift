import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The partial files being written right now, so an interrupt (SIGINT, SIGTERM) can remove them before the process
/// exits: after any stop, each output is either its old file or the complete new one, and nothing else is left.
public enum PartialFiles {
  nonisolated(unsafe) private static var paths: Set<String> = []
  private static let lock = NSLockLike()
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

  static func register(_ path: String) { lock.locked { _ = paths.insert(path) } }
  static func unregister(_ path: String) { lock.locked { _ = paths.remove(path) } }

  /// Installs handlers for SIGINT, SIGTERM, SIGHUP (the terminal closed) and SIGPIPE (the reader of our output went
  /// away) that remove every registered partial file, then exit with 128 + signal.
  public static func removeOnInterrupt() {
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler {
        lock.locked { for path in paths { unlink(path) } }
        // On a terminal a progress bar may be showing: the message starts on a cleared line, not after it.
        let clear = isatty(2) != 0 ? "\r\u{1B}[K" : ""
        let message = clear + "uptake: interrupted; partial outputs removed, earlier files left as they were\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        _exit(128 + sig)
      }
      source.resume()
      sources.append(source)
    }
  }
}

/// A pthread mutex (Records does not import Foundation).
final class NSLockLike: @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  init() { pthread_mutex_init(&mutex, nil) }
  deinit { pthread_mutex_destroy(&mutex) }
  func locked<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    return try body()
  }
}
