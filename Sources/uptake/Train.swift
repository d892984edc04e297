import ArgumentParser
import Foundation
import Learn
import Records
import Uptake

extension UptakeCommand {
  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Train a model and save it as a model bundle (JSON).",
      discussion: """
        PATH is a folder of linked records with uptake.yaml, a SQLite file with a config, or one CSV with a row per
        unit (--target and --event name the outcome). Up to 200,000 rows the model is measured on five seeded folds
        of whole families, each predicted by a model fitted on the others, and the model saved is fitted on every
        row (above, a seeded fifth of the families is held out); the summary gives rows used and left out, the
        features, the validation metrics and the time taken.

        Examples:
          uptake train --data demo-data --out model.json
          uptake train --data demo-data --learner logistic --penalty l2 --C 0.5 --out logistic.json
          uptake train --data Benefits.csv --target ui --event no --out benefits.json
          uptake train --data demo-data --monotone imd_decile=decreasing --as-of-before 2024-09-01 --out model.json
        """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var progress: ProgressOptions

    @OptionGroup var flat: FlatFileOptions

    @Option(name: .long, help: "stumps (boosted stumps) or logistic (logistic regression).")
    var learner: LearnerKind = .stumps
    @Option(name: .long, help: "Where to write the model bundle.")
    var out: String = "model.json"
    @Option(name: .long, parsing: .unconditional, help: "Seed for the validation split and the binning sample.")
    var seed: UInt64 = 1
    @Option(
      name: .long, parsing: .unconditional,
      help:
        "Share of families each validation fold holds out (0.2: five folds); above 200,000 rows, the one share held out."
    )
    var validation: Double = 0.2
    @OptionGroup var threading: ThreadOptions
    @Option(
      name: .long,
      help: """
        none, platt or isotonic: calibrate the probabilities on the out-of-fold predictions (above 200,000 rows, \
        the held-out families); score then uses them.
        """)
    var calibration: CalibrationChoice = .none

    @Option(
      name: .long, parsing: .unconditional,
      help: """
        Stumps: most boosting rounds (default: \(ModelTrainer.defaultRounds); cross-validation keeps the round of \
        least out-of-fold loss).
        """)
    var rounds: Int?
    @Option(name: .long, parsing: .unconditional, help: "Stumps: learning rate (default: 0.1).")
    var learningRate: Double?
    @Option(
      name: .long, parsing: .unconditional,
      help: """
        Stumps: models averaged (outer bagging), each on its own 80% of the families; above 1, lists get \
        probability_low and probability_high, explain a range, and reports whiskers on the shapes.
        """)
    var bags: Int?
    @Option(
      name: .long,
      help: "Stumps: greedy (each round the best split of any feature) or cyclic (each feature in turn, as EBM).")
    var boosting: StumpBoost.Boosting?
    @Option(
      name: .long, parsing: .unconditional,
      help: """
        Stumps: up to N pairs of features added as pairwise interactions after the main effects (0–100, default 0), \
        ranked on the residuals (FAST), boosted greedily for at most --rounds rounds chosen on the out-of-fold loss; \
        each is one joint reason on lists. Not with --bags above 1; features under --monotone are never paired.
        """)
    var interactions: Int?
    @Option(name: .long, parsing: .unconditional, help: "Stumps: bins per numeric feature, 2–255 (default: 255).")
    var bins: Int?
    @Option(name: .long, parsing: .unconditional, help: "Stumps: rows needed on each side of a split (default: 20).")
    var minRows: Int?
    @Option(
      name: .long, parsing: .upToNextOption,
      help: "Stumps: shape constraints, FEATURE=increasing or FEATURE=decreasing.")
    var monotone: [String] = []

    @Option(name: .long, help: "Logistic: none, l2 (default), l1 or elasticnet.")
    var penalty: PenaltyChoice?
    @Option(
      name: .customLong("C"), parsing: .unconditional,
      help: """
        Logistic: inverse penalty strength (scikit-learn's C); if not given, chosen from 0.01, 0.1, 1, 10 and 100 by \
        the out-of-fold log loss (1 above 200,000 rows).
        """)
    var c: Double?
    @Option(
      name: .long, parsing: .unconditional, help: "Logistic: the L1 share of an elastic-net penalty (default: 0.5).")
    var l1Ratio: Double?

