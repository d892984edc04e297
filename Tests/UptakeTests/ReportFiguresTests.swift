import Foundation
import Testing

@testable import Uptake

/// Figures a reader can compare: whole-number bins labelled by the values they hold, yes/no as yes/no, round ticks,
/// every feature's shape on one log-odds scale, labels never cut, the capacity marked on the lift figure.
@Suite("Report figures")
struct ReportFiguresTests {
  @Test("bin labels: whole numbers by their values, yes/no by name, fractions by their edges")
  func binLabels() {
    let counts = DataProfile.Feature(name: "visits", categorical: false, edges: [0, 1, 3], levels: [], shares: [])
    #expect(counts.binLabels() == ["≤ 0", "1", "2–3", "≥ 4", "missing"])
    let flag = DataProfile.Feature(name: "lone_parent", categorical: false, edges: [0], levels: [], shares: [])
    #expect(flag.binLabels(boolean: true) == ["no", "yes", "missing"])
    let km = DataProfile.Feature(name: "km", categorical: false, edges: [0.5, 1.25], levels: [], shares: [])
    #expect(km.binLabels() == ["≤ 0.5", "0.5–1.25", "> 1.25", "missing"])
  }

  @Test("ticks are round and cover the range")
  func ticks() {
    #expect(SVG.ticks(0...1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(SVG.ticks(-1.1...1.3) == [-1, -0.5, 0, 0.5, 1])
    #expect(SVG.ticks(0...0.012).count >= 4)
    #expect(SVG.tickLabel(-0.0) == "0" && SVG.tickLabel(0.25) == "0.25" && SVG.tickLabel(2) == "2")
    #expect(SVG.ticks(0.2...3.7).count >= 4)
    // Labels as precise as their step: 0.0002 apart reads 0.0002, 0.0004, not 0, 0, 0.
    let small = SVG.ticks(0...0.001)
    let labels = small.map { SVG.tickLabel($0, step: small[1] - small[0]) }
    #expect(Set(labels).count == labels.count, "\(labels)")
  }

  @Test("a bar chart never cuts a label, and charts given one range draw the same axis")
  func barCharts() {
    let long = "Any other ethnic group, including Gypsy, Roma or Irish Traveller (n=812)"
    let one = BarChart(title: "a", valueLabel: "v", bars: [.init(label: long, value: 0.006)], range: -1...1).svg
    let two = BarChart(title: "b", valueLabel: "v", bars: [.init(label: "x", value: 0.6)], range: -1...1).svg
    #expect(one.contains(SVG.escape(long)))
    func ticks(_ svg: String) -> [String] {
      svg.components(separatedBy: "font-size=\"10\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
        .filter { Double($0) != nil && $0 != "0.006" && $0 != "0.6" && $0 != "0.600" && $0 != "0.006" }
    }
    #expect(ticks(one) == ticks(two) && ticks(one).contains("-1") && ticks(one).contains("1"))
  }
}
