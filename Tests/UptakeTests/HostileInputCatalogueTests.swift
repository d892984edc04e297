import Foundation
import Testing

/// The hostile-input catalogue: outputs aimed at links, pipes, devices and inputs; inputs that are not files; numbers
/// and dates past every limit; non-finite data; tampered model bundles; personal data where it must not go; broken
/// configs; and pseudonymisation misused. Each case is checked by `HostileCatalogue.check` against the same rules.
@Suite("Hostile-input catalogue")
struct HostileInputCatalogueTests {
  @Test("every case ends cleanly, names what is wrong, touches nothing and prints no personal value", arguments: all)
  func hostile(_ c: HostileCase) throws {
    try HostileCatalogue.check(c)
  }

  @Test("the catalogue covers every area with at least 150 cases")
  func coverage() {
    let counts = Dictionary(grouping: Self.all, by: \.area).mapValues(\.count)
    #expect(Self.all.count >= 150, "\(Self.all.count) cases")
    for area in HostileCase.Area.allCases { #expect((counts[area] ?? 0) >= 5, "\(area): \(counts[area] ?? 0)") }
    #expect(Set(Self.all.map(\.testDescription)).count == Self.all.count, "case names repeat")
  }

  static let all: [HostileCase] =
    outputs + inputs + numbers + nonFinite + dates + bundles + privacy + config + pseudonymise + foundInTrial

  // MARK: Outputs

  /// Commands that write one file, with `OUT` for the output path.
  static let writers: [(String, [String])] = [
    ("score", ["score", "--model", "DIR/m.json", "--data", "DIR/in.csv", "--out", "OUT"]),
    ("train", ["train", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out", "OUT"]),
    (
      "features", ["features", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out", "OUT"]
    ),
    ("explain", ["explain", "--model", "DIR/m.json", "--data", "DIR/in.csv", "--id", "P3", "--out", "OUT"]),
    (
      "pseudonymise",
      ["pseudonymise", "--data", "DIR/in.csv", "--columns", "id", "--key-file", "DIR/k.key", "--out", "OUT"]
    ),
  ]

  /// Destinations that must be refused: the extra files, the output path, and the error.
  static let destinations: [(String, [String: HostileCase.Entry], String, String)] = [
    (
      "a link to another file", ["victim.txt": .text("VICTIM"), "o.csv": .link("DIR/victim.txt")], "DIR/o.csv",
      "it is a symbolic link"
    ),
    ("a dangling link", ["o.csv": .link("DIR/nowhere.csv")], "DIR/o.csv", "it is a symbolic link"),
    ("a pipe", ["o.csv": .fifo], "DIR/o.csv", "it is a pipe, not a file"),
    ("a folder", ["o.csv": .folder], "DIR/o.csv", "it is a folder"),
    ("/dev/null", [:], "/dev/null", "it is a device, not a file"),
    ("the data it reads", [:], "DIR/in.csv", "it is one of this run's inputs"),
    ("a hard link to the data", ["same.csv": .hardLink("in.csv")], "DIR/same.csv", "it is one of this run's inputs"),
    ("the data by a path with ..", ["sub": .folder], "DIR/sub/../in.csv", "it is one of this run's inputs"),
    ("a folder that does not exist", [:], "DIR/nosuch/o.csv", "DIR/nosuch/o.csv"),
    (
      "a link planted at its lock file", ["victim.txt": .text("VICTIM"), ".o.csv.lock": .link("DIR/victim.txt")],
      "DIR/o.csv", "a symbolic link is planted at"
    ),
    ("a pipe planted at its lock file", [".o.csv.lock": .fifo], "DIR/o.csv", "is not a regular file; remove it"),
  ]

  static let outputs: [HostileCase] = {
    var cases: [HostileCase] = []
    for (command, arguments) in writers {
      for (name, extra, out, var expected) in destinations {
        // pseudonymise compares its two paths before it reads anything.
        if command == "pseudonymise" && out.hasSuffix("in.csv") { expected = "--out must differ from --data" }
        // pseudonymise reads only its data; a key file beside it is an input too, tested in its own area.
        cases.append(
          HostileCase(
            area: .outputs, name: "\(command) --out \(name)",
            files: HostileCase.standardFiles.merging(extra) { $1 },
            arguments: arguments.map { $0 == "OUT" ? out : $0 }, expected: [expected]))
      }
    }
    for command in ["score", "explain"] {
      let arguments = writers.first { $0.0 == command }!.1
      cases.append(
        HostileCase(
          area: .outputs, name: "\(command) --out its own model", files: HostileCase.standardFiles,
          arguments: arguments.map { $0 == "OUT" ? "DIR/m.json" : $0 }, expected: ["it is one of this run's inputs"]))
    }
    return cases
  }()

  // MARK: Inputs that are not files

  static let notFiles: [(String, [String: HostileCase.Entry], String)] = [
    ("a pipe", ["p.csv": .fifo], "is not a regular file"),
    ("a device", [:], "is not a regular file"),
    ("a link to a pipe", ["p0": .fifo, "p.csv": .link("DIR/p0")], "is not a regular file"),
    ("a missing file", [:], "does not exist"),
    ("an empty file", ["p.csv": .text("")], "is empty"),
    ("gzip data", ["p.csv": .bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3])], "is gzip-compressed"),
    (
      "an .xls workbook", ["p.csv": .bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])],
      "is an Excel 97–2003 workbook"
    ),
    ("binary data", ["p.csv": .bytes([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 0])], "is not a text file"),
    (
      "a zip archive", ["p.csv": .bytes([0x50, 0x4B, 0x05, 0x06] + Array(repeating: 0, count: 18))],
      "is a zip archive, not a workbook"
    ),
  ]

