/// The master keys Rotor knows: the current one seals, and any of them opens.
///
/// Keeping retired keys in the ring is what lets the master key be rotated: values sealed under
/// an old key still open, and `rotor rekey` re-seals them under the current one.
public struct MasterKeyring: Sendable {
    /// The key that seals new values.
    public let current: MasterKey
    /// Retired keys that still open old values; never used to seal.
    public let others: [MasterKey]

    /// A ring with `current` for sealing and `others` for opening. Duplicates (by id) of the
    /// current key or of each other are dropped.
    public init(current: MasterKey, others: [MasterKey] = []) {
        self.current = current
        var seen: Set<String> = [current.id]
        self.others = others.filter { seen.insert($0.id).inserted }
    }

    /// The key with this id, current or retired; nil if the ring does not hold it.
    public func key(id: String) -> MasterKey? {
        if current.id == id { return current }
        return others.first { $0.id == id }
    }

    /// Ids of every key in the ring, current first: for messages and `rotor doctor`.
    public var ids: [String] { [current.id] + others.map(\.id) }
}
