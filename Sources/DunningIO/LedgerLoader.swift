import DunningCore
import Foundation

/// Reads `ledger.csv` into loans. It is the night's largest input by far, so it is read in parallel.
///
/// The data rows are split at line ends into one chunk per worker. Each chunk is parsed, checked and
/// grouped by loan on its own; the chunks are then joined in file order. A split can cut a quoted
/// field, and a loan whose rows sit in two chunks can need a message that cites the other chunk, so
/// whenever a chunk saw a quote, or two chunks hold rows of one loan that a sequential read would
/// check against each other (different keys, a repeated instalment number, a message citing the
/// loan's first row), the file is read again as one chunk. The result, diagnostics included, is
/// always exactly that of a sequential read; tests compare the two on many splits.
///
/// Only what decisions need is kept of a loan: its unpaid instalments due up to `horizon`, and the
/// earliest unpaid one after it (which gives the loan's DPD before it falls due). Paid instalments
/// change no figure, so a million customers' ledger fits in memory many times over.
struct LedgerLoader {
    let table: CSVTable
    let customers: [String: Customer]
    let rejectedCustomers: [String: Int]
    let defaultCurrency: String
    let paidTolerance: Money
    let horizon: Day
    let workers: Int
    /// A chunk is at least this long: below it a thread costs more than it saves.
    var minimumChunkBytes = LedgerLoader.defaultMinimumChunkBytes

    static let defaultMinimumChunkBytes = 1 << 20

    /// Column positions, resolved once from the header.
    struct Columns {
        var loan, customer, product, number, due, amountDue, amountPaid: Int
        var currency: Int?
        var count: Int
    }

    /// What the loader hands back to `InputLoader`.
    struct Result {
        var loansByCase: [CaseKey: [Loan]] = [:]
        var heldCases: Set<CaseKey> = []
        var problems: [Diagnostic] = []
        var unattributable: [Diagnostic] = []
        var rowCount = 0
    }

    func load() -> Result {
        let region = table.dataRegion
        let columns = Columns(loan: table.columnIndex("loan_id")!, customer: table.columnIndex("customer_id")!,
                              product: table.columnIndex("product")!, number: table.columnIndex("instalment")!,
                              due: table.columnIndex("due_date")!, amountDue: table.columnIndex("amount_due")!,
                              amountPaid: table.columnIndex("amount_paid")!, currency: table.columnIndex("currency"),
                              count: table.fieldCount)
        let ranges = Self.split(region.file.buffer, from: region.start, into: workers, minimumBytes: minimumChunkBytes)
        if ranges.count > 1, let joined = join(parse(ranges, columns: columns, file: region.file), firstLine: region.line) {
            return finish(joined)
        }
        // One chunk: a quoted file, a conflict across chunks, or a single worker. After a parallel
        // attempt, from a fresh mapping: the chunks unescaped quoted fields in place.
        let file = ranges.count > 1 ? (try? MappedFile(path: region.file.path)) ?? region.file : region.file
        let whole = parse([region.start..<file.buffer.count], columns: columns, file: file)
        return finish(join(whole, firstLine: region.line)!)
    }

    // MARK: Splitting and parsing

    /// Up to `workers` ranges of whole lines covering `start..<buffer.count`, each at least
    /// `minimumBytes` long (but the last).
    static func split(_ buffer: UnsafeMutableBufferPointer<UInt8>, from start: Int, into workers: Int,
                      minimumBytes: Int) -> [Range<Int>] {
        let end = buffer.count
        let size = end - start
        let parts = max(1, min(workers, size / max(1, minimumBytes)))
        var ranges: [Range<Int>] = []
        var lower = start
        for i in 1..<parts {
            var cut = start + size / parts * i
            guard cut > lower else { continue }
            while cut < end, buffer[cut - 1] != 0x0A { cut += 1 }
            if cut >= end { break }
            ranges.append(lower..<cut)
            lower = cut
        }
        ranges.append(lower..<end)
        return ranges
    }

