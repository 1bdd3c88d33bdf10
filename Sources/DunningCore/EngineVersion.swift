/// The engine's version: printed by `dunning --version`, recorded with every committed night and
/// named when a store was made by a newer one.
public enum EngineVersion {
    public static let current = "0.5.0"
}
