import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Pseudonymise: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Replace identifiers with keyed tokens in a CSV file or a folder of linked records.",
      discussion: """
        Each value of the named columns becomes p + 32 hex digits of HMAC-SHA256 under a secret key, the same in
        every file, so links between tables still join. Without the key a token cannot be turned back into an id.
        The key file is created (256 random bits, mode 0600) when it does not exist; keep it away from the
        analysts who receive the output, and never commit it. Every value is trimmed of surrounding spaces before it
        is hashed or copied, and keeps its letter case unless --fold-case; missing markers (NA, N/A, NULL, - …) become
        empty. A column named in --columns that no file has stops the run before anything is written.

        Examples:
          uptake pseudonymise --data council --columns child_id family_id --key-file ~/uptake.key --out council-p
          uptake pseudonymise --data extract.csv --columns nhs_number --key-file ~/uptake.key --out extract-p.csv
        """
    )

    @Option(name: .long, help: "A CSV file, or a folder of CSV files (with uptake.yaml, which is copied).")
    var data: String
    @Option(name: .long, parsing: .upToNextOption, help: "Identifier columns to replace (space- or comma-separated).")
    var columns: [String]
    @Option(name: .long, help: "The secret key (created when missing).")
    var keyFile: String
    @Option(name: .long, help: "Where to write: a file for a file, a folder for a folder.")
    var out: String
    @Flag(name: .long, help: "Ids differing only in letter case (C1, c1) get one token (default: case kept).")
    var foldCase = false

    var columnSet: Set<String> {
      Set(
        columns.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter {
          !$0.isEmpty
        })
    }

    func validate() throws {
      guard !columnSet.isEmpty else { throw ValidationError("--columns needs at least one column name") }
      let a = URL(fileURLWithPath: data).standardizedFileURL.path,
        b = URL(fileURLWithPath: out).standardizedFileURL.path
      guard a != b else { throw ValidationError("--out must differ from --data: inputs are never overwritten") }
      // The key is the secret: never overwritten by the output, and never inside what is handed on or read.
      let key = URL(fileURLWithPath: keyFile).standardizedFileURL.path
      guard key != b && key != a else {
        throw ValidationError("--key-file must differ from --data and --out: the key is never overwritten or copied")
      }
      for (folder, flag) in [(a, "--data"), (b, "--out")] where key.hasPrefix(folder + "/") {
        throw ValidationError(
          "--key-file \(keyFile) is inside the \(flag) folder, so it would be read or handed on with the data; keep "
            + "the key elsewhere (e.g. ~/uptake.key)")
      }
    }

    func run() throws {
      do {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isFolder) else {
          fail("\(data) does not exist; pass a CSV file or a folder of CSV files")
        }
        // Every input and column is checked before the key is made and anything is written: a mistyped column must
        // never produce a full copy with the real ids in it.
        let inputs =
          isFolder.boolValue
          ? try FileManager.default.contentsOfDirectory(atPath: data).sorted().filter { $0.hasSuffix(".csv") }
            .map { data + "/" + $0 } : [data]
        if isFolder.boolValue {
          // Only CSV files are rewritten: anything else would be left behind, unpseudonymised (a workbook may hold
          // the real ids) and missing from the copy its uptake.yaml describes.
          let others = try FileManager.default.contentsOfDirectory(atPath: data).sorted().filter {
            !$0.hasSuffix(".csv") && $0 != "uptake.yaml" && !$0.hasPrefix(".")
          }
          if !others.isEmpty {
            fail(
              "\(data) holds files pseudonymise does not rewrite: \(others.prefix(5).joined(separator: ", "))"
                + (others.count > 5 ? " and \(others.count - 5) more" : "") + "; it reads and writes CSV only — "
                + "export workbooks as CSV and move other files out of the folder; nothing was written")
          }
        }
        let headers = try inputs.flatMap { try TableReader.header(path: $0) }
        if let name = columnSet.sorted().first(where: { !headers.contains($0) }) {
          fail(
            "no file in \(data) has a column \(name)"
              + (nearest(name, in: Array(Set(headers))).map { "; did you mean \($0)?" } ?? "")
              + "; nothing was written")
        }
        // The outputs too: a refused destination found after the key was made would leave a new key behind.
        for input in inputs { InputFiles.register(input) }
        InputFiles.register(keyFile)  // an existing key is an input: no output may replace it
        if isFolder.boolValue {
          // The folder is made (or checked to be a real folder) first, so every file in it can be checked.
          try OutputFolder.make(out)
          let copies = inputs + (FileManager.default.fileExists(atPath: data + "/uptake.yaml") ? ["uptake.yaml"] : [])
          try OutputFolder.checkDestinations(copies.map { out + "/" + ($0 as NSString).lastPathComponent })
        } else {
          try AtomicFile.checkDestination(out)
        }
        let (key, created) = try KeyFile.loadOrCreate(keyFile)
        if created { print("created key file \(keyFile) (mode 0600); keep it secret and keep it safe") }
        var pseudonymiser = Pseudonymiser(key: key)
        pseudonymiser.foldCase = foldCase
        var results: [Pseudonymiser.FileResult] = []
        if isFolder.boolValue {
          let names = try FileManager.default.contentsOfDirectory(atPath: data).sorted()
          for name in names where name.hasSuffix(".csv") {
            results.append(try pseudonymiser.rewrite(csv: data + "/" + name, to: out + "/" + name, columns: columnSet))
          }
          if names.contains("uptake.yaml") {
            try AtomicFile.write(
              Array(try Data(contentsOf: URL(fileURLWithPath: data + "/uptake.yaml"))), to: out + "/uptake.yaml")
          }
        } else {
          results.append(try pseudonymiser.rewrite(csv: data, to: out, columns: columnSet))
        }
        for r in results {
          print(
            "  \(r.output): \(r.rows) rows"
              + (r.columns.isEmpty ? ", copied" : ", pseudonymised " + r.columns.joined(separator: ", ")))
        }
        print("wrote \(out)")
      } catch {
        fail("\(error)")
      }
    }
  }
}
