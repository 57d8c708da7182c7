/// A table for human output: a header row and columns padded to their widest cell.
///
/// Widths count characters of the plain text, so colour codes added to a cell do not shift the
/// columns. The last column is not padded, so lines carry no trailing spaces.
struct TextTable {
    struct Cell {
        var text: String
        /// ANSI SGR parameter such as "32" (green), or nil for plain text.
        var color: String?

        init(_ text: String, color: String? = nil) {
            self.text = text
            self.color = color
        }
    }

    let headers: [String]
    private(set) var rows: [[Cell]] = []

    init(_ headers: [String]) {
        self.headers = headers
    }

    mutating func append(_ cells: [Cell]) {
        // Rows are built next to the header list in the same function, so a mismatch is a bug.
        precondition(cells.count == headers.count, "a row has \(cells.count) cells for \(headers.count) columns")
        rows.append(cells)
    }

    mutating func append(_ texts: [String]) {
        append(texts.map { Cell($0) })
    }

    /// Returns the table as lines ending in newlines, each line prefixed by `indent` spaces.
    func render(usesColor: Bool, indent: Int = 0) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.text.count)
            }
        }

        let lines = [headers.map { Cell($0) }] + rows
        return lines.map { cells in
            var line = String(repeating: " ", count: indent)
            for (index, cell) in cells.enumerated() {
                let isLast = index == cells.count - 1
                let padding = isLast ? "" : String(repeating: " ", count: widths[index] - cell.text.count + 2)
                if usesColor, let color = cell.color {
                    line += "\u{1B}[\(color)m\(cell.text)\u{1B}[0m" + padding
                } else {
                    line += cell.text + padding
                }
            }
            return line
        }.joined(separator: "\n") + "\n"
    }
}
