import Foundation

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
            hostName: String(cString: host))
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
        if let found = try truthy(env["SQITCH_FULLNAME"]) ?? truthy(configValue(sqitch, "user.name"))
            ?? truthy(env["SQITCH_ORIG_FULLNAME"]) {
            name = found
        } else {
            guard let user = systemUser(env, account) else {
                throw SqitchError("user", "Cannot find your name; run sqitch config --user user.name \"YOUR NAME\"")
            }
            name = truthy(account.fullName(user)) ?? user
        }
        if name.hasPrefix("[") || name.contains("<") {
            throw SqitchError("user", "User name may not contain \"<\" or start with \"[\"")
        }
        return name
    }

    public static func email(_ sqitch: Sqitch, account: SystemAccount = .current) throws -> String {
        let env = sqitch.environment
        let email: String
        if let found = try truthy(env["SQITCH_EMAIL"]) ?? truthy(configValue(sqitch, "user.email"))
            ?? truthy(env["SQITCH_ORIG_EMAIL"]) {
            email = found
        } else {
            guard let user = systemUser(env, account) else {
                throw SqitchError(
                    "user", "Cannot infer your email address; run sqitch config --user user.email you@example.com")
            }
            email = user + "@" + account.hostName
        }
        if email.contains(">") {
            throw SqitchError("user", "User email may not contain \">\"")
        }
        return email
    }

    /// A raw configured value (a bare name has none); several values are an error.
    static func configValue(_ sqitch: Sqitch, _ key: String) throws -> String? {
        let values = sqitch.config.rawValues(key)
        if values.count > 1 { throw SqitchError("config", "More then one value for the key \"\(key)\"") }
        return values.first ?? nil
    }

    /// Sqitch's `sysuser`.
    public static func systemUser(_ env: Environment, _ account: SystemAccount) -> String? {
        truthy(env["SQITCH_ORIG_SYSUSER"]) ?? truthy(account.loginName) ?? truthy(env["LOGNAME"])
            ?? truthy(env["USER"]) ?? truthy(env["USERNAME"])
    }

    /// Perl truth for strings: set, not empty and not "0".
    static func truthy(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value != "0" else { return nil }
        return value
    }
}
