/// Tonight's actions that can send a notice (the milestone of a `NoticeKind`), found by case without copying them: positions into the night's actions, in case
/// order, searched by halving. A dictionary of per-case copies took 200 MB at a million customers.
struct NoticeActions {
    private let actions: [Action]
    /// Positions of the notice actions, ordered by case and then by position (a stable order).
    private let positions: [Int32]

    init(_ actions: [Action]) {
        self.actions = actions
        var positions: [Int32] = []
        let kinds = NoticeKind.allCases.map(\.milestone)
        for (i, a) in actions.enumerated() where kinds.contains(a.kind) {
            positions.append(Int32(i))
        }
        // The night's actions come in case order (NightPlanner); sort only when a caller's do not.
        if zip(positions, positions.dropFirst()).contains(where: { actions[Int($1)].caseKey < actions[Int($0)].caseKey }) {
            positions.sort { (actions[Int($0)].caseKey, $0) < (actions[Int($1)].caseKey, $1) }
        }
        self.positions = positions
    }

    /// The notice actions of case `key`, in the order of the night's actions.
    func of(_ key: CaseKey) -> [Action] {
        var low = 0, high = positions.count
        while low < high {
            let mid = (low + high) / 2
            if actions[Int(positions[mid])].caseKey < key { low = mid + 1 } else { high = mid }
        }
        var found: [Action] = []
        while low < positions.count, actions[Int(positions[low])].caseKey == key {
            found.append(actions[Int(positions[low])])
            low += 1
        }
        return found
    }
}
