import DunningCore
import Foundation

extension LedgerLoader {
    /// Parses, checks and groups the rows of one chunk of `ledger.csv`.
    ///
    /// The checks are those of every ledger row (see `docs/file-formats.md`); a loan's rows are
    /// compared with its first row in the chunk. Rows of one loan usually follow each other, so
    /// the loan, customer and product of the previous row are reused without hashing.
    struct ChunkParser {
        let loader: LedgerLoader
        let columns: Columns
        let file: MappedFile
        var reader: CSVReader
        var chunk = Chunk()
        private var rowProblems: [Problem] = []
        private var lastLoan: (bytes: UnsafeBufferPointer<UInt8>, draft: Int)?
        private var lastCustomer: (bytes: UnsafeBufferPointer<UInt8>, id: String, known: Bool)?
        private var products: [(bytes: [UInt8], code: String)] = []
        private var currencies: [(bytes: [UInt8], code: String)] = []

        init(loader: LedgerLoader, columns: Columns, file: MappedFile, range: Range<Int>) {
            self.loader = loader
            self.columns = columns
            self.file = file
            reader = CSVReader(buffer: file.buffer, range: range)
        }

        mutating func run() -> Chunk {
            var released = reader.offset
            while true {
                let more: Bool
                do { more = try reader.next() } catch {
                    let p = Problem(line: error.line, column: error.column, message: .text(error.message))
                    chunk.problems.append(p)
                    chunk.unattributable.append(p)
                    chunk.rows += 1
                    continue
                }
                guard more else { break }
                chunk.rows += 1
                if reader.fields.count != columns.count {
                    let p = Problem(line: reader.recordLine, column: 1,
                                    message: .text("expected \(columns.count) fields as in the header, found \(reader.fields.count)"))
                    chunk.problems.append(p)
                    chunk.unattributable.append(p)
                    continue
                }
                readRow()
                // Keep resident only what is still to be read; the page cache keeps the rest.
                if reader.offset - released >= 1 << 24 {
                    lastLoan = nil
                    lastCustomer = nil
                    file.release(released..<reader.offset)
                    released = reader.offset
                }
            }
            chunk.lines = reader.currentLine - 1
            chunk.sawQuote = reader.sawQuote
            return chunk
        }

        private mutating func error(_ field: Int, _ message: String) {
            let (line, column) = reader.location(ofField: field)
            rowProblems.append(Problem(line: line, column: column, message: .text(message)))
        }

        private mutating func error(_ field: Int, citing line: Int, _ prefix: String) {
            let (at, column) = reader.location(ofField: field)
            rowProblems.append(Problem(line: at, column: column, message: .citing(prefix, line: line)))
        }

        private mutating func value<T>(_ field: Int, _ result: Swift.Result<T, FieldProblem>) -> T? {
            switch result {
            case .success(let v): return v
            case .failure(let p): error(field, p.message); return nil
            }
        }

        private static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
        }

