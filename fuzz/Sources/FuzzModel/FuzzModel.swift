import Foundation
import Records
import Uptake

/// Model bundles, two ways. Raw bytes (first byte even) must load or throw a `ModelFileError`. Otherwise the input is
/// a list of edits applied to a valid bundle from `fuzz/seeds/` (a table cut short, an index moved, a key dropped, a
/// number made huge), after which the checksum is recomputed, as a tamperer would: such a bundle must either be
/// refused on load or score every row of a frame of its own shape to a finite probability in [0, 1] and explain it.
/// A checksum is not validation; this target checks the validation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let mode = bytes.first, mode % 2 == 1 else {
    _ = try? ModelBundle.load(data: Data(bytes), path: "fuzz.json")
    return 0
  }
  let seeds = BundleSeeds.all
  var model = seeds[Int(mode / 2) % seeds.count]
  var edits = BundleEdits(bytes.dropFirst())
  while let edit = edits.next() { model = edit.applied(to: model) }
  guard let bundle = BundleSeeds.rechecksummed(model) else { return 0 }
  checkScoring(bundle)
  return 0
}

/// Loading succeeded: scoring a frame of the bundle's shape must give finite probabilities or a clear error.
func checkScoring(_ bundle: ModelBundle) {
  let loaded = LoadedData(
    frame: FuzzFrame.matching(bundle.schema), source: bundle.source, leftOut: 0, leftOutReason: nil,
    description: "fuzz frame", idName: "id")
  guard let scored = try? ScoredData(bundle: bundle, data: loaded) else { return }
  for p in scored.probabilities where !(p.isFinite && p >= 0 && p <= 1) {
    fatalError("a loaded bundle scored a probability of \(p)")
  }
  for row in 0..<loaded.frame.rowCount {
    let explanation = Explanation(scored, row: row)
    guard explanation.probability.isFinite, explanation.items.allSatisfy({ $0.logOdds.isFinite }) else {
      fatalError("a loaded bundle explained row \(row) with a non-finite number")
    }
    _ = explanation.text
  }
  // A modifiable feature is re-scored at its common value; that may fail with a clear error, never a crash.
  _ = try? ContactList(scored, options: ContactListOptions(capacity: 3, reasons: 3))
}

/// The valid bundles edits start from, as JSON trees.
enum BundleSeeds {
  /// `fuzz/seeds/*.json` (or `$UPTAKE_FUZZ_SEEDS`), read once: the model part of each envelope.
  nonisolated(unsafe) static let all: [Any] = {
    let folder = ProcessInfo.processInfo.environment["UPTAKE_FUZZ_SEEDS"] ?? "fuzz/seeds"
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }
    let models = names.sorted().compactMap { name -> Any? in
      guard let data = FileManager.default.contents(atPath: folder + "/" + name),
        let envelope = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
      else { return nil }
      return envelope["model"]
    }
    if models.isEmpty { fatalError("no seed bundles in \(folder); run from the repository's root") }
    return models
  }()

  /// The edited model in an envelope with its checksum recomputed, loaded as `uptake` loads a file; nil when it is
  /// no longer a bundle or is refused (both fine).
  static func rechecksummed(_ model: Any) -> ModelBundle? {
    guard JSONSerialization.isValidJSONObject(model),
      let modelData = try? JSONSerialization.data(withJSONObject: model),
      let decoded = try? JSONCoding.decoder().decode(ModelBundle.self, from: modelData),
      let checksum = try? decoded.checksum
    else { return nil }
    let envelope: [String: Any] = [
      "format": ModelBundle.format, "schemaVersion": ModelBundle.schemaVersion, "checksum": checksum, "model": model,
    ]
    guard let data = try? JSONSerialization.data(withJSONObject: envelope) else { return nil }
    return try? ModelBundle.load(data: data, path: "fuzz.json")
  }
}
