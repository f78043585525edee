/// The swaplab release, kept in this one place: `swaplab --version` prints it and `doctor` shows it.
public enum SwapLabVersion {
    public static let current = "0.1.0"
}
