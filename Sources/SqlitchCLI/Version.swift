/// sqlitch's version, printed by `--version`.
enum SqlitchVersion {
    static let string = "v0.1.0"
}