        /// A short code (product, currency) as one shared string per distinct value.
        private static func intern(_ raw: UnsafeBufferPointer<UInt8>, in table: inout [(bytes: [UInt8], code: String)]) -> String {
            for entry in table where entry.bytes.count == raw.count
                && entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, raw.baseAddress!, raw.count) == 0 }) {
                return entry.code
            }
            let code = String(decoding: raw, as: UTF8.self)
            if table.count < 64 { table.append((Array(raw), code)) }
            return code
        }

        private mutating func readRow() {
            rowProblems.removeAll(keepingCapacity: true)
            let c = columns
            let loanBytes = reader.bytes(c.loan)
            let loanID: String?
            if let last = lastLoan, Self.same(last.bytes, loanBytes) {
                loanID = chunk.drafts[last.draft].loanID
            } else {
                loanID = value(c.loan, FieldRules.identifier(loanBytes, column: "loan_id"))
            }
            let customerBytes = reader.bytes(c.customer)
            var customerID: String?
            var customerKnown = false
            if let last = lastCustomer, Self.same(last.bytes, customerBytes) {
                customerID = last.id
                customerKnown = last.known
            } else if let id = value(c.customer, FieldRules.identifier(customerBytes, column: "customer_id")) {
                customerID = id
                customerKnown = loader.customers[id] != nil
                lastCustomer = (customerBytes, id, customerKnown)
            }
            var product: String?
            let productBytes = reader.bytes(c.product)
            if ProductCode.isValid(utf8: productBytes) {
                product = Self.intern(productBytes, in: &products)
            } else if let p = value(c.product, FieldRules.identifier(productBytes, column: "product")) {
                error(c.product, "product code '\(p)' may use only letters, digits, '_', '-' and '.'")
            }
            let number = value(c.number, FieldRules.integer(reader.bytes(c.number), column: "instalment", in: 1...10_000))
            let due = value(c.due, FieldRules.day(reader.bytes(c.due), column: "due_date"))
            let amountDue = value(c.amountDue, FieldRules.money(reader.bytes(c.amountDue), column: "amount_due"))
            let amountPaid = value(c.amountPaid, FieldRules.money(reader.bytes(c.amountPaid), column: "amount_paid"))
            var currency = loader.defaultCurrency
            if let column = c.currency, !reader.bytes(column).isEmpty {
                let raw = reader.bytes(column)
                if raw.count == 3, raw.allSatisfy({ $0 >= 65 && $0 <= 90 }) {
                    currency = Self.intern(raw, in: &currencies)
                } else {
                    error(column, "currency '\(FieldRules.preview(raw).prefix(20))' is not an ISO 4217 code such as CNY")
                }
            }
            if let amountDue, let amountPaid, amountPaid > amountDue + loader.paidTolerance {
                error(c.amountPaid, "amount_paid \(amountPaid) exceeds amount_due \(amountDue) by more than the tolerance \(loader.paidTolerance)")
            }
            if let customerID, !customerKnown {
                if let line = loader.rejectedCustomers[customerID] {
                    error(c.customer, "customer \(customerID) was rejected in customers.csv (line \(line))")
                } else {
                    error(c.customer, "customer \(customerID) is not in customers.csv")
                }
            }
            guard let loanID else {
                chunk.unattributable += rowProblems
                chunk.problems += rowProblems
                return
            }
            let index: Int
            if let last = lastLoan, Self.same(last.bytes, loanBytes) {
                index = last.draft
            } else if let existing = chunk.index[loanID] {
                index = existing
            } else if let customerID, let product {
                index = chunk.drafts.count
                chunk.drafts.append(Draft(loanID: loanID, customerID: customerID, product: product, currency: currency,
                                          firstLine: reader.recordLine))
                chunk.index[loanID] = index
            } else {
                // No valid key yet: a later row may name it; otherwise the loan is unattributable.
                chunk.orphanLoans.insert(loanID)
                record(loanID)
                return
            }
            lastLoan = (loanBytes, index)
            // Read in place: copying the draft would retain and release all its strings per row.
            let problemsBefore = rowProblems.count
            if let customerID, customerID != chunk.drafts[index].customerID {
                error(c.customer, citing: chunk.drafts[index].firstLine, "loan \(loanID) belongs to customer \(chunk.drafts[index].customerID) at line ")
            }
            if let product, product != chunk.drafts[index].product {
                error(c.product, citing: chunk.drafts[index].firstLine, "loan \(loanID) has product \(chunk.drafts[index].product) at line ")
            }
            if currency != chunk.drafts[index].currency {
                error(c.currency ?? c.loan, citing: chunk.drafts[index].firstLine, "loan \(loanID) is in \(chunk.drafts[index].currency) at line ")
            }
            if rowProblems.count > problemsBefore { chunk.drafts[index].citesFirstRow = true }
            // Every row's number is checked, valid row or not: a sequential read would compare it
            // with the numbers of earlier chunks too, so the join needs to know it was asked.
            if let number { chunk.drafts[index].checked.insert(number) }
            if let number, chunk.drafts[index].numbers.contains(number) {
                let (line, column) = reader.location(ofField: c.number)
                rowProblems.append(Problem(line: line, column: column, message: .duplicate(number: number, loanID: loanID)))
            }
            if rowProblems.isEmpty, let number, let due, let amountDue, let amountPaid {
                chunk.drafts[index].numbers.insert(number)
                chunk.drafts[index].keep(Instalment(number: number, due: due, amountDue: amountDue, amountPaid: amountPaid),
                                         horizon: loader.horizon)
            }
            record(loanID)
        }

        /// Files the row's problems; the first problem of a loan's first bad row holds the loan.
        private mutating func record(_ loanID: String) {
            guard let first = rowProblems.first else { return }
            if chunk.badLoans[loanID] == nil { chunk.badLoans[loanID] = first }
            chunk.problems += rowProblems
        }
    }
}
