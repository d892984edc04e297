import Foundation
import Records

/// What to read: a flat CSV, a folder of linked records with `uptake.yaml`, or a SQLite file with a config.
public struct DataRequest: Sendable {
  public var path: String
  /// An explicit config file (default: `PATH/uptake.yaml` for a folder, `uptake.yaml` beside a SQLite file).
  public var config: String?
  /// The outcome of a flat file (training).
  public var flat: FlatFile?
  /// One as-of date for everyone, replacing the config's rule.
  public var asOf: Day?
  /// Keep only units whose as-of date is on or after this day…
  public var asOfFrom: Day?
  /// …and before this one: a cohort.
  public var asOfBefore: Day?
  /// Columns passed through beside the features (e.g. `ward`, to split a contact list by).
  public var extras: [String]
  /// The day up to which the records are complete, replacing the config's `data_until:` and the default.
  public var dataUntil: Day?

  public init(
    path: String, config: String? = nil, flat: FlatFile? = nil, asOf: Day? = nil, asOfFrom: Day? = nil,
    asOfBefore: Day? = nil, extras: [String] = [], dataUntil: Day? = nil
  ) {
    self.dataUntil = dataUntil
    self.path = path
    self.config = config
    self.flat = flat
    self.asOf = asOf
    self.asOfFrom = asOfFrom
    self.asOfBefore = asOfBefore
    self.extras = extras
  }

  /// The path as messages name it: "standard input" for `-`.
  public var pathName: String { path == StandardInput.path ? StandardInput.name : path }
}

/// A frame read for training or scoring, with how it was read.
public struct LoadedData: Sendable {
  public var frame: FeatureFrame
  public var source: FrameSource
  /// Rows not used.
  public var leftOut: Int
  /// Why, one part per reason, each starting with its count: "312 whose outcome window is not over by 2024-03-01".
  public var leftOutParts: [String] = []
  /// The parts joined with "; ", as summaries and the training record give them.
  public var leftOutReason: String? { leftOutParts.isEmpty ? nil : leftOutParts.joined(separator: "; ") }
  /// "flat file Benefits.csv", "linked records in demo-data (uptake.yaml)".
  public var description: String
  /// The id column's name in outputs: the config's id, the flat file's `--id`, or `id` for row numbers.
  public var idName: String
  /// The outcome's name in the config (linked records), for the label column of `uptake features`.
  public var outcomeName: String? = nil
  /// The family (group) column's name: the config's `group:` or the flat file's `--group`.
  public var groupName: String? = nil

  public init(
    frame: FeatureFrame, source: FrameSource, leftOut: Int, leftOutReason: String?, description: String,
    idName: String, outcomeName: String? = nil
  ) {
    self.frame = frame
    self.source = source
    self.leftOut = leftOut
    self.leftOutParts = leftOutReason.map { [$0] } ?? []
    self.description = description
    self.idName = idName
    self.outcomeName = outcomeName
  }
}

