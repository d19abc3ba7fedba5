/// Why a stored message could not be made ready to send.
public enum ReplyTokensError: Error, CustomStringConvertible, Equatable {
    case sealedValueDoesNotOpen

    public var description: String {
        switch self {
        case .sealedValueDoesNotOpen:
            "a reply link or code in the message does not open with this installation's reply-token key "
                + "(the row was copied from another store, or altered); the message cannot be sent as it is"
        }
    }
}
