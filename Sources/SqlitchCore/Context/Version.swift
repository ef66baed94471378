/// sqlitch's version, printed by `--version` and named in the manual pages.
public enum SqlitchVersion {
    public static let string = "v0.1.0"
}