    private func parse(_ ranges: [Range<Int>], columns: Columns, file: MappedFile) -> [Chunk] {
        var chunks = [Chunk](repeating: Chunk(), count: ranges.count)
        chunks.withUnsafeMutableBufferPointer { results in
            nonisolated(unsafe) let out = results.baseAddress!
            nonisolated(unsafe) let loader = self
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
                var parser = ChunkParser(loader: loader, columns: columns, file: file, range: ranges[i])
                out[i] = parser.run()
            }
        }
        return chunks
    }

    // MARK: Joining chunks

    /// The chunks joined in file order, or nil when a sequential read could differ.
    private func join(_ chunks: [Chunk], firstLine: Int) -> Joined? {
        if chunks.count > 1, chunks.contains(where: \.sawQuote) { return nil }
        var joined = Joined(chunks: chunks)
        var base = firstLine - 1
        for k in chunks.indices {
            joined.bases.append(base)
            base += chunks[k].lines
        }
        for k in joined.chunks.indices.dropFirst() {
            for d in joined.chunks[k].drafts.indices {
                let loanID = joined.chunks[k].drafts[d].loanID
                guard let (j, e) = (0..<k).lazy.compactMap({ j in joined.chunks[j].index[loanID].map { (j, $0) } }).first else { continue }
                let later = joined.chunks[k].drafts[d], earlier = joined.chunks[j].drafts[e]
                guard later.customerID == earlier.customerID, later.product == earlier.product,
                      later.currency == earlier.currency, !later.citesFirstRow,
                      !later.checked.intersects(earlier.numbers) else { return nil }
                joined.chunks[j].drafts[e].absorb(later)
                joined.chunks[k].drafts[d].mergedAway = true
            }
            for loanID in joined.chunks[k].orphanLoans where (0..<k).contains(where: { joined.chunks[$0].index[loanID] != nil }) {
                return nil
            }
        }
        return joined
    }

    private func finish(_ joined: consuming Joined) -> Result {
        var result = Result()
        let file = table.displayName
        var badLoans: [String: Diagnostic] = [:]
        var duplicates: [DuplicateKey: [Int]] = [:] // -> indices into result.problems
        var unattributable: [Diagnostic] = []
        for (k, chunk) in joined.chunks.enumerated() {
            let base = joined.bases[k]
            result.rowCount += chunk.rows
            for p in chunk.problems {
                if case .duplicate(let number, let loanID) = p.message {
                    duplicates[DuplicateKey(loanID: loanID, number: number), default: []].append(result.problems.count)
                }
                result.problems.append(p.diagnostic(file: file, base: base))
            }
            unattributable += chunk.unattributable.map { $0.diagnostic(file: file, base: base) }
            for (loanID, p) in chunk.badLoans where badLoans[loanID] == nil { badLoans[loanID] = p.diagnostic(file: file, base: base) }
        }
        if !duplicates.isEmpty { citeFirstRows(of: duplicates, in: &result.problems) }
        // A bad loan whose rows never named a valid customer and product cannot be held by key.
        // (Its first problem is never a duplicate instalment: those need a loan with a key.)
        let keyless = badLoans.filter { loan in !joined.chunks.contains { $0.index[loan.key] != nil } }

        // One currency per case: amounts of a case are summed. Loans in file order; one hash
        // lookup per loan (a million-customer book has two million loans).
        var caseIndex: [CaseKey: Int] = [:]
        caseIndex.reserveCapacity(joined.chunks.reduce(0) { $0 + $1.drafts.count })
        var cases: [CaseEntry] = []
        for k in joined.chunks.indices {
            // Each chunk is let go once its loans are built: drafts and loans never all coexist.
            var chunk = Chunk()
            swap(&chunk, &joined.chunks[k])
            chunk.index = [:]
            for d in chunk.drafts.indices where !chunk.drafts[d].mergedAway {
                // The instalments move into the loan (no second copy of the array).
                var instalments: [Instalment] = []
                swap(&instalments, &chunk.drafts[d].instalments)
                let draft = chunk.drafts[d]
                let key = CaseKey(customerID: draft.customerID, product: draft.product)
                let position: Int
                if let existing = caseIndex[key] { position = existing } else {
                    position = cases.count
                    caseIndex[key] = position
                    cases.append(CaseEntry(key: key, currency: draft.currency, firstLoanID: draft.loanID))
                }
                var bad = badLoans[draft.loanID] != nil
                let first = cases[position]
                if first.currency != draft.currency {
                    result.problems.append(Diagnostic(file: file, line: joined.bases[k] + draft.firstLine, column: 1,
                                                      message: "loan \(draft.loanID) is in \(draft.currency) but loan \(first.firstLoanID) of the same case is in \(first.currency)"))
                    bad = true
                }
                if bad {
                    // A loan with any bad row is held whole: a missing instalment could fake a cure.
                    cases[position].held = true
                    continue
                }
                if let later = draft.later { instalments.append(later) }
                if cases[position].addDue(of: instalments) {
                    // Each amount is within the limit, but a case's sums (overdue, penalty) must
                    // be too: beyond it they could not be counted exactly. Reported at the loan
                    // that brings the case over it.
                    result.problems.append(Diagnostic(file: file, line: joined.bases[k] + draft.firstLine, column: 1,
                                                      message: "the instalments of case \(key.customerID)/\(key.product) add up to more than \(Money.inputLimit), the most a case may owe (loan \(draft.loanID) brings it over)"))
                    cases[position].held = true
                    continue
                }
                cases[position].loans.append(
                    Loan(id: draft.loanID, customerID: draft.customerID, product: draft.product, currency: draft.currency,
                         instalments: instalments))
            }
        }
        result.loansByCase.reserveCapacity(cases.count)
        for entry in cases {
            if entry.held { result.heldCases.insert(entry.key) } else { result.loansByCase[entry.key] = entry.loans }
        }
        unattributable += keyless.map(\.value)
        result.unattributable = unattributable.sorted()
        return result
    }

    /// Fills in "first at line N" of duplicate instalments: the first row of that loan and number
    /// without any problem (the only rows whose numbers count). Only on files with duplicates.
    private func citeFirstRows(of duplicates: [DuplicateKey: [Int]], in problems: inout [Diagnostic]) {
        let badLines = Set(problems.map(\.line))
        var first: [DuplicateKey: Int] = [:]
        let loanColumn = table.columnIndex("loan_id")!, numberColumn = table.columnIndex("instalment")!
        table.rereadRecords { reader in
            guard !badLines.contains(reader.recordLine),
                  case .success(let loanID) = FieldRules.identifier(reader.bytes(loanColumn), column: ""),
                  case .success(let number) = FieldRules.integer(reader.bytes(numberColumn), column: "", in: 1...10_000)
            else { return true }
            let key = DuplicateKey(loanID: loanID, number: number)
            if duplicates[key] != nil, first[key] == nil { first[key] = reader.recordLine }
            return first.count < duplicates.count
        }
        for (key, positions) in duplicates {
            for i in positions {
                problems[i].message = "duplicate instalment \(key.number) of loan \(key.loanID) (first at line \(first[key].map(String.init) ?? "?"))"
            }
        }
    }
}

