import Foundation
import Records

/// `uptake impact --report DIR`: impact.md, impact.html, impact.json and figures/*.svg, in the evaluation report's
/// style: what contact did, with intervals, by risk band and group; uplift and the Qini curve; what could be detected.
public struct ImpactReport: Sendable {
  public let impact: ImpactEstimate
  /// "linked records in drop-2024-12 (uptake.yaml)", the ledger's path, and the lists it holds.
  public let dataDescription: String
  public let ledger: String
  public let lists: [String]
  /// The outcome in words ("no funded place").
  public let outcome: String
  /// Allocated units left out (not in the data, or outcome not known yet), in words; nil when none.
  public let leftOut: String?

  public init(
    impact: ImpactEstimate, dataDescription: String, ledger: String, lists: [String], outcome: String,
    leftOut: String?
  ) {
    self.impact = impact
    self.dataDescription = dataDescription
    self.ledger = ledger
    self.lists = lists
    self.outcome = outcome
    self.leftOut = leftOut
  }

  public static func percent(_ x: Double?) -> String { x.map { String(format: "%+.1f pp", $0 * 100) } ?? "–" }
  public static func rate(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }

  /// The overall effect in one sentence, for the command's summary and the report.
  public var headline: String {
    let o = impact.overall
    guard let d = o.difference, let ci = o.interval else {
      return "no comparison: the ledger's units with known outcomes are all in one arm"
    }
    let direction =
      ci.upper < 0
      ? "contact lowered the rate of \(outcome)"
      : ci.lower > 0
        ? "contact raised the rate of \(outcome)"
        : "no difference shown either way (the interval includes zero)"
    return "\(outcome): \(Self.rate(o.contactRate)) among \(o.contactUnits) contacted against "
      + "\(Self.rate(o.holdBackRate)) among \(o.holdBackUnits) held back: \(Self.percent(d)) (95% interval "
      + "\(Self.percent(ci.lower)) to \(Self.percent(ci.upper))); \(direction)"
  }

  var markdown: String {
    var lines = ["# Impact of outreach", ""]
    lines.append(
      "Data: \(dataDescription). Ledger: \(ledger) (\(lists.count) list\(lists.count == 1 ? "" : "s"): "
        + lists.joined(separator: ", ") + "). \(impact.units) allocated units with a known outcome"
        + (leftOut.map { "; left out: \($0)" } ?? "") + ".")
    lines.append("")
    lines.append(
      "Each unit on a list was allocated at random, within its group and risk band, to contact or to be held back. "
        + "The comparison is by allocation (intention to treat): a contacted family that could not be reached still "
        + "counts as contacted. Differences are contact minus hold-back, in percentage points of \(outcome); below "
        + "zero, contact helped. Intervals are 95%, from resampling whole families.")
    lines.append("")
    lines.append("## Overall")
    lines.append("")
    lines.append(headline.prefix(1).uppercased() + headline.dropFirst() + ".")
    lines.append("")
    if let mde = impact.minimumDetectableEffect {
      lines.append(
        String(
          format: "With these numbers a difference smaller than about %.1f percentage points either way would "
            + "probably not be detected (80%% power, 5%% level, ignoring families: somewhat more with them).", mde * 100
        ))
      lines.append("")
    }
    lines.append("## By risk band")
    lines.append("")
    lines.append(table(impact.byBand, first: "risk band"))
    lines.append("")
    lines.append("![Effect by risk band](figures/effect-by-band.svg)")
    lines.append("")
    if !impact.byGroup.isEmpty {
      lines.append("## By group")
      lines.append("")
      lines.append(table(impact.byGroup, first: "group"))
      lines.append("")
    }
    if impact.suppressed > 0 {
      lines.append(
        "\(impact.suppressed) bands or groups with fewer than \(ImpactEstimate.minimumArm) units in an arm are not "
          + "shown: too few to compare, and their rates would disclose single children's outcomes.")
      lines.append("")
    }
    lines.append("## Whom to contact")
    lines.append("")
    lines.append(
      "Uplift: the rate of taking up among the contacted minus among the held back, for the units ranked highest by "
        + "the model (scikit-uplift's uplift at k). If contact helps most at intermediate risk, uplift for the top "
        + "share is lower than further down.")
    lines.append("")
    lines.append("| share of the list (highest risk first) | uplift in taking up |")
    lines.append("|---|---|")
    for (share, uplift) in impact.upliftAtShare {
      lines.append("| \(Int((share * 100).rounded()))% | \(Self.percent(uplift)) |")
    }
    lines.append("")
    lines.append(
      "The Qini curve: extra take-ups from contact, per unit of the list, as more of the list is contacted in order of "
        + "risk; a curve above the straight line means the ranking puts those contact helps first.")
    lines.append("")
    lines.append("![Qini curve](figures/qini.svg)")
    lines.append("")
    lines.append("## Limits")
    lines.append("")
    lines.append("- A band or group with few units has a wide interval; differences between them may be noise.")
    lines.append(
      "- This measures contact as the council made it, on these lists; another way of reaching families, or other "
        + "families, can differ.")
    return lines.joined(separator: "\n") + "\n"
  }

