import SwapLabTestSupport
import Testing

/// Every suite that changes or measures this machine's memory, tracing or swap runs inside this one, one test at
/// a time (`.serialized` reaches nested suites): the lab's balloon and watermarks, a hog's 256 MiB and a trace
/// instance named `swaplab-<pid>` must not meet another test's measurements or instance.
@Suite(.serialized) enum LiveSystem {}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when it may change this machine: `SWAPLAB_LIVE=1` and root (`LiveGate`); otherwise it is
    /// skipped with the reason.
    static var changesMachine: Self {
        .enabled(if: LiveGate.mayChangeMachine, Comment(rawValue: LiveGate.skipReason))
    }
}