// MARK: - Chunk state

extension LedgerLoader {
    /// A row problem located within its chunk, rendered once the lines before the chunk are known.
    struct Problem {
        var line: Int
        var column: Int
        var message: Message

        func diagnostic(file: String, base: Int) -> Diagnostic {
            Diagnostic(file: file, line: base + line, column: column, message: message.text(base: base))
        }
    }

    enum Message {
        case text(String)
        /// `prefix`, then the absolute line of the chunk's line `line`.
        case citing(String, line: Int)
        /// The first row of the same number is looked up when every chunk is read.
        case duplicate(number: Int, loanID: String)

        func text(base: Int) -> String {
            switch self {
            case .text(let s): return s
            case .citing(let prefix, let line): return "\(prefix)\(base + line)"
            case .duplicate(let number, let loanID): return "duplicate instalment \(number) of loan \(loanID)"
            }
        }
    }

    struct DuplicateKey: Hashable {
        var loanID: String
        var number: Int
    }

    /// Instalment numbers seen on a loan's valid rows: a bit per number up to 64, a set above.
    struct InstalmentNumbers {
        private var low: UInt64 = 0
        private var high: Set<Int>?

        func contains(_ n: Int) -> Bool { n <= 64 ? low & (1 << UInt64(n - 1)) != 0 : high?.contains(n) ?? false }