  static let inputs: [HostileCase] = {
    var cases: [HostileCase] = []
    for (name, extra, expected) in notFiles {
      let path = name == "a device" ? "/dev/zero" : "DIR/p.csv"
      cases.append(
        HostileCase(
          area: .inputs, name: "train --data \(name)", files: HostileCase.standardFiles.merging(extra) { $1 },
          arguments: ["train", "--data", path, "--target", "y", "--event", "yes", "--out", "DIR/out.csv"],
          expected: [expected]))
      cases.append(
        HostileCase(
          area: .inputs, name: "score --data \(name)", files: HostileCase.standardFiles.merging(extra) { $1 },
          arguments: ["score", "--model", "DIR/m.json", "--data", path, "--out", "DIR/out.csv"], expected: [expected]))
    }
    let models: [(String, [String: HostileCase.Entry], String, String)] = [
      ("a pipe", ["mm.json": .fifo], "DIR/mm.json", "is a pipe, not a file"),
      ("a device", [:], "/dev/zero", "is a device, not a file"),
      ("a folder", ["mm.json": .folder], "DIR/mm.json", "is a folder, not a file"),
      ("a missing file", [:], "DIR/mm.json", "cannot be opened"),
    ]
    for (name, extra, path, expected) in models {
      cases.append(
        HostileCase(
          area: .inputs, name: "score --model \(name)", files: HostileCase.standardFiles.merging(extra) { $1 },
          arguments: ["score", "--model", path, "--data", "DIR/in.csv", "--out", "DIR/out.csv"],
          expected: ["model \(path.replacingOccurrences(of: "DIR", with: "DIR")) \(expected)"]))
    }
    let council: [String: HostileCase.Entry] = [
      "kids.csv": .text("kid,due\nK1,2024-01-05\n"), "out.csv": .text("OLD"),
    ]
    for (name, extra, path, expected) in [
      ("a pipe", ["c.yaml": HostileCase.Entry.fifo], "DIR/c.yaml", "is a pipe, not a file"),
      ("a device", [:], "/dev/zero", "is a device, not a file"),
      ("a folder", ["c.yaml": .folder], "DIR/c.yaml", "is a folder, not a file"),
    ] {
      cases.append(
        HostileCase(
          area: .inputs, name: "features --config \(name)", files: council.merging(extra) { $1 },
          arguments: ["features", "--data", "DIR", "--config", path, "--out", "DIR/out.csv"],
          expected: ["the config \(path) \(expected)"]))
    }
    cases.append(
      HostileCase(
        area: .inputs, name: "--config given with one CSV file", files: HostileCase.standardFiles,
        arguments: [
          "score", "--model", "DIR/m.json", "--data", "DIR/in.csv", "--config", "DIR/u.yaml", "--out",
          "DIR/out.csv",
        ],
        expected: ["--config DIR/u.yaml is for linked records"]))
    cases.append(
      HostileCase(
        area: .inputs, name: "--data - with nothing piped in", files: HostileCase.standardFiles,
        arguments: ["score", "--model", "DIR/m.json", "--data", "-", "--out", "DIR/out.csv"],
        expected: ["standard input is empty"], input: ""))
    cases.append(
      HostileCase(
        area: .inputs, name: "--data - with gzip piped in", files: HostileCase.standardFiles,
        arguments: ["score", "--model", "DIR/m.json", "--data", "-", "--out", "DIR/out.csv"],
        expected: ["standard input is not a text file"], input: "\u{1F}\u{0}\u{0}"))
    return cases
  }()

  // MARK: Numbers past their limits

