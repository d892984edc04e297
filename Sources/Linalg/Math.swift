#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// Elementary functions from the C library, so Linalg needs no Foundation.
@usableFromInline func _log(_ x: Double) -> Double { log(x) }
