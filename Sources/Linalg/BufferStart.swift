extension UnsafeBufferPointer {
  /// The first element's address, also for an empty buffer, whose `baseAddress` may be nil: then an aligned address
  /// that is never read, since every loop over an empty buffer runs zero times (and BLAS reads nothing for a length of
  /// zero). In place of `baseAddress!`, which traps on an empty array.
  @inlinable
  public var start: UnsafePointer<Element> { baseAddress ?? UnsafePointer(neverReadAddress(Element.self)) }
}

extension UnsafeMutableBufferPointer {
  /// The first element's address, also for an empty buffer (see `UnsafeBufferPointer.start`).
  @inlinable
  public var start: UnsafeMutablePointer<Element> { baseAddress ?? neverReadAddress(Element.self) }
}

/// A non-null address aligned for `T`, for views of nothing: never dereferenced.
@inlinable
func neverReadAddress<T>(_: T.Type) -> UnsafeMutablePointer<T> {
  guard let address = UnsafeMutablePointer<T>(bitPattern: MemoryLayout<T>.alignment) else {
    preconditionFailure("an alignment is never zero")
  }
  return address
}
