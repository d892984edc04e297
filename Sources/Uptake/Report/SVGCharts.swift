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
  var width = 560.0

  var svg: String {
    let left = 190.0, right = 60.0, top = 30.0, rowHeight = 20.0
    let height = top + Double(max(1, bars.count)) * rowHeight + 45
    let plotW = width - left - right
    var values = bars.flatMap { b in [b.value] + (b.interval.map { [$0.0, $0.1] } ?? []) }.filter { $0.isFinite }
    values += referenceLines.map(\.value) + [0]
    let low = values.min() ?? 0, high = max(values.max() ?? 1, low + 1e-9)
    func px(_ v: Double) -> Double { left + (v - low) / (high - low) * plotW }
    var body: [String] = []
    let axisY = top + Double(bars.count) * rowHeight
    body.append(
      "<line x1=\"\(SVG.number(px(0)))\" y1=\"\(top)\" x2=\"\(SVG.number(px(0)))\" y2=\"\(axisY)\" stroke=\"#888\"/>")
    for (k, bar) in bars.enumerated() {
      let y = top + Double(k) * rowHeight
      let label = bar.label.count > 28 ? String(bar.label.prefix(27)) + "…" : bar.label
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
        "<text x=\"\(SVG.number(px(max(bar.value, bar.interval?.1 ?? bar.value)) + 4))\" y=\"\(SVG.number(y + 14))\" font-size=\"10\">\(String(format: "%.3f", bar.value))</text>"
      )
    }
    for line in referenceLines {
      body.append(
        "<line x1=\"\(SVG.number(px(line.value)))\" y1=\"\(top)\" x2=\"\(SVG.number(px(line.value)))\" y2=\"\(axisY)\" stroke=\"#d62728\" stroke-dasharray=\"4 4\"/>"
          + "<text x=\"\(SVG.number(px(line.value)))\" y=\"\(axisY + 14)\" text-anchor=\"middle\" font-size=\"10\">\(SVG.escape(line.label))</text>"
      )
    }
    body.append(
      "<text x=\"\(SVG.number(left + plotW / 2))\" y=\"\(SVG.number(height - 8))\" text-anchor=\"middle\">\(SVG.escape(valueLabel))</text>"
    )
    return SVG.document(width: width, height: height, title: title, body: body)
  }
}
