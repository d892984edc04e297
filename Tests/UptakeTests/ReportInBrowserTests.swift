import Foundation
import TestSupport
import Testing

/// report.html checked in a real browser: headless Chromium lays it out, every figure gets a box of its own, and a
/// screenshot of the page is not blank. Where no browser is installed the test is skipped with a message, except in
/// CI (`UPTAKE_REQUIRE_BROWSER=1`, set by `.ci/run`, which installs Debian's chromium), where it must run.
@Suite("The HTML report in a browser", .serialized)
struct ReportInBrowserTests {
  static let browser: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
  static let required = ProcessInfo.processInfo.environment["UPTAKE_REQUIRE_BROWSER"] == "1"

  /// Runs the browser headless on `page` with `arguments`; returns standard output.
  func chromium(_ arguments: [String], page: String, profile: String) throws -> String {
    let run = try RunningProcess(
      try #require(Self.browser, "no browser installed"),
      ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile)"] + arguments
        + ["file://" + page], collectingErrors: false
    ).finish()
    #expect(run.status == 0)
    return run.stdout
  }

  @Test(
    "evaluate's report.html renders: every SVG laid out with a non-zero box, the screenshot not blank",
    .enabled(if: browser != nil || required, "no Chromium installed (apt-get install chromium); skipped"))
  func rendered() throws {
    let dir = try temporaryFolder("browser")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/c", "--children", "3000", "--quiet"]).status == 0)
    #expect(try runUptake(["train", "--data", dir + "/c", "--out", dir + "/m.json"]).status == 0)
    let evaluated = try runUptake([
      "evaluate", "--model", dir + "/m.json", "--data", dir + "/c", "--by", "ward", "--bootstrap", "50", "--report",
      dir + "/r",
    ])
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let html = try String(contentsOfFile: dir + "/r/report.html", encoding: .utf8)
    // Self-contained: no script, nothing fetched; every figure the Markdown shows is inline.
    #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http"))
    let figures = try FileManager.default.contentsOfDirectory(atPath: dir + "/r/figures").count
    let svgCount = html.components(separatedBy: "<svg").count - 1
    #expect(svgCount == figures && svgCount >= 10, "\(svgCount) inline figures, \(figures) files")

    // A copy with a script that writes each SVG's laid-out box into the page, read back with --dump-dom.
    let probe = dir + "/r/probe.html"
    let script = """
      <script>window.addEventListener('load', () => { const p = document.createElement('pre'); p.id = 'boxes';
      p.textContent = [...document.querySelectorAll('svg')].map(s => { const r = s.getBoundingClientRect();
      return Math.round(r.width) + 'x' + Math.round(r.height); }).join(' '); document.body.appendChild(p); });</script>
      """
    try html.replacingOccurrences(of: "</body>", with: script + "</body>").write(
      toFile: probe, atomically: true, encoding: .utf8)
    let dom = try chromium(["--dump-dom", "--virtual-time-budget=5000"], page: probe, profile: dir + "/profile")
    let boxes = try #require(
      dom.components(separatedBy: "<pre id=\"boxes\">").dropFirst().first?.components(separatedBy: "</pre>").first)
    let sizes = boxes.split(separator: " ").map { $0.split(separator: "x").compactMap { Int($0) } }
    #expect(sizes.count == svgCount)
    for size in sizes { #expect(size.count == 2 && size[0] > 50 && size[1] > 50, "an SVG laid out as \(size)") }

    _ = try chromium(
      ["--window-size=1200,3000", "--screenshot=\(dir)/shot.png"], page: dir + "/r/report.html",
      profile: dir + "/profile")
    let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/shot.png"))
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    // A blank 1200 × 3000 page compresses to a few kilobytes; text, tables and figures take far more.
    #expect(png.count > 100_000, "screenshot of \(png.count) bytes")
  }
}
