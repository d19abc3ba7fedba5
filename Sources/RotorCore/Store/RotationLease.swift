/// The right to write one rotation: the lease owner and the fence number its claim got. Every write the
/// runner makes inside a rotation is conditional on both still being the row's (compare-and-set), so a
/// process whose lease was taken over writes nothing more.
public struct RotationLease: Sendable, Equatable {
    public var rotationID: String
    public var owner: String
    public var fence: Int64

    public init(rotationID: String, owner: String, fence: Int64) {
        self.rotationID = rotationID
        self.owner = owner
        self.fence = fence
    }
}