  static let numbers: [HostileCase] = {
    let train = [
      "train", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out",
      "DIR/out.csv",
    ]
    let score = ["score", "--model", "DIR/m.json", "--data", "DIR/in.csv", "--out", "DIR/out.csv"]
    let evaluate = ["evaluate", "--model", "DIR/m.json", "--data", "DIR/in.csv", "--report", "DIR/rep"]
    let options: [([String], [String], String)] = [
      (train, ["--threads", "0"], "--threads must be from 1 to 256"),
      (train, ["--threads", "-1"], "--threads"),
      (train, ["--threads", "99999999999999999999"], "--threads"),
      (train, ["--rounds", "0"], "--rounds must be from 1 to 100000"),
      (train, ["--rounds", "9223372036854775807"], "--rounds must be from 1 to 100000"),
      (train, ["--rounds", "-5"], "--rounds"),
      (train, ["--learning-rate", "0"], "--learning-rate must be above"),
      (train, ["--learning-rate", "nan"], "--learning-rate"),
      (train, ["--learning-rate", "inf"], "--learning-rate"),
      (train, ["--learning-rate", "1e400"], "--learning-rate"),
      (train, ["--learning-rate", "-0.1"], "--learning-rate"),
      (train, ["--min-rows", "0"], "--min-rows must be from 1 to 1000000"),
      (train, ["--min-rows", "1000000000000"], "--min-rows must be from 1 to 1000000"),
      (train, ["--bags", "0"], "--bags must be from 1 to 100"),
      (train, ["--bags", "101"], "--bags must be from 1 to 100"),
      (train, ["--learner", "logistic", "--bags", "8"], "--bags is for stumps"),
      (train, ["--learner", "logistic", "--boosting", "cyclic"], "--boosting is for stumps"),
      (
        train, ["--learner", "logistic", "--interactions", "3", "--bags", "2"],
        "--bags and --interactions are for stumps"
      ),
      (train, ["--interactions", "3", "--bags", "2"], "--interactions cannot be combined with --bags"),
      (train, ["--interactions", "500"], "--interactions must be from 0 to 100"),
      (train, ["--learner", "logistic", "--C", "0"], "--C must be above 0.0"),
      (train, ["--learner", "logistic", "--C", "nan"], "--C"),
      (train, ["--learner", "logistic", "--C", "-1"], "--C"),
      (train, ["--learner", "logistic", "--l1-ratio", "2"], "--l1-ratio must be from 0 to 1"),
      (train, ["--learner", "logistic", "--l1-ratio=-0.5"], "--l1-ratio must be from 0 to 1"),
      (score, ["--capacity", "0"], "--capacity must be from 1 to 10000000"),
      (score, ["--capacity", "100000000000000000000"], "--capacity"),
      (score, ["--reasons=-1"], "--reasons"),
      (evaluate, ["--bootstrap", "1000000000"], "--bootstrap must be from 50 to 100000"),
      (evaluate, ["--capacity", "-3"], "--capacity"),
    ]
    var cases = options.map { base, extra, expected in
      HostileCase(
        area: .numbers, name: (base[0]) + " " + extra.joined(separator: " "), files: HostileCase.standardFiles,
        arguments: base + extra, expected: [expected])
    }
    for (extra, expected) in [
      (["--children", "5000000000000000000"], "--children must be from 1 to 10000000"),
      (["--children", "0"], "--children must be from 1 to 10000000"),
      (["--children", "-7"], "--children"),
      (["--seed", "-1"], "--seed"),
    ] {
      cases.append(
        HostileCase(
          area: .numbers, name: "synth " + extra.joined(separator: " "), files: ["out.csv": .text("OLD")],
          arguments: ["synth", "--out", "DIR/council", "--quiet"] + extra, expected: [expected]))
    }
    cases.append(
      HostileCase(
        area: .numbers, name: "demo --children 99999999", files: ["out.csv": .text("OLD")],
        arguments: ["demo", "--children", "99999999", "--out", "DIR/demo"], expected: ["--children must be from 2000"]))
    return cases
  }()

  // MARK: Non-finite values in numeric data

  static let nonFinite: [HostileCase] = {
    var cases: [HostileCase] = []
    // NaN is a missing marker by default (as pandas writes a missing value), so it is not among them.
    for value in ["inf", "-inf", "+inf", "Infinity", "-Infinity", "nan", "-nan", "1e999", "-1e999", "1e309"] {
      var text = "id,x,c,y\n"
      for i in 0..<60 {
        text += "P\(i),\(i == 17 ? value : String(i % 7)),\(["a", "b"][i % 2]),\(i % 3 == 0 ? "yes" : "no")\n"
      }
      let files = HostileCase.standardFiles.merging(["bad.csv": .text(text)]) { $1 }
      cases.append(
        HostileCase(
          area: .nonFinite, name: "train on x = \(value)", files: files,
          arguments: [
            "train", "--data", "DIR/bad.csv", "--target", "y", "--event", "yes", "--id", "id", "--out",
            "DIR/out.csv",
          ],
          expected: ["line 19", "column x"]))
      cases.append(
        HostileCase(
          area: .nonFinite, name: "score x = \(value)", files: files,
          arguments: ["score", "--model", "DIR/m.json", "--data", "DIR/bad.csv", "--out", "DIR/out.csv"],
          expected: ["line 19", "column x"]))
    }
    return cases
  }()

  // MARK: Dates and ids past their limits

  static let dates: [HostileCase] = {
    var cases: [HostileCase] = []
    let council: [String: HostileCase.Entry] = [
      "kids.csv": .text("kid,due\nK1,2024-01-05\nK2,2024-02-05\n"), "out.csv": .text("OLD"),
      "uptake.yaml": .text(
        """
        version: 1
        tables:
          kids: { file: kids.csv, key: kid }
        population: { table: kids }
        id: kid
        as_of: { column: due }
        features:
          - { name: due_month, column: kids.due, aggregation: age_in_months }

        """),
    ]
    for value in ["0000-01-01", "10000-01-01", "2024-02-30", "-1", "2024-13-01", "01/02/2024", ""] {
      for flag in ["--as-of", "--data-until"] {
        cases.append(
          HostileCase(
            area: .dates, name: "features \(flag) \"\(value)\"", files: council,
            arguments: ["features", "--data", "DIR", flag + "=" + value, "--out", "DIR/out.csv"],
            expected: [value.isEmpty ? "Missing value for '\(flag)" : "\(flag) \"\(value)\" is not a date"]))
      }
    }
    for (value, expected) in [
      ("9999-12-01", "--start 9999-12-01 is too late"), ("0000-06-01", "is not a date"),
      ("2024-02-30", "is not a date"),
    ] {
      cases.append(
        HostileCase(
          area: .dates, name: "synth --start \(value)", files: ["out.csv": .text("OLD")],
          arguments: ["synth", "--out", "DIR/c", "--quiet", "--start", value], expected: [expected]))
    }
    for (day, expected) in [
      ("0000-03-01", "line 2, column due"), ("10000-01-01", "line 2"), ("2023-02-29", "line 2, column due"),
    ] {
      var files = council
      files["kids.csv"] = .text("kid,due\nK1,\(day)\nK2,2024-02-05\n")
      cases.append(
        HostileCase(
          area: .dates, name: "a due date of \(day) in the data", files: files,
          arguments: ["features", "--data", "DIR", "--out", "DIR/out.csv"], expected: [expected]))
    }
    return cases
  }()