/// Reads data into feature frames, the same way for training and for scoring with a model's stored source.
public enum DataLoader {
  /// Reads labelled data to train on.
  /// - Throws: `DataError` when the path is unusable or the outcome is not defined; reader and config errors
  ///   (naming file, line and column) as they come.
  public static func forTraining(_ request: DataRequest) throws -> LoadedData {
    let pathKind = try kind(of: request.path)
    switch pathKind {
    case .csv:
      try refuseConfig(request)
      guard let flat = request.flat else {
        throw DataError("\(request.pathName) is one CSV file: name its outcome with --target COL --event VALUE")
      }
      let table = try flat.table(path: request.path)
      var (frame, leftOut) = try Trace.stage("table to frame") { try flat.frame(table) }
      try Trace.stage("unique ids") { try checkUniqueIds(frame, source: request.pathName) }
      frame.notes += identityNotes(id: flat.id, group: flat.group)
      let source = FrameSource.flat(flat)
      try checkExtras(request.extras, identity: [flat.id, flat.group], allowed: Set(flat.personalAllowed))
      let withColumns = try withExtras(frame, flat: flat, request: request)
      try checkExtraValues(withColumns.extras, allowed: Set(flat.personalAllowed))
      var loaded = LoadedData(
        frame: withColumns, source: source, leftOut: 0, leftOutReason: nil,
        description: "flat file \(request.pathName)", idName: flat.id ?? "id")
      loaded.groupName = flat.group
      loaded.leaveOut(leftOut, "whose \(flat.target) is missing")
      return loaded
    case .folder, .sqlite:
      let configPath = self.configPath(request, pathKind)
      try refuseFlatFileOptions(request, configPath: configPath)
      let loaded = try linked(request, pathKind, config: try configText(configPath))
      guard loaded.frame.labels != nil else {
        throw DataError("\(configPath) defines no outcome:, so there is nothing to learn; add one (see the README)")
      }
      return try withKnownOutcomes(restrictedToCohort(loaded, request))
    }
  }

  /// `loaded` without the units whose outcome is not known yet, counted as left out with the end of the data.
  static func withKnownOutcomes(_ loaded: LoadedData) throws -> LoadedData {
    let unknown = loaded.frame.censoredCount
    guard unknown > 0 else { return loaded }
    if unknown == loaded.frame.rowCount {
      throw DataError(
        "no unit has a known outcome: every one of the \(unknown) outcome windows ends after the end of the data, "
          + (loaded.frame.dataUntil?.description ?? "?") + "; set data_until (or --data-until) to the day the extract "
          + "was taken, or choose earlier cohorts")
    }
    var out = loaded
    out.frame = loaded.frame.knownOutcomes
    out.leaveOut(
      unknown,
      "whose outcome window is not over by " + (loaded.frame.dataUntil.map { "\($0.day)" } ?? "the end of the data"))
    return out
  }

  /// Reads data to look at (`uptake features`, `uptake check`): like training, but a config need not define an
  /// outcome, and units whose outcome is not known yet are kept (flagged in `frame.censored`).
  public static func forInspection(_ request: DataRequest) throws -> LoadedData {
    let pathKind = try kind(of: request.path)
    if pathKind == .csv { return try forTraining(request) }
    try refuseFlatFileOptions(request, configPath: configPath(request, pathKind))
    let text = try configText(configPath(request, pathKind))
    return restrictedToCohort(try linked(request, pathKind, config: text), request)
  }

  /// `--target`, `--event`, `--unit` and the rest describe one flat file; for linked records uptake.yaml says all that,
  /// so they would be ignored — an error rather than a silent default.
  static func refuseFlatFileOptions(_ request: DataRequest, configPath: String) throws {
    guard request.flat != nil else { return }
    throw DataError(
      "\(request.pathName) is read as linked records, described by \(configPath); --target, --event, --id, --group, "
        + "--unit and the other flat-file options do not apply to them: say the outcome, id, group and unit in the "
        + "config, or give a CSV or .xlsx file as --data")
  }

  /// The config's text, or an error saying where it was looked for and what to do.
  static func configText(_ configPath: String) throws -> String {
    InputFiles.register(configPath)
    if FileManager.default.fileExists(atPath: configPath), let problem = InputFiles.problem(with: configPath) {
      throw DataError("the config \(configPath) \(problem); name the uptake.yaml file with --config")
    }
    guard let text = try? String(contentsOfFile: configPath, encoding: .utf8) else {
      throw DataError(
        "cannot read the config \(configPath); put uptake.yaml beside the data, pass --config FILE, or draft one "
          + "with uptake init")
    }
    return text
  }

