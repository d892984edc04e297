extension FeatureEngine {
  /// Reads every table of `config` from the folder of `configPath`.
  public static func load(configPath: String) throws -> FeatureEngine {
    try load(config: ProjectConfig.load(path: configPath), configPath: configPath)
  }

  /// Reads every table of an already parsed `config`; CSV files are taken relative to the folder of `configPath`.
  /// `extraColumns` are read too (beyond what the features use), e.g. a column to group a contact list by.
  public static func load(
    config: ProjectConfig, configPath: String, extraColumns: [ProjectConfig.ColumnRef] = []
  ) throws -> FeatureEngine {
    let resolve = { (file: String) in ProjectConfig.resolve(file, configPath: configPath) }
    // Every table must fit together: check the total before reading any.
    try MemoryBudget.check(
      config.tables.compactMap { spec in
        spec.file.map { file in
          let width = max(1, config.headers[spec.name]?.count ?? 1)
          return (resolve(file), Double(config.usedColumns(of: spec.name).count) / Double(width))
        }
      })
    var tables: [String: Table] = [:]
    for spec in config.tables {
      if let file = spec.file {
        let wanted = config.usedColumns(of: spec.name).union(
          extraColumns.filter { $0.table == spec.name }.map(\.column))
        tables[spec.name] = try TableReader.read(
          path: resolve(file), types: spec.types, columns: wanted, settings: spec.read,
          exactCase: config.keyColumns(of: spec.name), sheet: spec.sheet)
      } else {
        tables[spec.name] = try Trace.stage("read table \(spec.name)") {
          try SQLiteReader.read(
            database: resolve(config.database!), table: spec.sqliteTable!, types: spec.types, settings: spec.read,
            exactCase: config.keyColumns(of: spec.name))
        }
      }
    }
    return FeatureEngine(config: config, tables: tables)
  }
}