  func table(_ effects: [ImpactEstimate.Effect], first: String) -> String {
    var rows = [
      "| \(first) | contacted | rate | held back | rate | difference | 95% interval |", "|---|---|---|---|---|---|---|",
    ]
    for e in effects {
      rows.append(
        "| \(e.label) | \(e.contactUnits) | \(Self.rate(e.contactRate)) | \(e.holdBackUnits) | "
          + "\(Self.rate(e.holdBackRate)) | \(Self.percent(e.difference)) | "
          + (e.interval.map { "\(Self.percent($0.lower)) to \(Self.percent($0.upper))" } ?? "–") + " |")
    }
    return rows.joined(separator: "\n")
  }

  func charts() -> [(String, String)] {
    let bars = impact.byBand.compactMap { e -> BarChart.Bar? in
      guard let d = e.difference else { return nil }
      return BarChart.Bar(label: e.label, value: d * 100, interval: e.interval.map { ($0.lower * 100, $0.upper * 100) })
    }
    let qini = impact.qini
    let low = min(0, qini.map(\.y).min() ?? 0), high = max(0.01, qini.map(\.y).max() ?? 0)
    let last = qini.last?.y ?? 0
    return [
      (
        "effect-by-band.svg",
        BarChart(
          title: "Effect of contact by risk band", valueLabel: "percentage points of \(outcome) (contact − hold-back)",
          bars: bars, referenceLines: [(0, "no effect")]
        ).svg
      ),
      (
        "qini.svg",
        LineChart(
          title: "Qini curve", xLabel: "share of the list contacted, highest risk first",
          yLabel: "extra take-ups per unit", yRange: (low - 0.1 * (high - low))...(high + 0.1 * (high - low)),
          series: [
            .init(name: "by the model's ranking", points: qini),
            .init(name: "at random", points: [(0, 0), (1, last)], dashed: true),
          ]
        ).svg
      ),
    ]
  }

  func json() throws -> String {
    struct Document: Encodable {
      var data: String
      var ledger: String
      var lists: [String]
      var units: Int
      var overall: ImpactEstimate.Effect
      var byBand: [ImpactEstimate.Effect]
      var byGroup: [ImpactEstimate.Effect]
      var upliftAtShare: [[Double?]]
      var minimumDetectableEffect: Double?
    }
    let document = Document(
      data: dataDescription, ledger: ledger, lists: lists, units: impact.units, overall: impact.overall,
      byBand: impact.byBand, byGroup: impact.byGroup,
      upliftAtShare: impact.upliftAtShare.map { [$0.share, $0.uplift] },
      minimumDetectableEffect: impact.minimumDetectableEffect)
    return String(decoding: try JSONCoding.encoder(pretty: true).encode(document), as: UTF8.self) + "\n"
  }

  /// Writes impact.md, impact.html, impact.json and figures/*.svg into `folder`, each atomically.
  @discardableResult
  public func write(to folder: String) throws -> [String] {
    let figures = charts().map { ("figures/" + $0.0, $0.1) }
    let markdown = self.markdown
    let page = HTMLPage(
      title: "Impact of outreach", markdown: markdown, figures: Dictionary(figures, uniquingKeysWith: { a, _ in a }))
    let top = [("impact.md", markdown), ("impact.html", page.html), ("impact.json", try json())]
    return try EvaluationReport.writeFiles(top: top, figures: figures, to: folder)
  }
}