  /// Reads data to score with a model's stored source: every unit is kept, and an outcome, when present, is ignored.
  public static func forScoring(_ request: DataRequest, source: FrameSource) throws -> LoadedData {
    let pathKind = try kind(of: request.path)
    switch (source, pathKind) {
    case (.flatFile, .csv):
      try refuseConfig(request)
      let flat = source.flatFile!
      try checkExtras(request.extras, identity: [flat.id, flat.group], allowed: Set(flat.personalAllowed))
      var frame = try flat.unlabelledFrame(path: request.path, extras: request.extras)
      try checkUniqueIds(frame, source: request.pathName)
      try checkExtraValues(frame.extras, allowed: Set(flat.personalAllowed))
      frame.notes += identityNotes(id: flat.id, group: flat.group)
      var loaded = LoadedData(
        frame: frame, source: source, leftOut: 0, leftOutReason: nil, description: "flat file \(request.pathName)",
        idName: flat.id ?? "id")
      loaded.groupName = flat.group
      return loaded
    case (.linkedRecords(let text), .folder), (.linkedRecords(let text), .sqlite):
      var loaded = try linked(request, pathKind, config: text, withListColumns: true)
      loaded.frame.labels = nil
      return restrictedToCohort(loaded, request)
    case (.flatFile, _):
      throw DataError(
        "the model was trained on one CSV file, but \(request.pathName) is not one; pass a CSV of that shape")
    case (.linkedRecords, .csv):
      throw DataError(
        "the model was trained on linked records, but \(request.pathName) is one CSV file; pass a folder of records "
          + "(or a SQLite file) of the same shape")
    }
  }

  /// Reads labelled data to evaluate a model on, with the model's stored source (its outcome definition).
  /// - Throws: `DataError` when the data do not have the outcome.
  public static func forEvaluation(_ request: DataRequest, source: FrameSource) throws -> LoadedData {
    let pathKind = try kind(of: request.path)
    switch (source, pathKind) {
    case (.flatFile, .csv):
      var flatRequest = request
      flatRequest.flat = source.flatFile
      return try forTraining(flatRequest)
    case (.linkedRecords(let text), .folder), (.linkedRecords(let text), .sqlite):
      let loaded = try linked(request, pathKind, config: text)
      guard loaded.frame.labels != nil else {
        throw DataError("the model's uptake.yaml defines no outcome:, so there is nothing to evaluate against")
      }
      return try withKnownOutcomes(restrictedToCohort(loaded, request))
    default:
      return try forScoring(request, source: source)
    }
  }

  // MARK: Internals

  enum Kind { case csv, folder, sqlite }

