import FoundationEssentials
import Glibc
import Synchronization

/// Work run on a thread of its own while the caller goes on: a registry connection opened
/// (the client library loaded, the server reached) while the command reads its plan.
/// `wait()`, called by the task's one owner, joins the thread and gives the work's result.
/// The work must touch nothing the caller uses meanwhile. A task let go of without `wait()`
/// (its command failed first) is left to end on its own: nothing waits for a connection
/// nobody will use (an unreachable host would hold the command's exit for minutes).
public final class BackgroundTask<Value>: @unchecked Sendable {
    private let shared: Shared
    private var thread = pthread_t()
    private var running = false

    /// What the thread and the task both hold: the work, then its result.
    private final class Shared {
        var work: (() throws -> Value)?
        var result: Result<Value, any Error>?
        init(_ work: @escaping () throws -> Value) { self.work = work }
        func run() {
            if let work { result = Result { try work() } }
            work = nil
        }
    }

    public init(_ work: @escaping () throws -> Value) {
        shared = Shared(work)
        let context = Unmanaged.passRetained(ThreadBody(shared.run)).toOpaque()
        running = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context) == 0
        if !running {
            // No thread to be had: the work is done now, as it would have been without one.
            Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run()
        }
    }

    /// The work's result, once it has ended.
    public func wait() -> Result<Value, any Error> {
        if running {
            pthread_join(thread, nil)
            running = false
        }
        return shared.result!
    }

    deinit {
        if running {
            pthread_detach(thread)
            BackgroundTasks.detached.store(true, ordering: .sequentiallyConsistent)
        }
    }
}

extension Optional {
    /// The result of the task kept here, once it has ended, leaving nothing kept; nil when
    /// no task was kept.
    mutating func takeResult<Value>() -> Result<Value, any Error>? where Wrapped == BackgroundTask<Value> {
        guard let task = self else { return nil }
        self = nil
        return task.wait()
    }
}

/// Whether a task was let go of while its thread ran: that thread may still be inside a
/// client library (its result, a connection, is closed there too) until the process ends.
public enum BackgroundTasks {
    static let detached = Atomic<Bool>(false)

    /// True once a task was let go of unfinished: the process then leaves with `_exit`, so
    /// that the libraries' exit handlers (OpenSSL's clean-up) do not run under its thread.
    public static var anyDetached: Bool { detached.load(ordering: .sequentiallyConsistent) }
}

/// A closure handed to a new thread through its one pointer argument.
private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
