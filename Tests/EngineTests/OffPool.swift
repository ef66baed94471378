import Foundation

/// Carries a value to another thread when the caller knows the hand-over is safe.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
}

/// Runs `body` on a thread of its own while the calling task waits without holding one of
/// Swift's cooperative threads. Test functions run on that pool, and the process runner
/// blocks its caller while swift-subprocess needs pool threads to make progress: tests
/// that spawn processes go through here so parallel tests cannot starve the pool.
/// (Expectations inside `body` are recorded, but Swift Testing cannot name their test.)
func offPool<T>(_ body: @escaping () throws -> T) async throws -> T {
    let box = UncheckedBox(value: body)
    let result = try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<UncheckedBox<T>, Error>) in
        let thread = Thread {
            do {
                continuation.resume(returning: UncheckedBox(value: try box.value()))
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    return result.value
}
