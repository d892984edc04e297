import Foundation

/// Small, dependency-free SVG charts for the reports: they render in a browser and on GitHub.
enum SVG {
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static func number(_ x: Double) -> String { String(format: "%.1f", x) }

  static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

  static func document(width: Double, height: Double, title: String, body: [String]) -> String {
    """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
    viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
    <title>\(escape(title))</title>
    <rect width="100%" height="100%" fill="white"/>
    <text x="\(number(width / 2))" y="18" text-anchor="middle" font-size="14" font-weight="bold">\(escape(title))</text>
    \(body.joined(separator: "\n"))
    </svg>

    """
  }
}

/// Lines over x and y in fixed ranges, with axes, ticks, a legend and an optional diagonal.
struct LineChart {
  struct Series {
    var name: String
    var points: [(x: Double, y: Double)]
    var dashed = false
    var markers = false
  }

  var title: String
  var xLabel: String
  var yLabel: String
  var xRange: ClosedRange<Double> = 0...1
  var yRange: ClosedRange<Double> = 0...1
  var series: [Series]
  var diagonal = false
  var horizontalLine: Double? = nil
  /// A marked x position with its label (e.g. the share of families the capacity reaches).
  var verticalLine: (x: Double, label: String)? = nil
  var width = 520.0, height = 380.0

  var svg: String {
    let left = 60.0, right = 20.0, top = 30.0, bottom = 50.0
    let plotW = width - left - right, plotH = height - top - bottom
    func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotW }
    func py(_ y: Double) -> Double {
      top + plotH - (min(max(y, yRange.lowerBound), yRange.upperBound) - yRange.lowerBound)
        / (yRange.upperBound - yRange.lowerBound) * plotH
    }
    var body: [String] = []
    body.append(
      "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#888\"/>")
    for k in 0...5 {
      let x = xRange.lowerBound + Double(k) / 5 * (xRange.upperBound - xRange.lowerBound)
      let y = yRange.lowerBound + Double(k) / 5 * (yRange.upperBound - yRange.lowerBound)
      body.append(
        "<line x1=\"\(SVG.number(px(x)))\" y1=\"\(top + plotH)\" x2=\"\(SVG.number(px(x)))\" y2=\"\(top + plotH + 4)\" stroke=\"#888\"/>"
          + "<text x=\"\(SVG.number(px(x)))\" y=\"\(top + plotH + 18)\" text-anchor=\"middle\">\(tick(x))</text>")
      body.append(
        "<line x1=\"\(left - 4)\" y1=\"\(SVG.number(py(y)))\" x2=\"\(left)\" y2=\"\(SVG.number(py(y)))\" stroke=\"#888\"/>"
          + "<text x=\"\(left - 7)\" y=\"\(SVG.number(py(y) + 4))\" text-anchor=\"end\">\(tick(y))</text>")
    }
    body.append(
      "<text x=\"\(SVG.number(left + plotW / 2))\" y=\"\(height - 10)\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>"
    )
    body.append(
      "<text transform=\"translate(15,\(SVG.number(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVG.escape(yLabel))</text>"
    )
    if diagonal {
      body.append(
        "<line x1=\"\(SVG.number(px(xRange.lowerBound)))\" y1=\"\(SVG.number(py(yRange.lowerBound)))\" "
          + "x2=\"\(SVG.number(px(xRange.upperBound)))\" y2=\"\(SVG.number(py(yRange.upperBound)))\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>"
      )
    }
    if let h = horizontalLine {
      body.append(
        "<line x1=\"\(left)\" y1=\"\(SVG.number(py(h)))\" x2=\"\(left + plotW)\" y2=\"\(SVG.number(py(h)))\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>"
      )
    }
    if let v = verticalLine, xRange.contains(v.x) {
      body.append(
        "<line x1=\"\(SVG.number(px(v.x)))\" y1=\"\(top)\" x2=\"\(SVG.number(px(v.x)))\" y2=\"\(top + plotH)\" "
          + "stroke=\"#d62728\" stroke-dasharray=\"4 4\"/>"
          + "<text x=\"\(SVG.number(px(v.x) + 4))\" y=\"\(top + plotH - 6)\" fill=\"#d62728\">\(SVG.escape(v.label))</text>"
      )
    }
    for (k, s) in series.enumerated() {
      let color = SVG.palette[k % SVG.palette.count]
      let points = s.points.map { "\(SVG.number(px($0.x))),\(SVG.number(py($0.y)))" }.joined(separator: " ")
      body.append(
        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 3\"" : "") points=\"\(points)\"/>"
      )
      if s.markers {
        for p in s.points {
          body.append("<circle cx=\"\(SVG.number(px(p.x)))\" cy=\"\(SVG.number(py(p.y)))\" r=\"3\" fill=\"\(color)\"/>")
        }
      }
      let ly = top + 14 + Double(k) * 16
      body.append(
        "<line x1=\"\(left + 10)\" y1=\"\(SVG.number(ly - 4))\" x2=\"\(left + 30)\" y2=\"\(SVG.number(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 3\"" : "")/>"
          + "<text x=\"\(left + 35)\" y=\"\(SVG.number(ly))\">\(SVG.escape(s.name))</text>")
    }
    return SVG.document(width: width, height: height, title: title, body: body)
  }

  private func tick(_ v: Double) -> String {
    abs(v - v.rounded()) < 1e-9 ? String(Int(v.rounded())) : String(format: "%.2f", v)
  }
}

/// Horizontal bars, one per label, with optional interval whiskers and reference lines; negative values go left.
struct BarChart {
  struct Bar {
    var label: String
    var value: Double
    var interval: (Double, Double)? = nil
  }