  // MARK: Tampered model bundles

  static let bundles: [HostileCase] = {
    let score = ["score", "--model", "DIR/mm.json", "--data", "DIR/in.csv", "--out", "DIR/out.csv"]
    let raw: [(String, HostileCase.Entry, String)] = [
      ("an empty file", .text(""), "is not valid JSON"),
      ("a truncated file", .bytes(Array(HostileCatalogue.model.prefix(500))), "is not valid JSON"),
      ("a CSV file", .flatData, "is not valid JSON"),
      ("JSON of another kind", .text("{\"format\": \"other\"}"), "is not an uptake model"),
      (
        "a future schema version", .text("{\"format\": \"uptake-model\", \"schemaVersion\": 99}"),
        "has schema version 99"
      ),
      ("no schema version", .text("{\"format\": \"uptake-model\"}"), "has no schemaVersion"),
      (
        "an edited intercept", .changedModel({ m in HostileCatalogue.stumps(&m) { b in b["intercept"] = 3.0 } }),
        "fails its checksum"
      ),
      (
        "an edited reason",
        .changedModel({ m in
          var schema = m["schema"] as! [String: Any]; var f = schema["features"] as! [[String: Any]]
          f[0]["reason"] = "call {value} now"; schema["features"] = f; m["schema"] = schema
        }), "fails its checksum"
      ),
      (
        "a model part that does not decode",
        .text(
          "{\"format\": \"uptake-model\", \"schemaVersion\": 1, \"checksum\": \"x\", \"model\": {}}"), "is damaged"
      ),
    ]
    var cases = raw.map { name, entry, expected in
      HostileCase(
        area: .bundles, name: name, files: HostileCase.standardFiles.merging(["mm.json": entry]) { $1 },
        arguments: score, expected: [expected])
    }
    let edits: [(String, @Sendable (inout [String: Any]) -> Void, String)] = [
      (
        "a table cut short",
        { m in
          HostileCatalogue.stumps(&m) { b in
            var t = b["tables"] as! [[Double]]; t[0].removeLast(); b["tables"] = t
          }
        },
        "entries for"
      ),
      (
        "a table removed",
        { m in
          HostileCatalogue.stumps(&m) { b in
            var t = b["tables"] as! [[Double]]; t.removeLast(); b["tables"] = t
          }
        },
        "tables for"
      ),
      (
        "a NaN in a table",
        { m in
          HostileCatalogue.stumps(&m) { b in
            var t = b["tables"] as! [[Any]]; t[0][0] = "nan"; b["tables"] = t
          }
        },
        "holds a non-finite number"
      ),
      (
        "an infinite intercept", { m in HostileCatalogue.stumps(&m) { b in b["intercept"] = "inf" } },
        "the intercept is not a finite"
      ),
      (
        "a non-monotone calibration",
        { m in
          m["calibration"] = ["isotonic": ["margins": [0.0, 1.0], "probabilities": [0.9, 0.1]]]
        }, "isotonic calibration"
      ),
      (
        "a calibration above 1",
        { m in
          m["calibration"] = ["isotonic": ["margins": [0.0, 1.0], "probabilities": [0.1, 7.0]]]
        }, "isotonic calibration"
      ),
      (
        "an empty schema",
        { m in
          var schema = m["schema"] as! [String: Any]; schema["features"] = [Any](); m["schema"] = schema
        },
        "the schema lists no feature"
      ),
      (
        "two features of one name",
        { m in
          var schema = m["schema"] as! [String: Any]; var f = schema["features"] as! [[String: Any]]
          f[1]["name"] = f[0]["name"]; schema["features"] = f; m["schema"] = schema
        }, "two features share a name"
      ),
      (
        "300 bins",
        { m in
          HostileCatalogue.stumps(&m) { b in
            var bins = b["binnings"] as! [[String: Any]]
            bins[0]["kind"] = ["numeric": ["upperEdges": (0..<300).map(Double.init)]]
            b["binnings"] = bins
            var t = b["tables"] as! [[Double]]; t[0] = Array(repeating: 0, count: 302); b["tables"] = t
          }
        },
        "bins (at most 256)"
      ),
      (
        "bin edges out of order",
        { m in
          HostileCatalogue.stumps(&m) { b in
            var bins = b["binnings"] as! [[String: Any]]
            bins[0]["kind"] = ["numeric": ["upperEdges": [3.0, 1.0, 2.0]]]
            b["binnings"] = bins
            var t = b["tables"] as! [[Double]]; t[0] = Array(repeating: 0, count: 5); b["tables"] = t
          }
        },
        "bin edges are not finite and increasing"
      ),
    ]
    for (name, edit, expected) in edits {
      cases.append(
        HostileCase(
          area: .bundles, name: "re-checksummed: \(name)",
          files: HostileCase.standardFiles.merging(["mm.json": .editedModel(edit)]) { $1 }, arguments: score,
          expected: ["is not a valid model", expected]))
    }
    return cases
  }()

  // MARK: Personal data

  static let personalColumns = [
    "home_address", "email_address", "mobile_number", "mothers_name", "given_name", "surname", "postcode", "dob",
    "nhs_no", "upn", "ni_number", "first_name", "date_of_birth", "phone", "address_line_1", "parent_name",
  ]

