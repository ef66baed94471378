import ArgumentParser
import SqlitchCore

/// Sqitch's ConnectingCommand options, by canonical name (Getopt has read the command line):
/// `--registry`, `--client`, `--db-name`, `--db-user`, `--db-host`, `--db-port`.
struct ConnectionArguments: ParsableArguments {
    @Option(name: .customLong("registry"), parsing: .unconditional) var registry: String?
    @Option(name: .customLong("client"), parsing: .unconditional) var client: String?
    @Option(name: .customLong("db-name"), parsing: .unconditional) var dbName: String?
    @Option(name: .customLong("db-user"), parsing: .unconditional) var dbUser: String?
    @Option(name: .customLong("db-host"), parsing: .unconditional) var dbHost: String?
    @Option(name: .customLong("db-port"), parsing: .unconditional) var dbPort: String?

    /// The target overrides (Getopt has checked that the port is an integer).
    func overrides() -> TargetOverrides {
        TargetOverrides(user: dbUser, host: dbHost, port: dbPort.map { String(Int($0) ?? 0) }, dbname: dbName,
                        registry: registry, client: client)
    }
}