        mutating func insert(_ n: Int) {
            if n <= 64 { low |= 1 << UInt64(n - 1); return }
            if high == nil { high = [] }
            high!.insert(n)
        }

        func intersects(_ other: InstalmentNumbers) -> Bool {
            if low & other.low != 0 { return true }
            guard let high, let otherHigh = other.high else { return false }
            return !high.isDisjoint(with: otherHigh)
        }

        mutating func formUnion(_ other: InstalmentNumbers) {
            low |= other.low
            if let otherHigh = other.high { high = (high ?? []).union(otherHigh) }
        }
    }

    /// A loan as its rows in one chunk describe it.
    struct Draft {
        var loanID: String
        var customerID: String
        var product: String
        var currency: String
        var firstLine: Int
        var instalments: [Instalment] = []
        /// The earliest unpaid instalment due after the horizon.
        var later: Instalment?
        var numbers = InstalmentNumbers()
        /// Numbers of every row of this chunk checked against `numbers` (bad rows too).
        var checked = InstalmentNumbers()
        /// A row of this chunk got a message citing the loan's first row (of this chunk).
        var citesFirstRow = false
        var mergedAway = false

        mutating func keep(_ instalment: Instalment, horizon: Day) {
            guard instalment.isUnpaid else { return }
            if instalment.due <= horizon { instalments.append(instalment) } else { keepLater(instalment) }
        }

        /// `instalment` becomes `later` if it falls due before the one kept so far.
        private mutating func keepLater(_ instalment: Instalment) {
            if let l = later, (l.due, l.number) <= (instalment.due, instalment.number) { return }
            later = instalment
        }

        mutating func absorb(_ other: Draft) {
            instalments += other.instalments
            if let l = other.later { keepLater(l) }
            numbers.formUnion(other.numbers)
        }
    }

    struct Chunk {
        var drafts: [Draft] = []
        var index: [String: Int] = [:]
        var problems: [Problem] = []
        var unattributable: [Problem] = []
        var badLoans: [String: Problem] = [:]
        /// Loans with rows read before any row of theirs in this chunk named a valid key.
        var orphanLoans: Set<String> = []
        var rows = 0
        var lines = 0
        var sawQuote = false
    }

    /// A case as its loans arrive: the first loan's currency, and whether any loan holds it.
    struct CaseEntry {
        var key: CaseKey
        var currency: String
        var firstLoanID: String
        var loans: [Loan] = []
        var held = false
        /// The amounts due of its instalments so far (at most `Money.inputLimit` once past it).
        var totalDue: Int64 = 0

        /// Adds `instalments`' amounts due; true when they bring the case over what a case may
        /// owe (once, on the loan that does: after that the case is held and nothing is added).
        mutating func addDue(of instalments: [Instalment]) -> Bool {
            let limit = Money.inputLimit.minorUnits
            guard totalDue <= limit else { return false }
            for i in instalments {
                totalDue += i.amountDue.minorUnits // each at most the limit, the sum kept at most twice it
                if totalDue > limit { return true }
            }
            return false
        }
    }

    struct Joined {
        var chunks: [Chunk]
        var bases: [Int] = []
    }
}