  var title: String
  var valueLabel: String
  var bars: [Bar]
  var referenceLines: [(value: Double, label: String)] = []
  /// The value axis; nil fits the bars. Charts meant to be compared (each feature's shape) share one.
  var range: ClosedRange<Double>? = nil
  var plotWidth = 310.0

  var svg: String {
    // Labels are never cut: the label column is as wide as the longest label (about 7 px a character).
    let left = max(120.0, Double(bars.map(\.label.count).max() ?? 0) * 7 + 16), right = 60.0, top = 30.0
    let rowHeight = 20.0
    let width = left + plotWidth + right
    let height = top + Double(max(1, bars.count)) * rowHeight + 60
    let plotW = plotWidth
    var values = bars.flatMap { b in [b.value] + (b.interval.map { [$0.0, $0.1] } ?? []) }.filter { $0.isFinite }
    values += referenceLines.map(\.value) + [0]
    let low = range?.lowerBound ?? values.min() ?? 0
    // Bars that are all (nearly) zero get an axis from 0 to 1 rather than one a billionth wide.
    let fitted = range?.upperBound ?? values.max() ?? 1
    let high = fitted - low < 1e-6 ? low + 1 : fitted
    func px(_ v: Double) -> Double { left + (v - low) / (high - low) * plotW }
    var body: [String] = []
    let axisY = top + Double(bars.count) * rowHeight
    body.append(
      "<line x1=\"\(SVG.number(px(0)))\" y1=\"\(top)\" x2=\"\(SVG.number(px(0)))\" y2=\"\(axisY)\" stroke=\"#888\"/>")
    for (k, bar) in bars.enumerated() {
      let y = top + Double(k) * rowHeight
      let label = bar.label
      body.append(
        "<text x=\"\(left - 6)\" y=\"\(SVG.number(y + 14))\" text-anchor=\"end\">\(SVG.escape(label))</text>")
      guard bar.value.isFinite else { continue }
      let x0 = min(px(0), px(bar.value)), x1 = max(px(0), px(bar.value))
      body.append(
        "<rect x=\"\(SVG.number(x0))\" y=\"\(SVG.number(y + 4))\" width=\"\(SVG.number(max(1, x1 - x0)))\" height=\"12\" fill=\"\(bar.value >= 0 ? SVG.palette[0] : SVG.palette[2])\"/>"
      )
      if let (a, b) = bar.interval, a.isFinite, b.isFinite {
        body.append(
          "<line x1=\"\(SVG.number(px(a)))\" y1=\"\(SVG.number(y + 10))\" x2=\"\(SVG.number(px(b)))\" y2=\"\(SVG.number(y + 10))\" stroke=\"black\"/>"
        )
      }
      body.append(
        "<text x=\"\(SVG.number(px(max(bar.value, bar.interval?.1 ?? bar.value, 0)) + 4))\" y=\"\(SVG.number(y + 14))\" font-size=\"10\">\(String(format: "%.3f", bar.value))</text>"
      )
    }
    for line in referenceLines {
      body.append(
        "<line x1=\"\(SVG.number(px(line.value)))\" y1=\"\(top)\" x2=\"\(SVG.number(px(line.value)))\" y2=\"\(axisY)\" stroke=\"#d62728\" stroke-dasharray=\"4 4\"/>"
          + "<text x=\"\(SVG.number(px(line.value)))\" y=\"\(axisY + 14)\" text-anchor=\"middle\" font-size=\"10\">\(SVG.escape(line.label))</text>"
      )
    }
    // Ticks on the value axis, so that two charts on one scale can be read against each other.
    let ticks = SVG.ticks(low...high)
    let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
    for value in ticks {
      body.append(
        "<line x1=\"\(SVG.number(px(value)))\" y1=\"\(axisY)\" x2=\"\(SVG.number(px(value)))\" y2=\"\(axisY + 4)\" stroke=\"#888\"/>"
          + "<text x=\"\(SVG.number(px(value)))\" y=\"\(axisY + 28)\" text-anchor=\"middle\" font-size=\"10\">"
          + "\(SVG.tickLabel(value, step: step))</text>")
    }
    body.append(
      "<text x=\"\(SVG.number(left + plotW / 2))\" y=\"\(SVG.number(height - 8))\" text-anchor=\"middle\">\(SVG.escape(valueLabel))</text>"
    )
    return SVG.document(width: width, height: height, title: title, body: body)
  }
}

extension SVG {
  /// About five round values across `range` (steps of 1, 2 or 5 times a power of ten).
  static func ticks(_ range: ClosedRange<Double>) -> [Double] {
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite else { return [] }
    let power = pow(10, floor(log10(span / 4)))
    // The largest round step that still gives at least four ticks.
    let step = [10.0, 5, 2, 1].map { $0 * power }.first { (span / $0).rounded(.down) >= 4 } ?? power / 2
    let first = Int((range.lowerBound / step).rounded(.up))
    let last = Int((range.upperBound / step + 1e-9).rounded(.down))
    guard first <= last else { return [] }
    // k · step, printed to 12 digits and read back, so 3 × 0.2 is 0.6, not 0.6000000000000001.
    return (first...last).map { Double(String(format: "%.12g", Double($0) * step))! }
  }

  /// A tick's value with as many decimals as the ticks' step needs (0.005 apart: three; 0.2 apart: one).
  static func tickLabel(_ value: Double, step: Double = 0.001) -> String {
    let decimals = min(12, max(0, Int((-log10(step)).rounded(.up))))
    let text = String(format: "%.\(decimals)f", value)
    var trimmed = text
    while trimmed.contains(".") && (trimmed.hasSuffix("0") || trimmed.hasSuffix(".")) { trimmed.removeLast() }
    return trimmed == "-0" ? "0" : trimmed
  }
}
