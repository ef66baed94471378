import Foundation

/// Work run on a thread of its own while the caller goes on: a registry connection opened
/// (the client library loaded, the server reached) while the command reads its plan.
/// `wait()` joins the thread and gives the work's result; the work must touch nothing the
/// caller uses meanwhile. Letting go of the task waits for it too, so that no thread is
/// left running into the process's exit.
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
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            shared.run()
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

    deinit { _ = wait() }
}

/// A closure handed to a new thread through its one pointer argument.
private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
