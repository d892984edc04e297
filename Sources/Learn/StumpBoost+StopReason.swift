extension StumpBoost {
  /// Why boosting ended, typed so that every summary says it one way. A model bundle stores the sentence
  /// (`description`), which decoding reads back: bundles written before the type encode to the same bytes.
  public struct StopReason: Codable, Equatable, Sendable, CustomStringConvertible {
    public enum Cause: Equatable, Sendable {
      /// Every round asked for was trained.
      case allRoundsTrained(rounds: Int)
      /// No split gained more than `minGain` after this many rounds.
      case noGain(afterRounds: Int)
      /// No validation improvement for `patience` rounds.
      case earlyStopping(patience: Int)
      /// The average of `bags` models, which kept `fewest` to `most` rounds (each by early stopping or not).
      case bags(count: Int, fewest: Int, most: Int, earlyStopping: Bool)
    }

    public var cause: Cause
    /// With early stopping, the round of least validation loss kept when it was before the last round trained.
    public var keptBestRound: Int?

    public init(_ cause: Cause, keptBestRound: Int? = nil) {
      self.cause = cause
      self.keptBestRound = keptBestRound
    }

    public var description: String {
      let text: String
      switch cause {
      case .allRoundsTrained(let rounds): text = "all \(rounds) rounds trained"
      case .noGain(let rounds): text = "no split with gain above minGain after \(rounds) rounds"
      case .earlyStopping(let patience): text = "early stopping: no validation improvement for \(patience) rounds"
      case .bags(let count, let fewest, let most, let earlyStopping):
        text =
          "\(count) bags kept \(fewest)–\(most) rounds"
          + (earlyStopping ? " each by early stopping on its own held-out share" : " each")
      }
      return keptBestRound.map { text + "; kept best round \($0)" } ?? text
    }

    /// Reads the sentence `description` writes; anything else is not a stop reason this version wrote.
    public init?(parsing text: String) {
      var body = Substring(text)
      var kept: Int? = nil
      if let range = body.firstRange(of: "; kept best round ") {
        guard let round = Int(body[range.upperBound...]) else { return nil }
        kept = round
        body = body[..<range.lowerBound]
      }
      func number(between prefix: String, and suffix: String) -> Int? {
        guard body.hasPrefix(prefix), body.hasSuffix(suffix), body.count >= prefix.count + suffix.count else {
          return nil
        }
        return Int(body.dropFirst(prefix.count).dropLast(suffix.count))
      }
      if let rounds = number(between: "all ", and: " rounds trained") {
        self.init(.allRoundsTrained(rounds: rounds), keptBestRound: kept)
      } else if let rounds = number(between: "no split with gain above minGain after ", and: " rounds") {
        self.init(.noGain(afterRounds: rounds), keptBestRound: kept)
      } else if let patience = number(between: "early stopping: no validation improvement for ", and: " rounds") {
        self.init(.earlyStopping(patience: patience), keptBestRound: kept)
      } else if kept == nil, let parsed = Self.bags(body) {
        self.init(parsed)
      } else {
        return nil
      }
    }

    /// `N bags kept A–B rounds each[ by early stopping on its own held-out share]`.
    private static func bags(_ text: Substring) -> Cause? {
      let early = " each by early stopping on its own held-out share"
      let earlyStopping = text.hasSuffix(early)
      guard earlyStopping || text.hasSuffix(" each") else { return nil }
      let words = text.dropLast(earlyStopping ? early.count : " each".count).split(separator: " ")
      guard words.count == 5, words[1] == "bags", words[2] == "kept", words[4] == "rounds",
        let count = Int(words[0])
      else { return nil }
      let range = words[3].split(separator: "–")
      guard range.count == 2, let fewest = Int(range[0]), let most = Int(range[1]) else { return nil }
      return .bags(count: count, fewest: fewest, most: most, earlyStopping: earlyStopping)
    }

    public init(from decoder: Decoder) throws {
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let parsed = StopReason(parsing: text) else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: decoder.codingPath, debugDescription: "not a stop reason this version writes"))
      }
      self = parsed
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.singleValueContainer()
      try container.encode(description)
    }
  }
}
