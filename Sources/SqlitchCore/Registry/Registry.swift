/// Registry bookkeeping shared by all engines, over an engine's connection and dialect.
/// (The lead extends this with the change, tag, dependency and event statements.)
public enum Registry {
    /// Records that the registry is now at `release`, installed by `name` <`email`>,
    /// in its own transaction (Sqitch's `_register_release`).
    public static func recordRelease(
        _ release: RegistryRelease, installerName name: String, installerEmail email: String,
        connection: RegistryConnection, dialect: RegistryDialect
    ) throws {
        try connection.begin()
        do {
            try connection.run(
                "INSERT INTO releases (version, installed_at, installer_name, installer_email) VALUES (?, "
                    + dialect.timestampDefault + ", ?, ?)",
                [.text(release.text), .text(name), .text(email)])
            try connection.commit()
        } catch {
            try? connection.rollback()
            throw error
        }
    }
}