  static func kind(of path: String) throws -> Kind {
    if path == StandardInput.path { return .csv }  // CSV piped in
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw DataError("\(path) does not exist; pass a CSV file, a folder with uptake.yaml, or a SQLite file")
    }
    if isDirectory.boolValue { return .folder }
    // Only a regular file is opened here: opening a pipe would wait for a writer. The table reader refuses the rest.
    var status = stat()
    guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return .csv }
    if let handle = FileHandle(forReadingAtPath: path) {
      defer { try? handle.close() }
      let magic = handle.readData(ofLength: 16)
      if magic == Data("SQLite format 3\0".utf8) { return .sqlite }
    }
    return .csv
  }

  /// A config describes linked records; given with one CSV file it would be silently unused, so it is an error.
  static func refuseConfig(_ request: DataRequest) throws {
    guard let config = request.config else { return }
    throw DataError(
      "--config \(config) is for linked records (a folder or SQLite file), but \(request.pathName) is one CSV file, "
        + "described by --target, --id and the reading flags; leave out --config")
  }

  static func configPath(_ request: DataRequest, _ pathKind: Kind) -> String {
    if let config = request.config { return config }
    if pathKind == .folder { return request.path + "/uptake.yaml" }
    return ((request.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("uptake.yaml")
  }

  /// Linked records read with config `text`, taken as if it sat at the request's config path.
  /// `withListColumns` adds the config's `list_columns:` to the requested extras (for contact lists).
  static func linked(
    _ request: DataRequest, _ pathKind: Kind, config text: String, withListColumns: Bool = false
  ) throws -> LoadedData {
    let configPath = configPath(request, pathKind)
    // The config beside the data is part of the input, even when a model's copy is used.
    InputFiles.register(configPath)
    let isSQLite = pathKind == .sqlite
    let config = try ProjectConfig.load(text: text, path: configPath, database: isSQLite ? request.path : nil)
    var names = request.extras
    if withListColumns { names += config.listColumns.filter { !names.contains($0) } }
    try checkExtras(names, identity: [config.id, config.group], allowed: config.personalAllowed)
    let extras = try names.map { name -> ProjectConfig.ColumnRef in
      guard let ref = config.reachableColumn(name) else {
        let reachable =
          ([config.population.table]
          + config.links.filter { $0.from.table == config.population.table }
          .map(\.to.table)).flatMap { config.headers[$0] ?? [] }
        throw DataError(
          "no column \(name) in \(config.population.table) or a table it links to"
            + (nearest(name, in: reachable).map { "; did you mean \($0)?" } ?? "")
            + "; name a column of one of them (e.g. ward), or add a link in \(config.fileName)")
      }
      return ref
    }
    let engine = try FeatureEngine.load(config: config, configPath: configPath, extraColumns: extras)
    try engine.checkOrphans()
    var frame = try engine.frameWithQualityNotes(
      asOf: request.asOf, extras: extras, dataUntil: request.dataUntil, today: .today)
    try checkUniqueIds(frame, source: request.pathName)
    try checkExtraValues(frame.extras, allowed: config.personalAllowed)
    frame.notes += identityNotes(id: config.id, group: config.group, allowed: config.personalAllowed)
    var loaded = LoadedData(
      frame: frame, source: .linkedRecords(config: ProjectConfig.withoutComments(text)), leftOut: 0,
      leftOutReason: nil,
      description: "linked records in \(request.path) (\(configPath))", idName: config.id,
      outcomeName: config.outcome?.name)
    loaded.groupName = config.group
    // A unit seen after the extract was taken would have features computed over a gap with no records.
    if let end = frame.dataUntil {
      let inside = frame.asOf.indices.filter { frame.asOf[$0] <= end.day }
      if inside.isEmpty && !frame.asOf.isEmpty {
        throw DataError(
          "every unit's as-of date is after the end of the data, \(end.description); their features would miss every "
            + "later event: choose an as-of date on or before it, or set data_until to the day the extract was taken")
      }
      if inside.count < frame.rowCount {
        loaded.frame = frame.selecting(inside)
        loaded.leaveOut(
          frame.rowCount - inside.count, "whose as-of date is after the end of the data (\(end.day)): no records yet")
      }
    }
    return loaded
  }

  /// Every unit must have its own id, or contact lists and explanations would be ambiguous.
  /// The id itself is not printed: ids may be NHS numbers or e-mail addresses.
  static func checkUniqueIds(_ frame: FeatureFrame, source: String) throws {
    if let (id, count) = frame.duplicateId {
      let rows = frame.ids.indices.filter { frame.ids[$0] == id }.prefix(2).map { String($0 + 1) }
      throw DataError(
        "an id appears \(count) times in \(source) (units \(rows.joined(separator: " and ")) in reading order; the value "
          + "is withheld); ids must be unique — remove the duplicate rows, or name another id column")
    }
  }

  /// Ids go into contact lists and explanations: one named like personal data (an NHS number, an e-mail address)
  /// is said, so that it is pseudonymised first (`uptake pseudonymise`) unless the council means it to be there.
  static func identityNotes(id: String?, group: String?, allowed: Set<String> = []) -> [String] {
    [("id", id), ("family (group)", group)].compactMap { role, column in
      guard let column, PersonalData.isSensitive(column: column), !allowed.contains(column) else { return nil }
      return "the \(role) column \(column) looks like personal data, and its values go into contact lists and "
        + "explanations; pseudonymise it first (uptake pseudonymise), or allow it: personal: { allow: [\(column)] }"
    }
  }

  /// A column asked for beside the features goes into contact lists: never a personal-data column.
  static func checkExtras(_ extras: [String], identity: [String?] = [], allowed: Set<String> = []) throws {
    if let name = extras.first(where: { identity.contains($0) }) {
      throw DataError(
        "\(name) is the id or family column; a list or report is split or labelled by a group such as ward, and "
          + "ids are written in their own column already")
    }
    if let name = extras.first(where: { PersonalData.isSensitive(column: $0) && !allowed.contains($0) }) {
      throw DataError(
        "\(name) looks like personal data (a name, date of birth, contact detail or identifier) and would be written "
          + "into the output; split or label the list by another column (e.g. ward)")
    }
  }

  /// A column passed through into an output whose values look like personal data (e-mail addresses in `contact`),
  /// whatever its name, is refused like one named so.
  static func checkExtraValues(_ extras: [Column], allowed: Set<String>) throws {
    for column in extras where !allowed.contains(column.name) {
      guard let problem = PersonalValues.problem(with: column) ?? Self.identifierLike(column) else { continue }
      throw DataError(
        "column \(column.name) \(problem) and would be written into the output; split or label the list by another "
          + "column (e.g. ward), or allow it if they are not personal data")
    }
  }

  /// "has a different value on most rows, like an identifier" for a column of at least 50 distinct values, most on
  /// one row only: such a column would label each family by itself, not by a group.
  static func identifierLike(_ column: Column) -> String? {
    var counts: [String: Int] = [:]
    for text in column.texts(Array(0..<column.values.count)) where !text.isEmpty { counts[text, default: 0] += 1 }
    guard let (single, present) = PersonalValues.mostlyUnique(counts: counts.values, distinct: counts.count) else {
      return nil
    }
    return "has a different value on most rows (\(single) of \(present)), like an identifier,"
  }

  /// A flat training frame with the requested extra columns.
  static func withExtras(_ frame: FeatureFrame, flat: FlatFile, request: DataRequest) throws -> FeatureFrame {
    guard !request.extras.isEmpty else { return frame }
    let table = try flat.table(path: request.path)
    let all = try flat.unlabelledFrame(table, extras: request.extras)
    let target = table[flat.target]!.texts(Array(0..<table.rowCount))
    let kept = (0..<table.rowCount).filter { !target[$0].isEmpty }
    var out = frame
    out.extras = all.extras.map { $0.subset(kept) }
    return out
  }

  /// `loaded` with only the units of the requested cohort, counting the others as left out.
  static func restrictedToCohort(_ loaded: LoadedData, _ request: DataRequest) -> LoadedData {
    var out = loaded
    let (frame, outside) = cohort(loaded.frame, request)
    out.frame = frame
    out.leaveOut(outside, "whose as-of date is outside the cohort asked for")
    return out
  }

  /// The frame's units whose as-of date lies in the requested cohort, and how many fell outside it.
  static func cohort(_ frame: FeatureFrame, _ request: DataRequest) -> (FeatureFrame, Int) {
    guard request.asOfFrom != nil || request.asOfBefore != nil, !frame.asOf.isEmpty else { return (frame, 0) }
    let rows = frame.asOf.indices.filter { i in
      (request.asOfFrom.map { frame.asOf[i] >= $0 } ?? true) && (request.asOfBefore.map { frame.asOf[i] < $0 } ?? true)
    }
    return (frame.selecting(rows), frame.rowCount - rows.count)
  }
}

extension LoadedData {
  /// Counts `count` more rows as left out for `reason` ("whose ui is missing").
  public mutating func leaveOut(_ count: Int, _ reason: String) {
    guard count > 0 else { return }
    leftOut += count
    leftOutParts.append("\(count) \(reason)")
  }
}

/// The data cannot be read as asked; the message says what to do.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
