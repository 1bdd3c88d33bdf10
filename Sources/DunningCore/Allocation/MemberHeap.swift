/// An entry of a `MemberHeap`: a member with the key it is ranked by.
protocol HeapEntry {
    /// Whether `a` comes out of the heap before `b`.
    static func ranksBefore(_ a: Self, _ b: Self) -> Bool
}

/// A binary heap: `pop()` returns the entry that ranks first. Entries carry their keys, so a
/// member is popped, its key updated, and pushed back.
struct MemberHeap<Entry: HeapEntry> {
    private var items: [Entry] = []

    init(_ entries: some Sequence<Entry>) {
        for e in entries { push(e) }
    }

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ entry: Entry) {
        items.append(entry)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Entry.ranksBefore(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            let count = items.count
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < count, Entry.ranksBefore(items[left], items[best]) { best = left }
                if right < count, Entry.ranksBefore(items[right], items[best]) { best = right }
                if best == parent { break }
                items.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}

/// Ranked by the largest key first, then the lowest member.
struct LargestFirst: HeapEntry {
    var member: Int32
    var key: Int128

    static func ranksBefore(_ a: LargestFirst, _ b: LargestFirst) -> Bool {
        a.key != b.key ? a.key > b.key : a.member < b.member
    }
}

/// Ranked by the largest ratio `need / slots` first (slots > 0), then the lowest member.
struct LargestRatioFirst: HeapEntry {
    var member: Int32
    var need: Int128
    var slots: Int64

    static func ranksBefore(_ a: LargestRatioFirst, _ b: LargestRatioFirst) -> Bool {
        let l = a.need * Int128(b.slots), r = b.need * Int128(a.slots)
        return l != r ? l > r : a.member < b.member
    }
}