  static let privacy: [HostileCase] = {
    var cases: [HostileCase] = []
    let values = [
      "home_address": "12 Mill Lane", "email_address": "olivia.jones@example.org", "mobile_number": "07700 900123",
      "mothers_name": "Olivia Jones", "given_name": "Olivia", "surname": "Jones", "postcode": "LS1 4AP",
      "dob": "2021-03-04", "nhs_no": "943 476 0008", "upn": "A123456789012", "ni_number": "QQ123456C",
      "first_name": "Olivia", "date_of_birth": "2021-03-04", "phone": "07700 900123", "address_line_1": "12 Mill Lane",
      "parent_name": "Olivia Jones",
    ]
    for column in personalColumns {
      let value = values[column]!
      var text = "id,x,\(column),y\n"
      for i in 0..<60 { text += "P\(i),\(i % 7),\(i % 2 == 0 ? value : "Amy Smith"),\(i % 3 == 0 ? "yes" : "no")\n" }
      cases.append(
        HostileCase(
          area: .privacy, name: "a \(column) column given as a feature",
          files: ["p.csv": .text(text), "out.csv": .text("OLD")],
          arguments: [
            "train", "--data", "DIR/p.csv", "--target", "y", "--event", "yes", "--id", "id", "--keep", column,
            "--out", "DIR/out.csv",
          ],
          expected: [column], personal: [value, "Amy Smith"]))
    }
    // Columns whose names give nothing away, recognised by their values (six distinct values each).
    for (column, values) in [
      ("x7", ["olivia.jones@example.org"] + (1...5).map { "parent\($0)@example.org" }),
      ("contact", ["07700 900123"] + (1...5).map { "07700 90045\($0)" }),
      ("pc", ["LS1 4AP", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX"]),
      ("ref", ["943 476 0008", "401 023 2137", "4010232137", "9434765919", "943 476 5870", "401 023 2145"]),
    ] {
      var text = "id,x,\(column),y\n"
      for i in 0..<60 { text += "P\(i),\(i % 7),\(values[i % values.count]),\(i % 3 == 0 ? "yes" : "no")\n" }
      cases.append(
        HostileCase(
          area: .privacy, name: "a column \(column) holding personal values",
          files: ["p.csv": .text(text), "out.csv": .text("OLD")],
          arguments: [
            "train", "--data", "DIR/p.csv", "--target", "y", "--event", "yes", "--id", "id", "--out",
            "DIR/out.csv",
          ],
          expected: ["column \(column) holds what look like"], personal: values))
    }
    var withDob = "id,x,dob,y\n"
    for i in 0..<60 { withDob += "P\(i),\(i % 7),2021-03-04,\(i % 3 == 0 ? "yes" : "no")\n" }
    cases.append(
      HostileCase(
        area: .privacy, name: "score --by dob",
        files: HostileCase.standardFiles.merging(["d.csv": .text(withDob)]) { $1 },
        arguments: [
          "score", "--model", "DIR/m.json", "--data", "DIR/d.csv", "--by", "dob", "--capacity", "3", "--out",
          "DIR/out.csv",
        ],
        expected: ["dob"]))
    var duplicateIds = "nhs_number,x,y\n"
    for i in 0..<60 {
      duplicateIds += "\(i < 2 ? "943 476 0008" : "100 000 \(1000 + i)"),\(i % 7),\(i % 3 == 0 ? "yes" : "no")\n"
    }
    cases.append(
      HostileCase(
        area: .privacy, name: "a repeated NHS number as the id",
        files: ["p.csv": .text(duplicateIds), "out.csv": .text("OLD")],
        arguments: [
          "train", "--data", "DIR/p.csv", "--target", "y", "--event", "yes", "--id", "nhs_number", "--out",
          "DIR/out.csv",
        ],
        expected: ["appears 2 times"]))
    cases.append(
      HostileCase(
        area: .privacy, name: "a bad date of birth in the data",
        files: ["p.csv": .text("id,date_of_birth,y\nP1,2021-03-04,yes\nP2,31/02/2021,no\n"), "out.csv": .text("OLD")],
        arguments: ["features", "--data", "DIR/p.csv", "--target", "y", "--event", "yes", "--out", "DIR/out.csv"],
        expected: ["column date_of_birth", "value withheld"], personal: ["31/02/2021"]))
    let homes = "home,parent_name,address\nH1,Olivia Jones,3\nH2,Amy Smith,5\n"
    let kids = "kid,home,due,dob\nK1,H1,2024-01-05,2021-03-04\nK2,H2,2024-02-05,2022-02-05\n"
    func council(_ extra: String) -> [String: HostileCase.Entry] {
      [
        "kids.csv": .text(kids), "homes.csv": .text(homes), "out.csv": .text("OLD"),
        "uptake.yaml": .text(
          """
          version: 1
          tables:
            kids: { file: kids.csv, key: kid }
            homes: { file: homes.csv, key: home }
          links:
            - { from: kids.home, to: homes.home }
          population: { table: kids }
          id: kid
          as_of: { column: due, offset_days: -30 }
          \(extra)

          """),
      ]
    }
    for (name, extra, expected) in [
      (
        "a feature taking a parent's name", "features:\n  - { name: carer, column: homes.parent_name }",
        "feature carer takes column parent_name, which looks like personal data"
      ),
      ("a feature taking an address", "features:\n  - { name: where, column: homes.address }", "address"),
      (
        "a date of birth declared protected",
        "protected: [dob]\nfeatures:\n  - { name: age, aggregation: age_in_months, column: kids.dob }",
        "protected column dob, which looks like personal data"
      ),
    ] {
      cases.append(
        HostileCase(
          area: .privacy, name: "config: \(name)", files: council(extra),
          arguments: ["features", "--data", "DIR", "--out", "DIR/out.csv"], expected: [expected],
          personal: ["Amy Smith", "2022-02-05"]))
    }
    cases.append(
      HostileCase(
        area: .privacy, name: "a data file given as the config",
        files: council("features:\n  - { name: n, table: homes, aggregation: count }").merging([
          "notes.csv": .text("kid,name,dob,note\nK1,Olivia Jones,2021-03-04,\"said: no: never\"\n")
        ]) { $1 },
        arguments: ["features", "--data", "DIR", "--config", "DIR/notes.csv", "--out", "DIR/out.csv"],
        expected: ["is this the config?"], personal: ["never"]))
    return cases
  }()

  // MARK: Config

  static let config: [HostileCase] = {
    func council(_ yaml: String) -> [String: HostileCase.Entry] {
      [
        "kids.csv": .text("kid,due\nK1,2024-01-05\nK2,2024-02-05\n"),
        "visits.csv": .text("kid,day\nK1,2023-12-01\nK2,2023-11-01\n"), "out.csv": .text("OLD"),
        "uptake.yaml": .text(yaml),
      ]
    }
    func yaml(_ features: String, asOf: String = "{ column: due }", tables: String = "") -> String {
      """
      version: 1
      tables:
        kids: { file: kids.csv, key: kid }
        visits: { file: visits.csv, event_time: day }
      \(tables)
      links:
        - { from: visits.kid, to: kids.kid }
      population: { table: kids }
      id: kid
      as_of: \(asOf)
      features:
        \(features)

      """
    }
    let cases: [(String, String, String)] = [
      (
        "last_days near Int64.max",
        yaml("- { name: v, table: visits, aggregation: count, last_days: 9223372036854775807 }"),
        "last_days"
      ),
      ("last_days negative", yaml("- { name: v, table: visits, aggregation: count, last_days: -5 }"), "last_days"),
      (
        "offset_days near Int64.min",
        yaml(
          "- { name: v, table: visits, aggregation: count }",
          asOf: "{ column: due, offset_days: -9223372036854775808 }"), "offset_days"
      ),
      (
        "offset_days of 1e19",
        yaml(
          "- { name: v, table: visits, aggregation: count }",
          asOf: "{ column: due, offset_days: 1e19 }"), "offset_days"
      ),
      ("a feature from an unknown table", yaml("- { name: v, table: nosuch, aggregation: count }"), "nosuch"),
      (
        "an unknown aggregation", yaml("- { name: v, table: visits, aggregation: median_of_everything }"),
        "median_of_everything"
      ),
      ("an unknown key", yaml("- { name: v, table: visits, aggregation: count, colour: red }"), "colour"),
      (
        "a table outside the data folder",
        yaml(
          "- { name: v, table: visits, aggregation: count }",
          tables: "  other: { file: ../../etc/passwd }"), "other"
      ),
      (
        "a table at an absolute path",
        yaml(
          "- { name: v, table: visits, aggregation: count }",
          tables: "  other: { file: /etc/passwd }"), "other"
      ),
      (
        "a table that is a pipe",
        yaml(
          "- { name: v, table: visits, aggregation: count }",
          tables: "  other: { file: p.csv }"), "p.csv"
      ),
      ("tabs and broken YAML", "version: 1\ntables:\n\t kids: [\n", "uptake.yaml"),
      ("an empty config", "", "uptake.yaml"),
      (
        "a version from the future",
        yaml("- { name: v, table: visits, aggregation: count }")
          .replacingOccurrences(of: "version: 1", with: "version: 99"), "version"
      ),
      // Found by `make fuzz`: YAML 1.1 reads `1:30` as base 60, and Yams trapped when the number overflowed.
      (
        "a version in base 60 that overflows",
        "version: 1333333333333333333:3333333\ntables:\n  kids: { file: kids.csv }\n", "version must be 1"
      ),
      (
        "last_days in base 60",
        yaml("- { name: v, table: visits, aggregation: count, window: { last_days: 1:30 } }"), "must be a whole number"
      ),
    ]
    return cases.map { name, text, expected in
      var files = council(text)
      if name == "a table that is a pipe" { files["p.csv"] = .fifo }
      return HostileCase(
        area: .config, name: name, files: files, arguments: ["features", "--data", "DIR", "--out", "DIR/out.csv"],
        expected: [expected])
    }
  }()

  // MARK: Pseudonymise

  static let pseudonymise: [HostileCase] = {
    let base = ["pseudonymise", "--data", "DIR/in.csv", "--out", "DIR/out.csv"]
    let cases: [(String, [String: HostileCase.Entry], [String], String)] = [
      ("a mistyped column", [:], ["--columns", "iid", "--key-file", "DIR/k.key"], "iid"),
      (
        "a key file that is a link", ["victim.txt": .text("VICTIM"), "k.key": .link("DIR/victim.txt")],
        ["--columns", "id", "--key-file", "DIR/k.key"], "k.key"
      ),
      ("a key file that is a pipe", ["k.key": .fifo], ["--columns", "id", "--key-file", "DIR/k.key"], "k.key"),
      ("a key file that is a folder", ["k.key": .folder], ["--columns", "id", "--key-file", "DIR/k.key"], "k.key"),
      (
        "a key file that is too short", ["k.key": .text("abc\n")], ["--columns", "id", "--key-file", "DIR/k.key"],
        "k.key"
      ),
      ("a key file in a missing folder", [:], ["--columns", "id", "--key-file", "DIR/nosuch/k.key"], "nosuch"),
      (
        "a data file that is a pipe", ["in.csv": .fifo], ["--columns", "id", "--key-file", "DIR/k.key"],
        "is not a regular file"
      ),
    ]
    return cases.map { name, extra, arguments, expected in
      HostileCase(
        area: .pseudonymise, name: name, files: HostileCase.standardFiles.merging(extra) { $1 },
        arguments: base + arguments, expected: [expected])
    }
  }()

  // MARK: Found by a hostile trial of the command line

  static let foundInTrial: [HostileCase] = {
    var cases: [HostileCase] = []
    let evaluate = [
      "evaluate", "--model", "DIR/m.json", "--data", "DIR/in.csv", "--bootstrap", "50", "--report", "DIR/r",
    ]
    cases.append(
      HostileCase(
        area: .outputs, name: "evaluate --report whose figures folder is a link elsewhere",
        files: HostileCase.standardFiles.merging(["elsewhere": .folder, "r/figures": .link("DIR/elsewhere")]) { $1 },
        arguments: evaluate, expected: ["r/figures: it is a symbolic link"]))
    cases.append(
      HostileCase(
        area: .outputs, name: "evaluate --report with a link planted at report.md",
        files: HostileCase.standardFiles.merging([
          "victim.txt": .text("VICTIM"), "r": .folder, "r/report.md": .link("DIR/victim.txt"),
        ]) { $1 }, arguments: evaluate, expected: ["r/report.md: it is a symbolic link"]))
    cases.append(
      HostileCase(
        area: .outputs, name: "evaluate --report naming a file",
        files: HostileCase.standardFiles.merging(["r": .text("not a folder")]) { $1 }, arguments: evaluate,
        expected: ["r: it is not a folder"]))
    cases.append(
      HostileCase(
        area: .outputs, name: "synth into a folder with a link planted at uptake.yaml",
        files: [
          "out.csv": .text("OLD"), "victim.txt": .text("VICTIM"), "c": .folder,
          "c/uptake.yaml": .link("DIR/victim.txt"),
        ],
        arguments: ["synth", "--out", "DIR/c", "--children", "50", "--quiet"],
        expected: ["c/uptake.yaml: it is a symbolic link"]))
    let pseudonymise = ["pseudonymise", "--data", "DIR/in.csv", "--columns", "id"]
    cases.append(
      HostileCase(
        area: .pseudonymise, name: "the key file named as the output",
        files: HostileCase.standardFiles.merging(["k.key": .text(String(repeating: "ab", count: 32) + "\n")]) { $1 },
        arguments: pseudonymise + ["--key-file", "DIR/k.key", "--out", "DIR/k.key"],
        expected: ["--key-file must differ from --data and --out"]))
    cases.append(
      HostileCase(
        area: .pseudonymise, name: "the key file inside the data folder",
        files: ["d/in.csv": .flatData, "out.csv": .text("OLD")],
        arguments: [
          "pseudonymise", "--data", "DIR/d", "--columns", "id", "--key-file", "DIR/d/k.key", "--out", "DIR/o",
        ],
        expected: ["is inside the --data folder"]))
    cases.append(
      HostileCase(
        area: .pseudonymise, name: "the key file inside the output folder",
        files: ["d/in.csv": .flatData, "out.csv": .text("OLD")],
        arguments: [
          "pseudonymise", "--data", "DIR/d", "--columns", "id", "--key-file", "DIR/o/k.key", "--out", "DIR/o",
        ],
        expected: ["is inside the --out folder"]))
    // Personal data under innocent names, found by value.
    var nhs = "id,x,ref,y\n"
    let numbers = ["4010232137", "9434765919", "4010232145", "9434765870", "4010232153", "9434765862"]
    for i in 0..<60 { nhs += "P\(i),\(i % 7),\(numbers[i % 6]),\(i % 3 == 0 ? "yes" : "no")\n" }
    cases.append(
      HostileCase(
        area: .privacy, name: "NHS numbers written as whole numbers in a column ref",
        files: ["p.csv": .text(nhs), "out.csv": .text("OLD")],
        arguments: [
          "train", "--data", "DIR/p.csv", "--target", "y", "--event", "yes", "--id", "id", "--out", "DIR/out.csv",
        ],
        expected: ["column ref holds what look like NHS numbers"], personal: numbers))
    let first = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Grace", "Freya", "Ella"]
    let last = ["Jones", "Smith", "Khan", "Patel", "Brown", "Taylor", "Wilson", "Evans"]
    var names = "id,x,x9,y\n"
    for i in 0..<80 { names += "P\(i),\(i % 7),\(first[i % 10]) \(last[(i / 10) % 8]),\(i % 3 == 0 ? "yes" : "no")\n" }
    cases.append(
      HostileCase(
        area: .privacy, name: "names in a column x9",
        files: ["p.csv": .text(names), "out.csv": .text("OLD")],
        arguments: [
          "train", "--data", "DIR/p.csv", "--target", "y", "--event", "yes", "--id", "id", "--keep", "x9",
          "--out", "DIR/out.csv",
        ],
        expected: ["column x9 holds what look like people's names"], personal: ["Olivia Jones", "Amelia Jones"]))
    var emails = "id,x,x7,y\n"
    for i in 0..<60 { emails += "P\(i),\(i % 7),parent\(i)@example.org,\(i % 3 == 0 ? "yes" : "no")\n" }
    cases.append(
      HostileCase(
        area: .privacy, name: "e-mail addresses as the outcome column, with an event it never holds",
        files: ["p.csv": .text(emails), "out.csv": .text("OLD")],
        arguments: ["train", "--data", "DIR/p.csv", "--target", "x7", "--event", "nobody", "--out", "DIR/out.csv"],
        expected: ["column x7 never holds nobody; its values are withheld (60 distinct values"],
        personal: ["parent1@example.org", "parent2@example.org"]))
    cases.append(
      HostileCase(
        area: .privacy, name: "score --by the id column",
        files: HostileCase.standardFiles,
        arguments: ["score", "--model", "DIR/m.json", "--data", "DIR/in.csv", "--by", "id", "--out", "DIR/out.csv"],
        expected: ["id is the id or family column"]))
    var unique = "id,x,c,y,code\n"
    for i in 0..<60 { unique += "P\(i),\(i % 7),\(["a", "b", "c"][i % 3]),\(i % 3 == 0 ? "yes" : "no"),\(9000 + i)\n" }
    cases.append(
      HostileCase(
        area: .privacy, name: "score --by a column with a value per row",
        files: HostileCase.standardFiles.merging(["u.csv": .text(unique)]) { $1 },
        arguments: ["score", "--model", "DIR/m.json", "--data", "DIR/u.csv", "--by", "code", "--out", "DIR/out.csv"],
        expected: ["column code has a different value on most rows"]))
    // Config tables that escape the folder through links or hide a NUL byte.
    let council: [String: HostileCase.Entry] = [
      "kids.csv": .text("kid,due\nK1,2024-01-05\nK2,2024-02-05\n"), "out.csv": .text("OLD"),
      "outside/secret.csv": .text("kid,note\nK1,Olivia Jones\n"),
    ]
    func yaml(_ table: String) -> String {
      """
      version: 1
      tables:
        kids: { file: kids.csv, key: kid }
        other: { file: \(table) }
      population: { table: kids }
      id: kid
      as_of: { column: due }
      features:
        - { name: n, table: other, aggregation: count }

      """
    }
    for (name, files, table, expected) in [
      (
        "a table file that is a link out of the folder",
        ["d/secret.csv": HostileCase.Entry.link("DIR/outside/secret.csv")],
        "secret.csv", "secret.csv is a link that leads out of the folder"
      ),
      (
        "a table in a subfolder that is a link out of the folder", ["d/sub": .link("DIR/outside")], "sub/secret.csv",
        "sub/secret.csv is a link that leads out of the folder"
      ),
      ("a table name with a NUL byte", [:], "\"kids.csv\\0x\"", "holds a control character"),
    ] {
      var all = council.merging(files) { $1 }
      all["d/kids.csv"] = .text("kid,due\nK1,2024-01-05\nK2,2024-02-05\n")
      all["d/uptake.yaml"] = .text(yaml(table))
      cases.append(
        HostileCase(
          area: .config, name: name, files: all, arguments: ["features", "--data", "DIR/d", "--out", "DIR/out.csv"],
          expected: [expected], personal: ["Olivia Jones"]))
    }
    // Limits on what is held in memory.
    cases.append(
      HostileCase(
        area: .inputs, name: "--data - with more than memory allows piped in", files: HostileCase.standardFiles,
        arguments: ["score", "--model", "DIR/m.json", "--data", "-", "--out", "DIR/out.csv"],
        expected: ["reading standard input would need about"],
        input: "id,x,c\n" + String(repeating: "P1,2,a\n", count: 600_000), environment: ["UPTAKE_MEMORY_LIMIT_MB": "4"])
    )
    // Tampered parts that reports read.
    let edits: [(String, @Sendable (inout [String: Any]) -> Void, String)] = [
      (
        "a training history index far out of range",
        { m in
          HostileCatalogue.stumps(&m) { b in
            var h = b["history"] as! [String: Any]; h["features"] = [99999] + (h["features"] as! [Int])
            b["history"] = h
          }
        }, "training history"
      ),
      (
        "a negative share in the profile",
        { m in
          var profile = m["profile"] as! [String: Any];
          profile["scoreShares"] = [-0.5] + (profile["scoreShares"] as! [Double])
          m["profile"] = profile
        }, "score profile"
      ),
      (
        "a simple rule on an unknown feature",
        { m in
          var rule = m["baselineRule"] as! [String: Any]; rule["feature"] = "nosuch"; m["baselineRule"] = rule
        },
        "the simple rule names an unknown feature"
      ),
      (
        "a NaN importance",
        { m in
          HostileCatalogue.stumps(&m) { b in
            var i = b["importance"] as! [Any]; if i.isEmpty { i = ["nan"] } else { i[0] = "nan" }; b["importance"] = i
          }
        },
        "importance"
      ),
    ]
    for (name, edit, expected) in edits {
      cases.append(
        HostileCase(
          area: .bundles, name: "re-checksummed: \(name)",
          files: HostileCase.standardFiles.merging(["mm.json": .editedModel(edit)]) { $1 },
          arguments: ["score", "--model", "DIR/mm.json", "--data", "DIR/in.csv", "--out", "DIR/out.csv"],
          expected: ["is not a valid model", expected]))
    }
    return cases
  }()
}
