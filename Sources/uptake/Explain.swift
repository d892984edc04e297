import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Explain one child's or family's score: every feature's value and exact contribution.",
      discussion: """
        Shows the probability, the baseline, and each feature's value, its contribution to the log-odds and its
        effect on the probability, largest first. The contributions add up exactly to the unit's log-odds.

        Examples:
          uptake explain --model model.json --data next-term --id C10000123
          uptake explain --model benefits.json --data Benefits.csv --id 17 --format json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: "The model bundle from `uptake train`.")
    var model: String
    @OptionGroup var data: DataOptions
    @Option(name: .long, help: "The unit's id (for a flat file without an id column, its 1-based data-row number).")
    var id: String
    @Option(name: .long, help: "text or json.")
    var format: Format = .text

    func run() throws {
      do {
        let bundle = try ModelBundle.load(path: model)
        let loaded = try DataLoader.forScoring(data.request(), source: bundle.source)
        guard let row = loaded.frame.ids.firstIndex(of: id) else {
          fail(
            "no unit with \(loaded.idName) \(id) in \(data.data); check the id (ids are the \(loaded.idName) column"
              + (loaded.idName == "id" ? ", here 1-based data-row numbers" : "") + ")")
        }
        let scored = try ScoredData(bundle: bundle, data: loaded.selectingRows([row]))
        for note in scored.notes { warn(note) }
        let explanation = Explanation(scored, row: 0)
        print(format == .json ? explanation.json : explanation.text)
      } catch {
        fail("\(error)")
      }
    }
  }
}

extension LoadedData {
  /// The rows `rows` only.
  func selectingRows(_ rows: [Int]) -> LoadedData {
    var copy = self
    copy.frame = frame.selecting(rows)
    return copy
  }
}