    func validate() throws {
      if let bins, !(2...255).contains(bins) { throw ValidationError("--bins must be 2 to 255, got \(bins)") }
      try Limits.check(rounds, "--rounds", 1...100_000)
      try Limits.check(bags, "--bags", 1...StumpBoost.Configuration.maxBags)
      try Limits.check(interactions, "--interactions", 0...StumpBoost.Configuration.maxInteractions)
      try Limits.check(minRows, "--min-rows", 1...1_000_000)
      if let learningRate { try Limits.check(learningRate, "--learning-rate", above: 1e-6, atMost: 1) }
      if let l1Ratio, !(l1Ratio >= 0 && l1Ratio <= 1) {
        throw ValidationError("--l1-ratio must be from 0 to 1, got \(l1Ratio)")
      }
      guard validation > 0 && validation < 1 else {
        throw ValidationError("--validation must be between 0 and 1, got \(validation)")
      }
      if let c { try Limits.check(c, "--C", above: 0, atMost: 1e12) }
      _ = try monotoneConstraints()
      // A setting of the other learner would be ignored: refused, never silently dropped.
      let stumpsOnly = [
        ("--rounds", rounds != nil), ("--learning-rate", learningRate != nil), ("--bags", bags != nil),
        ("--boosting", boosting != nil), ("--interactions", interactions != nil), ("--bins", bins != nil),
        ("--min-rows", minRows != nil), ("--monotone", !monotone.isEmpty),
      ]
      let logisticOnly = [("--penalty", penalty != nil), ("--C", c != nil), ("--l1-ratio", l1Ratio != nil)]
      try Self.refuse(
        learner == .stumps ? logisticOnly : stumpsOnly, of: learner == .stumps ? .logistic : .stumps, with: learner)
      if (bags ?? 1) > 1 && (interactions ?? 0) > 0 {
        throw ValidationError("--interactions cannot be combined with --bags above 1 yet; choose one of them")
      }
      if penalty == PenaltyChoice.none, c != nil {
        throw ValidationError("--C is the strength of a penalty, and --penalty none has none; leave one of them out")
      }
      if l1Ratio != nil, penalty != .elasticnet {
        throw ValidationError(
          "--l1-ratio is the L1 share of --penalty elasticnet; add --penalty elasticnet or leave it out")
      }
    }

    /// Refuses the options in `given` (flag, given?) that belong to `owner` when training `learner`.
    static func refuse(_ given: [(String, Bool)], of owner: LearnerKind, with learner: LearnerKind) throws {
      let flags = given.filter(\.1).map(\.0)
      guard let last = flags.last else { return }
      let one = flags.count == 1
      throw ValidationError(
        flags.dropLast().joined(separator: ", ") + (one ? "" : " and ") + last + (one ? " is" : " are") + " for "
          + "\(owner.rawValue); leave " + (one ? "it" : "them") + " out with --learner \(learner.rawValue)")
    }

    func monotoneConstraints() throws -> [String: StumpBoost.Monotonicity] {
      var out: [String: StumpBoost.Monotonicity] = [:]
      for item in monotone {
        let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let m = StumpBoost.Monotonicity(rawValue: parts[1]) else {
          throw ValidationError("--monotone \"\(item)\": expected FEATURE=increasing or FEATURE=decreasing")
        }
        out[parts[0]] = m
      }
      return out
    }

    /// `--calibration`: a method, or none.
    enum CalibrationChoice: String, ExpressibleByArgument, CaseIterable {
      case none, platt, isotonic
      var method: Calibrator.Method? { Calibrator.Method(rawValue: rawValue) }
    }

