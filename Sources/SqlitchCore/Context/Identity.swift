import FoundationEssentials
import Glibc

/// The system account Sqitch falls back on for the user's name and email: the login name,
/// the full name from the password database (GECOS) and the host name.
public struct SystemAccount: Sendable {
    /// `getlogin`, then the name of the real user id (getpwuid).
    public var loginName: String?
    /// The GECOS full name (first comma-separated field) of an account, by login name.
    public var fullName: @Sendable (String) -> String?
    public var hostName: String

    public init(loginName: String?, fullName: @escaping @Sendable (String) -> String?, hostName: String) {
        self.loginName = loginName
        self.fullName = fullName
        self.hostName = hostName
    }

    /// This process's account.
    public static var current: SystemAccount {
        var login: String?
        if let name = getlogin(), name.pointee != 0 { login = String(cString: name) }
        if login == nil, let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { login = String(cString: name) }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        return SystemAccount(
            loginName: login,
            fullName: { name in
                guard let pw = getpwnam(name), let gecos = pw.pointee.pw_gecos else { return nil }
                let full = String(cString: gecos).split(separator: ",", omittingEmptySubsequences: false).first
                return full.map(String.init)
            },
            hostName: String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}

/// The user's name and email as Sqitch records them in plans and the registry.
public struct Identity: Sendable, Equatable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// Name: `$SQITCH_FULLNAME`, `user.name`, `$SQITCH_ORIG_FULLNAME`, the system account's
    /// full name, its login. Email: `$SQITCH_EMAIL`, `user.email`, `$SQITCH_ORIG_EMAIL`,
    /// `<login>@<host>`. The login is `$SQITCH_ORIG_SYSUSER`, the account's login,
    /// `$LOGNAME`, `$USER` or `$USERNAME`.
    public static func resolve(_ sqitch: Sqitch, account: SystemAccount = .current) throws -> Identity {
        Identity(name: try name(sqitch, account: account), email: try email(sqitch, account: account))
    }

    public static func name(_ sqitch: Sqitch, account: SystemAccount = .current) throws -> String {
        let env = sqitch.environment
        let name: String
        if let found = try Perl.truthy(env["SQITCH_FULLNAME"]) ?? Perl.truthy(configValue(sqitch, "user.name"))
            ?? Perl.truthy(env["SQITCH_ORIG_FULLNAME"]) {
            name = found
        } else {
            guard let user = systemUser(env, account) else {
                throw CommandError("Cannot find your name; run sqitch config --user user.name \"YOUR NAME\"")
            }
            name = Perl.truthy(account.fullName(user)) ?? user
        }
        if name.hasPrefix("[") || name.contains("<") {
            throw CommandError("User name may not contain \"<\" or start with \"[\"")
        }
        return name
    }

    public static func email(_ sqitch: Sqitch, account: SystemAccount = .current) throws -> String {
        let env = sqitch.environment
        let email: String
        if let found = try Perl.truthy(env["SQITCH_EMAIL"]) ?? Perl.truthy(configValue(sqitch, "user.email"))
            ?? Perl.truthy(env["SQITCH_ORIG_EMAIL"]) {
            email = found
        } else {
            guard let user = systemUser(env, account) else {
                throw CommandError("Cannot infer your email address; run sqitch config --user user.email you@example.com")
            }
            email = user + "@" + account.hostName
        }
        if email.contains(">") {
            throw CommandError("User email may not contain \">\"")
        }
        return email
    }

    /// A raw configured value (a bare name has none); several values are an error.
    static func configValue(_ sqitch: Sqitch, _ key: String) throws -> String? {
        let values = sqitch.config.rawValues(key)
        if values.count > 1 { throw ConfigError("More then one value for the key \"\(key)\"") }
        return values.first ?? nil
    }

    /// Sqitch's `sysuser`.
    public static func systemUser(_ env: Environment, _ account: SystemAccount) -> String? {
        Perl.truthy(env["SQITCH_ORIG_SYSUSER"]) ?? Perl.truthy(account.loginName) ?? Perl.truthy(env["LOGNAME"])
            ?? Perl.truthy(env["USER"]) ?? Perl.truthy(env["USERNAME"])
    }

}
