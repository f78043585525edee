import Testing

@testable import SwapLabModel

/// The live engine's and the lab's recorders watch the same CLOCK_MONOTONIC; their timelines merge by time.
@Suite struct TimelineMergeTests {
    static func event(_ t: Double, _ name: String) -> TraceEvent {
        TraceEvent(time: t, comm: "kswapd0", pid: 45, name: name, payload: "nid=0")
    }

    @Test func mergesEachKindByTimeAndKeepsTheMachine() {
        let machine = MachineDescription(engine: "live", summary: "this one")
        let a = Timeline(
            machine: machine, samples: [Sample(time: 1, zones: []), Sample(time: 3, zones: [])],
            events: [Self.event(2.0, "a1"), Self.event(1.9, "a2")], markers: [Marker(time: 5, label: "m")])
        let b = Timeline(
            machine: MachineDescription(engine: "live", summary: "lab"), samples: [Sample(time: 2, zones: [])],
            events: [Self.event(1.95, "b1")], markers: [Marker(time: 0.5, label: "lab: start")])
        let m = a.merging(b)
        #expect(m.machine.summary == "this one")
        #expect(m.samples.map(\.time) == [1, 2, 3])
        // a's own order survives (2.0 before 1.9, as read); b1 goes before the first later-stamped a event.
        #expect(m.events.map(\.name) == ["b1", "a1", "a2"])
        #expect(m.markers.map(\.label) == ["lab: start", "m"])
        #expect(a.merging(nil).samples.count == 2)
    }
}
