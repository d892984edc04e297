import Foundation

/// A report's Markdown as one self-contained HTML page, for a manager who opens a file rather than a repository:
/// the figures inline (SVG), the styling inline (CSS), no script, nothing fetched. It renders the Markdown uptake
/// itself writes — headings, paragraphs, lists, tables, block quotes, images of figures, bold, italics and code —
/// not Markdown in general.
struct HTMLPage {
  var title: String
  /// The report's Markdown.
  var markdown: String
  /// The figures' SVG by the path the Markdown links to (`figures/roc.svg`).
  var figures: [String: String]

  var html: String {
    var body: [String] = []
    var paragraph: [String] = []
    var list: [String] = []
    var table: [[String]] = []
    func flush() {
      if !paragraph.isEmpty { body.append("<p>" + paragraph.map(inline).joined(separator: " ") + "</p>") }
      if !list.isEmpty { body.append("<ul>" + list.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>") }
      if !table.isEmpty { body.append(render(table: table)) }
      paragraph = []
      list = []
      table = []
    }
    for line in markdown.components(separatedBy: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty {
        flush()
      } else if let level = heading(trimmed) {
        flush()
        let text = String(trimmed.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)
        body.append("<h\(level) id=\"\(Self.anchor(text))\">\(inline(text))</h\(level)>")
      } else if trimmed.hasPrefix("|") {
        if !paragraph.isEmpty || !list.isEmpty { flush() }
        let cells = trimmed.dropFirst().split(separator: "|", omittingEmptySubsequences: false).dropLast()
          .map { $0.trimmingCharacters(in: .whitespaces) }
        if !cells.allSatisfy({ $0.allSatisfy { "-:".contains($0) } && !$0.isEmpty }) { table.append(cells) }
      } else if trimmed.hasPrefix("- ") {
        if !paragraph.isEmpty || !table.isEmpty { flush() }
        list.append(String(trimmed.dropFirst(2)))
      } else if trimmed.hasPrefix("> ") {
        flush()
        body.append("<blockquote>" + inline(String(trimmed.dropFirst(2))) + "</blockquote>")
      } else if trimmed.hasPrefix("![") {
        flush()
        body.append("<div class=\"figures\">" + images(trimmed) + "</div>")
      } else {
        if !list.isEmpty || !table.isEmpty { flush() }
        paragraph.append(trimmed)
      }
    }
    flush()
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(Self.escaped(title))</title>
      <style>\(Self.style)</style>
      </head>
      <body>
      <main>
      \(body.joined(separator: "\n"))
      </main>
      </body>
      </html>

      """
  }

  static let style = """
    body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 0; \
    background: #fff; }
    main { max-width: 1100px; margin: 0 auto; padding: 24px; }
    h1 { font-size: 28px; margin: 0 0 12px; } h2 { font-size: 22px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; }
    h3 { font-size: 18px; margin: 24px 0 8px; }
    table { border-collapse: collapse; margin: 12px 0; font-size: 14px; display: block; overflow-x: auto; }
    th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
    th { background: #f3f3f3; } tr:nth-child(even) td { background: #fafafa; }
    blockquote { margin: 12px 0; padding: 8px 12px; border-left: 4px solid #d4351c; background: #fdf2f0; }
    code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f3f3f3; padding: 0 3px; }
    .figures { display: flex; flex-wrap: wrap; gap: 16px; margin: 12px 0; }
    figure { margin: 0; } figure svg { max-width: 100%; height: auto; display: block; }
    figcaption { font-size: 13px; color: #555; }
    """

  func heading(_ line: String) -> Int? {
    let hashes = line.prefix { $0 == "#" }.count
    return (1...4).contains(hashes) && line.dropFirst(hashes).first == " " ? hashes : nil
  }

  /// `![alt](path) ![alt](path)` as figures with the SVG inline (a figure that is missing says so).
  func images(_ line: String) -> String {
    var out: [String] = []
    var rest = Substring(line)
    while let start = rest.range(of: "!["), let close = rest[start.upperBound...].range(of: "]("),
      let end = rest[close.upperBound...].firstIndex(of: ")")
    {
      let alt = String(rest[start.upperBound..<close.lowerBound])
      let path = String(rest[close.upperBound..<end])
      let svg = figures[path].map(Self.inlineSVG) ?? "<p>(figure \(Self.escaped(path)) missing)</p>"
      out.append("<figure>\(svg)<figcaption>\(Self.escaped(alt))</figcaption></figure>")
      rest = rest[rest.index(after: end)...]
    }
    return out.joined()
  }

  /// An SVG document as an element of the page: without its XML declaration, with a role and title for readers.
  static func inlineSVG(_ svg: String) -> String {
    var text = svg
    if let declaration = text.range(of: "?>"), text.hasPrefix("<?xml") {
      text = String(text[declaration.upperBound...])
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func render(table rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var out = "<table><thead><tr>" + header.map { "<th>" + inline($0) + "</th>" }.joined() + "</tr></thead><tbody>"
    for row in rows.dropFirst() { out += "<tr>" + row.map { "<td>" + inline($0) + "</td>" }.joined() + "</tr>" }
    return out + "</tbody></table>"
  }

  /// Inline Markdown: `code`, **bold** and _italic_, on escaped text.
  func inline(_ text: String) -> String {
    var out = Self.escaped(text)
    out = Self.replacingPairs(out, "`", "<code>", "</code>")
    out = Self.replacingPairs(out, "**", "<strong>", "</strong>")
    out = Self.replacingPairs(out, "_", "<em>", "</em>", wordBoundary: true)
    return out
  }

  /// Pairs of `marker` as opening and closing tags; with `wordBoundary`, only markers next to a space or the ends
  /// (so `snake_case_names` keep their underscores).
  static func replacingPairs(
    _ text: String, _ marker: String, _ open: String, _ close: String, wordBoundary: Bool = false
  ) -> String {
    let parts = text.components(separatedBy: marker)
    guard parts.count >= 3 else { return text }
    if wordBoundary {
      guard parts.first!.isEmpty || parts.first!.hasSuffix(" "), parts.last!.isEmpty || parts.last!.hasPrefix(" ")
      else { return text }
    }
    var out = parts[0]
    var opened = false
    for (i, part) in parts.dropFirst().enumerated() {
      let isLast = i == parts.count - 2
      if isLast && !opened && parts.count % 2 == 0 {
        out += marker + part
      } else {
        out += (opened ? close : open) + part
        opened.toggle()
      }
    }
    return out
  }

  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static func anchor(_ text: String) -> String {
    String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
  }
}
