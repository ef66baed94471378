import Testing
@testable import SqlitchCore
import SqlitchTestSupport
