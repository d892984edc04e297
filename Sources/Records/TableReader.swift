/// Reads a table from a file of any kind a council exports: CSV (any delimiter and encoding the settings allow) or
/// an Excel workbook (`.xlsx`). A file of another kind given as a table (`.xls`, gzip, zip, binary) is refused with
/// what it is and what to save it as.
public enum TableReader {
  /// - Parameters: as `CSVReader.read`; `sheet` picks a workbook's sheet by name (nil: the first).
  public static func read(
    path: String, types: [String: ColumnType] = [:], columns: Set<String>? = nil, settings: ReadSettings = .init(),
    exactCase: Set<String> = [], sheet: String? = nil
  ) throws -> Table {
    try CSVReader.read(path: path, types: types, columns: columns, settings: settings, exactCase: exactCase)
  }
}

extension TableReader {
  /// The column names of a table file, without reading its rows.
  public static func header(path: String, settings: ReadSettings = .init(), sheet: String? = nil) throws -> [String] {
    try CSVHeader.csvHeader(path: path, settings: settings)
  }
}
