/// One instalment of a loan, as the ledger states it tonight.
public struct Instalment: Sendable, Equatable {
    /// Stored in 32 bits (numbers are at most 10,000): with the date, 24 bytes an instalment.
    private var storedNumber: Int32
    public var number: Int {
        get { Int(storedNumber) }
        set { storedNumber = Int32(clamping: newValue) }
    }
    public var due: Day
    public var amountDue: Money
    public var amountPaid: Money

    public init(number: Int, due: Day, amountDue: Money, amountPaid: Money) {
        self.storedNumber = Int32(clamping: number)
        self.due = due
        self.amountDue = amountDue
        self.amountPaid = amountPaid
    }

    /// What is still owed on this instalment (never negative: tolerated overpayment counts as paid).
    public var outstanding: Money { amountPaid < amountDue ? amountDue - amountPaid : .zero }
    public var isUnpaid: Bool { amountPaid < amountDue }
}

/// A loan with its instalments sorted by due date, then number.
public struct Loan: Sendable, Equatable {
    public var id: String
    public var customerID: String
    public var product: String
    public var currency: String
    public var instalments: [Instalment]

    public init(id: String, customerID: String, product: String, currency: String, instalments: [Instalment]) {
        self.id = id
        self.customerID = customerID
        self.product = product
        self.currency = currency
        // Ledgers usually list a loan's instalments in order: keep that array rather than copy it.
        let ordered = zip(instalments, instalments.dropFirst()).allSatisfy { ($0.due, $0.number) <= ($1.due, $1.number) }
        self.instalments = ordered ? instalments : instalments.sorted { ($0.due, $0.number) < ($1.due, $1.number) }
    }

    /// Due date of the earliest unpaid instalment; nil when everything is paid.
    public var earliestUnpaidDue: Day? { instalments.first(where: \.isUnpaid)?.due }

    /// DPD of the loan: calendar days from its earliest unpaid due date to `asOf` (negative before it).
    public func dpd(asOf: Day) -> Int? { earliestUnpaidDue.map { asOf - $0 } }

    /// Outstanding amount of instalments already past due (due strictly before `asOf`).
    public func amountOverdue(asOf: Day) -> Money {
        instalments.reduce(.zero) { $1.due < asOf ? $0 + $1.outstanding : $0 }
    }

    /// Outstanding amount of instalments due on or before `day`.
    public func amountDue(by day: Day) -> Money {
        instalments.reduce(.zero) { $1.due <= day ? $0 + $1.outstanding : $0 }
    }
}

/// What the lender knows of a customer that the decisions use. Nothing personal: an identifier,
/// a score and a time zone.
public struct Customer: Sendable, Equatable {
    public var id: String
    /// Collection score 0...1000; nil when unscored.
    public var score: Int?
    /// IANA zone, or several candidates joined by `|`; nil = the strategy's default.
    public var timeZone: String?
    public var emergencyContacts: Int

    public init(id: String, score: Int?, timeZone: String? = nil, emergencyContacts: Int = 0) {
        self.id = id
        self.score = score
        self.timeZone = timeZone
        self.emergencyContacts = emergencyContacts
    }
}

/// A customer's loans of one product form one collection case.
public struct CaseKey: Hashable, Comparable, Sendable {
    public var customerID: String
    public var product: String

    public init(customerID: String, product: String) {
        self.customerID = customerID
        self.product = product
    }

    public static func < (a: CaseKey, b: CaseKey) -> Bool {
        (a.customerID, a.product) < (b.customerID, b.product)
    }

    /// The identifier of this key's `episode`-th case: `customer/product/episode`. Products may not
    /// contain `/`, so the identifier reads back unambiguously from the right.
    public func caseID(episode: Int) -> String { "\(customerID)/\(product)/\(episode)" }

    /// The key of a case ID's UTF-8 bytes, read from the right (the customer may contain `/`);
    /// nil when it is not `customer/product/episode`.
    public init?(caseID bytes: UnsafeBufferPointer<UInt8>) {
        guard let last = bytes.lastIndex(of: UInt8(ascii: "/")), last > 0,
              let middle = bytes[..<last].lastIndex(of: UInt8(ascii: "/")), middle > 0, middle + 1 < last else { return nil }
        customerID = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<middle]), as: UTF8.self)
        product = String(decoding: UnsafeBufferPointer(rebasing: bytes[(middle + 1)..<last]), as: UTF8.self)
    }

    public init?(caseID: String) {
        var text = caseID
        guard let key = text.withUTF8({ CaseKey(caseID: $0) }) else { return nil }
        self = key
    }
}

/// Product codes appear in strategies and case identifiers: letters, digits, `_`, `-`, `.` only.
public enum ProductCode {
    public static func isValid(_ code: some StringProtocol) -> Bool {
        var text = String(code)
        return text.withUTF8 { isValid(utf8: $0) }
    }

    /// The same check on UTF-8 bytes in place (the ledger's hot path).
    public static func isValid(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        for c in bytes where !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 45 || c == 46) {
            return false
        }
        return true
    }
}
