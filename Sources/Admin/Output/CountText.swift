/// Returns a count with its noun, singular for one: "1 step", "3 steps".
func countText(_ count: Int, _ noun: String) -> String {
    count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
}
