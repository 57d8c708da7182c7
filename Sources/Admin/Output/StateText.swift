import Workflows

/// A workflow state as a table cell: the stored state string, coloured like its status badge.
enum StateText {
    static func cell(_ state: String?) -> TextTable.Cell {
        let badge = statusBadge(for: state)
        return TextTable.Cell(state ?? badge.label, color: color(forBadgeClass: badge.cssClass))
    }

    /// The terminal colour for a badge class: the nearest of the eight ANSI colours to what the
    /// Bootstrap class shows.
    static func color(forBadgeClass cssClass: String) -> String? {
        switch cssClass {
        case "primary": "34"
        case "warning": "33"
        case "success": "32"
        case "danger": "31"
        case "dark": "1"
        case "secondary": "90"
        default: nil
        }
    }
}
