import GleanerPipeline
import Testing

/// The back-off of optional plugins (`required = false`), as values.
@Suite("retry schedule")
struct RetryScheduleTests {
    @Test("Doubles from the initial wait and stops at the maximum")
    func doubling() {
        let s = RetrySchedule(initial: .seconds(2), factor: 2, maximum: .seconds(300))
        #expect((1...10).map { s.delay(beforeAttempt: $0) } == [
            .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(64), .seconds(128), .seconds(256),
            .seconds(300), .seconds(300),
        ])
        #expect(s.delay(beforeAttempt: 10_000) == .seconds(300))
    }

    @Test("A factor of 1 keeps the wait; an initial wait above the maximum is capped")
    func edges() {
        #expect(RetrySchedule(initial: .milliseconds(200), factor: 1, maximum: .seconds(5)).delay(beforeAttempt: 7) == .milliseconds(200))
        #expect(RetrySchedule(initial: .seconds(10), factor: 2, maximum: .seconds(5)).delay(beforeAttempt: 1) == .seconds(5))
        #expect(RetrySchedule(initial: .milliseconds(200), factor: 3, maximum: .seconds(60)).delay(beforeAttempt: 3) == .milliseconds(1800))
    }
}
