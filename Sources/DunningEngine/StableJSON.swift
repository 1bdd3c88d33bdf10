import DunningCore
import Foundation

/// The JSON the engine writes (summaries, previews, explanations, reports): pretty-printed with
/// sorted keys, so that the same value always gives the same bytes, and a final newline.
public protocol StableJSON: Encodable {}

extension StableJSON {
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return [UInt8]((try? encoder.encode(self)) ?? Data("{}".utf8)) + [0x0A]
    }
}

extension Summary: StableJSON {}
extension PreviewReport: StableJSON {}
extension Explanation: StableJSON {}
extension PortfolioReport: StableJSON {}