    /// `--penalty`, with `--C` and `--l1-ratio` completing it.
    enum PenaltyChoice: String, ExpressibleByArgument, CaseIterable {
      case none, l2, l1, elasticnet
      func penalty(c: Double?, l1Ratio: Double) -> Penalty {
        switch self {
        case .none: return .none
        case .l2: return .l2(.C(c ?? 1))
        case .l1: return .l1(.C(c ?? 1))
        case .elasticnet: return .elasticNet(.C(c ?? 1), l1Ratio: l1Ratio)
        }
      }
    }

    func run() throws {
      progress.showing { display in
        let clock = ContinuousClock()
        let began = clock.now
        do {
          try checkOutput(out)
          let loaded = try DataLoader.forTraining(data.request(flat: flat.flatFile))
          for note in loaded.frame.notes { warn(note) }
          if !loaded.frame.protectedFeatures.isEmpty {
            warn(
              FeatureSchema.protectedFeaturesWarning(
                loaded.frame.protectedFeatures, needs: loaded.frame.needReasons, unit: loaded.frame.unit))
          }
          let unknown = try monotoneConstraints().keys.filter { loaded.frame.feature($0) == nil }
          if let name = unknown.first {
            fail(
              "--monotone names \(name), which is not a feature; features: "
                + loaded.frame.features.map(\.name).joined(separator: ", "))
          }
          var report: (@Sendable (Int, Int) -> Void)? = nil
          if let display { report = { done, total in display.update("training", done, of: total) } }
          var options = TrainingOptions(
            learner: learner,
            stumps: .init(
              rounds: rounds ?? ModelTrainer.defaultRounds, learningRate: learningRate ?? 0.1, maxBins: bins ?? 255,
              minRowsPerSide: minRows ?? 20,
              monotone: try monotoneConstraints(), earlyStopping: .init(), bags: bags ?? 1,
              boosting: boosting ?? .greedy, interactions: interactions ?? 0),
            logistic: .init(penalty: (penalty ?? .l2).penalty(c: c, l1Ratio: l1Ratio ?? 0.5)),
            validationFraction: validation,
            seed: seed,
            threads: threading.threads,
            calibration: calibration.method,
            progress: report)
          if c != nil { options.penaltyGrid = nil }
          let bundle = try ModelTrainer.train(loaded, options: options)
          try bundle.save(to: out)
          let t = bundle.training
          let elapsed = (clock.now - began).seconds
          print("trained \(learner.rawValue) on \(t.dataDescription) in \(String(format: "%.2f", elapsed)) s")
          print(
            "  rows:       \(t.rows) used" + (t.rowsLeftOut > 0 ? ", \(t.rowsLeftOut) left out" : ", none left out")
              + "; validated " + t.validationDescription)
          if let refit = bundle.refitSentence { print("  refit:      " + refit) }
          if let search = t.penaltySearchSentence { print("  penalty:    " + search) }
          for line in dataSummary(loaded) { print(line) }
          print("  events:     \(t.events) (\(String(format: "%.1f", 100 * Double(t.events) / Double(t.rows)))%)")
          print("  features:   \(bundle.schema.features.count): " + bundle.schema.names.joined(separator: ", "))
          if case .stumps(let model) = bundle.learner, model.configuration.interactions > 0 {
            let names = model.pairNames
            print(
              "  pairs:      \(names.count) of the \(model.configuration.interactions) asked for"
                + (names.isEmpty ? "" : ": " + names.joined(separator: ", ")))
          }
          print(
            "  validation: AUC \(String(format: "%.3f", t.validation.auc)), log loss "
              + "\(String(format: "%.3f", t.validation.logLoss)), base rate \(String(format: "%.3f", t.validation.baseRate))"
          )
          print(
            "  calibration error: \(String(format: "%.3f", t.validation.calibrationError))"
              + (t.validation.calibratedCalibrationError.map {
                String(format: " (%.3f after %@ calibration, fitted on these rows)", $0, calibration.rawValue)
              } ?? ""))
          for warning in t.warnings { print("  note:       \(warning)") }
          print("wrote \(out)")
        } catch {
          fail("\(error)")
        }
      }
    }
  }
}

extension LearnerKind: ExpressibleByArgument {}
extension StumpBoost.Boosting: ExpressibleByArgument {}
