/// The retry schedule while PostgreSQL is down or restarting: exponential from `initial`, capped at
/// `maximum`, with "equal jitter" (half the delay fixed, half drawn) so that the nodes of a fleet do not
/// reconnect in lockstep. Pure: `delay(attempt:jitter:)` takes the random draw as a value.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    public var factor: Int

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10), factor: Int = 2) {
        self.initial = initial
        self.maximum = maximum
        self.factor = max(1, factor)
    }

    /// The delay before retry number `attempt` (1 for the first retry), before jitter: initial × factorⁿ⁻¹, capped.
    public func base(attempt: Int) -> Duration {
        var d = initial
        var n = 1
        while n < attempt, d < maximum {
            d = d * factor
            n += 1
        }
        return min(d, maximum)
    }

    /// The delay with jitter: `base/2 + base/2 × jitter`, `jitter` in 0...1.
    public func delay(attempt: Int, jitter: Double) -> Duration {
        let b = base(attempt: attempt)
        let j = min(max(jitter, 0), 1)
        return b / 2 + (b / 2) * j
    }

    /// The delay with a random jitter.
    public func delay(attempt: Int) -> Duration { delay(attempt: attempt, jitter: Double.random(in: 0...1)) }
}
