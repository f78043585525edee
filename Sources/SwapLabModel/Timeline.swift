/// Per-zone numbers in one sample, in pages (watermarks include boost, as /proc/zoneinfo prints them).
public struct ZoneSample: Hashable, Sendable, Codable {
    public var node: Int
    public var zone: ZoneType
    public var free: Pages
    public var min: Pages
    public var low: Pages
    public var high: Pages
    public var managed: Pages
    /// `lowmem_reserve[]` (`protection: (…)` in /proc/zoneinfo), indexed by the requesting zone's index; nil when
    /// not sampled. Needed to tell which zone balanced the node (`pgdat_balanced()` adds it to high).
    public var protection: [Int64]?

    public init(
        node: Int, zone: ZoneType, free: Pages, min: Pages, low: Pages, high: Pages, managed: Pages,
        protection: [Int64]? = nil
    ) {
        self.node = node
        self.zone = zone
        self.free = free
        self.min = min
        self.low = low
        self.high = high
        self.managed = managed
        self.protection = protection
    }

    public init(_ s: ZoneSnapshot) {
        self.init(
            node: s.node, zone: s.zone, free: s.free, min: s.min, low: s.low, high: s.high, managed: s.managed,
            protection: s.protection.isEmpty ? nil : s.protection)
    }
}

/// One sample of the machine: the zones and selected /proc/vmstat counters at `time`.
public struct Sample: Hashable, Sendable, Codable {
    /// Seconds on the timeline's clock.
    public var time: Double
    public var zones: [ZoneSample]
    /// Cumulative /proc/vmstat counters by their exact kernel names (`pgscan_kswapd`, `pswpout`, …).
    public var counters: [String: Int64]

    public init(time: Double, zones: [ZoneSample], counters: [String: Int64] = [:]) {
        self.time = time
        self.zones = zones
        self.counters = counters
    }

    /// The zone `zone` of node `node`, if sampled.
    public func zone(_ zone: ZoneType, node: Int = 0) -> ZoneSample? {
        zones.first { $0.zone == zone && $0.node == node }
    }
}

/// Something swaplab itself did, placed on the timeline (`alloc hog 2G`, `mark before`, `balloon released`).
public struct Marker: Hashable, Sendable, Codable {
    public var time: Double
    public var label: String

    public init(time: Double, label: String) {
        self.time = time
        self.label = label
    }
}

/// Where a timeline came from and what machine it describes.
public struct MachineDescription: Hashable, Sendable, Codable {
    /// `sim`, `live` or `replay`.
    public var engine: String
    /// A short human description (`4 GiB RAM, 2 GiB swap`, `Linux 6.18.44 x86_64`).
    public var summary: String
    public var minFreeKbytes: Int64?
    public var watermarkScaleFactor: Int64?
    public var swappiness: Int64?
    public var swapPages: Pages?

    public init(
        engine: String, summary: String, minFreeKbytes: Int64? = nil, watermarkScaleFactor: Int64? = nil,
        swappiness: Int64? = nil, swapPages: Pages? = nil
    ) {
        self.engine = engine
        self.summary = summary
        self.minFreeKbytes = minFreeKbytes
        self.watermarkScaleFactor = watermarkScaleFactor
        self.swappiness = swappiness
        self.swapPages = swapPages
    }
}

/// The one thing every part shares: samples and events on one clock, from the simulator, the live kernel,
/// or a recording. Explainer, chart and lesson checks read only this, never the engine that made it.
public struct Timeline: Sendable, Codable {
    public var machine: MachineDescription
    /// Samples in time order.
    public var samples: [Sample]
    /// Trace events in the order they were read (live lines from different CPUs may step back slightly).
    public var events: [TraceEvent]
    public var markers: [Marker]

    public init(
        machine: MachineDescription, samples: [Sample] = [], events: [TraceEvent] = [], markers: [Marker] = []
    ) {
        self.machine = machine
        self.samples = samples
        self.events = events
        self.markers = markers
    }

    /// The part of the timeline at or after `start` (samples, events and markers alike).
    public func since(_ start: Double) -> Timeline {
        Timeline(
            machine: machine,
            samples: samples.filter { $0.time >= start },
            events: events.filter { $0.time >= start },
            markers: markers.filter { $0.time >= start })
    }

    /// This timeline with `other`'s samples, events and markers added, each kept in time order (a stable merge:
    /// events that step back slightly, as live lines from different CPUs do, keep their order within each source).
    /// The machine description stays this one's. Used when two recorders watched the same clock (the live
    /// engine and the lab).
    public func merging(_ other: Timeline?) -> Timeline {
        guard let other, !(other.samples.isEmpty && other.events.isEmpty && other.markers.isEmpty) else { return self }
        func merge<T>(_ a: [T], _ b: [T], _ time: (T) -> Double) -> [T] {
            var out: [T] = []
            out.reserveCapacity(a.count + b.count)
            var i = 0
            var j = 0
            while i < a.count || j < b.count {
                if j == b.count || (i < a.count && time(a[i]) <= time(b[j])) {
                    out.append(a[i])
                    i += 1
                } else {
                    out.append(b[j])
                    j += 1
                }
            }
            return out
        }
        return Timeline(
            machine: machine, samples: merge(samples, other.samples, \.time),
            events: merge(events, other.events, \.time),
            markers: merge(markers, other.markers, \.time))
    }

    /// The time of the last marker labelled `label`, if any.
    public func markerTime(_ label: String) -> Double? {
        markers.last { $0.label == label }?.time
    }

    /// First and last time seen in samples, events and markers.
    public var span: ClosedRange<Double>? {
        let times = [
            samples.first?.time, samples.last?.time, events.first?.time, events.last?.time,
            markers.first?.time, markers.last?.time,
        ].compactMap { $0 }
        guard let lo = times.min(), let hi = times.max() else { return nil }
        return lo...hi
    }
}
